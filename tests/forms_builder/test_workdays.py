"""Working days: weekends, Belgian public holidays and the municipality's closing days."""

import datetime

import pytest

from core.holidays import belgian_public_holidays, easter_sunday
from forms_builder.models import ClosingDays
from forms_builder.workdays import (
    add_working_days,
    closing_days,
    is_working_day,
    working_days_between,
)

D = datetime.date


@pytest.mark.parametrize(
    "year, easter",
    [
        (2024, D(2024, 3, 31)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 5)),
        (2038, D(2038, 4, 25)),
        (2285, D(2285, 3, 22)),
    ],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_ten_belgian_public_holidays_of_2026():
    assert sorted(belgian_public_holidays(2026)) == [
        D(2026, 1, 1),
        D(2026, 4, 6),  # Easter Monday
        D(2026, 5, 1),
        D(2026, 5, 14),  # Ascension
        D(2026, 5, 25),  # Whit Monday
        D(2026, 7, 21),
        D(2026, 8, 15),
        D(2026, 11, 1),
        D(2026, 11, 11),
        D(2026, 12, 25),
    ]


def test_a_weekend_and_easter_monday_are_skipped():
    # Friday 3 April 2026 + 1 working day: not Saturday, Sunday or Easter Monday.
    assert add_working_days(D(2026, 4, 3), 1) == D(2026, 4, 7)
    assert working_days_between(D(2026, 4, 3), D(2026, 4, 7)) == 1
    assert not is_working_day(D(2026, 4, 4))
    assert not is_working_day(D(2026, 4, 6))


def test_21_july_and_11_november_are_skipped():
    # Monday 20 July 2026 + 1 working day: Tuesday 21 July is the national holiday.
    assert add_working_days(D(2026, 7, 20), 1) == D(2026, 7, 22)
    # Tuesday 10 November 2026 + 1: Wednesday 11 November is Armistice Day.
    assert add_working_days(D(2026, 11, 10), 1) == D(2026, 11, 12)


def test_counting_backwards_and_zero():
    assert add_working_days(D(2026, 4, 7), -1) == D(2026, 4, 3)
    assert add_working_days(D(2026, 4, 4), 0) == D(2026, 4, 4)
    assert working_days_between(D(2026, 4, 7), D(2026, 4, 3)) == -1
    assert working_days_between(D(2026, 4, 3), D(2026, 4, 3)) == 0


def test_too_many_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2026, 1, 1), 10_001)


def test_closing_days_are_skipped():
    closed = {D(2026, 12, 24), D(2026, 12, 28)}
    # Wednesday 23 December + 2: not the 24th (closed), 25th (Christmas), the weekend
    # or the 28th (closed).
    assert add_working_days(D(2026, 12, 23), 2, closed) == D(2026, 12, 30)


@pytest.mark.django_db
def test_the_municipality_sets_its_closing_days_in_the_settings():
    setting = ClosingDays.load()
    setting.days = "2026-12-24 Kerstavond\n28/12/2026\n\n"
    setting.full_clean()
    setting.save()
    assert closing_days() == {D(2026, 12, 24), D(2026, 12, 28)}


@pytest.mark.django_db
def test_a_closing_day_that_is_not_a_date_is_refused_with_the_line():
    setting = ClosingDays.load()
    setting.days = "2026-12-24\n31 februari"
    with pytest.raises(Exception, match="31 februari"):
        setting.full_clean()
