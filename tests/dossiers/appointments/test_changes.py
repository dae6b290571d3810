"""Moving an appointment through its link (a new REQUEST with the same UID and a higher
SEQUENCE), the reminder the day before (never twice, never after a cancellation), and
an officer marking it done or no-show."""

import datetime as dt
import re

import icalendar
import pytest
from django.utils import timezone

from dossiers.appointments import services, slots
from dossiers.exceptions import ActionRefused
from dossiers.models import Appointment, AppointmentStatus

from .builders import make_desk, make_type

pytestmark = pytest.mark.django_db

ALL_WEEK = range(7)


@pytest.fixture
def appointment_type(home_page):
    desk = make_desk(hours=((0, 0), (23, 30)), days=ALL_WEEK, closed_on_public_holidays=False)
    return make_type(desk, duration_minutes=30, min_notice_hours=1, max_days_ahead=14)


@pytest.fixture
def appointment(appointment_type):
    day = slots.days_with_slots(appointment_type)[2]
    slot = slots.slots_on(appointment_type, day)[0]
    return services.book_appointment(
        appointment_type=appointment_type, start=slot.start, name="An", email="an@example.be"
    )


def choices(response, name):
    return re.findall(rf'name="{name}" value="([^"]+)"', response.content.decode())


def ics_of(message):
    [part] = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
    return part, icalendar.Calendar.from_ical(part.get_payload(decode=True))


def test_moving_through_the_link_sends_a_request_with_the_same_uid(
    client, appointment, mailoutbox, django_capture_on_commit_callbacks
):
    old_start = appointment.starts_at
    manage = client.get(appointment.get_manage_url())
    assert appointment.get_move_url() in manage.content.decode()

    day_page = client.get(appointment.get_move_url())
    assert day_page.status_code == 200
    assert "Uw afspraak verplaatsen" in day_page.content.decode()
    assert "no-store" in day_page["Cache-Control"]
    new_day = choices(day_page, "day")[-1]
    response = client.get(appointment.get_move_url(), {"day": new_day, "next": "1"})
    time_page = client.get(response.url)
    new_time = choices(time_page, "time")[3]
    response = client.get(response.url, {"time": new_time, "next": "1"})
    confirm = client.get(response.url)
    assert "Nieuw tijdstip" in confirm.content.decode()
    # Opening the confirmation page changes nothing.
    appointment.refresh_from_db()
    assert appointment.starts_at == old_start

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(response.url)

    appointment.refresh_from_db()
    assert done.status_code == 302 and done.url == appointment.get_manage_url()
    assert appointment.starts_at != old_start
    assert appointment.starts_at.astimezone(appointment.desk.zone).date().isoformat() == new_day
    assert appointment.sequence == 1 and appointment.times_moved == 1
    [message] = mailoutbox
    assert message.subject.startswith("Verplaatst: Starten met een zaak")
    part, ics = ics_of(message)
    assert part.get_param("method") == "REQUEST"
    [event] = ics.walk("VEVENT")
    assert str(event["UID"]) == appointment.uid
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == appointment.starts_at
    # The old time is free again; the new one is taken (capacity 1).
    assert slots.find_slot(appointment.appointment_type, old_start) is not None
    assert slots.find_slot(appointment.appointment_type, appointment.starts_at) is None


def test_moving_to_a_time_taken_in_the_meantime_is_refused_in_dutch(
    client, appointment, appointment_type
):
    other = slots.slots_on(appointment_type, slots.days_with_slots(appointment_type)[5])[0]
    services.book_appointment(
        appointment_type=appointment_type, start=other.start, name="Bo", email="bo@example.be"
    )

    with pytest.raises(services.SlotTaken) as refused:
        services.move_appointment(appointment, other.start)

    with_dutch = str(refused.value)
    assert with_dutch  # the message
    appointment.refresh_from_db()
    assert appointment.sequence == 0 and appointment.times_moved == 0


def test_a_cancelled_or_begun_appointment_cannot_be_moved(client, appointment):
    services.cancel_appointment(appointment)

    response = client.get(appointment.get_move_url(), follow=True)

    assert "kan niet meer verplaatst worden" in response.content.decode()
    with pytest.raises(ActionRefused):
        services.move_appointment(appointment, appointment.starts_at + dt.timedelta(hours=1))


def test_the_move_pages_refuse_a_wrong_key(client, appointment):
    url = appointment.get_move_url().replace(appointment.access_key, "x" * 20)

    assert client.get(url).status_code == 404


def test_the_reminder_goes_once_and_never_after_a_cancellation(
    appointment, appointment_type, mailoutbox, django_capture_on_commit_callbacks
):
    before = appointment.starts_at - dt.timedelta(hours=20)
    # Booked long before: pretend it was made a week earlier.
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=appointment.starts_at - dt.timedelta(days=7)
    )

    assert services.queue_reminders(now=appointment.starts_at - dt.timedelta(hours=30)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_reminders(now=before) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_reminders(now=before + dt.timedelta(minutes=15)) == 0

    [reminder] = mailoutbox
    assert reminder.subject.startswith("Herinnering: Starten met een zaak")
    assert appointment.get_manage_url() in reminder.body

    # A second appointment, cancelled before its reminder is due: no reminder.
    other = slots.slots_on(appointment_type, slots.days_with_slots(appointment_type)[6])[0]
    cancelled = services.book_appointment(
        appointment_type=appointment_type, start=other.start, name="Bo", email="bo@example.be"
    )
    Appointment.objects.filter(pk=cancelled.pk).update(
        created_at=other.start - dt.timedelta(days=7)
    )
    services.cancel_appointment(cancelled)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_reminders(now=other.start - dt.timedelta(hours=2)) == 0
    assert len(mailoutbox) == 1


def test_no_reminder_for_an_appointment_booked_inside_the_reminder_time(appointment):
    # Booked (just now) less than 24 hours before its start? The fixture books two days
    # ahead, so move its creation to 3 hours before the start.
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=appointment.starts_at - dt.timedelta(hours=3)
    )

    assert services.queue_reminders(now=appointment.starts_at - dt.timedelta(hours=2)) == 0


def test_a_reminder_queued_then_cancelled_is_not_sent(
    appointment, mailoutbox, django_capture_on_commit_callbacks
):
    from dossiers.appointments import tasks

    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=appointment.starts_at - dt.timedelta(days=7),
        reminder_sent_at=timezone.now(),
    )
    services.cancel_appointment(appointment)
    mailoutbox.clear()

    assert tasks.send_reminder.apply(args=[appointment.pk]).get() is False
    assert mailoutbox == []


def test_reminders_can_be_turned_off(appointment, settings):
    settings.LOKET_APPOINTMENT_REMINDER_HOURS = 0
    Appointment.objects.filter(pk=appointment.pk).update(
        created_at=appointment.starts_at - dt.timedelta(days=7)
    )

    assert services.queue_reminders(now=appointment.starts_at - dt.timedelta(hours=2)) == 0


def test_an_officer_marks_a_begun_appointment_done_or_no_show(appointment, officer):
    with pytest.raises(ActionRefused):
        services.mark_outcome(appointment, status=AppointmentStatus.DONE, user=officer)

    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() - dt.timedelta(minutes=30),
    )
    services.mark_outcome(
        appointment, status=AppointmentStatus.NO_SHOW, user=officer, note=" Niet gekomen "
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert appointment.officer_note == "Niet gekomen"
    assert appointment.handled_by == officer
    # A wrong mark can be corrected.
    services.mark_outcome(appointment, status=AppointmentStatus.DONE, user=officer)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    with pytest.raises(ActionRefused):
        services.mark_outcome(appointment, status=AppointmentStatus.BOOKED, user=officer)
