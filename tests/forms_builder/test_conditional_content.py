"""Conditions on every block (issue #15): information texts, headings and the options
of a single choice question shown only on a condition, decided on the server (the step
works the same without JavaScript); a hidden option is no accepted answer."""

import pytest
from django.utils import translation

from forms_builder.conditions import answers_by_name, validate_conditions, visible_steps
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db


def field(type_id, label, name, **options):
    return {"type": type_id, "value": {"label": label, "name": name, "required": True, **options}}


def when(field_name, operator, value=""):
    return {
        "combinator": "all",
        "rules": [{"field": field_name, "operator": operator, "value": value}],
    }


def content(type_id, text, condition):
    return {"type": type_id, "value": {"text": text, "condition": condition}}


def event_steps():
    return [
        {
            "type": "step",
            "value": {
                "title": "Het evenement",
                "intro": "",
                "fields": [
                    field("single_choice", "Grootte", "grootte", choices=["Klein", "Groot"]),
                    field("time", "Begin", "begin"),
                ],
            },
        },
        {
            "type": "step",
            "value": {
                "title": "Details",
                "intro": "",
                "fields": [
                    content(
                        "heading",
                        "Veiligheid bij grote evenementen",
                        when("grootte", "equals", "Groot"),
                    ),
                    content(
                        "information",
                        "<p>Na 22 uur geldt de nachtregeling.</p>",
                        when("begin", "time_after", "22:00"),
                    ),
                    field("yes_no", "Ook in het weekend?", "weekend"),
                    field(
                        "single_choice",
                        "Welk moment?",
                        "moment",
                        choices=["Weekdag", "Zondag", "Nacht"],
                        option_conditions=[
                            {"option": "Nacht", "condition": when("begin", "time_after", "22:00")},
                            {"option": "Zondag", "condition": when("weekend", "equals", "yes")},
                        ],
                    ),
                ],
            },
        },
    ]


@pytest.fixture
def event_page(home_page):
    return make_form_page(
        home_page, title="Evenement", slug="evenement", reference_prefix="EVE", steps=event_steps()
    )


def post(client, page, key, data):
    management = {f"loket-form-{page.pk}-current_step": key}
    with translation.override("nl"):
        return client.post(page.url + f"stap/{key}/", {**management, **data})


def second_step(client, page, grootte, begin):
    assert post(client, page, "1", {"1-grootte": grootte, "1-begin": begin}).status_code == 302
    with translation.override("nl"):
        return client.get(page.url + "stap/2/").content.decode()


def test_blocks_whose_condition_fails_are_not_on_the_page(client, event_page):
    html = second_step(client, event_page, "Klein", "20:00")
    assert "Veiligheid bij grote evenementen" not in html
    assert "nachtregeling" not in html
    assert 'value="Weekdag"' in html and 'value="Nacht"' not in html
    # An option on a condition on this step's own answer is shown; the server decides.
    assert 'value="Zondag"' in html


def test_blocks_whose_condition_holds_are_shown(client, event_page):
    html = second_step(client, event_page, "Groot", "23:15")
    assert "<h2>Veiligheid bij grote evenementen</h2>" in html
    assert "Na 22 uur geldt de nachtregeling." in html
    assert 'value="Nacht"' in html


def test_a_tampered_post_with_a_hidden_option_gets_a_dutch_message(client, event_page):
    second_step(client, event_page, "Klein", "20:00")
    response = post(client, event_page, "2", {"2-weekend": "no", "2-moment": "Nacht"})
    assert response.status_code == 200
    assert "U kunt “Nacht” niet kiezen met uw antwoorden." in response.content.decode()
    assert response.context["form"].errors["moment"]


def test_an_option_on_a_condition_on_the_same_step_is_checked_when_sent(client, event_page):
    second_step(client, event_page, "Klein", "20:00")
    refused = post(client, event_page, "2", {"2-weekend": "no", "2-moment": "Zondag"})
    assert refused.status_code == 200
    assert "U kunt “Zondag” niet kiezen met uw antwoorden." in refused.content.decode()
    accepted = post(client, event_page, "2", {"2-weekend": "yes", "2-moment": "Zondag"})
    assert accepted.status_code == 302


def test_an_option_hidden_by_a_changed_earlier_answer_is_no_answer(event_page):
    schema = event_page.get_schema()
    answers = {
        schema["steps"][0]["id"]: {"grootte": "Klein", "begin": "20:00"},
        schema["steps"][1]["id"]: {"weekend": False, "moment": "Nacht"},
    }
    known = answers_by_name(schema, answers, visible_steps(schema, answers))
    assert "moment" not in known and known["weekend"] is False
    answers[schema["steps"][0]["id"]]["begin"] = "22:30"
    assert answers_by_name(schema, answers, visible_steps(schema, answers))["moment"] == "Nacht"


def test_the_schema_keeps_option_conditions_only_when_there_are_some(event_page):
    schema = event_page.get_schema()
    first, second = schema["steps"]
    assert "option_conditions" not in first["fields"][0]["options"]
    assert second["fields"][3]["options"]["option_conditions"] == [
        {
            "option": "Nacht",
            "condition": {
                "combinator": "all",
                "rules": [{"field": "begin", "operator": "time_after", "value": "22:00"}],
            },
        },
        {
            "option": "Zondag",
            "condition": {
                "combinator": "all",
                "rules": [{"field": "weekend", "operator": "equals", "value": "yes"}],
            },
        },
    ]
    assert second["fields"][0]["condition"]["rules"][0]["field"] == "grootte"
    assert validate_conditions(schema) == []


def test_option_conditions_are_checked_on_save(event_page):
    schema = event_page.get_schema()
    moment = schema["steps"][1]["fields"][3]
    moment["options"]["option_conditions"] = [
        {"option": "Maandag", "condition": when("begin", "is_filled")},
        {"option": "Nacht", "condition": when("later", "is_filled")},
        {"option": "Zondag", "condition": when("moment", "is_filled")},
    ]
    with translation.override("en"):
        assert validate_conditions(schema) == [
            "Step “Details”, question “Welk moment?”: “Maandag” is shown on a condition, but "
            "it is not one of the options of the question (Weekdag, Zondag, Nacht).",
            "Step “Details”, question “Welk moment?”, option “Nacht”: the condition uses "
            "“later”, but the form has no question with that machine name.",
            "Step “Details”, question “Welk moment?”, option “Zondag”: the condition uses the "
            "answer to this same question.",
        ]


def test_a_heading_on_a_later_answer_is_refused_with_step_and_field_named(event_page):
    schema = event_page.get_schema()
    schema["steps"][0]["fields"].insert(
        0,
        {
            "type": "heading",
            "options": {"text": "Over uw evenement"},
            "condition": when("weekend", "equals", "yes"),
        },
    )
    with translation.override("en"):
        [message] = validate_conditions(schema)
    assert message.startswith("Step “Het evenement”, question “heading”: the condition")
    assert "“Ook in het weekend?” (weekend), which comes later" in message


def test_options_on_this_steps_answers_are_described_for_the_script(client, event_page):
    """The script (js/conditions.js) hides and shows them as the applicant answers;
    an option on an earlier answer is decided by the server and not described."""
    import html
    import json
    import re

    page = second_step(client, event_page, "Klein", "20:00")

    attribute = re.search(r'data-field-name="moment"[^>]*data-option-conditions="([^"]*)"', page)
    assert attribute, "the question with options on this step's answers carries them"
    entries = json.loads(html.unescape(attribute.group(1)))
    assert entries == [
        {
            "option": "Zondag",
            "condition": {
                "combinator": "all",
                "rules": [{"field": "weekend", "operator": "equals", "value": "yes"}],
                "answers": {},
            },
        }
    ]
    assert 'value="Nacht"' not in page  # on an earlier answer: left out by the server
