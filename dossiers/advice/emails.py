"""The e-mails of advice: kinds of the outbox, registered on import
(DossiersConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.models import AdviceRequest, Event
from dossiers.outbox import kinds as email_kinds


def _request_of(event: Event) -> AdviceRequest | None:
    request_id = (event.data or {}).get("advice_request")
    return (
        AdviceRequest.objects.select_related("party")
        .filter(pk=request_id, dossier_id=event.dossier_id)
        .first()
    )


class _ToParty(email_kinds.NotificationKind):
    """An e-mail to the party asked for advice, with its secret link.

    The link's key is not stored (only its hash): the services put the link on the
    event object they hand to the outbox in the same transaction
    (``event.advice_link``); the e-mail is written then and kept in the outbox.
    """

    # Not the applicant: the site's language and the officers' placeholders.
    audience = email_kinds.TO_OFFICERS

    def recipients(self, event):
        advice_request = _request_of(event)
        address = advice_request.party.address if advice_request else ""
        return [address] if address and getattr(event, "advice_link", "") else []

    def context(self, event):
        advice_request = _request_of(event)
        return {
            "dossier": event.dossier,
            "event": event,
            "advice_request": advice_request,
            "party": advice_request.party if advice_request else None,
            "advice_url": getattr(event, "advice_link", ""),
        }


@email_kinds.register
class AdviceRequested(_ToParty):
    kind_id = "advice_requested"
    label = gettext_lazy("Advice asked (to the advice party)")
    template = "advice_requested"

    def matches(self, event):
        return event.type == EventType.ADVICE_REQUESTED


@email_kinds.register
class AdviceReminder(_ToParty):
    kind_id = "advice_reminder"
    label = gettext_lazy("Reminder of an advice request (to the advice party)")
    template = "advice_reminder"

    def matches(self, event):
        return event.type == EventType.ADVICE_REMINDER_SENT


@email_kinds.register
class AdviceGiven(email_kinds.NotificationKind):
    kind_id = "advice_given"
    label = gettext_lazy("Advice given (to the officers)")
    audience = email_kinds.TO_OFFICERS
    template = "advice_given"

    def matches(self, event):
        return event.type == EventType.ADVICE_GIVEN

    def recipients(self, event):
        return email_kinds.officer_recipients(event.dossier)

    def context(self, event):
        return {
            "dossier": event.dossier,
            "event": event,
            "admin_url": email_kinds.dossier_admin_url(event.dossier),
        }
