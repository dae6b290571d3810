# ruff: noqa: F811  (the sign-in fixtures are imported from test_portal)
"""Appointments outside the booking pages: Mijn loket lists the coming ones of the
signed-in address with move and cancel; a service page offers "Maak een afspraak"."""

import datetime as dt

import pytest
from django.utils import timezone

from cms.models import ServicePage
from dossiers.appointments import services, slots
from dossiers.models import Appointment, AppointmentStatus

from ..test_portal import ask_link, sign_in  # noqa: F401  (fixtures)
from .builders import make_desk, make_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment_type(home_page):
    desk = make_desk(hours=((0, 0), (23, 30)), days=range(7), closed_on_public_holidays=False)
    return make_type(desk, name="Uw vergunning bespreken", slug="vergunning", min_notice_hours=1)


def book(appointment_type, email, nth=0):
    day = slots.days_with_slots(appointment_type)[1]
    slot = slots.slots_on(appointment_type, day)[nth]
    return services.book_appointment(
        appointment_type=appointment_type, start=slot.start, name="An", email=email
    )


def test_mijn_loket_lists_the_coming_appointments_of_the_address(
    client,
    sign_in,
    appointment_type,
):
    mine = book(appointment_type, "An@Example.be")
    cancelled = book(appointment_type, "an@example.be", nth=1)
    services.cancel_appointment(cancelled)
    past = book(appointment_type, "an@example.be", nth=2)
    Appointment.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=1), status=AppointmentStatus.DONE
    )
    someone_else = book(appointment_type, "bo@example.be", nth=3)

    sign_in("an@example.be")
    html = client.get("/mijn-loket/").content.decode()

    assert "Uw afspraken" in html
    assert mine.get_manage_url() in html and mine.get_move_url() in html
    assert mine.get_cancel_url() in html
    for other in (cancelled, past, someone_else):
        assert other.get_manage_url() not in html


def test_mijn_loket_without_appointments_offers_to_make_one(client, sign_in, home_page):
    sign_in("an@example.be")

    html = client.get("/mijn-loket/").content.decode()

    assert 'data-empty="appointments"' in html and 'href="/afspraak/"' in html


def test_a_service_page_offers_its_bookable_appointments(client, home_page, appointment_type):
    hidden = make_type(appointment_type.desk, name="Niet meer", slug="oud", active=False)
    page = home_page.add_child(instance=ServicePage(title="Terrasvergunning", slug="terras"))
    page.appointment_types.set([appointment_type, hidden])
    page.save_revision().publish()

    html = client.get(page.url).content.decode()

    assert "Afspraak maken" in html
    assert 'href="/afspraak/vergunning/"' in html and "30 minuten" in html
    assert "/afspraak/oud/" not in html

    plain = home_page.add_child(instance=ServicePage(title="Zonder", slug="zonder"))
    assert "appointment-title" not in client.get(plain.url).content.decode()


def test_signed_in_the_details_are_prefilled_from_mijn_loket(client, sign_in, appointment_type):
    sign_in("an@example.be")
    day = slots.days_with_slots(appointment_type)[0]
    slot = slots.slots_on(appointment_type, day)[0]
    from dossiers.appointments.forms import start_to_text

    page = client.get(f"/afspraak/{appointment_type.slug}/tijd/{start_to_text(slot.start)}/")

    assert 'value="an@example.be"' in page.content.decode()
    client.post("/mijn-loket/afmelden/")
    anonymous = client.get(f"/afspraak/{appointment_type.slug}/tijd/{start_to_text(slot.start)}/")
    assert 'value="an@example.be"' not in anonymous.content.decode()
