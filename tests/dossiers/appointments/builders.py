"""Small builders for appointment tests: a desk with opening hours and a type."""

from __future__ import annotations

import datetime as dt

from dossiers.models import AppointmentType, Desk, OpeningPeriod

WEEKDAYS = range(5)


def make_desk(hours=((9, 0), (10, 0)), days=WEEKDAYS, **kwargs) -> Desk:
    """A desk open ``hours`` (opens, closes as (hour, minute)) on ``days`` (0 = Monday)."""
    kwargs.setdefault("name", "Ondernemersloket")
    kwargs.setdefault("address", "Markt 1\n9999 Voorbeeld")
    desk = Desk.objects.create(**kwargs)
    (oh, om), (ch, cm) = hours
    for day in days:
        OpeningPeriod.objects.create(
            desk=desk, weekday=day, opens=dt.time(oh, om), closes=dt.time(ch, cm)
        )
    return desk


def make_type(desk: Desk, **kwargs) -> AppointmentType:
    kwargs.setdefault("name", "Starten met een zaak")
    kwargs.setdefault("slug", "starten")
    kwargs.setdefault("duration_minutes", 30)
    kwargs.setdefault("min_notice_hours", 0)
    kwargs.setdefault("max_days_ahead", 400)
    return AppointmentType.objects.create(desk=desk, **kwargs)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)
