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
