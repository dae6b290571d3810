"""An officer invites the applicant of a dossier to book a time with them (issue #19).

The officer chooses a kind of appointment they take (they are one of its officers);
the applicant gets an e-mail with a secret link (only its hash is kept) that offers only
that officer's free times, books without typing their details again (the dossier has
them) and lands on the appointment's own page. The invitation and the booking are
events of the dossier, shown to the applicant on the status page.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import EventType
from dossiers.exceptions import ActionRefused
from dossiers.models import Appointment, AppointmentInvitation, AppointmentType, Dossier, Event
from dossiers.outbox import notify

from . import services, slots

#: How long an invitation's link works.
VALID_FOR = dt.timedelta(days=30)


def types_for(officer, dossier: Dossier | None = None) -> list[AppointmentType]:
    """The kinds of appointment ``officer`` takes (they are named on it), bookable now;
    with ``dossier``: only those at a desk of the dossier's municipality (a regional
    officer does not invite an applicant of A to a desk of B)."""
    kinds = AppointmentType.objects.filter(active=True, officers=officer)
    if dossier is not None:
        kinds = kinds.filter(desk__site_id=dossier.site_id)
    return list(kinds.select_related("desk").order_by("name"))


def invite(
    dossier: Dossier, officer, appointment_type: AppointmentType, message: str = ""
) -> AppointmentInvitation:
    """Invite the dossier's applicant; the e-mail goes through the outbox (on commit).

    Refused (Dutch) when the officer does not take this kind of appointment, its desk is
    of another municipality than the dossier, the dossier has no e-mail address or is
    closed."""
    if not appointment_type.active or not appointment_type.officers.filter(pk=officer.pk).exists():
        raise ActionRefused(_("Choose a kind of appointment that you take."))
    if appointment_type.desk.site_id != dossier.site_id:
        raise ActionRefused(_("This desk is of another municipality than the dossier."))
    if not dossier.applicant_email:
        raise ActionRefused(_("This dossier has no e-mail address to send the invitation to."))
    if not dossier.is_open:
        raise ActionRefused(_("This dossier is closed."))
    with transaction.atomic():
        invitation = AppointmentInvitation(
            dossier=dossier,
            officer=officer,
            appointment_type=appointment_type,
            message=message.strip(),
            expires_at=timezone.now() + VALID_FOR,
        )
        key = invitation.new_key()
        invitation.save()
        event = Event.objects.create(
            dossier=dossier,
            type=EventType.APPOINTMENT_INVITED,
            actor=officer,
            public=True,
            data={
                "invitation": invitation.pk,
                "appointment_type": appointment_type.name,
                "officer": officer.get_full_name() or officer.get_username(),
            },
        )
        # The key travels on the event object only, to the e-mail written now.
        event.invitation_link = invitation.get_path(key)
        notify.queue_for_event(event)
    return invitation


def find(public_id, key: str) -> tuple[AppointmentInvitation | None, str]:
    """(invitation, "") when the link works; else (None or the invitation, a Dutch
    reason). A used invitation comes back with no reason and its ``appointment``."""
    invitation = (
        AppointmentInvitation.objects.select_related(
            "dossier", "officer", "appointment_type__desk", "appointment"
        )
        .filter(public_id=public_id)
        .first()
    )
    if invitation is None or not invitation.key_matches(key):
        return None, _("This link is not right. Check that you copied the whole link.")
    if invitation.appointment is not None:
        return invitation, ""
    if invitation.is_expired:
        return None, _("This invitation has expired. Contact us for a new one.")
    if not invitation.dossier.is_open:
        return None, _("This dossier is closed. Contact us if you still want an appointment.")
    return invitation, ""


def planner(invitation: AppointmentInvitation) -> slots.Planner:
    """The free times of the inviting officer for the invitation's kind."""
    return slots.Planner(invitation.appointment_type, officer=invitation.officer)


def accept(
    invitation: AppointmentInvitation,
    start: dt.datetime,
    question: str = "",
    answers: list[dict] | None = None,
) -> Appointment:
    """Book ``start`` with the inviting officer for the dossier's applicant, or raise
    :class:`services.SlotTaken`; once only (a second booking is refused in Dutch)."""
    dossier = invitation.dossier
    with transaction.atomic():
        locked = AppointmentInvitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.appointment_id is not None:
            raise ActionRefused(_("You already made this appointment."))
        appointment = services.book_appointment(
            appointment_type=invitation.appointment_type,
            start=start,
            name=dossier.applicant_name or dossier.company_name or dossier.applicant_email,
            email=dossier.applicant_email,
            phone=dossier.applicant_phone,
            company=dossier.company_name,
            question=question,
            answers=answers,
            officer=invitation.officer,
            dossier=dossier,
        )
        locked.appointment = appointment
        locked.save(update_fields=["appointment"])
        Event.objects.create(
            dossier=dossier,
            type=EventType.APPOINTMENT_BOOKED,
            public=True,
            data={
                "appointment": appointment.pk,
                "appointment_type": invitation.appointment_type.name,
                "starts_at": appointment.starts_at.isoformat(),
            },
        )
    invitation.appointment = appointment
    return appointment
