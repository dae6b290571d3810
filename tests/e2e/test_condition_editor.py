"""The condition editor offers the questions of included reusable steps too.

A form whose first step is a reusable step ("Uw onderneming") and whose second step is
shown only when a rule holds: in the Wagtail editor, the rule's list of earlier
questions holds the reusable step's questions, grouped under its title, and the rule
already saved on that question is selected.
"""

from __future__ import annotations

import copy

import pytest

from cms.demo import TERRACE_STEPS
from tests.e2e.test_form_builder_journey import admin_login, click_centred, use_english_admin
from tests.forms_builder.test_reuse import include, make_reusable_step

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_rules_can_use_the_questions_of_an_included_reusable_step(live_server, new_page, home_page):
    from tests.conftest import make_form_page
    from tests.factories import UserFactory

    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    admin.set_password("beheer-pw")
    admin.save()
    use_english_admin("beheer")
    snippet = make_reusable_step()
    second = copy.deepcopy(TERRACE_STEPS[1])
    second["value"]["condition"] = {
        "combinator": "all",
        "rules": [{"field": "bedrijfsnaam", "operator": "is_filled", "value": ""}],
    }
    page = make_form_page(home_page, steps=[include(snippet), second])

    editor = new_page()
    admin_login(editor, live_server.url, "beheer", "beheer-pw")
    editor.goto(f"{live_server.url}/admin/pages/{page.pk}/edit/")
    question = editor.locator(
        "[data-loket-condition-field]:has([name='steps-1-value-condition-rules-0-value-field'])"
        " select"
    )
    question.wait_for(state="attached")
    offered = question.locator("option").evaluate_all(
        "options => options.map(o => [o.parentElement.label || '', o.value, o.selected])"
    )
    assert offered == [
        ["", "", False],
        ["Uw onderneming", "bedrijfsnaam", True],
        ["Uw onderneming", "naam", False],
        ["Uw onderneming", "email", False],
    ], offered


def test_a_rules_value_is_picked_from_the_questions_options(live_server, new_page, home_page):
    """Issue #14, item 3: the value of a rule on a choice question is one of its options,
    picked from a list (several for "is one of"); other comparisons keep the text box."""
    from tests.conftest import make_form_page
    from tests.factories import UserFactory

    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    admin.set_password("beheer-pw")
    admin.save()
    use_english_admin("beheer")
    closing = {
        "type": "step",
        "value": {
            "title": "Uw windschermen",
            "intro": "",
            "fields": [TERRACE_STEPS[0]["value"]["fields"][1]],
            "condition": {
                "combinator": "all",
                "rules": [{"field": "soort", "operator": "equals", "value": "Overdekt terras"}],
            },
        },
    }
    closing["value"]["fields"][0] = {
        **closing["value"]["fields"][0],
        "value": {**closing["value"]["fields"][0]["value"], "name": "contact"},
    }
    page = make_form_page(home_page, steps=[*copy.deepcopy(TERRACE_STEPS), closing])

    editor = new_page()
    admin_login(editor, live_server.url, "beheer", "beheer-pw")
    editor.goto(f"{live_server.url}/admin/pages/{page.pk}/edit/")
    rule = "steps-2-value-condition-rules-0-value-"
    textbox = editor.locator(f"[name='{rule}value']")
    choice = editor.locator(f"[id='{rule}value-choice']")
    choice.wait_for(state="attached")
    offered = choice.locator("option").evaluate_all(
        "options => options.map(o => [o.value, o.selected])"
    )
    assert offered == [
        ["", False],
        ["Open terras", False],
        ["Terras met windschermen", False],
        ["Overdekt terras", True],
    ], offered
    assert textbox.is_hidden()
    # The step's panels are collapsed: open the step and its condition to use the lists.
    steps = editor.locator(
        "[name='steps-count'] + [data-streamfield-stream-container] > [data-streamfield-child]"
    )
    click_centred(
        steps.nth(2).locator(":scope > section[data-panel] > .w-panel__header [data-panel-toggle]")
    )
    click_centred(
        editor.locator("button[aria-controls='block_group-steps-2-value-condition-content']")
    )
    editor.locator(f"[name='{rule}operator']").select_option("one_of")
    assert choice.evaluate("select => select.multiple")
    choice.select_option(["Open terras", "Overdekt terras"])
    assert textbox.input_value() == "Open terras\nOverdekt terras"
    editor.locator(f"[name='{rule}operator']").select_option("greater_than")
    assert choice.is_hidden() and textbox.is_visible()
