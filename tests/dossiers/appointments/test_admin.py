"""Officers see the appointments in the back office; nobody edits them there."""

import re
import uuid

import pytest

from dossiers.appointments import services, slots

from .builders import make_desk, make_type

pytestmark = pytest.mark.django_db

LIST = "/admin/dossiers/appointment/"


@pytest.fixture
def appointment(db):
    desk = make_desk(hours=((0, 0), (23, 30)), days=range(7), closed_on_public_holidays=False)
    appointment_type = make_type(desk, min_notice_hours=1)
    slot = slots.slots_on(appointment_type, slots.days_with_slots(appointment_type)[0])[0]
    return services.book_appointment(
        appointment_type=appointment_type, start=slot.start, name="An Peeters", email="an@x.be"
    )


def test_an_officer_sees_the_appointments(client, officer, appointment):
    client.force_login(officer)

    response = client.get(LIST)

    assert response.status_code == 200
    assert "An Peeters" in response.content.decode()
    assert client.get(f"{LIST}inspect/{appointment.pk}/").status_code == 200
    assert client.get(f"{LIST}create/").status_code in (302, 403)
    assert client.get(f"{LIST}edit/{appointment.pk}/").status_code in (302, 403)


def test_an_editor_does_not(client, editor, appointment):
    client.force_login(editor)

    assert client.get(LIST).status_code in (302, 403)


def desk_post(opens, closes):
    return {
        "name": "Loket Noord",
        "address": "",
        "closed_on_public_holidays": "on",
        "opening_hours-TOTAL_FORMS": "1",
        "opening_hours-INITIAL_FORMS": "0",
        "opening_hours-MIN_NUM_FORMS": "0",
        "opening_hours-MAX_NUM_FORMS": "1000",
        "opening_hours-0-weekday": "0",
        "opening_hours-0-opens": opens,
        "opening_hours-0-closes": closes,
        "opening_hours-0-ORDER": "1",
        "opening_hours-0-DELETE": "",
        "opening_hours-0-id": "",
        "closing_days-TOTAL_FORMS": "0",
        "closing_days-INITIAL_FORMS": "0",
        "closing_days-MIN_NUM_FORMS": "0",
        "closing_days-MAX_NUM_FORMS": "1000",
    }


def test_an_administrator_sets_up_a_desk_and_wrong_hours_are_explained(client, admin):
    from dossiers.models import Desk

    client.force_login(admin)
    add = "/admin/snippets/dossiers/desk/add/"
    assert client.get(add).status_code == 200
    assert client.get("/admin/snippets/dossiers/appointmenttype/add/").status_code == 200

    refused = client.post(add, desk_post("12:00", "09:00"))
    assert refused.status_code == 200
    assert "Het loket moet sluiten na het openen." in refused.content.decode()
    assert not Desk.objects.exists()

    assert client.post(add, desk_post("09:00", "12:00")).status_code == 302
    [desk] = Desk.objects.all()
    assert [(p.opens.hour, p.closes.hour) for p in desk.opening_hours.all()] == [(9, 12)]


AGENDA = "/admin/appointments/agenda/"


def test_the_agenda_shows_the_day_and_the_week_in_constant_queries(
    client, officer, appointment, django_assert_max_num_queries
):
    client.force_login(officer)
    day = appointment.local_start().date().isoformat()
    desk = appointment.desk.pk

    client.get(AGENDA, {"desk": desk, "day": day})  # warm caches (session, site)
    with django_assert_max_num_queries(20):
        response = client.get(AGENDA, {"desk": desk, "day": day})
    html = response.content.decode()
    assert response.status_code == 200
    assert "An Peeters" in html and appointment.local_start().strftime("%H:%M") in html
    assert "Nog niet begonnen" in html

    week = client.get(AGENDA, {"desk": desk, "day": day, "period": "week"})
    assert "Week van" in week.content.decode() and "An Peeters" in week.content.decode()
    printable = client.get(AGENDA, {"desk": desk, "day": day, "print": "1"})
    assert "<table>" in printable.content.decode() and "An Peeters" in printable.content.decode()
    # Another day is empty; a broken day falls back to today.
    other = client.get(AGENDA, {"desk": desk, "day": "2031-01-01"})
    assert "Geen afspraken." in other.content.decode()
    assert client.get(AGENDA, {"desk": desk, "day": "gisteren"}).status_code == 200


def test_an_officer_marks_a_no_show_in_the_agenda(client, officer, appointment):
    import datetime as dt

    from django.utils import timezone

    from dossiers.models import Appointment, AppointmentStatus

    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=40),
        ends_at=timezone.now() - dt.timedelta(minutes=10),
    )
    client.force_login(officer)
    # The day of the appointment at the desk (40 minutes ago can be yesterday, after midnight).
    day = (timezone.now() - dt.timedelta(minutes=40)).astimezone(appointment.desk.zone).date()

    response = client.post(
        f"{AGENDA}?desk={appointment.desk.pk}&day={day.isoformat()}",
        {"appointment": appointment.pk, "status": "no_show", "note": "Belde niet af"},
        follow=True,
    )

    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert appointment.officer_note == "Belde niet af" and appointment.handled_by == officer
    assert "Belde niet af" in response.content.decode()
    # Without a choice: a Dutch message, nothing changes.
    response = client.post(AGENDA, {"appointment": appointment.pk}, follow=True)
    assert "Kies of de afspraak heeft plaatsgevonden." in response.content.decode()


def test_the_agenda_is_for_officers_only(client, editor, appointment):
    client.force_login(editor)

    assert client.get(AGENDA).status_code in (302, 403)
    assert client.post(AGENDA, {"appointment": appointment.pk, "status": "done"}).status_code in (
        302,
        403,
    )


def test_the_figures_count_per_type(client, officer, appointment):
    from dossiers.models import Appointment

    cancelled = Appointment.objects.get(pk=appointment.pk)
    cancelled.pk = None
    cancelled.public_id = uuid.uuid4()
    cancelled.status = "cancelled"
    cancelled.save()
    client.force_login(officer)

    response = client.get(
        "/admin/appointments/figures/",
        {"from": "2000-01-01", "to": "2100-01-01"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    row = html[html.index("Starten met een zaak") :]
    cells = re.findall(r"<td>(\d+)</td>", row)[:5]
    assert cells == ["2", "1", "0", "0", "1"]
