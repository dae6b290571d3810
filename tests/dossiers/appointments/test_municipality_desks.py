"""Desks of several municipalities on one installation (issue #20): the booking pages
offer the desks of the municipality of the host name; officers see the desks and
appointments of the municipalities their teams serve."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from cms.municipalities import add_municipality
from dossiers import permissions
from dossiers.models import Appointment
from tests.dossiers.appointments.builders import make_desk, make_type
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desks():
    a = add_municipality(name="Gemeente Aanzee", hostname="aanzee.localhost")
    b = add_municipality(name="Gemeente Bzonder", hostname="bzonder.localhost")
    desk_a = make_desk(name="Balie Aanzee", site=a.site)
    desk_b = make_desk(name="Balie Bzonder", site=b.site)
    type_a = make_type(desk_a, name="Gesprek in Aanzee", slug="aanzee")
    type_b = make_type(desk_b, name="Gesprek in Bzonder", slug="bzonder")
    start = timezone.now() - dt.timedelta(hours=1)
    for kind in (type_a, type_b):
        Appointment.objects.create(
            appointment_type=kind,
            desk=kind.desk,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
            name=f"Bezoeker van {kind.desk.name}",
            email="bezoeker@voorbeeld.be",
        )
    return a, b, type_a, type_b


def test_a_desk_saved_without_a_municipality_is_of_the_default_site():
    from wagtail.models import Site

    assert make_desk().site == Site.objects.get(is_default_site=True)


@override_settings(ALLOWED_HOSTS=[".localhost", "testserver"])
def test_the_booking_pages_offer_the_desks_of_the_hosts_municipality(client, desks):
    _a, _b, type_a, type_b = desks
    text = client.get("/afspraak/", HTTP_HOST="aanzee.localhost").content.decode()
    assert type_a.name in text
    assert type_b.name not in text
    # B's kind of appointment is not found at A's address, and is at B's.
    assert client.get("/afspraak/bzonder/", HTTP_HOST="aanzee.localhost").status_code == 404
    assert client.get("/afspraak/bzonder/", HTTP_HOST="bzonder.localhost").status_code == 200


def test_an_officer_sees_the_desks_and_appointments_of_their_municipalities(client, desks):
    a, b, type_a, type_b = desks
    officer = UserFactory(username="officer_a")
    officer.groups.add(a.team.group)
    assert list(permissions.visible_desks(officer)) == [type_a.desk]
    assert {x.desk_id for x in permissions.visible_appointments(officer)} == {type_a.desk_id}

    client.force_login(officer)
    # The day of the appointment at the desk (an hour ago can be yesterday, after midnight).
    seen = Appointment.objects.get(desk=type_a.desk).starts_at.astimezone(type_a.desk.zone)
    agenda = client.get("/admin/appointments/agenda/", {"day": seen.date().isoformat()})
    agenda = agenda.content.decode()
    assert "Balie Aanzee" in agenda and "Bezoeker van Balie Aanzee" in agenda
    assert "Balie Bzonder" not in agenda
    # Asking for B's desk shows A's agenda.
    other = client.get("/admin/appointments/agenda/", {"desk": type_b.desk_id}).content.decode()
    assert "Bezoeker van Balie Bzonder" not in other
    # Marking B's appointment is refused.
    b_appointment = Appointment.objects.get(desk=type_b.desk)
    response = client.post(
        "/admin/appointments/agenda/", {"appointment": b_appointment.pk, "status": "done"}
    )
    assert response.status_code == 404
    b_appointment.refresh_from_db()
    assert b_appointment.status != "done"

    # A regional team serving both sees both.
    from cms.demo import ensure_team

    regional = ensure_team("Regio", sites=[a.site, b.site])
    desk_officer = UserFactory(username="regio")
    desk_officer.groups.add(regional.group)
    assert set(permissions.visible_desks(desk_officer)) == {type_a.desk, type_b.desk}
