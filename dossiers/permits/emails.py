"""The e-mail that tells the applicant their permit was withdrawn: a kind of the dossier
outbox, registered on import (DossiersConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.outbox import kinds as email_kinds

REASON = email_kinds.Placeholder(
    "reden", gettext_lazy("why the permit was withdrawn"), "Het terras werd niet vrijgemaakt."
)


@email_kinds.register
class PermitWithdrawn(email_kinds.NotificationKind):
    """Your permit is withdrawn, why, and the status link (where the check page says so
    too)."""

    kind_id = "permit_withdrawn"
    is_letter = True
    label = gettext_lazy("Permit withdrawn (to the applicant)")
    template = "permit_withdrawn"
    extra_placeholders = (REASON,)

    def matches(self, event):
        return event.type == EventType.PERMIT_WITHDRAWN and event.public

    def context(self, event):
        return {**super().context(event), "reason": (event.data or {}).get("reason", "")}

    def placeholders(self, event):
        return {**super().placeholders(event), REASON.name: (event.data or {}).get("reason", "")}
