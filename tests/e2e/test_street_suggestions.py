"""The address question "only in this municipality" in a real browser: typing part of a
street name gives the municipality's streets as suggestions (JavaScript, under the
site's CSP); an unknown house number shows the warning and the confirmation box; without
JavaScript the server offers the matching streets in a list. axe-core checks each state
(with JavaScript: axe runs in the page)."""

from __future__ import annotations

import re

import pytest

from cms.demo import ensure_home_page, ensure_team
from cms.demo.places import ensure_demo_addresses
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STEPS = [
    step_block("Waar", field_block("address", "Adres van de werf", "adres", local_only=True)),
    step_block("Meer", field_block("short_text", "Opmerking", "opmerking", required=False)),
]


@pytest.fixture
def form():
    ensure_demo_addresses()
    return make_form_page(
        ensure_home_page(),
        title="Wegenwerken",
        slug="wegenwerken",
        reference_prefix="WEG",
        steps=STEPS,
        team=ensure_team("Mobiliteit", "mobiliteit@voorbeeld.be"),
    )


def click_and_load(page, locator) -> None:
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, response and response.status


def suggestions(page) -> list[str]:
    return page.locator("datalist#id_1-adres_0_streets option").evaluate_all(
        "els => els.map((o) => o.value)"
    )


def test_suggestions_then_an_unknown_number_confirmed(live_server, new_page, axe, form):
    page = new_page()
    page.goto(live_server.url + form.url)
    assert re.search(r"/stap/1/$", page.url)
    axe(page, "the address step")

    page.locator("[name='1-adres_street']").press_sequentially("kerk", delay=30)
    page.wait_for_function(
        "() => document.querySelectorAll('datalist#id_1-adres_0_streets option').length === 2"
    )
    assert suggestions(page) == ["Kerkhofstraat", "Kerkstraat"]
    axe(page, "the address step with suggestions")

    page.fill("[name='1-adres_street']", "Kerkstraat")
    page.fill("[name='1-adres_number']", "99")
    click_and_load(page, page.get_by_role("button", name="Volgende"))
    assert "Ik bevestig dit adres" in page.content()
    assert "Kerkstraat 99" in page.locator(".error-summary").inner_text()
    axe(page, "the warning with the confirmation box")

    page.get_by_label("Ik bevestig dit adres").check()
    click_and_load(page, page.get_by_role("button", name="Volgende"))
    assert re.search(r"/stap/2/$", page.url)


def test_without_javascript_the_streets_are_a_list(live_server, new_page, axe, form):
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + form.url)
    page.fill("[name='1-adres_street']", "kerk")
    page.fill("[name='1-adres_number']", "14")
    click_and_load(page, page.get_by_role("button", name="Volgende"))
    street = page.locator("select[name='1-adres_street']")
    assert street.count() == 1
    street.select_option("Kerkstraat")
    click_and_load(page, page.get_by_role("button", name="Volgende"))
    assert re.search(r"/stap/2/$", page.url)


def test_the_list_of_matching_streets_is_accessible(live_server, new_page, axe, form):
    # axe needs JavaScript; the list is the server's, with or without it.
    page = new_page()
    page.goto(live_server.url + form.url)
    page.fill("[name='1-adres_street']", "straat")
    page.fill("[name='1-adres_number']", "1")
    click_and_load(page, page.get_by_role("button", name="Volgende"))
    assert page.locator("select[name='1-adres_street'] option").count() > 2
    axe(page, "the list of matching streets")
