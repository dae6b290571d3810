"""The accounting export: payments received, refunds and payouts of a period, one row
each, as CSV or as an Excel workbook with typed cells (dates as dates, amounts as
numbers), for the municipality's accounting system.

Rows (:func:`rows`), by date:

- a payment: a statement line booked to a payment request (its booking date), or a
  request marked paid another way (by hand, online: the day it was marked);
- a refund: the day it was recorded, negative, with its state;
- a payout: a grant paid out (the day the bank's debit was read), negative.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import PaymentStatus
from dossiers.export import CsvFormat
from dossiers.models import Grant, GrantState, PaymentRequest, Refund, StatementLine
from dossiers.payments import access


@dataclass(frozen=True)
class Row:
    day: datetime.date
    kind: str
    reference: str
    structured_reference: str
    amount: Decimal
    account: str
    state: str


def _bounds(start: datetime.date, end: datetime.date):
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    return first, after


def rows(start: datetime.date, end: datetime.date, user=None) -> list[Row]:
    """Every payment, refund and payout from ``start`` to ``end`` (both included); with
    ``user``, only of the municipalities of that finance user (the dossier's site)."""

    def mine(queryset, dossier="dossier__"):
        return queryset if user is None else access.by_dossier_site(user, queryset, dossier)

    first, after = _bounds(start, end)
    found: list[Row] = []
    lines = (
        mine(StatementLine.objects.all(), "payment_request__dossier__")
        .filter(payment_request__isnull=False, booking_date__range=(start, end))
        .select_related("payment_request__dossier")
    )
    for line in lines:
        found.append(
            Row(
                line.booking_date,
                _("payment"),
                line.payment_request.dossier.reference,
                line.payment_request.display_reference,
                line.amount,
                line.counterparty_iban,
                line.get_state_display(),
            )
        )
    other_payments = (
        mine(PaymentRequest.objects.all())
        .filter(status=PaymentStatus.PAID, closed_at__gte=first, closed_at__lt=after)
        .filter(statement_lines__isnull=True)
    )
    for request in other_payments.select_related("dossier"):
        found.append(
            Row(
                timezone.localdate(request.closed_at),
                _("payment"),
                request.dossier.reference,
                request.display_reference,
                request.amount,
                "",
                request.get_status_display(),
            )
        )
    refunds = mine(Refund.objects.all()).filter(created_at__gte=first, created_at__lt=after)
    for refund in refunds.select_related("dossier", "payment_request"):
        found.append(
            Row(
                timezone.localdate(refund.created_at),
                _("refund"),
                refund.dossier.reference,
                refund.payment_request.display_reference,
                -refund.amount,
                refund.iban,
                refund.get_state_display(),
            )
        )
    payouts = mine(Grant.objects.all()).filter(
        state=GrantState.PAID, paid_at__gte=first, paid_at__lt=after
    )
    for grant in payouts.select_related("dossier"):
        found.append(
            Row(
                timezone.localdate(grant.paid_at),
                _("payout"),
                grant.dossier.reference,
                "",
                -grant.amount,
                grant.iban,
                grant.get_state_display(),
            )
        )
    return sorted(found, key=lambda row: (row.day, row.reference))


def header() -> list[str]:
    return [
        _("Date"),
        _("Kind"),
        _("Dossier"),
        _("Structured communication"),
        _("Amount"),
        _("Account"),
        _("State"),
    ]


def as_csv(found: list[Row]) -> bytes:
    """Semicolons, ISO dates and amounts with a decimal point (as accounting systems
    import them), UTF-8 with a byte order mark; text cells are never formulas."""
    plain = CsvFormat().plain
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header())
    for row in found:
        writer.writerow(
            [
                row.day.isoformat(),
                plain(row.kind),
                plain(row.reference),
                plain(row.structured_reference),
                f"{row.amount:.2f}",
                plain(row.account),
                plain(row.state),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(found: list[Row]) -> bytes:
    """One sheet; dates are date cells and amounts number cells (two decimals), text
    is always text (never a formula)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Financien"
    sheet.append(header())
    for number, row in enumerate(found, start=2):
        sheet.append([row.day, "", "", "", row.amount, "", ""])
        for column, text in (
            (2, row.kind),
            (3, row.reference),
            (4, row.structured_reference),
            (6, row.account),
            (7, row.state),
        ):
            cell = sheet.cell(row=number, column=column)
            cell.value = text
            cell.data_type = "s"
        sheet.cell(row=number, column=1).number_format = "yyyy-mm-dd"
        sheet.cell(row=number, column=5).number_format = "#,##0.00"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
