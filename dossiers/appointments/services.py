"""Use cases of appointments: book one, find it behind its link, cancel it.

Later (issue #19, not yet built): moving (a new start, ``sequence`` + 1, a new
``METHOD:REQUEST`` with the same UID), reminders (a task over tomorrow's booked
appointments), officers' agendas and invitations from a dossier build on these.
"""

from __future__ import annotations

import datetime as dt
import hmac

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.background import queue
from dossiers.exceptions import ActionRefused
from dossiers.models import Appointment, AppointmentStatus, AppointmentType

from . import slots, tasks


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
) -> Appointment:
    """Book ``start`` for this person, or raise :class:`SlotTaken` with a Dutch message.

    Side effects: one Appointment row holding a free seat of (desk, start); on commit the
    confirmation e-mail with its calendar file (``tasks.send_confirmation``).

    The database decides who gets the last seat: each free seat number is tried in its
    own savepoint, and the unique constraint ``unique_booked_seat`` refuses a seat that
    a parallel booking took in the meantime, so two people never hold the same seat.
    """
    slot = slots.find_slot(appointment_type, start, now)
    if slot is None:
        raise SlotTaken(_("This time is no longer free. Choose another time."))
    for seat in range(1, appointment_type.capacity + 1):
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    appointment_type=appointment_type,
                    desk=appointment_type.desk,
                    starts_at=slot.start,
                    ends_at=slot.end,
                    seat=seat,
                    name=name,
                    email=email,
                    phone=phone,
                    company=company,
                    question=question,
                    language=get_language() or "",
                )
        except IntegrityError:
            continue
        break
    else:
        raise SlotTaken(_("This time is no longer free. Choose another time."))
    transaction.on_commit(lambda: queue(tasks.send_confirmation, appointment.pk))
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
