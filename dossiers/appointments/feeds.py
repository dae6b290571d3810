"""An officer's private calendar feed: their appointments as an iCalendar file that
Outlook, Google Calendar or a phone subscribes to through a secret link.

The link carries a random token of 256 bits; the database keeps its SHA-256 only
(``core.tokens``), so a copy of the database opens no feed. A new link ends the old one.
The feed holds the officer's booked and past appointments from 30 days back, with who
comes and why: it is for the officer alone.
"""

from __future__ import annotations

import datetime as dt
import secrets

import icalendar
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tokens import hash_token
from dossiers.models import Appointment, AppointmentStatus, CalendarFeed

#: How far back the feed goes.
HISTORY = dt.timedelta(days=30)


def new_feed(officer) -> str:
    """Make (or replace) the officer's feed link; returns the token, shown once."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            officer=officer, defaults={"token_hash": hash_token(token)}
        )
    return token


def end_feed(officer) -> None:
    CalendarFeed.objects.filter(officer=officer).delete()


def officer_for(token: str):
    """The active officer behind a feed token, or None."""
    feed = (
        CalendarFeed.objects.select_related("officer")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if feed is None or not feed.officer.is_active:
        return None
    return feed.officer


def build_feed(officer, now: dt.datetime | None = None) -> bytes:
    """The officer's appointments as ``METHOD:PUBLISH``, one event per appointment with
    its stable UID (the same as in the applicant's calendar file)."""
    now = now or timezone.now()
    appointments = (
        Appointment.objects.filter(officer=officer, starts_at__gte=now - HISTORY)
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("appointment_type", "desk")
        .order_by("starts_at")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Loket//Afspraken//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Appointments at the desk"))
    for appointment in appointments:
        zone = appointment.desk.zone
        event = icalendar.Event()
        event.add("uid", appointment.uid)
        event.add("sequence", appointment.sequence)
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at.astimezone(zone))
        event.add("dtend", appointment.ends_at.astimezone(zone))
        event.add("summary", f"{appointment.appointment_type.name}: {appointment.name}")
        details = [appointment.get_channel_line()]
        details += [v for v in (appointment.company, appointment.phone, appointment.email) if v]
        details += [f"{a['question']}: {a['answer']}" for a in appointment.answers]
        if appointment.question:
            details.append(appointment.question)
        event.add("description", "\n".join(details))
        if appointment.desk.address:
            event.add("location", " ".join(appointment.desk.address.split()))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
