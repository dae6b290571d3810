"""The e-mails about information requests: kinds of the outbox, registered on import
(DossiersConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from dossiers.constants import EventType
from dossiers.information.services import requested_fields
from dossiers.models import Event, InformationRequest
from dossiers.outbox import kinds as email_kinds


def _request_of(event: Event) -> InformationRequest | None:
    request_id = (event.data or {}).get("information_request")
    if not request_id:
        return None
    return InformationRequest.objects.filter(pk=request_id, dossier_id=event.dossier_id).first()


def _request_context(kind: email_kinds.NotificationKind, event: Event) -> dict:
    context = email_kinds.NotificationKind.context(kind, event)
    information_request = _request_of(event)
    context["information_request"] = information_request
    context["fields"] = requested_fields(information_request) if information_request else []
    return context


#: ``{vraag}`` in the editable texts of the question and its reminder.
QUESTION = email_kinds.Placeholder(
    "vraag",
    gettext_lazy("the question of the municipality"),
    gettext_lazy("Send us a plan of the terrace with its measurements."),
)


def _question_of(event) -> str:
    information_request = _request_of(event)
    return information_request.question if information_request is not None else ""


@email_kinds.register
class InformationRequested(email_kinds.NotificationKind):
    """The question, the documents and answers asked for, and the status link."""

    kind_id = "information_requested"
    is_letter = True
    label = gettext_lazy("Question of the municipality (to the applicant)")
    template = "information_requested"
    extra_placeholders = (QUESTION,)

    def matches(self, event):
        return (
            event.type == EventType.STATUS_CHANGED
            and event.public
            and (event.data or {}).get("transition") in email_kinds.QUESTION_TRANSITIONS
        )

    def context(self, event):
        return _request_context(self, event)

    def placeholders(self, event):
        return {**super().placeholders(event), QUESTION.name: _question_of(event)}


@email_kinds.register
class InformationAnswered(email_kinds.NotificationKind):
    """To the officer handling the dossier (or the team): the applicant answered."""

    kind_id = "information_answered"
    label = gettext_lazy("Answer of the applicant (to the officers)")
    audience = email_kinds.TO_OFFICERS
    template = "information_answered"

    def matches(self, event):
        return event.type == EventType.INFORMATION_ANSWERED

    def recipients(self, event):
        return email_kinds.officer_recipients(event.dossier)

    def context(self, event):
        context = _request_context(self, event)
        context["dossier_admin_url"] = email_kinds.dossier_admin_url(event.dossier)
        return context


@email_kinds.register
class InformationReminder(email_kinds.NotificationKind):
    """The applicant has not answered the question yet: once, after the form's days."""

    kind_id = "information_reminder"
    is_letter = True
    label = gettext_lazy("Reminder of an unanswered question (to the applicant)")
    template = "information_reminder"
    extra_placeholders = (QUESTION,)

    def matches(self, event):
        return event.type == EventType.REMINDER_SENT

    def context(self, event):
        return _request_context(self, event)

    def placeholders(self, event):
        return {**super().placeholders(event), QUESTION.name: _question_of(event)}
