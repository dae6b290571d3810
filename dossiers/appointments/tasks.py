"""E-mails of appointments, with their calendar file. Imported by DossiersConfig.ready().

These mails are about an appointment, not a dossier, so they go through
``core.background.send_templated_mail`` rather than the dossier outbox.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.background import send_templated_mail
from dossiers.models import Appointment, AppointmentStatus

from . import calendar

TEMPLATES = "dossiers/appointments/emails/"


def _context(appointment: Appointment) -> dict:
    base = settings.LOKET_BASE_URL.rstrip("/")
    return {
        "appointment": appointment,
        "start": appointment.local_start(),
        "end": appointment.local_end(),
        "manage_url": base + appointment.get_manage_url(),
        "cancel_url": base + appointment.get_cancel_url(),
        "move_url": base + appointment.get_move_url(),
    }


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_confirmation(self, appointment_id: int) -> bool:
    """E-mail the booking with its calendar file (``METHOD:REQUEST``).

    Sends nothing when the appointment is gone or already cancelled. Running it twice
    sends the same file twice; calendars keep one event (same UID and SEQUENCE).
    Retries with backoff when the mail server fails.
    """
    appointment = (
        Appointment.objects.select_related("appointment_type", "desk")
        .filter(pk=appointment_id, status=AppointmentStatus.BOOKED)
        .first()
    )
    if appointment is None:
        return False
    return send_templated_mail(
        self,
        TEMPLATES + "confirmation",
        _context(appointment),
        appointment.email,
        appointment.language,
        attachments=[calendar.calendar_part(appointment, calendar.REQUEST)],
    )


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_cancellation(self, appointment_id: int) -> bool:
    """E-mail the cancellation with ``METHOD:CANCEL`` (same UID, higher SEQUENCE).

    Sends nothing unless the appointment is cancelled. Running it twice sends the same
    cancellation twice, which calendars ignore. Retries with backoff.
    """
    appointment = (
        Appointment.objects.select_related("appointment_type", "desk")
        .filter(pk=appointment_id, status=AppointmentStatus.CANCELLED)
        .first()
    )
    if appointment is None:
        return False
    return send_templated_mail(
        self,
        TEMPLATES + "cancellation",
        _context(appointment),
        appointment.email,
        appointment.language,
        attachments=[calendar.calendar_part(appointment, calendar.CANCEL)],
    )


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_moved(self, appointment_id: int) -> bool:
    """E-mail the new time with ``METHOD:REQUEST`` (same UID, higher SEQUENCE), so the
    applicant's calendar moves the event. Sends nothing unless it is still booked."""
    appointment = (
        Appointment.objects.select_related("appointment_type", "desk")
        .filter(pk=appointment_id, status=AppointmentStatus.BOOKED)
        .first()
    )
    if appointment is None:
        return False
    return send_templated_mail(
        self,
        TEMPLATES + "moved",
        _context(appointment),
        appointment.email,
        appointment.language,
        attachments=[calendar.calendar_part(appointment, calendar.REQUEST)],
    )


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_reminder(self, appointment_id: int) -> bool:
    """E-mail the reminder. Sends nothing when the appointment was cancelled (or moved
    out of the reminder time: its reminder was reset) since it was queued."""
    appointment = (
        Appointment.objects.select_related("appointment_type", "desk")
        .filter(
            pk=appointment_id,
            status=AppointmentStatus.BOOKED,
            reminder_sent_at__isnull=False,
        )
        .first()
    )
    if appointment is None:
        return False
    return send_templated_mail(
        self, TEMPLATES + "reminder", _context(appointment), appointment.email, appointment.language
    )
