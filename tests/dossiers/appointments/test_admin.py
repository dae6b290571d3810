"""Officers see the appointments in the back office; nobody edits them there."""

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
