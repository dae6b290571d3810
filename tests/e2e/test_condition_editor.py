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
from tests.e2e.test_form_builder_journey import admin_login, use_english_admin
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
