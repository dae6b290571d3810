"""A repeatable part in a real browser: the applicant adds a second day with the
server-side button (what was typed stays), gets the no-overlap error on the second day
(linked from the error summary), fixes it and sends the form. axe-core checks the step
as first shown, with two items, and with the error."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from cms.demo import ensure_home_page, ensure_team
from tests.conftest import make_form_page
from tests.forms_builder.test_repeatable import NO_OVERLAP, steps

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def click_and_load(page, locator) -> None:
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, response and response.status


def test_add_a_day_fix_the_overlap_and_send(live_server, new_page, axe):
    form = make_form_page(
        ensure_home_page(),
        title="Evenement met dagen",
        slug="evenement-dagen",
        reference_prefix="EVD",
        steps=steps(),
        rules=[NO_OVERLAP],
        team=ensure_team("Evenementen", "evenementen@voorbeeld.be"),
    )
    day = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    page = new_page()
    page.goto(live_server.url + form.url)
    assert re.search(r"/stap/1/$", page.url)
    axe(page, "a step with a repeatable part")

    page.fill("[name='1-naam']", "Zomerfeest")
    page.fill("[name='1-dagen-0-datum']", day)
    page.fill("[name='1-dagen-0-van']", "10:00")
    page.fill("[name='1-dagen-0-tot']", "14:00")
    click_and_load(page, page.get_by_role("button", name="Nog een dag toevoegen"))

    assert page.url.endswith("/stap/1/#id_1-dagen-items-1")
    assert page.get_by_role("heading", name="Dag 2").is_visible()
    assert page.input_value("[name='1-dagen-0-van']") == "10:00"  # kept
    assert page.locator(".error-summary").count() == 0  # nothing sent yet
    axe(page, "a repeatable part with two items")

    page.fill("[name='1-dagen-1-datum']", day)
    page.fill("[name='1-dagen-1-van']", "13:00")
    page.fill("[name='1-dagen-1-tot']", "16:00")
    click_and_load(page, page.get_by_role("button", name="Volgende"))

    summary_link = page.locator(".error-summary a[href='#id_1-dagen-1-van']")
    assert "Dag 2" in summary_link.inner_text()
    assert "overlapt" in page.locator("#id_1-dagen-1-van_error").inner_text()
    assert page.locator("#id_1-dagen-0-van_error").count() == 0
    axe(page, "an error on the second item")

    page.fill("[name='1-dagen-1-van']", "14:00")
    page.fill("[name='1-dagen-1-tot']", "16:00")
    click_and_load(page, page.get_by_role("button", name="Volgende"))
    assert "/controleren/" in page.url
    assert "Dag 2:" in page.locator("main").inner_text()
    axe(page, "the check page with two items")

    declaration = page.locator("[name='accept']")
    if declaration.count():
        declaration.check()
    click_and_load(page, page.locator("main form button[type=submit]"))
    assert "/bevestiging/" in page.url
