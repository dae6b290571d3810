"""Appointment types taken by named officers: only their hours, not on their absences,
never two appointments of one officer at once (across types and starts), and the
booking goes to a free officer; moving keeps the officer when they are free."""

import datetime as dt

import pytest

from dossiers.appointments import services, slots
from dossiers.models import OfficerAbsence, OfficerAvailability
from tests.dossiers.conftest import make_user

from .builders import make_desk, make_type, utc

pytestmark = pytest.mark.django_db

NOW = utc(2027, 1, 4, 6, 0)  # Monday 4 January 2027, 7.00 in Brussels
MONDAY = dt.date(2027, 1, 4)
TUESDAY = dt.date(2027, 1, 5)


@pytest.fixture
def desk(db):
    # Open 9.00–12.00 on weekdays.
    return make_desk(hours=((9, 0), (12, 0)))


@pytest.fixture
def an(db):
    return make_user("an")


@pytest.fixture
def bo(db):
    return make_user("bo")


def hours(officer, weekday, starts, ends):
    OfficerAvailability.objects.create(
        officer=officer, weekday=weekday, starts=dt.time(*starts), ends=dt.time(*ends)
    )


def with_officers(desk, *officers, **kwargs):
    kwargs.setdefault("duration_minutes", 60)
    appointment_type = make_type(desk, **kwargs)
    appointment_type.officers.set(officers)
    return appointment_type


def local_times(appointment_type, day, now=NOW):
    zone = appointment_type.desk.zone
    return [
        (slot.start.astimezone(zone).strftime("%H:%M"), slot.free)
        for slot in slots.slots_on(appointment_type, day, now)
    ]


def test_only_the_officers_hours_inside_the_desks_hours(desk, an, bo):
    hours(an, 0, (9, 0), (11, 0))  # Monday 9–11
    hours(bo, 0, (10, 0), (14, 0))  # Monday 10–14 (the desk closes at 12)
    appointment_type = with_officers(desk, an, bo)

    assert local_times(appointment_type, MONDAY) == [("09:00", 1), ("10:00", 2), ("11:00", 1)]
    assert local_times(appointment_type, TUESDAY) == []  # nobody works on Tuesday


def test_an_absent_officer_takes_no_appointments(desk, an, bo):
    hours(an, 0, (9, 0), (12, 0))
    hours(bo, 0, (9, 0), (12, 0))
    OfficerAbsence.objects.create(officer=an, first_day=MONDAY, last_day=MONDAY)
    appointment_type = with_officers(desk, an, bo)

    assert local_times(appointment_type, MONDAY) == [("09:00", 1), ("10:00", 1), ("11:00", 1)]
    OfficerAbsence.objects.create(officer=bo, first_day=dt.date(2027, 1, 1), last_day=MONDAY)
    assert local_times(appointment_type, MONDAY) == []


def test_the_booking_goes_to_a_free_officer_and_blocks_them_for_other_types(desk, an):
    hours(an, 0, (9, 0), (12, 0))
    long = with_officers(desk, an)
    short = with_officers(desk, an, slug="kort", duration_minutes=30)
    nine = utc(2027, 1, 4, 8, 0)

    appointment = services.book_appointment(
        appointment_type=long, start=nine, name="X", email="x@example.be", now=NOW
    )

    assert appointment.officer == an
    # 9.00–10.00 is taken for an, whichever type: the half-hour type starts at 10.00.
    assert local_times(short, MONDAY)[0] == ("10:00", 1)
    with pytest.raises(services.SlotTaken):
        services.book_appointment(
            appointment_type=short,
            start=utc(2027, 1, 4, 8, 30),
            name="Y",
            email="y@example.be",
            now=NOW,
        )


def test_two_officers_take_two_people_at_the_same_time(desk, an, bo):
    hours(an, 0, (9, 0), (12, 0))
    hours(bo, 0, (9, 0), (12, 0))
    appointment_type = with_officers(desk, an, bo)
    nine = utc(2027, 1, 4, 8, 0)

    first = services.book_appointment(
        appointment_type=appointment_type, start=nine, name="X", email="x@example.be", now=NOW
    )
    second = services.book_appointment(
        appointment_type=appointment_type, start=nine, name="Y", email="y@example.be", now=NOW
    )

    assert {first.officer, second.officer} == {an, bo}
    with pytest.raises(services.SlotTaken):
        services.book_appointment(
            appointment_type=appointment_type, start=nine, name="Z", email="z@example.be", now=NOW
        )


def test_the_buffer_keeps_the_officer_free_after_an_appointment(desk, an):
    hours(an, 0, (9, 0), (12, 0))
    appointment_type = with_officers(desk, an, duration_minutes=45, buffer_minutes=15)
    other = with_officers(desk, an, slug="ander", duration_minutes=30, buffer_minutes=15)
    services.book_appointment(
        appointment_type=appointment_type,
        start=utc(2027, 1, 4, 8, 0),
        name="X",
        email="x@example.be",
        now=NOW,
    )

    # 9.00–9.45 + 15 minutes: the 30-minute type (laid out every 45 minutes) can start
    # at 10.30 at the earliest, not at 9.45.
    assert [t for t, _free in local_times(other, MONDAY)] == ["10:30", "11:15"]


def test_moving_keeps_the_officer_when_free(desk, an, bo):
    hours(an, 0, (9, 0), (12, 0))
    hours(bo, 0, (9, 0), (12, 0))
    appointment_type = with_officers(desk, an, bo)
    appointment = services.book_appointment(
        appointment_type=appointment_type,
        start=utc(2027, 1, 4, 9, 0),
        name="X",
        email="x@example.be",
        now=NOW,
    )
    officer = appointment.officer

    services.move_appointment(appointment, utc(2027, 1, 4, 10, 0), now=NOW)

    appointment.refresh_from_db()
    assert appointment.officer == officer
    assert appointment.starts_at == utc(2027, 1, 4, 10, 0)
