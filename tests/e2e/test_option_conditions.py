"""Options shown on a condition on the same step (issue #15): the browser hides and
shows them as the applicant answers; without the script the server refuses a hidden
option (tests/forms_builder/test_conditional_content.py)."""

from __future__ import annotations

import pytest

from tests.conftest import make_form_page
from tests.forms_builder.test_conditional_content import field, when

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Uw evenement",
            "intro": "",
            "fields": [
                field("yes_no", "Ook in het weekend?", "weekend"),
                field(
                    "single_choice",
                    "Welk moment?",
                    "moment",
                    choices=["Weekdag", "Zondag"],
                    option_conditions=[
                        {"option": "Zondag", "condition": when("weekend", "equals", "yes")}
                    ],
                ),
                field(
                    "single_choice",
                    "Welke zaal?",
                    "zaal",
                    choices=["Kleine zaal", "Tuin"],
                    widget="select",
                    option_conditions=[
                        {"option": "Tuin", "condition": when("weekend", "equals", "yes")}
                    ],
                ),
            ],
        },
    },
    {
        "type": "step",
        "value": {
            "title": "Contact",
            "intro": "",
            "fields": [field("short_text", "Uw naam", "naam")],
        },
    },
]


def test_options_follow_an_answer_on_the_same_step(live_server, home_page, team, new_page, axe):
    form = make_form_page(
        home_page, slug="evenement", reference_prefix="EVE", steps=STEPS, team=team
    )
    page = new_page()
    page.goto(live_server.url + form.url + "stap/1/")

    sunday = page.get_by_label("Zondag")
    garden = page.locator("select[name='1-zaal'] option[value='Tuin']")
    assert not sunday.is_visible() and sunday.is_disabled()
    assert garden.is_disabled()
    axe(page, "a step with an option hidden by an answer on the same step")

    page.get_by_label("Ja").check()
    assert sunday.is_visible() and sunday.is_enabled()
    assert garden.is_enabled()
    sunday.check()
    page.locator("select[name='1-zaal']").select_option("Tuin")
    axe(page, "the same step with the option shown")

    page.get_by_label("Nee").check()
    assert not sunday.is_visible() and not sunday.is_checked()
    assert garden.is_disabled()
    assert page.locator("select[name='1-zaal']").input_value() == ""

    page.get_by_label("Weekdag").check()
    page.locator("select[name='1-zaal']").select_option("Kleine zaal")
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende").click()
    assert page.get_by_label("Uw naam").is_visible()
