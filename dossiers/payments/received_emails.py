"""The e-mail that says a payment was received (a notification kind of the outbox,
registered on import in DossiersConfig.ready()): sent for the ``payment_received`` event
that :func:`dossiers.payments.services.mark_paid` writes, whoever saw the money (an
officer, a bank statement)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.outbox import kinds as email_kinds
from dossiers.payments.emails import AMOUNT, format_amount


@email_kinds.register
class PaymentReceived(email_kinds.NotificationKind):
    kind_id = "payment_received"
    label = gettext_lazy("Payment received (to the applicant)")
    template = "payment_received"
    extra_placeholders = (AMOUNT,)

    def matches(self, event):
        return event.type == EventType.PAYMENT_RECEIVED and event.public

    def _amount(self, event) -> str:
        try:
            return format_amount(Decimal((event.data or {}).get("amount", "")))
        except InvalidOperation:
            return ""

    def context(self, event):
        return {**super().context(event), "amount": self._amount(event)}

    def placeholders(self, event):
        return {**super().placeholders(event), AMOUNT.name: self._amount(event)}
