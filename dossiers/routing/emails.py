"""The e-mail that tells the applicant who handles the application now: a kind of the
outbox, registered on import (DossiersConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.outbox import kinds as email_kinds

#: ``{instantie}`` and ``{bericht}`` in the editable text.
AUTHORITY = email_kinds.Placeholder(
    "instantie",
    gettext_lazy("the authority that handles the application now"),
    gettext_lazy("the Agency for Roads and Traffic"),
)
MESSAGE = email_kinds.Placeholder(
    "bericht",
    gettext_lazy("why the application was forwarded"),
    gettext_lazy("Your terrace is on a regional road: the region decides on it."),
)


@email_kinds.register
class ApplicationForwarded(email_kinds.NotificationKind):
    """Who handles the application now, why, and the status link."""

    kind_id = "application_forwarded"
    label = gettext_lazy("Application forwarded (to the applicant)")
    template = "application_forwarded"
    extra_placeholders = (AUTHORITY, MESSAGE)

    def matches(self, event):
        return (
            event.type == EventType.STATUS_CHANGED
            and event.public
            and (event.data or {}).get("transition") == "forward"
        )

    def placeholders(self, event):
        data = event.data or {}
        return {
            **super().placeholders(event),
            "instantie": data.get("authority", ""),
            "bericht": data.get("message", ""),
        }
