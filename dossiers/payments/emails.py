"""The e-mail that says what to pay: a notification kind of the outbox, registered on
import (DossiersConfig.ready())."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext_lazy
from stdnum import iban as stdnum_iban

from dossiers.constants import EventType
from dossiers.models import Event, PaymentRequest
from dossiers.outbox import kinds as email_kinds
from dossiers.payments import references, services


def format_amount(amount: Decimal) -> str:
    """``€ 1.234,50`` in Dutch, ``€ 1,234.50`` in English (the active language)."""
    return "€ " + formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


AMOUNT = email_kinds.Placeholder("bedrag", gettext_lazy("the amount to pay"), "€ 150,00")
PAYMENT_REFERENCE = email_kinds.Placeholder(
    "mededeling",
    gettext_lazy("the structured communication to use with the transfer"),
    "+++010/8068/17183+++",
)
ACCOUNT = email_kinds.Placeholder(
    "rekeningnummer", gettext_lazy("the municipality's account (IBAN)"), "BE71 0961 2345 6769"
)
PAY_BEFORE = email_kinds.Placeholder(
    "betalen_voor", gettext_lazy("the date to pay by"), "1 juli 2026"
)


def _request_of(event: Event) -> PaymentRequest | None:
    request_id = (event.data or {}).get("payment_request")
    if not request_id:
        return None
    return PaymentRequest.objects.filter(pk=request_id, dossier_id=event.dossier_id).first()


@email_kinds.register
class PaymentRequested(email_kinds.NotificationKind):
    """What to pay, by when, to which account, with which structured communication,
    and the status link (with the QR code and the PDF). Sent again when the amount
    changes."""

    kind_id = "payment_requested"
    is_letter = True
    label = gettext_lazy("Payment request (to the applicant)")
    template = "payment_requested"
    extra_placeholders = (AMOUNT, PAYMENT_REFERENCE, ACCOUNT, PAY_BEFORE)

    def matches(self, event):
        return event.type == EventType.PAYMENT_REQUESTED and event.public

    def context(self, event):
        context = super().context(event)
        payment_request = _request_of(event)
        payment_settings = services.payment_settings_for(event.dossier)
        context.update(
            payment_request=payment_request,
            payment_settings=payment_settings,
            amount=format_amount(payment_request.amount) if payment_request else "",
            iban=stdnum_iban.format(payment_settings.iban) if payment_settings else "",
            changed="before" in (event.data or {}),
        )
        return context

    def placeholders(self, event):
        values = super().placeholders(event)
        payment_request = _request_of(event)
        payment_settings = services.payment_settings_for(event.dossier)
        if payment_request is not None:
            values[AMOUNT.name] = format_amount(payment_request.amount)
            values[PAYMENT_REFERENCE.name] = references.display(
                payment_request.structured_reference
            )
            values[PAY_BEFORE.name] = formats.date_format(payment_request.due_date, "j F Y")
        values[ACCOUNT.name] = stdnum_iban.format(payment_settings.iban) if payment_settings else ""
        return values
