"""Booking, moving and cancelling an appointment with the keyboard only, in a real
browser, with axe-core (WCAG 2.1 AA) on every page of the way."""

from __future__ import annotations

import re

import pytest

from dossiers.models import Appointment, AppointmentStatus
from tests.dossiers.appointments.builders import make_desk, make_type

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def appointment_type(home_page):
    desk = make_desk(hours=((0, 0), (23, 30)), days=range(7), closed_on_public_holidays=False)
    return make_type(desk, name="Starten met een zaak", min_notice_hours=1, max_days_ahead=14)


def tab_to(page, predicate, limit=80):
    """Press Tab until the focused element satisfies ``predicate`` (a JS function body
    over ``el``); fails when it never does: everything must be reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {predicate}; }}"):
            return
    raise AssertionError(f"never focused: {predicate}")


def press_and_wait(page, key):
    """Press ``key`` on a link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def choose_first_option_and_go_on(page):
    tab_to(page, "el.type === 'radio'")
    page.keyboard.press("Space")
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
    press_and_wait(page, "Enter")


def test_book_move_and_cancel_with_the_keyboard(
    new_page, live_server, appointment_type, axe, mailoutbox
):
    page = new_page()
    page.goto(live_server.url + "/afspraak/")
    axe(page, "choose the kind of appointment")

    choose_first_option_and_go_on(page)  # the kind
    axe(page, "choose a day")
    choose_first_option_and_go_on(page)  # the day
    axe(page, "choose a time")
    choose_first_option_and_go_on(page)  # the time
    axe(page, "your details")

    # An error first: the summary is reachable and the page stays accessible.
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
    press_and_wait(page, "Enter")
    assert page.locator(".error-summary").is_visible()
    axe(page, "your details with errors")

    page.get_by_label("Uw naam").focus()
    page.keyboard.type("An Peeters")
    page.keyboard.press("Tab")
    page.keyboard.type("an@example.be")
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
    press_and_wait(page, "Enter")
    assert "Uw afspraak is gemaakt" in page.content()
    axe(page, "the appointment")
    appointment = Appointment.objects.get()
    first_start = appointment.starts_at

    # Move it: the link, a day, a time, confirm.
    tab_to(page, "el.tagName === 'A' && el.textContent.includes('verplaatsen')")
    press_and_wait(page, "Enter")
    axe(page, "move: choose a day")
    tab_to(page, "el.type === 'radio'")
    page.keyboard.press("ArrowDown")  # the next day
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
    press_and_wait(page, "Enter")
    axe(page, "move: choose a time")
    choose_first_option_and_go_on(page)
    axe(page, "move: confirm")
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
    press_and_wait(page, "Enter")
    assert "Uw afspraak is verplaatst" in page.content()
    appointment.refresh_from_db()
    assert appointment.starts_at != first_start and appointment.sequence == 1

    # Cancel it.
    tab_to(page, "el.tagName === 'A' && el.textContent.includes('annuleren')")
    press_and_wait(page, "Enter")
    axe(page, "cancel")
    tab_to(page, "el.tagName === 'BUTTON' && el.type === 'submit'")
    press_and_wait(page, "Enter")
    assert re.search(r"Uw afspraak is geannuleerd", page.content())
    axe(page, "cancelled")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
