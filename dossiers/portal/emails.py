"""The e-mail of Mijn loket in the outbox: confirm the e-mail address of an application
(registered on import, DossiersConfig.ready()). See :mod:`dossiers.portal.confirmation`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.outbox import kinds as email_kinds
from dossiers.portal import confirmation

#: ``{bevestigingslink}``: the one-time link that proves the address.
CONFIRMATION_LINK = email_kinds.Placeholder(
    "bevestigingslink",
    gettext_lazy("the link that confirms the e-mail address (works once)"),
    "https://loket.example.org/mijn-loket/bevestigen/voorbeeld/",
)


@email_kinds.register
class ConfirmEmailAddress(email_kinds.NotificationKind):
    """Sent with an application whose applicant was not signed in to Mijn loket with
    the address in the answers: its link proves the address, so the dossier joins that
    address's Mijn loket."""

    kind_id = confirmation.KIND_ID
    label = gettext_lazy("Confirm e-mail address (to the applicant)")
    template = "confirm_email_address"
    extra_placeholders = (CONFIRMATION_LINK,)

    def matches(self, event):
        return event.type == EventType.SUBMITTED and bool(
            getattr(event, confirmation.LINK_ATTRIBUTE, "")
        )

    def placeholders(self, event):
        return {
            **super().placeholders(event),
            CONFIRMATION_LINK.name: getattr(event, confirmation.LINK_ATTRIBUTE, ""),
        }

    def context(self, event):
        return {
            **super().context(event),
            "confirmation_url": getattr(event, confirmation.LINK_ATTRIBUTE, ""),
            "days": confirmation.link_days(),
        }
