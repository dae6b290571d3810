"""The Belgian public holidays (the ten legal ones, law of 4 January 1974), computed:
no list to keep up. Three depend on Easter, which the Gregorian computus gives for any
year. Working days (:mod:`forms_builder.workdays`) and the appointment desks' opening
days (:mod:`dossiers.appointments.slots`) both ask here."""

from __future__ import annotations

import datetime as dt
import functools


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@functools.cache
def belgian_public_holidays(year: int) -> frozenset[dt.date]:
    """New Year, Easter Monday, Labour Day, Ascension, Whit Monday, the National Day,
    Assumption, All Saints, Armistice and Christmas of ``year``."""
    easter = easter_sunday(year)
    fixed = [(1, 1), (5, 1), (7, 21), (8, 15), (11, 1), (11, 11), (12, 25)]
    moving = [easter + dt.timedelta(days=days) for days in (1, 39, 50)]
    return frozenset([dt.date(year, month, day) for month, day in fixed] + moving)


def is_public_holiday(day: dt.date) -> bool:
    return day in belgian_public_holidays(day.year)
