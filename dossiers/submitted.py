"""The moment an application reaches its team (keep it small): its public "submitted"
event and the e-mails that causes. At submission (:func:`dossiers.services.submit_application`),
or once a fee paid when submitting is received (:mod:`dossiers.payments.prepayment`)."""

from __future__ import annotations

from dossiers.constants import EventType
from dossiers.models import Dossier, Event
from dossiers.outbox import notify
from dossiers.portal import confirmation
from forms_builder.lookups import register_differences


def announce_submission(dossier: Dossier) -> Event:
    """The public ``submitted`` event of a dossier that reaches its team, with the
    e-mails it causes (the confirmation, the team's notice, the address check). Runs in
    the caller's transaction: at submission, or once a fee paid first is received."""
    # What the applicant changed of the company register's details, as the register was
    # when they sent it (shown to officers in the dossier view).
    differences = register_differences(dossier.schema, dossier.answers)
    event = Event.objects.create(
        dossier=dossier,
        type=EventType.SUBMITTED,
        public=True,
        data={"register_differences": differences} if differences else {},
    )
    if dossier.applicant_email and dossier.email_verified_at is None:
        confirmation.ask_for_proof(event)
    notify.queue_for_event(event)
    return event
