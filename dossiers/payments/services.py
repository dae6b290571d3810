"""Asking for payment: the use cases of officers (keep it small).

- :func:`request_payment`  ask the applicant to pay the dossier's fee (or an amount the
  officer sets, with a reason) by a date, with a new structured communication
- :func:`change_amount`    change the amount of an open request, with a reason
- :func:`cancel`           cancel an open request
- :func:`mark_paid`        record that an open request was paid (by hand now; later by
  a bank statement or an online provider, each with its own ``source``)

Every use case locks the dossier row first and then the request (the order every
use case of the dossiers app keeps), writes one Event and, when the applicant must
hear of it, queues the e-mail with that event (:mod:`.emails`). The amount is always
the dossier's ``amount_due`` or the officer's, never the applicant's browser's.
A refusal raises :class:`~dossiers.exceptions.ActionRefused` with a plain message.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban

from dossiers import permissions
from dossiers.constants import OFFICER, EventType, PaymentStatus
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, Event, PaymentRequest, PaymentSettings
from dossiers.outbox import letters, notify
from dossiers.payments import epc, permit, prepayment, references, refunds
from dossiers.payments.rules import (  # noqa: F401 - their home for the other use cases
    MAX_TEXT,
    _clean_amount,
    _clean_text,
    _create_with_new_reference,
)

__all__ = [
    "PaymentView",
    "cancel",
    "change_amount",
    "find_open_request",
    "mark_paid",
    "payment_settings_for",
    "request_payment",
    "shown_request",
]

#: Open requests before paid and cancelled ones.
OPEN_FIRST = Case(
    When(status=PaymentStatus.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
)
#: ``source`` of a payment an officer marks as paid.
MANUAL = "manual"


class PaymentsNotConfigured(ActionRefused):
    """The Site has no creditor name, IBAN or BIC yet."""


def payment_settings_for(dossier: Dossier) -> PaymentSettings | None:
    """The payment settings of the dossier's Site (the form's Site, else the default)."""
    site = letters.site_for(dossier)
    return PaymentSettings.for_site(site) if site else None


def _officer_only(dossier: Dossier, officer) -> None:
    if OFFICER not in permissions.roles_on(officer, dossier):
        raise ActionRefused(_("Only an officer of this dossier's team can do this."))


def _event(dossier, officer, event_type, payment_request, *, public, **data) -> Event:
    data = {"payment_request": payment_request.pk, "amount": str(payment_request.amount), **data}
    return Event.objects.create(
        dossier=dossier, type=event_type, actor=officer, public=public, data=data
    )


def request_payment(
    dossier: Dossier,
    officer,
    *,
    amount: Decimal | None = None,
    due_date: datetime.date | None = None,
    reason: str = "",
) -> PaymentRequest:
    """Ask the applicant to pay, in one transaction.

    ``amount`` None means the dossier's ``amount_due`` (the form's fee); another amount
    needs a ``reason``. ``due_date`` None means the Site's days to pay from today. Only
    one request may be open at a time (cancel it, or change its amount). Writes the
    public ``payment_requested`` event, which queues the e-mail with what to pay.
    """
    reason = _clean_text(reason)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        _officer_only(locked, officer)
        payment_settings = payment_settings_for(locked)
        if payment_settings is None or not payment_settings.is_complete:
            raise PaymentsNotConfigured(
                _(
                    "Fill in the municipality's account (name, IBAN and BIC) in the settings "
                    "under Payments first."
                )
            )
        if locked.payment_requests.filter(status=PaymentStatus.OPEN).exists():
            raise ActionRefused(
                _("This dossier already has an open payment request. Change or cancel it first.")
            )
        if amount is None:
            if locked.amount_due is None:
                raise ActionRefused(_("This application has no fee. Fill in the amount to pay."))
            amount = locked.amount_due
        elif amount != locked.amount_due and not reason:
            raise ActionRefused(_("Say why the amount differs from the fee of the form."))
        amount = _clean_amount(amount)
        today = timezone.localdate()
        due_date = due_date or today + datetime.timedelta(days=payment_settings.payment_term_days)
        if due_date < today:
            raise ActionRefused(_("The date to pay by cannot be in the past."))
        payment_request = _create_with_new_reference(
            dossier=locked, amount=amount, due_date=due_date, reason=reason, created_by=officer
        )
        # The code must be drawable before the applicant hears of the request.
        try:
            epc.payload(transfer_of(payment_request, payment_settings))
        except epc.EpcError as exc:
            raise ActionRefused(
                _("The payment details cannot be put in a QR code: %(problem)s") % {"problem": exc}
            ) from None
        event = _event(
            locked,
            officer,
            EventType.PAYMENT_REQUESTED,
            payment_request,
            public=True,
            reason=reason,
            due_date=due_date.isoformat(),
        )
        notify.queue_for_event(event)
    return payment_request


def _locked_open(
    payment_request: PaymentRequest, officer, *, authorised: bool = False
) -> tuple[Dossier, PaymentRequest]:
    dossier = Dossier.objects.select_for_update().get(pk=payment_request.dossier_id)
    if not authorised:
        _officer_only(dossier, officer)
    locked = PaymentRequest.objects.select_for_update().get(pk=payment_request.pk)
    locked.dossier = dossier
    if not locked.is_open:
        raise ActionRefused(
            _("This payment request is no longer open: %(state)s.")
            % {"state": locked.get_status_display()}
        )
    return dossier, locked


def change_amount(
    payment_request: PaymentRequest, officer, amount: Decimal, reason: str
) -> PaymentRequest:
    """Change the amount of an open request (same structured communication); the
    reason is required. The applicant gets the e-mail with what to pay again."""
    reason = _clean_text(reason, required_message=_("Say why the amount changes."))
    amount = _clean_amount(amount)
    with transaction.atomic():
        dossier, locked = _locked_open(payment_request, officer)
        before = locked.amount
        if amount == before:
            raise ActionRefused(_("The amount is the same as before."))
        locked.amount = amount
        locked.reason = reason
        locked.save(update_fields=["amount", "reason"])
        event = _event(
            dossier,
            officer,
            EventType.PAYMENT_REQUESTED,
            locked,
            public=True,
            reason=reason,
            before=str(before),
            due_date=locked.due_date.isoformat(),
        )
        notify.queue_for_event(event)
    return locked


def _close(payment_request, officer, status, event_type, note, *, public, authorised=False, **data):
    with transaction.atomic():
        dossier, locked = _locked_open(payment_request, officer, authorised=authorised)
        locked.status = status
        locked.closed_at = timezone.now()
        locked.closing_note = note
        locked.save(update_fields=["status", "closed_at", "closing_note"])
        event = _event(dossier, officer, event_type, locked, public=public, note=note, **data)
        if public:
            notify.queue_for_event(event)
    return locked


def cancel(payment_request: PaymentRequest, officer, note: str = "") -> PaymentRequest:
    """Cancel an open request: the applicant no longer has to pay it (the status page
    says so). The note is for the officers only. What came in for it already (a part
    paid by transfer) becomes a refund to do (dossiers.payments.refunds.refund_ended)."""
    note = _clean_text(note)
    with transaction.atomic():
        cancelled = _close(
            payment_request,
            officer,
            PaymentStatus.CANCELLED,
            EventType.PAYMENT_CANCELLED,
            note,
            public=True,
        )
        # Partly paid already: that money goes back (a refund to do, the applicant told).
        refunds.refund_ended(
            cancelled, _("We cancelled this payment request. We pay back what you paid for it.")
        )
    return cancelled


def mark_paid(
    payment_request: PaymentRequest,
    officer,
    note: str,
    *,
    source: str = MANUAL,
    authorised: bool = False,
) -> PaymentRequest:
    """Record that an open request was paid. By hand the note is required (where the
    money was seen); ``source`` names where the news came from, so a bank statement
    or an online provider can use this same use case later. ``authorised`` means the
    caller has checked who acts (finance staff reading a bank statement), so
    ``officer`` need not be in the dossier's team. The applicant is told (the
    ``payment_received`` e-mail). When the procedure has the stage "payment before the
    permit", the permit is issued (dossiers.payments.permit)."""
    note = _clean_text(note, required_message=_("Write a note: where did you see the payment?"))
    with transaction.atomic():
        paid = _close(
            payment_request,
            officer,
            PaymentStatus.PAID,
            EventType.PAYMENT_RECEIVED,
            note,
            public=True,
            source=source,
            authorised=authorised,
        )
        # "Payment before the permit": the permit is issued once paid.
        permit.issue_when_paid(paid.dossier)
        # "Payment when submitting": the application is sent once paid (also when the
        # fee came by transfer).
        prepayment.submit_when_paid(paid.dossier)
    return paid


def find_open_request(text: str) -> PaymentRequest | None:
    """The open request with this structured communication (as people write it), for
    a bank-statement line or a provider's callback; None when there is none."""
    reference = references.compact(text)
    if reference is None:
        return None
    return PaymentRequest.objects.filter(
        structured_reference=reference, status=PaymentStatus.OPEN
    ).first()


def transfer_of(payment_request: PaymentRequest, payment_settings: PaymentSettings) -> epc.Transfer:
    return epc.Transfer(
        creditor_name=payment_settings.creditor_name,
        iban=payment_settings.iban,
        bic=payment_settings.bic,
        amount=payment_request.amount,
        reference=payment_request.structured_reference,
    )


@dataclass(frozen=True)
class PaymentView:
    """What the status page, the e-mail and the PDF show of a request."""

    request: PaymentRequest
    creditor_name: str
    iban: str
    bic: str
    #: The EPC QR code as a data URI; empty when the details cannot make one (the
    #: page then shows the details without a code).
    qr_code: str = ""

    @property
    def iban_display(self) -> str:
        """The IBAN in groups of four, as on a bank card."""
        return stdnum_iban.format(self.iban)


def shown_request(dossier: Dossier, *, qr: str = "svg") -> PaymentView | None:
    """The request the applicant sees: the open one, else the latest paid or cancelled
    one; None when there is none or the Site has no account set.

    ``qr`` is ``"svg"`` (the page), ``"png"`` (the PDF) or ``""`` (no code)."""
    payment_request = dossier.payment_requests.order_by(OPEN_FIRST, "-created_at", "-pk").first()
    if payment_request is None:
        return None
    payment_settings = payment_settings_for(dossier)
    if payment_settings is None or not payment_settings.is_complete:
        return None
    code = ""
    if qr and payment_request.is_open:
        transfer = transfer_of(payment_request, payment_settings)
        try:
            code = epc.svg_data_uri(transfer) if qr == "svg" else epc.png_data_uri(transfer)
        except epc.EpcError:
            code = ""
    return PaymentView(
        request=payment_request,
        creditor_name=payment_settings.creditor_name,
        iban=payment_settings.iban,
        bic=payment_settings.bic,
        qr_code=code,
    )
