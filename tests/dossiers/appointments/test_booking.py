"""Booking through the public pages, the e-mails with their calendar files (parsed back),
cancelling through the secret link, and the last seat of a slot."""

import datetime as dt
import re

import icalendar
import pytest
from django.db import IntegrityError, transaction

from dossiers.appointments import calendar, services
from dossiers.models import Appointment, AppointmentStatus

from .builders import make_desk, make_type, utc

pytestmark = pytest.mark.django_db

ALL_WEEK = range(7)


@pytest.fixture
def appointment_type(home_page):
    desk = make_desk(hours=((0, 0), (23, 30)), days=ALL_WEEK, closed_on_public_holidays=False)
    return make_type(desk, duration_minutes=30, min_notice_hours=1, max_days_ahead=14)


def first_choice(response, name):
    match = re.search(rf'name="{name}" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()
    return match.group(1)


def walk_to_details(client, appointment_type):
    """Type → day → time, as a visitor without JavaScript does; the details page."""
    start = client.get("/afspraak/")
    assert start.status_code == 200
    assert "<fieldset" in start.content.decode() and "<legend" in start.content.decode()
    response = client.get("/afspraak/", {"type": appointment_type.slug, "next": "1"})
    day_page = client.get(response.url)
    response = client.get(response.url, {"day": first_choice(day_page, "day"), "next": "1"})
    time_page = client.get(response.url)
    response = client.get(response.url, {"time": first_choice(time_page, "time"), "next": "1"})
    assert response.status_code == 302
    return response.url


DETAILS = {"name": "An Peeters", "email": "an@example.be", "company": "Bakkerij An"}


def book(client, url, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, {**DETAILS, **data})


def parsed_calendar(message):
    [part] = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
    return part, icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_a_question_left_open_shows_the_error_summary_in_dutch(client, appointment_type):
    response = client.get("/afspraak/", {"next": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Er is een probleem" in html
    assert "Kies waarover uw afspraak gaat." in html
    assert 'aria-describedby="id_type_error"' in html


def test_booking_sends_a_calendar_request(
    client, appointment_type, mailoutbox, django_capture_on_commit_callbacks
):
    details_url = walk_to_details(client, appointment_type)
    assert "Uw gegevens" in client.get(details_url).content.decode()

    response = book(client, details_url, django_capture_on_commit_callbacks)

    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response.url == appointment.get_manage_url()
    page = client.get(response.url)
    assert "Uw afspraak is gemaakt" in page.content.decode()
    assert "private" in page["Cache-Control"] and "no-store" in page["Cache-Control"]

    [message] = mailoutbox
    assert message.to == ["an@example.be"]
    assert message.subject.startswith("Uw afspraak: Starten met een zaak op ")
    assert "Kunt u niet komen?" in message.body
    assert appointment.get_manage_url() in message.body
    part, ics = parsed_calendar(message)
    assert part.get_param("method") == "REQUEST"
    assert ics["METHOD"] == "REQUEST"
    [event] = ics.walk("VEVENT")
    assert str(event["UID"]) == appointment.uid
    assert event["SEQUENCE"] == 0
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert event.decoded("DTSTART") == appointment.starts_at
    assert event.decoded("DTEND") == appointment.ends_at
    assert [str(tz["TZID"]) for tz in ics.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(event["ATTENDEE"]) == "mailto:an@example.be"


def test_the_calendar_file_holds_the_brussels_time_in_summer_and_winter(appointment_type):
    def local_start(start):
        appointment = Appointment(
            appointment_type=appointment_type,
            desk=appointment_type.desk,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            name="An",
            email="an@example.be",
        )
        ics = icalendar.Calendar.from_ical(calendar.build_calendar(appointment, "REQUEST"))
        return ics.walk("VEVENT")[0]["DTSTART"].to_ical()

    assert local_start(utc(2027, 3, 26, 8, 0)) == b"20270326T090000"
    assert local_start(utc(2027, 3, 30, 7, 0)) == b"20270330T090000"


def test_cancelling_sends_a_calendar_cancel_with_the_same_uid(
    client, appointment_type, mailoutbox, django_capture_on_commit_callbacks
):
    book(client, walk_to_details(client, appointment_type), django_capture_on_commit_callbacks)
    appointment = Appointment.objects.get()
    [_request_mail, *_] = mailoutbox

    confirm = client.get(appointment.get_cancel_url())
    assert "Wilt u uw afspraak" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(appointment.get_cancel_url())

    appointment.refresh_from_db()
    assert response.status_code == 302
    assert appointment.status == AppointmentStatus.CANCELLED
    assert "Uw afspraak is geannuleerd" in client.get(response.url).content.decode()
    cancel_mail = mailoutbox[-1]
    part, ics = parsed_calendar(cancel_mail)
    assert part.get_param("method") == "CANCEL"
    assert ics["METHOD"] == "CANCEL"
    [event] = ics.walk("VEVENT")
    assert str(event["UID"]) == appointment.uid
    assert event["SEQUENCE"] == 1
    assert event["STATUS"] == "CANCELLED"
    # The seat is free again.
    assert services.slots.find_slot(appointment_type, appointment.starts_at) is not None
    # Cancelling twice changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(appointment.get_cancel_url())
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_wrong_key_is_refused_in_dutch(client, appointment_type, method):
    start = services.slots.days_with_slots(appointment_type)[0]
    slot = services.slots.slots_on(appointment_type, start)[0]
    appointment = services.book_appointment(
        appointment_type=appointment_type, start=slot.start, name="An", email="an@example.be"
    )
    url = f"/afspraak/{appointment.public_id}/{appointment.access_key[:-1]}x/annuleren/"

    response = getattr(client, method)(url)

    assert response.status_code == 404
    assert "Deze link klopt niet" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_bad_addresses_give_a_page_not_an_error(client, appointment_type):
    assert client.get("/afspraak/bestaat-niet/").status_code == 404
    assert client.get("/afspraak/starten/2027-02-30/").status_code == 404
    assert client.get("/afspraak/starten/", {"day": "gisteren", "next": "1"}).status_code == 200
    response = client.get("/afspraak/starten/tijd/20270101T0800Z/")
    assert response.status_code == 302  # back to choosing, with a message
    assert client.get("/afspraak/starten/tijd/nonsense/", follow=True).status_code == 200


def test_missing_details_are_explained(client, appointment_type):
    response = client.post(walk_to_details(client, appointment_type), {"email": "geen-adres"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul uw naam in." in html
    assert "naam@voorbeeld.be" in html
    assert not Appointment.objects.exists()


def test_the_last_seat_cannot_be_booked_twice(
    client, appointment_type, mailoutbox, django_capture_on_commit_callbacks
):
    details_url = walk_to_details(client, appointment_type)
    assert book(client, details_url, django_capture_on_commit_callbacks).status_code == 302

    response = book(
        client, details_url, django_capture_on_commit_callbacks, email="bert@example.be"
    )

    assert response.status_code == 302
    assert "tijd" not in response.url  # back to choosing a time on that day
    page = client.get(response.url)
    assert "Dit tijdstip is niet meer vrij" in page.content.decode()
    assert 'name="time"' in page.content.decode()  # other times are offered
    assert Appointment.objects.count() == 1


def test_the_database_refuses_a_second_booking_of_a_seat(appointment_type):
    slot = services.slots.slots_on(
        appointment_type, services.slots.days_with_slots(appointment_type)[0]
    )[0]
    first = services.book_appointment(
        appointment_type=appointment_type, start=slot.start, name="An", email="an@example.be"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            appointment_type=appointment_type,
            desk=first.desk,
            starts_at=first.starts_at,
            ends_at=first.ends_at,
            seat=first.seat,
            name="Bert",
            email="bert@example.be",
        )
    with pytest.raises(services.SlotTaken):
        services.book_appointment(
            appointment_type=appointment_type, start=slot.start, name="B", email="b@example.be"
        )


def test_booking_is_limited_per_e_mail_address(
    client, appointment_type, settings, django_capture_on_commit_callbacks
):
    settings.LOKET_RATE_LIMITS = {
        **settings.LOKET_RATE_LIMITS,
        "appointment_book_per_address": (1, 3600),
    }
    details_url = walk_to_details(client, appointment_type)
    assert book(client, details_url, django_capture_on_commit_callbacks).status_code == 302
    other_time = walk_to_details(client, appointment_type)

    refused = book(client, other_time, django_capture_on_commit_callbacks, email="AN@example.be")

    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.content.decode()
    assert Appointment.objects.count() == 1


def test_a_phone_appointment_needs_a_phone_number(client, appointment_type):
    appointment_type.channel = "phone"
    appointment_type.save()

    response = client.post(walk_to_details(client, appointment_type), DETAILS)

    assert "Vul uw telefoonnummer in." in response.content.decode()
    assert not Appointment.objects.exists()


def test_no_confirmation_is_sent_after_a_cancellation(appointment_type, mailoutbox):
    from dossiers.appointments import tasks

    slot = services.slots.slots_on(
        appointment_type, services.slots.days_with_slots(appointment_type)[0]
    )[0]
    appointment = services.book_appointment(
        appointment_type=appointment_type, start=slot.start, name="An", email="an@example.be"
    )
    services.cancel_appointment(appointment)

    assert tasks.send_confirmation.apply(args=[appointment.pk]).get() is False
    assert tasks.send_cancellation.apply(args=[appointment.pk]).get() is True
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Geannuleerd"]


def test_the_types_own_questions_are_asked_and_kept(
    client, appointment_type, mailoutbox, django_capture_on_commit_callbacks
):
    from dossiers.models import BookingQuestion

    which = BookingQuestion.objects.create(
        appointment_type=appointment_type, label="Over welke vergunning gaat het?", required=True
    )
    BookingQuestion.objects.create(
        appointment_type=appointment_type, label="Nog iets?", long_answer=True, sort_order=1
    )
    details_url = walk_to_details(client, appointment_type)
    page = client.get(details_url).content.decode()
    assert "Over welke vergunning gaat het?" in page and f'name="vraag_{which.pk}"' in page

    missing = book(client, details_url, django_capture_on_commit_callbacks)
    assert missing.status_code == 200
    assert "Beantwoord deze vraag." in missing.content.decode()
    assert not Appointment.objects.exists()

    book(
        client,
        details_url,
        django_capture_on_commit_callbacks,
        **{f"vraag_{which.pk}": "Terras"},
    )

    appointment = Appointment.objects.get()
    assert appointment.answers == [
        {"question": "Over welke vergunning gaat het?", "answer": "Terras"}
    ]
    assert "Over welke vergunning gaat het?: Terras" in mailoutbox[-1].body
    assert "Terras" in client.get(appointment.get_manage_url()).content.decode()
