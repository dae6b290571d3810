"""Working days: not a Saturday, Sunday, Belgian public holiday or closing day.

Belgium has ten legal public holidays (law of 4 January 1974): New Year, Easter
Monday, Labour Day, Ascension, Whit Monday, 21 July, 15 August, 1 November,
11 November and Christmas (computed in :mod:`core.holidays`). The municipality adds
its own closing days (the days between Christmas and New Year, a local holiday) in the
site setting :class:`forms_builder.models.ClosingDays`.

Counting is deterministic: every function takes the closing days it should use.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.apps import apps

from core.holidays import belgian_public_holidays

#: More working days than this are refused: nobody waits 30 years for a permit.
MAX_WORKING_DAYS = 10_000


def is_working_day(day: datetime.date, closing_days: Collection[datetime.date] = ()) -> bool:
    """Monday to Friday, not a public holiday and not one of ``closing_days``."""
    return (
        day.weekday() < 5
        and day not in belgian_public_holidays(day.year)
        and day not in closing_days
    )


def add_working_days(
    start: datetime.date, count: int, closing_days: Collection[datetime.date] = ()
) -> datetime.date:
    """The date ``count`` working days after ``start`` (``start`` itself not counted).

    0 gives ``start``; a negative count goes back. Raises ValueError past
    :data:`MAX_WORKING_DAYS`.
    """
    if abs(count) > MAX_WORKING_DAYS:
        raise ValueError("too many working days")
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    day, left = start, abs(count)
    while left:
        day += step
        if is_working_day(day, closing_days):
            left -= 1
    return day


def working_days_between(
    first: datetime.date, last: datetime.date, closing_days: Collection[datetime.date] = ()
) -> int:
    """The working days after ``first`` up to and including ``last``; negative when
    ``last`` comes before ``first`` (so ``add_working_days`` undoes it)."""
    if abs((last - first).days) > MAX_WORKING_DAYS * 2:
        raise ValueError("period too long")
    sign = 1 if last >= first else -1
    low, high = (first, last) if sign == 1 else (last, first)
    count = sum(
        1
        for offset in range(1, (high - low).days + 1)
        if is_working_day(low + datetime.timedelta(days=offset), closing_days)
    )
    return sign * count


def closing_days() -> frozenset[datetime.date]:
    """The closing days the municipality set (site setting ``ClosingDays``).

    Looked up through the app registry: the setting is a model of this app, and the
    field types that count working days are imported by the models themselves.
    """
    setting_model = apps.get_model("forms_builder", "ClosingDays")
    return setting_model.load().dates()
