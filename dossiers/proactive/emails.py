"""The e-mail of a proactive invitation: a kind of the dossier outbox, registered on
import (DossiersConfig.ready()). The rule's own text is the invitation; an editable
e-mail text of this kind can put a greeting or a footer around it with {uitnodiging}."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.outbox import kinds as email_kinds

INVITATION = email_kinds.Placeholder(
    "uitnodiging",
    gettext_lazy("the invitation's text, as the rule gives it"),
    "Uw terrasvergunning eindigt op 31-12-2026. Vraag tijdig een nieuwe aan.",
)
SUBJECT = email_kinds.Placeholder(
    "onderwerp", gettext_lazy("the invitation's subject"), "Uw terrasvergunning verlengen"
)
LINK = email_kinds.Placeholder(
    "link", gettext_lazy("the link to the proposed form"), "https://loket.voorbeeld.be/terras/"
)


@email_kinds.register
class ProactiveInvited(email_kinds.NotificationKind):
    """To the applicant: an invitation an officer approved (a renewal, a service)."""

    kind_id = "proactive_invitation"
    label = gettext_lazy("Proactive invitation (to the applicant)")
    template = "proactive_invitation"
    # A renewal reminder reaches the holder by the channel they chose (issue #22): on
    # paper or in the eBox too, like the letters with legal effect.
    is_letter = True
    extra_placeholders = (SUBJECT, INVITATION, LINK)

    def matches(self, event):
        return event.type == EventType.PROACTIVE_INVITATION and event.public

    def context(self, event):
        data = event.data or {}
        return {
            **super().context(event),
            "subject": data.get("subject", ""),
            "text": data.get("text", ""),
        }

    def placeholders(self, event):
        data = event.data or {}
        return {
            **super().placeholders(event),
            SUBJECT.name: data.get("subject", ""),
            INVITATION.name: data.get("text", ""),
            LINK.name: data.get("link", ""),
        }
