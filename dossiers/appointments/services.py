"""Use cases of appointments: book one, find it behind its link, move it, cancel it,
remind the applicant the day before, and mark it done or no-show afterwards.

Every change the applicant's calendar must follow raises ``sequence`` and sends the
calendar file again with the same UID: a move as ``METHOD:REQUEST`` (calendars replace
the event), a cancellation as ``METHOD:CANCEL`` (calendars remove it).
"""

from __future__ import annotations

import datetime as dt
import hmac

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.background import queue
from dossiers import permissions
from dossiers.exceptions import ActionRefused
from dossiers.models import Appointment, AppointmentStatus, AppointmentType
from dossiers.services import add_note

from . import slots, tasks

__all__ = [
    "ActionRefused",
    "SlotTaken",
    "book_appointment",
    "cancel_appointment",
    "get_appointment_by_link",
    "mark_outcome",
    "move_appointment",
    "queue_reminders",
]


class SlotTaken(ActionRefused):
    """The chosen time is no longer free (someone else was quicker)."""


def book_appointment(
    *,
    appointment_type: AppointmentType,
    start: dt.datetime,
    name: str,
    email: str,
    phone: str = "",
    company: str = "",
    question: str = "",
    now: dt.datetime | None = None,
    officer=None,
    dossier=None,
    answers: list[dict] | None = None,
) -> Appointment:
    """Book ``start`` for this person, or raise :class:`SlotTaken` with a Dutch message.

    ``officer`` limits the booking to that officer of the type (an invitation from a
    dossier); ``dossier`` is the dossier the appointment is about.

    Side effects: one Appointment row holding a free seat of (desk, start), or a free
    officer when the type names officers; on commit the confirmation e-mail with its
    calendar file (``tasks.send_confirmation``). See :func:`_place` for how two people
    never get the same seat or officer.
    """
    slot = slots.Planner(appointment_type, now, officer=officer).find_slot(start)
    appointment = Appointment(
        appointment_type=appointment_type,
        desk=appointment_type.desk,
        dossier=dossier,
        answers=answers or [],
        name=name,
        email=email,
        phone=phone,
        company=company,
        question=question,
        language=get_language() or "",
    )
    if slot is None or not _place(appointment, slot):
        raise SlotTaken(_("This time is no longer free. Choose another time."))
    transaction.on_commit(lambda: queue(tasks.send_confirmation, appointment.pk))
    return appointment


def _officer_busy(appointment: Appointment, officer_id: int, slot: slots.Slot) -> bool:
    """Whether the officer has another booked appointment overlapping ``slot`` (with
    the type's buffer on both sides)."""
    buffer = appointment.appointment_type.step - appointment.appointment_type.duration
    return (
        Appointment.objects.filter(
            officer_id=officer_id,
            status=AppointmentStatus.BOOKED,
            starts_at__lt=slot.end + buffer,
            ends_at__gt=slot.start - buffer,
        )
        .exclude(pk=appointment.pk)
        .exists()
    )


def _place(appointment: Appointment, slot: slots.Slot, prefer_officer: int | None = None) -> bool:
    """Save ``appointment`` (new or moved) at ``slot``: on a free seat of the desk, or
    with a free officer of the slot. False when none is left.

    Each option is tried in its own savepoint. Seats: the unique constraint
    ``unique_booked_seat`` refuses a seat that a parallel booking took in the meantime.
    Officers: the officer's user row is locked (``SELECT ... FOR UPDATE``) while the
    overlap check runs and the row is written, so two bookings for one officer are
    serialised even at different starts; ``unique_booked_officer_start`` backs it up.
    """
    user_model = get_user_model()
    if slot.officers:
        officers = sorted(slot.officers, key=lambda pk: pk != prefer_officer)
        options = [(1, officer_id) for officer_id in officers]
    else:
        options = [(seat, None) for seat in range(1, appointment.appointment_type.capacity + 1)]
    for seat, officer_id in options:
        try:
            with transaction.atomic():
                if officer_id is not None:
                    list(user_model.objects.select_for_update().filter(pk=officer_id))
                    if _officer_busy(appointment, officer_id, slot):
                        continue
                fields = {
                    "starts_at": slot.start,
                    "ends_at": slot.end,
                    "seat": seat,
                    "officer_id": officer_id,
                }
                if appointment.pk is None:
                    for name, value in fields.items():
                        setattr(appointment, name, value)
                    appointment.save()
                else:
                    Appointment.objects.filter(pk=appointment.pk).update(**fields)
        except IntegrityError:
            continue
        return True
    return False


def move_appointment(
    appointment: Appointment, start: dt.datetime, now: dt.datetime | None = None
) -> Appointment:
    """Move a booked appointment to ``start``, or raise :class:`SlotTaken` (Dutch).

    Its old seat is free again at once; the same UID with a higher SEQUENCE goes out as
    ``METHOD:REQUEST`` (``tasks.send_moved``, on commit), so calendars replace the event.
    A reminder already sent is sent again for the new day.
    """
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("appointment_type", "desk")
            .get(pk=appointment.pk)
        )
        if not locked.can_change:
            raise ActionRefused(_("This appointment can no longer be moved."))
        if locked.starts_at == start:
            return locked
        planner = slots.Planner(locked.appointment_type, now, ignore=locked)
        slot = planner.find_slot(start)
        if slot is None or not _place(locked, slot, prefer_officer=locked.officer_id):
            raise SlotTaken(_("This time is no longer free. Choose another time."))
        Appointment.objects.filter(pk=locked.pk).update(
            sequence=locked.sequence + 1,
            times_moved=locked.times_moved + 1,
            reminder_sent_at=None,
        )
        transaction.on_commit(lambda: queue(tasks.send_moved, locked.pk))
    appointment.refresh_from_db()
    return appointment


def reminder_hours() -> int:
    """Hours before the start the reminder goes out (``LOKET_APPOINTMENT_REMINDER_HOURS``;
    0 turns reminders off)."""
    return int(getattr(settings, "LOKET_APPOINTMENT_REMINDER_HOURS", 24))


@shared_task(name="dossiers.appointments.queue_reminders")
def queue_reminders_task() -> int:
    """Periodic (beat): queue the reminders that are due."""
    return queue_reminders()


def queue_reminders(now: dt.datetime | None = None) -> int:
    """Queue the reminder of every booked appointment that starts within the reminder
    time and has none yet. Appointments booked inside that time get none (their
    confirmation just arrived). Each is claimed with a conditional update, so two runs at
    once never remind twice. Returns how many were queued."""
    hours = reminder_hours()
    if hours <= 0:
        return 0
    now = now or timezone.now()
    window = dt.timedelta(hours=hours)
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminder_sent_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + window,
    ).values_list("pk", "starts_at", "created_at")
    queued = 0
    for pk, starts_at, created_at in list(due):
        if starts_at - created_at <= window:
            continue
        claimed = Appointment.objects.filter(
            pk=pk, status=AppointmentStatus.BOOKED, reminder_sent_at__isnull=True
        ).update(reminder_sent_at=now)
        if claimed:
            transaction.on_commit(lambda pk=pk: queue(tasks.send_reminder, pk))
            queued += 1
    return queued


def mark_outcome(appointment: Appointment, *, status: str, user, note: str = "") -> Appointment:
    """An officer marks a begun appointment as done or no-show, with an optional note.

    Refused (Dutch) before it began or when it was cancelled; marking again corrects
    the earlier mark. When the appointment is about a dossier the officer may see, the
    mark and the note also go on the dossier's timeline as an internal note."""
    if status not in (AppointmentStatus.DONE, AppointmentStatus.NO_SHOW):
        raise ActionRefused(_("Choose whether the appointment took place."))
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("appointment_type", "desk", "dossier")
            .get(pk=appointment.pk)
        )
        if locked.status == AppointmentStatus.CANCELLED:
            raise ActionRefused(_("This appointment was cancelled."))
        if locked.starts_at > timezone.now():
            raise ActionRefused(_("This appointment has not started yet."))
        locked.status = status
        locked.officer_note = note.strip()
        locked.handled_by = user
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "officer_note", "handled_by", "handled_at"])
        if locked.dossier_id is not None and permissions.can_view(user, locked.dossier):
            text = _("Appointment %(kind)s on %(day)s: %(status)s.") % {
                "kind": locked.appointment_type.name,
                "day": formats.date_format(locked.local_start(), "j F Y, H:i"),
                "status": locked.get_status_display().lower(),
            }
            add_note(locked.dossier, f"{text} {locked.officer_note}".strip(), author=user)
    appointment.refresh_from_db()
    return appointment


def get_appointment_by_link(public_id, key: str) -> Appointment | None:
    """The appointment behind a secret link, or None. The key is compared in constant
    time (as bytes: the URL may carry any character)."""
    appointment = (
        Appointment.objects.select_related("appointment_type", "desk")
        .filter(public_id=public_id)
        .first()
    )
    if appointment is None or not hmac.compare_digest(
        appointment.access_key.encode(), str(key).encode()
    ):
        return None
    return appointment


def cancel_appointment(appointment: Appointment) -> bool:
    """Cancel a booked appointment: its seat is free again and the calendar gets a
    ``METHOD:CANCEL`` with the same UID and a higher SEQUENCE (``tasks.send_cancellation``,
    on commit). Returns False, and changes nothing, when it was cancelled already."""
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            return False
        locked.status = AppointmentStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save(update_fields=["status", "cancelled_at", "sequence"])
        transaction.on_commit(lambda: queue(tasks.send_cancellation, locked.pk))
    appointment.refresh_from_db()
    return True
