"""The e-mail about a withdrawn application: a kind of the outbox, registered on import
(DossiersConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType, Status
from dossiers.outbox import kinds as email_kinds


@email_kinds.register
class ApplicationWithdrawn(email_kinds.NotificationKind):
    kind_id = "application_withdrawn"
    label = gettext_lazy("Application withdrawn (to the officers)")
    audience = email_kinds.TO_OFFICERS
    template = "withdrawn_to_officers"

    def matches(self, event):
        return event.type == EventType.STATUS_CHANGED and event.to_status == Status.WITHDRAWN

    def recipients(self, event):
        return email_kinds.officer_recipients(event.dossier)

    def context(self, event):
        return {
            "dossier": event.dossier,
            "event": event,
            "reason": event.data.get("reason", ""),
            "admin_url": email_kinds.dossier_admin_url(event.dossier),
        }
