"""The calendar file (RFC 5545) of an appointment, for the applicant's own calendar.

One event per appointment, with a stable UID (``Appointment.uid``): a booking is sent as
``METHOD:REQUEST``, a cancellation as ``METHOD:CANCEL`` with the same UID and a higher
SEQUENCE, so phone and desktop calendars replace or remove the event they already have.
Times carry ``TZID=Europe/Brussels`` with the zone's VTIMEZONE in the file.
"""

from __future__ import annotations

from email.mime.text import MIMEText

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Appointment, Channel

REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _organizer_email() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip()


def build_calendar(appointment: Appointment, method: str) -> bytes:
    """The .ics file of ``appointment`` for ``method`` (REQUEST or CANCEL)."""
    zone = appointment.desk.zone
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Loket//Afspraken//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)

    event = icalendar.Event()
    event.add("uid", appointment.uid)
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
    event.add("summary", f"{appointment.appointment_type.name} – {appointment.desk.name}")
    if appointment.appointment_type.channel == Channel.DESK and appointment.desk.address:
        event.add("location", " ".join(appointment.desk.address.split()))
    event.add(
        "description",
        _("To cancel this appointment, use the link in your e-mail."),
    )
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{_organizer_email()}")
    organizer.params["cn"] = appointment.desk.name
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{appointment.email}")
    attendee.params["cn"] = appointment.name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "ACCEPTED"
    event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_part(appointment: Appointment, method: str) -> MIMEText:
    """The .ics as an e-mail attachment, ``text/calendar; method=...``."""
    part = MIMEText(build_calendar(appointment, method).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="afspraak.ics")
    return part
