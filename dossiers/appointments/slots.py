"""Which times can be booked: opening hours in the desk's time zone, minus closing days,
public holidays, the booking window and full slots.

Slots are laid out on the wall clock (9.00, 9.30, ... in Europe/Brussels) and only then
turned into instants, so a desk opening at 9.00 does so on both sides of a change to or
from summer time. A wall-clock time that does not exist that day (the hour skipped on
the last Sunday of March) gives no slot; one that exists twice (the hour repeated on the
last Sunday of October) gives one slot, at its first occurrence. A slot's end is its
start plus the duration in real time.

Each public function is a fixed number of queries however many days it looks at: a
:class:`Planner` reads the desk's opening hours and closing days once, and the booked
seats of the whole period it is asked about in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from core.holidays import is_public_holiday
from dossiers.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    OfficerAbsence,
    OfficerAvailability,
)


@dataclass(frozen=True)
class Slot:
    """A time one can book; ``free`` seats are left of the type's capacity."""

    start: dt.datetime
    end: dt.datetime
    free: int
    #: For a type taken by named officers: who is free then (ids, in the order to try).
    officers: tuple[int, ...] = ()


def _exists(naive: dt.datetime, aware: dt.datetime) -> bool:
    """Whether the wall-clock time ``naive`` exists (is not skipped by summer time)."""
    return aware.astimezone(dt.UTC).astimezone(aware.tzinfo).replace(tzinfo=None) == naive


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


class Planner:
    """The free slots of one appointment type, for any days, in constant queries.

    ``ignore`` is an appointment whose own seat does not count as taken (the one being
    moved: its old time stays offered to it). ``officer`` limits a type with named
    officers to that one (an invitation from a dossier: a time with that officer).
    """

    def __init__(
        self,
        appointment_type: AppointmentType,
        now: dt.datetime | None = None,
        ignore: Appointment | None = None,
        officer=None,
    ):
        self.type = appointment_type
        self.desk = appointment_type.desk
        self.now = now or timezone.now()
        self.earliest, self.last_day = bookable_window(appointment_type, self.now)
        self.ignore_pk = ignore.pk if ignore is not None else None
        self._periods = None
        self._closed = None
        self._officer_ids = None
        self._only_officer = officer.pk if officer is not None else None
        #: Kept free after every appointment of an officer, before the next one.
        self._buffer = appointment_type.step - appointment_type.duration

    def _load_desk(self) -> None:
        if self._periods is None:
            self._periods = list(self.desk.opening_hours.all())
            self._closed = {closing.date for closing in self.desk.closing_days.all()}

    def closed(self, day: dt.date) -> bool:
        self._load_desk()
        if self.desk.closed_on_public_holidays and is_public_holiday(day):
            return True
        return day in self._closed

    def candidate_starts(self, day: dt.date) -> list[dt.datetime]:
        """Every start the opening hours of ``day`` allow, aware (UTC), before bookings
        and the booking window are taken into account."""
        if self.closed(day):
            return []
        zone = self.desk.zone
        starts = set()
        for period in self._periods:
            if period.weekday != day.weekday():
                continue
            closes = dt.datetime.combine(day, period.closes)
            wall = dt.datetime.combine(day, period.opens)
            while wall + self.type.duration <= closes:
                aware = wall.replace(tzinfo=zone, fold=0)
                if _exists(wall, aware):
                    starts.add(aware.astimezone(dt.UTC))
                wall += self.type.step
        return sorted(starts)

    # --- types taken by named officers ---------------------------------------------

    def officer_ids(self) -> list[int]:
        if self._officer_ids is None:
            chosen = self.type.officers.values_list("pk", flat=True)
            if self._only_officer is not None:
                chosen = chosen.filter(pk=self._only_officer)
            self._officer_ids = sorted(chosen)
            self._hours = {}
            self._absent = {}
            if self._officer_ids:
                for block in OfficerAvailability.objects.filter(officer_id__in=self._officer_ids):
                    self._hours.setdefault((block.officer_id, block.weekday), []).append(
                        (block.starts, block.ends)
                    )
                for absence in OfficerAbsence.objects.filter(
                    officer_id__in=self._officer_ids, last_day__gte=self.now.date()
                ):
                    self._absent.setdefault(absence.officer_id, []).append(
                        (absence.first_day, absence.last_day)
                    )
        return self._officer_ids

    def _busy(self, starts: list[dt.datetime]) -> dict[int, list[tuple]]:
        """The booked (start, end) of each officer around ``starts`` (one query)."""
        if not starts:
            return {}
        booked = Appointment.objects.filter(
            officer_id__in=self._officer_ids,
            status=AppointmentStatus.BOOKED,
            starts_at__lt=starts[-1] + self.type.step,
            ends_at__gt=starts[0] - self._buffer,
        )
        if self.ignore_pk is not None:
            booked = booked.exclude(pk=self.ignore_pk)
        busy = {}
        for officer_id, start, end in booked.values_list("officer_id", "starts_at", "ends_at"):
            busy.setdefault(officer_id, []).append((start, end))
        return busy

    def _free_officers(self, start: dt.datetime, busy: dict) -> tuple[int, ...]:
        zone = self.desk.zone
        local_start = start.astimezone(zone)
        local_end = (start + self.type.duration).astimezone(zone)
        day = local_start.date()
        free = []
        for officer_id in self._officer_ids:
            if not any(
                opens <= local_start.time() and local_end.time() <= closes
                for opens, closes in self._hours.get((officer_id, day.weekday()), ())
            ):
                continue
            if any(first <= day <= last for first, last in self._absent.get(officer_id, ())):
                continue
            end = start + self.type.step
            if any(
                b_start < end and start < b_end + self._buffer
                for b_start, b_end in busy.get(officer_id, ())
            ):
                continue
            free.append(officer_id)
        return tuple(free)

    def _taken(self, starts: list[dt.datetime]) -> Counter:
        """Booked seats per start among ``starts`` (one query)."""
        if not starts:
            return Counter()
        booked = Appointment.objects.filter(
            desk=self.desk,
            status=AppointmentStatus.BOOKED,
            starts_at__gte=starts[0],
            starts_at__lte=starts[-1],
        )
        if self.ignore_pk is not None:
            booked = booked.exclude(pk=self.ignore_pk)
        return Counter(booked.values_list("starts_at", flat=True))

    def slots(self, days: list[dt.date]) -> dict[dt.date, list[Slot]]:
        """The slots with a free seat of each of ``days`` inside the booking window."""
        per_day = {
            day: [s for s in self.candidate_starts(day) if s >= self.earliest]
            if day <= self.last_day
            else []
            for day in days
        }
        every = sorted(s for starts in per_day.values() for s in starts)
        if self.officer_ids():
            busy = self._busy(every)
            result = {}
            for day, starts in per_day.items():
                result[day] = []
                for start in starts:
                    officers = self._free_officers(start, busy)
                    if officers:
                        result[day].append(
                            Slot(start, start + self.type.duration, len(officers), officers)
                        )
            return result
        taken = self._taken(every)
        result = {}
        for day, starts in per_day.items():
            result[day] = [
                Slot(start, start + self.type.duration, self.type.capacity - taken[start])
                for start in starts
                if self.type.capacity - taken[start] > 0
            ]
        return result

    def slots_on(self, day: dt.date) -> list[Slot]:
        return self.slots([day])[day]

    def days_with_slots(self, limit: int = 15) -> list[dt.date]:
        """The first ``limit`` days with a free slot, in the booking window."""
        first = self.earliest.astimezone(self.desk.zone).date()
        days = [first + dt.timedelta(days=n) for n in range((self.last_day - first).days + 1)]
        free = self.slots(days)
        return [day for day in days if free[day]][:limit]

    def find_slot(self, start: dt.datetime) -> Slot | None:
        day = start.astimezone(self.desk.zone).date()
        return next((slot for slot in self.slots_on(day) if slot.start == start), None)


def slots_on(
    appointment_type: AppointmentType, day: dt.date, now: dt.datetime | None = None
) -> list[Slot]:
    """The slots of ``day`` with a free seat, inside the booking window."""
    return Planner(appointment_type, now).slots_on(day)


def days_with_slots(
    appointment_type: AppointmentType, now: dt.datetime | None = None, limit: int = 15
) -> list[dt.date]:
    """The first ``limit`` days with a free slot, in the booking window."""
    return Planner(appointment_type, now).days_with_slots(limit)


def find_slot(
    appointment_type: AppointmentType, start: dt.datetime, now: dt.datetime | None = None
) -> Slot | None:
    """The free slot that starts at ``start``, or None."""
    return Planner(appointment_type, now).find_slot(start)
