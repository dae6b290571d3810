"""Two people book the last free seat at the same moment: the database lets one win
(the unique constraint on desk, start and seat) and the other is told in Dutch."""

import threading

import pytest
from django.db import connection, connections
from django.utils import translation

from dossiers.appointments import services, slots
from dossiers.models import Appointment

from .builders import make_desk, make_type

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers; parallel inserts are a PostgreSQL concern",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_the_same_moment(*actions):
    barrier = threading.Barrier(len(actions))
    results, errors = [], []

    def run(action):
        try:
            barrier.wait(timeout=10)
            with translation.override("nl"):
                results.append(action())
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.parametrize("capacity", [1, 2])
def test_the_last_seat_goes_to_one_person(capacity):
    desk = make_desk(hours=((0, 0), (23, 30)), days=range(7), closed_on_public_holidays=False)
    appointment_type = make_type(desk, capacity=capacity, min_notice_hours=1)
    slot = slots.slots_on(appointment_type, slots.days_with_slots(appointment_type)[0])[0]

    def book(n):
        return lambda: services.book_appointment(
            appointment_type=appointment_type,
            start=slot.start,
            name=f"Persoon {n}",
            email=f"p{n}@example.be",
        )

    results, errors = at_the_same_moment(*(book(n) for n in range(capacity + 1)))

    assert len(results) == capacity
    assert len(errors) == 1 and isinstance(errors[0], services.SlotTaken)
    assert "niet meer vrij" in str(errors[0])
    booked = Appointment.objects.filter(starts_at=slot.start, status="booked")
    assert sorted(booked.values_list("seat", flat=True)) == list(range(1, capacity + 1))
    assert slots.find_slot(appointment_type, slot.start) is None


def test_one_officer_is_never_booked_twice_at_overlapping_times():
    """Two types of one officer, booked at the same moment at 9.00 (an hour) and 9.30
    (half an hour): the starts differ, so only the lock on the officer keeps them apart."""
    import datetime as dt

    from dossiers.models import OfficerAvailability
    from tests.dossiers.conftest import make_user

    officer = make_user("an")
    desk = make_desk(hours=((0, 0), (23, 30)), days=range(7), closed_on_public_holidays=False)
    for weekday in range(7):
        OfficerAvailability.objects.create(
            officer=officer, weekday=weekday, starts=dt.time(0, 0), ends=dt.time(23, 30)
        )
    hour = make_type(desk, slug="uur", duration_minutes=60, min_notice_hours=1)
    half = make_type(desk, slug="half", duration_minutes=30, min_notice_hours=1)
    hour.officers.set([officer])
    half.officers.set([officer])
    day = slots.days_with_slots(hour)[1]
    first = slots.slots_on(hour, day)[0].start

    def book(appointment_type, start, n):
        return lambda: services.book_appointment(
            appointment_type=appointment_type, start=start, name=f"P{n}", email=f"p{n}@x.be"
        )

    results, errors = at_the_same_moment(
        book(hour, first, 1), book(half, first + dt.timedelta(minutes=30), 2)
    )

    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], services.SlotTaken)
    assert Appointment.objects.filter(officer=officer, status="booked").count() == 1
