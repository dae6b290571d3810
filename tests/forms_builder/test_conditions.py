"""Conditions on steps and fields: evaluating, visibility, checking, schema output."""

from __future__ import annotations

import copy
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail import hooks

from cms.demo import TERRACE_STEPS
from forms_builder.conditions import (
    OPERATOR_CHOICES,
    answers_by_name,
    client_condition_json,
    evaluate,
    validate_conditions,
    visible_fields,
    visible_steps,
)
from forms_builder.models import ApplicationFormPage
from forms_builder.schema import build_schema

CONDITIONS_JS = (
    Path(__file__).resolve().parents[2]
    / "forms_builder"
    / "static"
    / "forms_builder"
    / "js"
    / "conditions.js"
)


def rule(field: str, operator: str, value=None) -> dict:
    return {"field": field, "operator": operator, "value": value}


def when(*rules: dict, combinator: str = "all") -> dict:
    return {"combinator": combinator, "rules": list(rules)}


def field(name: str, condition: dict | None = None, label: str = "") -> dict:
    return {
        "type": "short_text",
        "name": name,
        "label": label or name.title(),
        "condition": condition,
    }


def step(step_id: str, *fields: dict, condition: dict | None = None, title: str = "") -> dict:
    return {
        "id": step_id,
        "title": title or step_id,
        "condition": condition,
        "fields": list(fields),
    }


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids); nl is the site's default."""
    with translation.override("en"):
        yield


# --- operators -------------------------------------------------------------------------

#: (operator, rule value, stored answer, holds?) — run on the server and in the browser.
OPERATOR_CASES = [
    ("equals", "Overdekt terras", "Overdekt terras", True),
    ("equals", " overdekt TERRAS ", "Overdekt terras", True),
    ("equals", "Open terras", "Overdekt terras", False),
    ("equals", "yes", True, True),
    ("equals", "ja", True, True),
    ("equals", "no", True, False),
    ("equals", "nee", False, True),
    ("equals", "misschien", True, False),
    ("equals", "10", 10, True),
    ("equals", "10,0", 10, True),
    ("equals", 10, 10, True),
    ("equals", "11", 10, False),
    ("equals", "tien", 10, False),
    ("equals", "12,5", "12.50", True),
    ("equals", "12,5", "12.51", False),
    ("equals", "Open terras", ["Open terras", "Overdekt terras"], True),
    ("equals", "Gesloten", ["Open terras"], False),
    ("equals", "x", None, False),
    ("equals", "x", {"x": 1}, False),
    ("not_equals", "Open terras", "Overdekt terras", True),
    ("not_equals", "Open terras", "open terras", False),
    ("not_equals", "Open terras", None, True),
    ("not_equals", "Open terras", "", True),
    ("not_equals", "yes", False, True),
    ("not_equals", "tien", 10, False),
    ("not_equals", "misschien", True, False),
    ("not_equals", "x", {"x": 1}, False),
    ("not_equals", "a", ["a", "b"], False),
    ("not_equals", "c", ["a", "b"], True),
    ("one_of", ["Open terras", "Overdekt terras"], "Overdekt terras", True),
    ("one_of", ["Open terras"], "Overdekt terras", False),
    ("one_of", ["b", "z"], ["a", "b"], True),
    ("one_of", ["z"], ["a", "b"], False),
    ("one_of", "a\nb", "b", True),
    ("one_of", ["1", "2"], 2, True),
    ("one_of", ["yes"], True, True),
    ("one_of", [], "a", False),
    ("one_of", 5, 5, False),
    ("one_of", ["a"], None, False),
    ("is_filled", None, "x", True),
    ("is_filled", None, False, True),
    ("is_filled", None, 0, True),
    ("is_filled", None, ["a"], True),
    ("is_filled", None, "  ", False),
    ("is_filled", None, None, False),
    ("is_filled", None, [], False),
    ("is_empty", None, None, True),
    ("is_empty", None, "", True),
    ("is_empty", None, [], True),
    ("is_empty", None, {}, True),
    ("is_empty", None, "x", False),
    ("is_empty", None, False, False),
    ("greater_than", 10, 11, True),
    ("greater_than", 10, 10, False),
    ("greater_than", 10, 9, False),
    ("greater_than", "10,5", 11, True),
    ("greater_than", 10, "11", True),
    ("greater_than", 10, "elf", False),
    ("greater_than", "tien", 11, False),
    ("greater_than", 10, None, False),
    ("greater_than", 0, True, False),
    ("greater_than", 1, ["2"], False),
    ("less_than", 10, 9, True),
    ("less_than", 10, 10, False),
    ("less_than", 10, 11, False),
    ("less_than", 10, "", False),
    ("before", "2025-06-30", "2025-06-01", True),
    ("before", "2025-06-30", "2025-06-30", False),
    ("before", "2025-06-30", "2025-07-01", False),
    ("before", "30/06/2025", "2025-06-01", True),
    ("before", "2025-06-30", "geen datum", False),
    ("before", "2025-06-30", 20250601, False),
    ("before", "2025-06-30", None, False),
    ("before", "2025-02-30", "2025-01-01", False),
    ("after", "2025-06-30", "2025-07-01", True),
    ("after", "2025-06-30", "2025-06-30", False),
    ("after", "2025-06-30", "2025-06-01", False),
    ("after", "2025-06-30", True, False),
    ("time_before", "14:30", "14:00", True),
    ("time_before", "14:30", "14:30", False),
    ("time_before", "14:30", "15:00", False),
    ("time_before", "9.05", "08:59", True),
    ("time_before", "14u30", "2026-07-01T14:29", True),
    ("time_before", "14:30", "25:00", False),
    ("time_before", "14:30", None, False),
    ("time_before", "14:30", 1400, False),
    ("time_before", "morgen", "14:00", False),
    ("time_after", "22:00", "23:15", True),
    ("time_after", "22:00", "22:00", False),
    ("time_after", "22:00", "06:00", False),
    ("time_after", "22:00", "22:00:30", False),
    ("time_after", "22:00", ["23:00"], False),
    ("count_at_least", 2, ["a", "b"], True),
    ("count_at_least", "2", ["a", "b", "c"], True),
    ("count_at_least", 2, ["a"], False),
    ("count_at_least", 1, [], False),
    ("count_at_least", 1, None, False),
    ("count_at_least", 0, None, True),
    ("count_at_least", 2, [{"dag": "2026-07-01"}, {"dag": "2026-07-02"}], True),
    ("count_at_least", 1, "a", False),
    ("count_at_least", "twee", ["a", "b"], False),
    ("count_at_least", "1,5", ["a", "b"], False),
    ("count_at_least", -1, ["a"], False),
    ("count_at_least", True, ["a"], False),
    ("count_at_most", 1, ["a"], True),
    ("count_at_most", 1, ["a", "b"], False),
    ("count_at_most", 0, [], True),
    ("count_at_most", 2, None, True),
    ("count_at_most", "3,0", ["a", "b", "c"], True),
    ("count_at_most", 2, 2, False),
    ("contains", "x", "x", False),
]


@pytest.mark.parametrize(("operator", "value", "answer", "expected"), OPERATOR_CASES)
def test_operator(operator, value, answer, expected):
    condition = when(rule("q", operator, value))
    assert evaluate(condition, {"q": answer}) is expected


def test_an_unanswered_question_is_empty():
    assert evaluate(when(rule("q", "is_empty")), {}) is True
    assert evaluate(when(rule("q", "equals", "x")), {}) is False


@pytest.mark.parametrize("condition", [None, {}, {"rules": []}, {"rules": "nonsense"}, "x", 3])
def test_no_condition_always_holds(condition):
    assert evaluate(condition, {}) is True


def test_weird_rules_and_answers_do_not_raise():
    assert evaluate({"rules": ["nonsense"]}, {}) is False
    assert evaluate({"rules": [{"operator": "equals"}]}, {}) is False
    assert evaluate({"rules": [{"field": ["q"], "operator": "is_empty"}]}, {}) is True
    assert evaluate(when(rule("q", "is_empty")), "not a dict") is True


def test_all_of_needs_every_rule():
    condition = when(rule("a", "equals", "yes"), rule("b", "greater_than", 10))
    assert evaluate(condition, {"a": True, "b": 11}) is True
    assert evaluate(condition, {"a": True, "b": 10}) is False
    assert evaluate(condition, {"a": False, "b": 11}) is False


def test_any_of_needs_one_rule():
    condition = when(rule("a", "equals", "yes"), rule("b", "greater_than", 10), combinator="any")
    assert evaluate(condition, {"a": False, "b": 11}) is True
    assert evaluate(condition, {"a": True, "b": 1}) is True
    assert evaluate(condition, {"a": False, "b": 1}) is False


def test_a_group_counts_as_one_rule():
    """Covered, and (larger than 50 m² or heated)."""
    condition = when(
        rule("soort", "equals", "Overdekt"),
        when(rule("m2", "greater_than", 50), rule("verwarming", "equals", "yes"), combinator="any"),
    )
    assert evaluate(condition, {"soort": "Overdekt", "m2": 60, "verwarming": False}) is True
    assert evaluate(condition, {"soort": "Overdekt", "m2": 10, "verwarming": True}) is True
    assert evaluate(condition, {"soort": "Overdekt", "m2": 10, "verwarming": False}) is False
    assert evaluate(condition, {"soort": "Open", "m2": 60, "verwarming": True}) is False


def test_groups_nest_and_an_empty_group_holds():
    inner = when(rule("a", "is_filled"), rule("b", "is_filled"))
    middle = when(inner, rule("d", "is_filled"), combinator="any")
    condition = when(rule("c", "is_filled"), middle, combinator="any")
    assert evaluate(condition, {"a": 1, "b": 1}) is True
    assert evaluate(condition, {"a": 1}) is False
    assert evaluate(condition, {"d": 1}) is True
    assert evaluate(when(when()), {}) is True


def test_groups_nested_too_deep_do_not_hold_and_do_not_raise():
    deep = when(rule("a", "is_filled"))
    for _level in range(2000):
        deep = when(deep)
    assert evaluate(deep, {"a": "x"}) is False
    assert evaluate(when(when(when(rule("a", "is_filled")))), {"a": "x"}) is True


def test_referenced_fields_look_inside_groups():
    from forms_builder.conditions import referenced_fields

    condition = when(rule("a", "is_filled"), when(rule("b", "is_filled"), when(rule("c", "x"))))
    assert referenced_fields(condition) == {"a", "b", "c"}


def test_a_condition_on_a_calculated_value():
    """Conditions can use a calculation's value (issue #15): visible_steps works them out
    from the answers of the steps before."""
    schema = {
        "steps": [
            step(
                "size",
                {**field("lengte"), "type": "integer"},
                {**field("breedte"), "type": "integer"},
            ),
            step("large", field("plan"), condition=when(rule("oppervlakte", "greater_than", 50))),
        ],
        "calculations": [
            {"name": "oppervlakte", "label": "Oppervlakte", "formula": "lengte * breedte"}
        ],
    }
    assert visible_steps(schema, {"size": {"lengte": 10, "breedte": 6}}) == ["size", "large"]
    assert visible_steps(schema, {"size": {"lengte": 5, "breedte": 6}}) == ["size"]
    assert validate_conditions(schema) == []


def test_an_unknown_combinator_means_all_of():
    condition = when(rule("a", "is_filled"), rule("b", "is_filled"), combinator="most")
    assert evaluate(condition, {"a": "x"}) is False
    assert evaluate(condition, {"a": "x", "b": "y"}) is True


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_agrees_with_the_server():
    """conditions.js runs the same operator cases to the same results."""
    cases = [
        {"condition": when(rule("q", operator, value)), "answer": answer}
        for operator, value, answer, _expected in OPERATOR_CASES
    ]
    script = (
        f"const {{evaluate}} = require({json.dumps(str(CONDITIONS_JS))});\n"
        f"const cases = {json.dumps(cases)};\n"
        "console.log(JSON.stringify(cases.map(c => "
        "evaluate(c.condition, name => name in {q: 1} ? c.answer : null))));\n"
    )
    result = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    browser = json.loads(result.stdout)
    mismatches = [
        case[:3]
        for case, outcome in zip(OPERATOR_CASES, browser, strict=True)
        if outcome != case[3]
    ]
    assert mismatches == []


# --- visible steps and fields ----------------------------------------------------------

TERRACE = {
    "steps": [
        step("kind", field("soort")),
        step(
            "covered",
            field("oppervlakte"),
            field("ramen", when(rule("soort", "equals", "Overdekt terras"))),
            condition=when(rule("soort", "one_of", ["Overdekt terras", "Terras met windschermen"])),
        ),
        step("large", field("bouwplan"), condition=when(rule("oppervlakte", "greater_than", 50))),
        step("simple", field("opmerking"), condition=when(rule("oppervlakte", "is_empty"))),
        step("windows", field("glas"), condition=when(rule("ramen", "is_filled"))),
    ]
}


def test_visible_steps_follow_the_chain_of_answers():
    answers = {"kind": {"soort": "Overdekt terras"}, "covered": {"oppervlakte": 60, "ramen": 4}}
    assert visible_steps(TERRACE, answers) == ["kind", "covered", "large", "windows"]


def test_answers_of_a_skipped_step_count_as_empty():
    # The applicant first chose a covered terrace, then went back and chose an open one:
    # the stored answers of the now skipped step must not open the steps after it.
    answers = {"kind": {"soort": "Open terras"}, "covered": {"oppervlakte": 60, "ramen": 4}}
    assert visible_steps(TERRACE, answers) == ["kind", "simple"]


def test_answers_of_a_hidden_field_count_as_empty():
    answers = {
        "kind": {"soort": "Terras met windschermen"},
        "covered": {"oppervlakte": 10, "ramen": 4},
    }
    assert visible_steps(TERRACE, answers) == ["kind", "covered"]


def test_visible_steps_without_answers_or_with_weird_answers():
    assert visible_steps(TERRACE, {}) == ["kind", "simple"]
    assert visible_steps(TERRACE, {"kind": "nonsense"}) == ["kind", "simple"]
    assert visible_steps({"steps": "nonsense"}, {}) == []


def test_visible_fields_in_one_step():
    schema_step = step(
        "terrace",
        field("terras"),
        field("soort", when(rule("terras", "equals", "yes"))),
        field("schermen", when(rule("soort", "equals", "Terras met windschermen"))),
    )
    answers = {"terras": True, "soort": "Terras met windschermen"}
    assert visible_fields(schema_step, answers) == {"terras", "soort", "schermen"}
    # Hiding "soort" hides "schermen" too, although a stale answer to "soort" is there.
    answers["terras"] = False
    assert visible_fields(schema_step, answers) == {"terras"}


def test_answers_by_name_keeps_visible_answers_only():
    answers = {
        "kind": {"soort": "Terras met windschermen"},
        "covered": {"oppervlakte": 60, "ramen": 4},
        "large": {"bouwplan": "ja"},
    }
    visible = visible_steps(TERRACE, answers)
    assert visible == ["kind", "covered", "large"]
    assert answers_by_name(TERRACE, answers, visible) == {
        "soort": "Terras met windschermen",
        "oppervlakte": 60,
        "bouwplan": "ja",
    }


# --- checking what editors built -------------------------------------------------------


def test_valid_conditions_give_no_messages():
    assert validate_conditions(TERRACE) == []


def test_a_missing_field_is_refused():
    schema = {
        "steps": [
            step("one", field("naam")),
            step("two", field("x"), title="Uw terras", condition=when(rule("soort", "is_filled"))),
        ]
    }
    assert validate_conditions(schema) == [
        "Step “Uw terras”: the condition uses “soort”, but the form has no question with "
        "that machine name."
    ]


def test_a_later_field_is_refused():
    schema = {
        "steps": [
            step(
                "one",
                field("naam", when(rule("soort", "equals", "Open")), label="Uw naam"),
                title="Uw onderneming",
            ),
            step("two", field("soort", label="Soort terras"), title="Uw terras"),
        ]
    }
    assert validate_conditions(schema) == [
        "Step “Uw onderneming”, question “Uw naam”: the condition uses “Soort terras” (soort), "
        "which comes later in the form (step “Uw terras”). A condition can only use answers "
        "to earlier questions."
    ]


def test_a_later_field_in_the_same_step_is_refused():
    schema = {
        "steps": [
            step(
                "one",
                field("a", when(rule("b", "is_filled")), label="Vraag A"),
                field("b", label="Vraag B"),
                title="Stap",
            )
        ]
    }
    [message] = validate_conditions(schema)
    assert "question “Vraag A”" in message and "comes later" in message


def test_an_earlier_field_in_the_same_step_is_fine_for_a_field():
    schema = {"steps": [step("one", field("a"), field("b", when(rule("a", "is_filled"))))]}
    assert validate_conditions(schema) == []


def test_a_step_cannot_use_its_own_fields():
    schema = {
        "steps": [step("one", field("a"), title="Stap een", condition=when(rule("a", "is_filled")))]
    }
    [message] = validate_conditions(schema)
    assert message.startswith("Step “Stap een”: the condition uses “A” (a), which is on this")


def test_a_field_cannot_use_itself():
    schema = {"steps": [step("one", field("a", when(rule("a", "is_filled")), label="Vraag A"))]}
    assert validate_conditions(schema) == [
        "Step “one”, question “Vraag A”: the condition uses the answer to this same question."
    ]


@pytest.mark.parametrize(
    ("operator", "value", "needs"),
    [
        ("greater_than", "veel", "needs a number"),
        ("before", "morgen", "needs a date"),
        ("one_of", [], "needs at least one option"),
        ("equals", "", "needs a value"),
        ("contains", "x", "unknown comparison"),
        ("time_before", "namiddag", "needs a time of day"),
        ("time_after", "24:00", "needs a time of day"),
        ("count_at_least", "twee", "needs a whole number"),
        ("count_at_most", "-1", "needs a whole number"),
    ],
)
def test_values_must_suit_the_operator(operator, value, needs):
    schema = {
        "steps": [step("one", field("a")), step("two", condition=when(rule("a", operator, value)))]
    }
    [message] = validate_conditions(schema)
    assert needs in message


def test_a_rule_without_a_question_is_refused():
    schema = {"steps": [step("one", condition=when(rule("", "is_filled")), title="Stap")]}
    assert validate_conditions(schema) == ["Step “Stap”: a rule of the condition has no question."]


# --- the schema ------------------------------------------------------------------------


def terrace_page_with_conditions() -> ApplicationFormPage:
    steps = copy.deepcopy(TERRACE_STEPS)
    terrace_fields = steps[1]["value"]["fields"]
    steps[1]["value"]["condition"] = {
        "combinator": "any",
        "rules": [
            {"field": "bedrijfsnaam", "operator": "is_filled", "value": "ignored"},
            {"field": "naam", "operator": "one_of", "value": "Jan\n Piet \n\n"},
        ],
    }
    terrace_fields[2]["value"]["condition"] = {
        "combinator": "all",
        "rules": [
            {"field": "oppervlakte", "operator": "greater_than", "value": " 12,5 "},
            {"field": "oppervlakte", "operator": "less_than", "value": "100"},
        ],
    }
    terrace_fields[3]["value"]["condition"] = {
        "rules": [{"field": "startdatum", "operator": "after", "value": "30/06/2025"}]
    }
    return ApplicationFormPage(title="Terras", steps=steps, reference_prefix="TER")


def test_build_schema_includes_conditions(db):
    schema = build_schema(terrace_page_with_conditions())
    first, second = schema["steps"]
    assert first["condition"] is None
    assert all(field["condition"] is None for field in first["fields"])
    assert second["condition"] == {
        "combinator": "any",
        "rules": [
            {"field": "bedrijfsnaam", "operator": "is_filled", "value": None},
            {"field": "naam", "operator": "one_of", "value": ["Jan", "Piet"]},
        ],
    }
    fields = {field["name"]: field for field in second["fields"]}
    assert fields["adres"]["condition"] is None
    assert fields["startdatum"]["condition"] == {
        "combinator": "all",
        "rules": [
            {"field": "oppervlakte", "operator": "greater_than", "value": 12.5},
            {"field": "oppervlakte", "operator": "less_than", "value": 100},
        ],
    }
    assert fields["soort"]["condition"] == {
        "combinator": "all",
        "rules": [{"field": "startdatum", "operator": "after", "value": "2025-06-30"}],
    }
    assert "condition" not in fields["soort"]["options"]
    assert validate_conditions(schema) == []
    json.dumps(schema)  # plain JSON, ready to be frozen


def test_a_condition_without_rules_is_none_in_the_schema(db):
    steps = copy.deepcopy(TERRACE_STEPS)
    steps[1]["value"]["condition"] = {"combinator": "any", "rules": []}
    schema = build_schema(ApplicationFormPage(title="T", steps=steps, reference_prefix="TER"))
    assert schema["steps"][1]["condition"] is None


# --- the applicant's browser and the editor's ------------------------------------------


class ConditionalForm(forms.Form):
    soort = forms.CharField()
    ramen = forms.IntegerField(required=False)


def test_field_wrapper_carries_the_condition_for_the_browser():
    form = ConditionalForm(prefix="2")
    condition = when(rule("soort", "equals", "Overdekt"), rule("terras", "equals", "yes"))
    form.fields["ramen"].loket_condition = client_condition_json(
        condition, {"terras": True, "naam": "Jan"}
    )
    html = render_to_string("theme/components/field.html", {"field": form["ramen"]})
    assert 'data-field-name="ramen"' in html
    attribute = html.split('data-condition="', 1)[1].split('"', 1)[0]
    payload = json.loads(attribute.replace("&quot;", '"'))
    assert payload == {**condition, "answers": {"terras": True}}
    plain = render_to_string("theme/components/field.html", {"field": form["soort"]})
    assert 'data-field-name="soort"' in plain and "data-condition" not in plain


@pytest.mark.django_db
def test_the_editor_loads_the_condition_editor_script_with_the_reusable_steps():
    from tests.forms_builder.test_reuse import make_reusable_step

    published = make_reusable_step()
    make_reusable_step("Nog niet klaar", publish=False)

    scripts = "".join(str(hook()) for hook in hooks.get_hooks("insert_editor_js"))

    assert "forms_builder/js/condition-editor.js" in scripts
    data = re.search(
        r'<script id="loket-reusable-step-questions" type="application/json">(.*?)</script>',
        scripts,
    )
    assert json.loads(data.group(1)) == {
        str(published.pk): {
            "title": "Uw onderneming",
            "questions": [
                {
                    "label": "Naam van de onderneming",
                    "name": "bedrijfsnaam",
                    "type": "short_text",
                    "choices": [],
                },
                {"label": "Uw naam", "name": "naam", "type": "short_text", "choices": []},
                {"label": "Uw e-mailadres", "name": "email", "type": "email", "choices": []},
            ],
        }
    }


def test_a_value_that_is_not_one_of_the_options_is_refused():
    """Issue #14, item 3: "grot werk" for "Groot werk" saved silently before, and the
    question never appeared."""
    kind = {**field("werk", label="Soort werk"), "options": {"choices": ["Groot werk", "Klein"]}}
    schema = {
        "steps": [
            step("one", kind, title="Het werk"),
            step(
                "two",
                field("plan"),
                title="Uw plan",
                condition=when(rule("werk", "one_of", ["groot werk", "grot werk"])),
            ),
            step("three", field("x"), condition=when(rule("werk", "equals", "KLEIN"))),
        ]
    }

    assert validate_conditions(schema) == [
        "Step “Uw plan”: the rule on “Soort werk” (werk) uses “grot werk”, which is not one "
        "of its options (Groot werk, Klein)."
    ]


def typed(name: str, type_id: str, label: str = "", **options) -> dict:
    return {**field(name, label=label), "type": type_id, "options": options}


@pytest.mark.parametrize(
    ("operator", "value", "question", "accepted"),
    [
        ("time_before", "14:30", typed("uur", "time"), True),
        ("time_after", "14:30", typed("naam", "short_text"), False),
        ("count_at_least", 2, typed("soorten", "multiple_choice", choices=["a", "b"]), True),
        ("count_at_most", 2, typed("naam", "short_text"), False),
        ("count_at_least", 2, typed("dagen", "repeatable", fields=[typed("dag", "date")]), True),
    ],
)
def test_time_and_count_rules_need_a_question_that_suits_them(operator, value, question, accepted):
    schema = {
        "steps": [
            step("one", question, title="Het evenement"),
            step(
                "two",
                field("x"),
                title="Meer",
                condition=when(rule(question["name"], operator, value)),
            ),
        ]
    }
    errors = validate_conditions(schema)
    assert (errors == []) is accepted
    if not accepted:
        [message] = errors
        assert message.startswith(
            f"Step “Meer”: the rule on “{question['label']}” ({question['name']})"
        )


def test_a_count_on_a_calculation_is_refused():
    schema = {
        "steps": [
            step("one", typed("aantal", "integer")),
            step("two", condition=when(rule("dubbel", "count_at_least", 1))),
        ],
        "calculations": [{"name": "dubbel", "label": "Dubbel", "formula": "aantal * 2"}],
    }
    [message] = validate_conditions(schema)
    assert "counts ticked options or added items" in message


def test_rules_inside_a_group_are_checked_with_step_and_field_named():
    schema = {
        "steps": [
            step("one", field("naam"), title="Uw gegevens"),
            step(
                "two",
                field("x"),
                title="Het terras",
                condition=when(rule("naam", "is_filled"), when(rule("verdwenen", "is_filled"))),
            ),
            step("three", field("later", label="Later"), title="Slot"),
        ]
    }
    schema["steps"][0]["fields"][0]["condition"] = when(when(rule("later", "is_filled")))
    assert validate_conditions(schema) == [
        "Step “Uw gegevens”, question “Naam”: the condition uses “Later” (later), which comes "
        "later in the form (step “Slot”). A condition can only use answers to earlier questions.",
        "Step “Het terras”: the condition uses “verdwenen”, but the form has no question with "
        "that machine name.",
    ]


def test_groups_and_new_values_in_the_schema(db):
    steps = copy.deepcopy(TERRACE_STEPS)
    steps[1]["value"]["condition"] = {
        "combinator": "all",
        "rules": [{"field": "naam", "operator": "is_filled", "value": ""}],
        "groups": [
            {
                "combinator": "any",
                "rules": [
                    {"field": "naam", "operator": "time_after", "value": " 9u05 "},
                    {"field": "naam", "operator": "count_at_most", "value": "3"},
                ],
            },
            {"combinator": "all", "rules": []},
        ],
    }
    schema = build_schema(ApplicationFormPage(title="T", steps=steps, reference_prefix="TER"))
    assert schema["steps"][1]["condition"] == {
        "combinator": "all",
        "rules": [
            {"field": "naam", "operator": "is_filled", "value": None},
            {
                "combinator": "any",
                "rules": [
                    {"field": "naam", "operator": "time_after", "value": "09:05"},
                    {"field": "naam", "operator": "count_at_most", "value": 3},
                ],
            },
        ],
    }


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_agrees_with_the_server_on_groups():
    conditions = [
        when(
            rule("a", "is_filled"),
            when(rule("b", "is_filled"), rule("c", "is_filled"), combinator="any"),
        ),
        when(rule("a", "is_empty"), when(when(rule("b", "is_filled"))), combinator="any"),
        when(when()),
    ]
    answers = [{}, {"a": "x"}, {"a": "x", "c": "y"}, {"b": "y"}]
    cases = [{"condition": c, "answers": a} for c in conditions for a in answers]
    script = (
        f"const {{evaluate}} = require({json.dumps(str(CONDITIONS_JS))});\n"
        f"const cases = {json.dumps(cases)};\n"
        "console.log(JSON.stringify(cases.map(c => "
        "evaluate(c.condition, name => name in c.answers ? c.answers[name] : null))));\n"
    )
    result = subprocess.run(
        ["node", "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(result.stdout) == [evaluate(c["condition"], c["answers"]) for c in cases]


# --- fuzzing the evaluator ---------------------------------------------------------------

FUZZ_NAMES = ["a", "b", "c"]
fuzz_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 1000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["14:30", "25:00", "2026-07-01T22:15", "2026-02-30", "3", "3,0", "-1"]),
    st.lists(st.text(max_size=5), max_size=4),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
fuzz_rules = st.fixed_dictionaries(
    {
        "field": st.sampled_from(FUZZ_NAMES + ["", "x"]) | st.integers(),
        "operator": st.sampled_from([op for op, _label in OPERATOR_CHOICES] + ["nonsense"]),
        "value": fuzz_values,
    }
)
fuzz_conditions = st.recursive(
    fuzz_rules,
    lambda children: st.fixed_dictionaries(
        {
            "combinator": st.sampled_from(["all", "any", "most", None]),
            "rules": st.lists(children, max_size=3),
        }
    ),
    max_leaves=10,
)


@settings(max_examples=300, deadline=None)
@given(
    condition=fuzz_conditions,
    answers=st.dictionaries(st.sampled_from(FUZZ_NAMES), fuzz_values, max_size=3),
)
def test_fuzzed_conditions_never_raise_and_are_deterministic(condition, answers):
    """Random nested groups, operators, values and answers: evaluate() gives a bool,
    the same one twice, and checking the condition on save never raises either."""
    condition = condition if "rules" in condition else when(condition)
    first = evaluate(condition, answers)
    assert isinstance(first, bool)
    assert evaluate(condition, answers) is first
    schema = {"steps": [step("one", *(field(name) for name in FUZZ_NAMES)), step("two")]}
    schema["steps"][1]["condition"] = condition
    assert all(isinstance(message, str) for message in validate_conditions(schema))
