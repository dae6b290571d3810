"""The e-mail that confirms a payment to the applicant: a notification kind of the
outbox, registered on import (DossiersConfig.ready()). It goes out for every public
``payment_received`` event written with :func:`dossiers.outbox.notify.queue_for_event`
(a payment received online, :mod:`.online`)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.outbox import kinds as email_kinds
from dossiers.payments.emails import AMOUNT, format_amount


@email_kinds.register
class PaymentReceived(email_kinds.NotificationKind):
    """We received your payment of <amount>, with the status link."""

    kind_id = "payment_received"
    label = gettext_lazy("Payment received (to the applicant)")
    template = "payment_received"
    extra_placeholders = (AMOUNT,)

    def matches(self, event):
        return event.type == EventType.PAYMENT_RECEIVED and event.public

    def _amount(self, event) -> str:
        amount = (event.data or {}).get("amount")
        return format_amount(Decimal(amount)) if amount else ""

    def context(self, event):
        return {**super().context(event), "amount": self._amount(event)}

    def placeholders(self, event):
        return {**super().placeholders(event), AMOUNT.name: self._amount(event)}
