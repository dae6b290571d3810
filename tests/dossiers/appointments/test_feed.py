"""An officer's private calendar feed: made and replaced in the agenda, read by a
calendar app through its secret link, refused once ended or for an inactive user."""

import datetime as dt
import re

import icalendar
import pytest

from dossiers.appointments import feeds, services
from dossiers.models import CalendarFeed, OfficerAvailability

from .builders import make_desk, make_type

pytestmark = pytest.mark.django_db

AGENDA = "/admin/appointments/agenda/"
FEED_RE = re.compile(r"/afspraak/kalender/[A-Za-z0-9_-]+\.ics")


@pytest.fixture
def booked(officer, home_page):
    desk = make_desk(hours=((0, 0), (23, 30)), days=range(7), closed_on_public_holidays=False)
    for weekday in range(7):
        OfficerAvailability.objects.create(
            officer=officer, weekday=weekday, starts=dt.time(0, 0), ends=dt.time(23, 30)
        )
    appointment_type = make_type(desk, name="Premie aanvragen", min_notice_hours=1)
    appointment_type.officers.set([officer])
    from dossiers.appointments import slots

    slot = slots.slots_on(appointment_type, slots.days_with_slots(appointment_type)[1])[0]
    return services.book_appointment(
        appointment_type=appointment_type,
        start=slot.start,
        name="An Peeters",
        email="an@example.be",
        company="Bakkerij An",
    )


def test_an_officer_makes_a_feed_link_and_a_calendar_reads_it(client, officer, booked):
    client.force_login(officer)

    response = client.post(AGENDA, {"feed": "new"}, follow=True)

    [path] = FEED_RE.findall(response.content.decode())
    client.logout()
    feed = client.get(path)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert "no-store" in feed["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(feed.content)
    assert calendar["METHOD"] == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == booked.uid
    assert str(event["SUMMARY"]) == "Premie aanvragen: An Peeters"
    assert "Bakkerij An" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == booked.starts_at
    # Only the hash is kept.
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in CalendarFeed.objects.get().token_hash


def test_a_new_link_ends_the_old_one_and_stopping_ends_both(client, officer, booked):
    old = feeds.new_feed(officer)
    new = feeds.new_feed(officer)

    assert client.get(f"/afspraak/kalender/{old}.ics").status_code == 404
    assert client.get(f"/afspraak/kalender/{new}.ics").status_code == 200

    client.force_login(officer)
    client.post(AGENDA, {"feed": "end"})
    client.logout()
    assert client.get(f"/afspraak/kalender/{new}.ics").status_code == 404


def test_the_feed_of_an_inactive_officer_is_closed(client, officer, booked):
    token = feeds.new_feed(officer)
    officer.is_active = False
    officer.save()

    assert client.get(f"/afspraak/kalender/{token}.ics").status_code == 404


def test_a_cancelled_appointment_leaves_the_feed(officer, booked):
    services.cancel_appointment(booked)

    calendar = icalendar.Calendar.from_ical(feeds.build_feed(officer))

    assert calendar.walk("VEVENT") == []
