"""The e-mails about messages: kinds of the outbox, registered on import
(DossiersConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType, Sender
from dossiers.models import Event
from dossiers.outbox import kinds as email_kinds


def _message_event(event: Event, sender: str) -> bool:
    return event.type == EventType.MESSAGE and event.data.get("sender") == sender


@email_kinds.register
class MessageToApplicant(email_kinds.NotificationKind):
    kind_id = "message_to_applicant"
    is_letter = True
    label = gettext_lazy("New message from the municipality (to the applicant)")
    template = "message_to_applicant"

    def matches(self, event):
        return _message_event(event, Sender.MUNICIPALITY)


@email_kinds.register
class MessageToOfficers(email_kinds.NotificationKind):
    kind_id = "message_to_officers"
    label = gettext_lazy("New message from the applicant (to the officers)")
    audience = email_kinds.TO_OFFICERS
    template = "message_to_officers"

    def matches(self, event):
        return _message_event(event, Sender.APPLICANT)

    def recipients(self, event):
        return email_kinds.officer_recipients(event.dossier)

    def context(self, event):
        # Not the applicant's status link: officers work in the back office.
        return {
            "dossier": event.dossier,
            "event": event,
            "admin_url": email_kinds.dossier_admin_url(event.dossier),
        }
