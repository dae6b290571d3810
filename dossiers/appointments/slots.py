"""Which times can be booked: opening hours in the desk's time zone, minus closing days,
public holidays, the booking window and full slots.

Slots are laid out on the wall clock (9.00, 9.30, ... in Europe/Brussels) and only then
turned into instants, so a desk opening at 9.00 does so on both sides of a change to or
from summer time. A wall-clock time that does not exist that day (the hour skipped on
the last Sunday of March) gives no slot; one that exists twice (the hour repeated on the
last Sunday of October) gives one slot, at its first occurrence. A slot's end is its
start plus the duration in real time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from core.holidays import is_public_holiday
from dossiers.models import Appointment, AppointmentStatus, AppointmentType, Desk


@dataclass(frozen=True)
class Slot:
    """A time one can book; ``free`` seats are left of the type's capacity."""

    start: dt.datetime
    end: dt.datetime
    free: int


def _exists(naive: dt.datetime, aware: dt.datetime) -> bool:
    """Whether the wall-clock time ``naive`` exists (is not skipped by summer time)."""
    return aware.astimezone(dt.UTC).astimezone(aware.tzinfo).replace(tzinfo=None) == naive


def is_closed(desk: Desk, day: dt.date) -> bool:
    if desk.closed_on_public_holidays and is_public_holiday(day):
        return True
    return any(closing.date == day for closing in desk.closing_days.all())


def candidate_starts(appointment_type: AppointmentType, day: dt.date) -> list[dt.datetime]:
    """Every start the opening hours of ``day`` allow, aware, before bookings and the
    booking window are taken into account."""
    desk = appointment_type.desk
    if is_closed(desk, day):
        return []
    zone = desk.zone
    starts = []
    for period in desk.opening_hours.all():
        if period.weekday != day.weekday():
            continue
        closes = dt.datetime.combine(day, period.closes)
        wall = dt.datetime.combine(day, period.opens)
        while wall + appointment_type.duration <= closes:
            aware = wall.replace(tzinfo=zone, fold=0)
            if _exists(wall, aware):
                starts.append(aware.astimezone(dt.UTC))
            wall += appointment_type.step
    return sorted(set(starts))


def bookable_window(
    appointment_type: AppointmentType, now: dt.datetime | None = None
) -> tuple[dt.datetime, dt.date]:
    """(earliest start, last day) one may book now."""
    now = now or timezone.now()
    earliest = now + dt.timedelta(hours=appointment_type.min_notice_hours)
    last_day = (
        now.astimezone(appointment_type.desk.zone)
        + dt.timedelta(days=appointment_type.max_days_ahead)
    ).date()
    return earliest, last_day


def slots_on(
    appointment_type: AppointmentType, day: dt.date, now: dt.datetime | None = None
) -> list[Slot]:
    """The slots of ``day`` with a free seat, inside the booking window."""
    earliest, last_day = bookable_window(appointment_type, now)
    if day > last_day:
        return []
    starts = [start for start in candidate_starts(appointment_type, day) if start >= earliest]
    if not starts:
        return []
    taken = dict(
        Appointment.objects.filter(
            desk=appointment_type.desk,
            status=AppointmentStatus.BOOKED,
            starts_at__in=starts,
        )
        .values_list("starts_at")
        .annotate(n=Count("pk"))
    )
    slots = []
    for start in starts:
        free = appointment_type.capacity - taken.get(start, 0)
        if free > 0:
            slots.append(Slot(start, start + appointment_type.duration, free))
    return slots


def days_with_slots(
    appointment_type: AppointmentType, now: dt.datetime | None = None, limit: int = 15
) -> list[dt.date]:
    """The first ``limit`` days with a free slot, in the booking window."""
    now = now or timezone.now()
    earliest, last_day = bookable_window(appointment_type, now)
    day = earliest.astimezone(appointment_type.desk.zone).date()
    days = []
    while day <= last_day and len(days) < limit:
        if slots_on(appointment_type, day, now):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def find_slot(
    appointment_type: AppointmentType, start: dt.datetime, now: dt.datetime | None = None
) -> Slot | None:
    """The free slot that starts at ``start``, or None."""
    day = start.astimezone(appointment_type.desk.zone).date()
    return next(
        (slot for slot in slots_on(appointment_type, day, now) if slot.start == start), None
    )
