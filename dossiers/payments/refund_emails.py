"""The e-mail that tells the applicant money is paid back (a notification kind of the
outbox, registered on import in DossiersConfig.ready()): sent for the public ``refund``
event of an automatic refund (dossiers.payments.refunds), with the amount and why."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.outbox import kinds as email_kinds
from dossiers.payments.emails import format_amount

REFUND_AMOUNT = email_kinds.Placeholder("bedrag", gettext_lazy("the amount paid back"), "€ 50,00")
REFUND_REASON = email_kinds.Placeholder(
    "reden",
    gettext_lazy("why the money is paid back"),
    gettext_lazy("You withdrew your application. We pay back what you paid for it."),
)


@email_kinds.register
class RefundAnnounced(email_kinds.NotificationKind):
    kind_id = "refund_announced"
    label = gettext_lazy("Money paid back (to the applicant)")
    template = "refund_announced"
    extra_placeholders = (REFUND_AMOUNT, REFUND_REASON)

    def matches(self, event):
        return event.type == EventType.REFUND and event.public

    def _amount(self, event) -> str:
        try:
            return format_amount(Decimal((event.data or {}).get("amount", "")))
        except InvalidOperation:
            return ""

    def context(self, event):
        return {
            **super().context(event),
            "amount": self._amount(event),
            "reason": (event.data or {}).get("applicant_note", ""),
        }

    def placeholders(self, event):
        return {
            **super().placeholders(event),
            REFUND_AMOUNT.name: self._amount(event),
            REFUND_REASON.name: (event.data or {}).get("applicant_note", ""),
        }
