"""Slot generation: wall-clock opening hours in Europe/Brussels on both sides of the
changes to and from summer time, public holidays, closing days, the booking window and
capacity."""

import datetime as dt

import pytest

from core.holidays import belgian_public_holidays, easter_sunday
from dossiers.appointments.slots import days_with_slots, slots_on
from dossiers.models import Appointment, ClosingDay

from .builders import make_desk, make_type, utc

pytestmark = pytest.mark.django_db

#: Long before the days below, so the booking window allows them all.
NOW = utc(2027, 1, 4, 8, 0)


def starts(appointment_type, day, now=NOW):
    return [slot.start for slot in slots_on(appointment_type, day, now)]


def test_nine_oclock_stays_nine_oclock_across_the_change_to_summer_time():
    # Summer time starts on Sunday 28 March 2027 (the last Sunday of March).
    appointment_type = make_type(make_desk())

    friday_before = starts(appointment_type, dt.date(2027, 3, 26))
    tuesday_after = starts(appointment_type, dt.date(2027, 3, 30))

    assert friday_before == [utc(2027, 3, 26, 8, 0), utc(2027, 3, 26, 8, 30)]  # UTC+1
    assert tuesday_after == [utc(2027, 3, 30, 7, 0), utc(2027, 3, 30, 7, 30)]  # UTC+2


def test_nine_oclock_stays_nine_oclock_across_the_change_to_winter_time():
    # Winter time starts on Sunday 31 October 2027 (the last Sunday of October).
    appointment_type = make_type(make_desk())

    assert starts(appointment_type, dt.date(2027, 10, 29)) == [
        utc(2027, 10, 29, 7, 0),
        utc(2027, 10, 29, 7, 30),
    ]
    assert starts(appointment_type, dt.date(2027, 11, 2)) == [
        utc(2027, 11, 2, 8, 0),
        utc(2027, 11, 2, 8, 30),
    ]


def test_the_skipped_hour_in_march_has_no_slot():
    sunday = make_type(make_desk(hours=((1, 0), (4, 0)), days=[6]), duration_minutes=60)

    slots = slots_on(sunday, dt.date(2027, 3, 28), NOW)

    # 1.00 (UTC+1), no 2.00 (it does not exist that night), 3.00 (UTC+2).
    assert [slot.start for slot in slots] == [utc(2027, 3, 28, 0, 0), utc(2027, 3, 28, 1, 0)]
    assert all(slot.end - slot.start == dt.timedelta(hours=1) for slot in slots)


def test_the_repeated_hour_in_october_gives_one_slot():
    sunday = make_type(make_desk(hours=((1, 0), (4, 0)), days=[6]), duration_minutes=60)

    # 1.00 (UTC+2), 2.00 once (its first occurrence, UTC+2), 3.00 (UTC+1).
    assert starts(sunday, dt.date(2027, 10, 31)) == [
        utc(2027, 10, 30, 23, 0),
        utc(2027, 10, 31, 0, 0),
        utc(2027, 10, 31, 2, 0),
    ]


def test_duration_and_buffer_lay_out_the_day():
    appointment_type = make_type(
        make_desk(hours=((9, 0), (11, 0))), duration_minutes=45, buffer_minutes=15
    )

    assert starts(appointment_type, dt.date(2027, 3, 26)) == [
        utc(2027, 3, 26, 8, 0),
        utc(2027, 3, 26, 9, 0),
    ]


def test_the_belgian_public_holidays():
    assert [easter_sunday(year) for year in (2024, 2025, 2026, 2027)] == [
        dt.date(2024, 3, 31),
        dt.date(2025, 4, 20),
        dt.date(2026, 4, 5),
        dt.date(2027, 3, 28),
    ]
    assert belgian_public_holidays(2026) == {
        dt.date(2026, 1, 1),
        dt.date(2026, 4, 6),  # Easter Monday
        dt.date(2026, 5, 1),
        dt.date(2026, 5, 14),  # Ascension
        dt.date(2026, 5, 25),  # Whit Monday
        dt.date(2026, 7, 21),
        dt.date(2026, 8, 15),
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 11),
        dt.date(2026, 12, 25),
    }


def test_a_public_holiday_has_no_slots_unless_the_desk_opens_then():
    easter_monday = dt.date(2027, 3, 29)
    closed = make_type(make_desk())
    open_anyway = make_type(make_desk(closed_on_public_holidays=False), slug="open")

    assert starts(closed, easter_monday) == []
    assert len(starts(open_anyway, easter_monday)) == 2


def test_a_closing_day_has_no_slots():
    appointment_type = make_type(make_desk())
    ClosingDay.objects.create(desk=appointment_type.desk, date=dt.date(2027, 3, 26))

    assert starts(appointment_type, dt.date(2027, 3, 26)) == []
    assert len(starts(appointment_type, dt.date(2027, 3, 25))) == 2


def test_the_booking_window():
    appointment_type = make_type(make_desk(), min_notice_hours=24, max_days_ahead=10)
    now = utc(2027, 3, 25, 8, 15)  # Thursday 9.15

    # Not within 24 hours: Friday 9.00 is too soon, Friday 9.30 is just in time.
    assert starts(appointment_type, dt.date(2027, 3, 26), now) == [utc(2027, 3, 26, 8, 30)]
    assert starts(appointment_type, dt.date(2027, 4, 5), now) == []  # 11 days ahead
    days = days_with_slots(appointment_type, now)
    assert days[0] == dt.date(2027, 3, 26)
    assert dt.date(2027, 3, 29) not in days  # Easter Monday
    assert days[-1] <= dt.date(2027, 4, 4)


def test_a_full_slot_is_not_offered_and_capacity_counts_seats():
    appointment_type = make_type(make_desk(), capacity=2)
    start = utc(2027, 3, 26, 8, 0)

    def book(seat, status="booked"):
        Appointment.objects.create(
            appointment_type=appointment_type,
            desk=appointment_type.desk,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            seat=seat,
            status=status,
            name="A",
            email="a@example.be",
        )

    book(1)
    assert slots_on(appointment_type, dt.date(2027, 3, 26), NOW)[0].free == 1
    book(2, status="cancelled")
    assert slots_on(appointment_type, dt.date(2027, 3, 26), NOW)[0].free == 1
    book(2)
    assert starts(appointment_type, dt.date(2027, 3, 26)) == [utc(2027, 3, 26, 8, 30)]


def test_opening_hours_that_close_before_they_open_are_refused_in_dutch():
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from dossiers.models import OpeningPeriod

    period = OpeningPeriod(
        desk=make_desk(days=[]), weekday=0, opens=dt.time(12, 0), closes=dt.time(9, 0)
    )
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        period.full_clean()
    assert "Het loket moet sluiten na het openen." in str(refused.value)


def test_the_day_choice_costs_the_same_queries_for_two_weeks_as_for_two_months(
    django_assert_max_num_queries,
):
    """Opening hours, closing days, the type's officers (none here) and the bookings
    are read once, not once per day."""
    short = make_type(make_desk(), max_days_ahead=14)
    long = make_type(make_desk(name="Tweede loket"), slug="lang", max_days_ahead=60)
    ClosingDay.objects.create(desk=long.desk, date=dt.date(2027, 1, 20))
    start = utc(2027, 1, 5, 8, 0)
    Appointment.objects.create(
        appointment_type=long,
        desk=long.desk,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=30),
        name="A",
        email="a@example.be",
    )

    with django_assert_max_num_queries(4):
        assert days_with_slots(short, NOW, limit=100)
    with django_assert_max_num_queries(4):
        days = days_with_slots(long, NOW, limit=100)
    assert dt.date(2027, 1, 20) not in days
    assert len(days) > 30
