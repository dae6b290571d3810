"""Rules between answers: every ready-made kind and a free formula, checked on the server
on the step of their last answer, shown next to the right question and in the error
summary; refused when saved if they cannot work; frozen with the form."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dossiers.models import Dossier
from forms_builder import rules
from forms_builder.models import ClosingDays
from forms_builder.schema import freeze_schema
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db


def field(type_id, label, name, **options):
    return {"type": type_id, "value": {"label": label, "name": name, "required": True, **options}}


def step(title, *fields):
    return {"type": "step", "value": {"title": title, "intro": "", "fields": list(fields)}}


def iso(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


EVENT = [
    step(
        "Het evenement",
        field("short_text", "Uw naam", "naam"),
        field("date", "Begindatum", "begin"),
        field("date", "Einddatum", "einde"),
        field(
            "multiple_choice",
            "Wat plaatst u?",
            "materiaal",
            choices=["Tent", "Podium", "Stroomgroep"],
            required=False,
        ),
        field(
            "multiple_choice",
            "Welke keuringen hebt u?",
            "keuring",
            choices=["Tent", "Elektriciteit"],
            required=False,
        ),
    ),
    step(
        "Contact",
        field("phone", "Telefoonnummer", "telefoon", required=False),
        field("email", "E-mailadres", "email", required=False),
        field("date", "Geboortedatum", "geboortedatum"),
    ),
]

MESSAGES = {
    "end_after_start": "De einddatum moet na de begindatum liggen.",
    "days_before": "Vraag minstens 5 werkdagen vooraf aan.",
    "requires": "Voor een tent hebt u een keuring van de tent nodig.",
    "at_least_one": "Geef een telefoonnummer of een e-mailadres.",
    "minimum_age": "U moet 18 jaar zijn op de dag van het evenement.",
    "rule": "Het evenement duurt hoogstens 10 dagen.",
}
RULES = [
    {
        "type": "end_after_start",
        "value": {"start": "begin", "end": "einde", "message": MESSAGES["end_after_start"]},
    },
    {
        "type": "days_before",
        "value": {
            "first": "",
            "second": "begin",
            "days": 5,
            "working_days": True,
            "message": MESSAGES["days_before"],
        },
    },
    {
        "type": "requires",
        "value": {
            "question": "materiaal",
            "option": "Tent",
            "other_question": "keuring",
            "other_option": "Tent",
            "message": MESSAGES["requires"],
        },
    },
    {
        "type": "at_least_one",
        "value": {"questions": ["telefoon", "email"], "message": MESSAGES["at_least_one"]},
    },
    {
        "type": "minimum_age",
        "value": {
            "birth_date": "geboortedatum",
            "on_date": "begin",
            "age": 18,
            "message": MESSAGES["minimum_age"],
        },
    },
    {
        "type": "rule",
        "value": {
            "formula": "days(begin, einde) <= 10",
            "field": "einde",
            "message": MESSAGES["rule"],
        },
    },
]


@pytest.fixture
def event_page(home_page):
    ClosingDays.objects.create(days="")
    return make_form_page(home_page, steps=EVENT, rules=RULES)


def post(client, page, key, data):
    management = {f"loket-form-{page.pk}-current_step": key}
    return client.post(page.url + f"stap/{key}/", {**management, **data})


GOOD_STEP_1 = {
    "1-naam": "An",
    "1-begin": iso(60),
    "1-einde": iso(62),
    "1-materiaal": ["Tent"],
    "1-keuring": ["Tent"],
}
GOOD_STEP_2 = {"2-telefoon": "", "2-email": "an@example.be", "2-geboortedatum": "1990-05-01"}


def errors_of(response) -> dict:
    form = response.context["form"]
    return {name: list(messages) for name, messages in form.errors.items()}


def test_the_ready_made_kinds_become_formulas_in_the_frozen_schema(event_page):
    schema = event_page.get_schema()
    assert [item["formula"] for item in schema["rules"]] == [
        "einde > begin",
        "working_days(today, begin) >= 5",
        'not chosen(materiaal, "Tent") or chosen(keuring, "Tent")',
        "answered(telefoon) or answered(email)",
        "age(geboortedatum, begin) >= 18",
        "days(begin, einde) <= 10",
    ]
    assert [item["field"] for item in schema["rules"]] == [
        "einde",
        "begin",
        "keuring",
        "telefoon",
        "geboortedatum",
        "einde",
    ]
    assert freeze_schema(schema, page=event_page).schema["rules"] == schema["rules"]
    assert [rules.step_of(schema, item) for item in schema["rules"]] == [0, 0, 0, 1, 1, 0]


def test_answers_that_keep_every_rule_pass_and_are_sent(client, event_page):
    response = post(client, event_page, "1", GOOD_STEP_1)
    assert response.status_code == 302 and response.url.endswith("/stap/2/")
    response = post(client, event_page, "2", GOOD_STEP_2)
    assert response.url.endswith("/controleren/")
    client.post(event_page.url + "controleren/", {})
    assert Dossier.objects.count() == 1


@pytest.mark.parametrize(
    "change, kind, field_name",
    [
        ({"1-einde": iso(59)}, "end_after_start", "einde"),
        ({"1-einde": iso(60)}, "end_after_start", "einde"),
        ({"1-begin": iso(1), "1-einde": iso(2)}, "days_before", "begin"),
        ({"1-keuring": ["Elektriciteit"]}, "requires", "keuring"),
        ({"1-keuring": []}, "requires", "keuring"),
        ({"1-einde": iso(75)}, "rule", "einde"),
    ],
)
def test_a_broken_rule_on_the_first_step_shows_its_message_next_to_its_question(
    client, event_page, change, kind, field_name
):
    with translation.override("nl"):
        response = post(client, event_page, "1", {**GOOD_STEP_1, **change})
    assert response.status_code == 200
    assert errors_of(response) == {field_name: [MESSAGES[kind]]}
    content = response.content.decode()
    assert f'href="#id_1-{field_name}' in content  # in the error summary, linked
    assert MESSAGES[kind] in content


def test_an_option_that_needs_nothing_else_when_not_chosen(client, event_page):
    response = post(client, event_page, "1", {**GOOD_STEP_1, "1-materiaal": [], "1-keuring": []})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "change, kind, field_name",
    [
        ({"2-email": ""}, "at_least_one", "telefoon"),
        # 18 years minus one day on the first day of the event.
        ({"2-geboortedatum": None}, "minimum_age", "geboortedatum"),
    ],
)
def test_a_broken_rule_on_the_second_step_is_checked_there(
    client, event_page, change, kind, field_name
):
    assert post(client, event_page, "1", GOOD_STEP_1).status_code == 302
    begin = datetime.date.fromisoformat(GOOD_STEP_1["1-begin"])
    if change.get("2-geboortedatum", "") is None:
        change = {"2-geboortedatum": begin.replace(year=begin.year - 18) + datetime.timedelta(1)}
    response = post(client, event_page, "2", {**GOOD_STEP_2, **change})
    assert response.status_code == 200
    assert errors_of(response) == {field_name: [MESSAGES[kind]]}


def test_eighteen_on_the_day_itself_is_old_enough(client, event_page):
    post(client, event_page, "1", GOOD_STEP_1)
    begin = datetime.date.fromisoformat(GOOD_STEP_1["1-begin"])
    born = begin.replace(year=begin.year - 18).isoformat()
    response = post(client, event_page, "2", {**GOOD_STEP_2, "2-geboortedatum": born})
    assert response.status_code == 302


def test_a_rule_waits_for_the_questions_own_errors(client, event_page):
    response = post(client, event_page, "1", {**GOOD_STEP_1, "1-einde": "geen datum"})
    assert list(errors_of(response)) == ["einde"]
    assert MESSAGES["end_after_start"] not in errors_of(response)["einde"]


def test_answers_that_break_a_rule_are_never_sent(client, event_page):
    post(client, event_page, "1", GOOD_STEP_1)
    post(client, event_page, "2", GOOD_STEP_2)
    # Changing an answer from the check page: refused, so the stored answer stays.
    refused = post(client, event_page, "1", {**GOOD_STEP_1, "1-einde": iso(10)})
    assert refused.status_code == 200
    response = client.post(event_page.url + "controleren/", {})
    assert response.status_code == 302
    answers = {
        name: value
        for step in Dossier.objects.get().answers.values()
        for name, value in step.items()
    }
    assert answers["einde"] == GOOD_STEP_1["1-einde"]


# --- editors ------------------------------------------------------------------------------


def refused(home_page, rule_list, steps=EVENT) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        make_form_page(home_page, steps=steps, rules=rule_list)
    return " ".join(caught.value.messages)


def formula_rule(formula, field_name="einde", message="Niet goed."):
    return {"type": "rule", "value": {"formula": formula, "field": field_name, "message": message}}


@pytest.mark.parametrize(
    "rule_list, expected",
    [
        ([formula_rule("einde > start")], "uses “start”, but the form has no question"),
        ([formula_rule("einde >")], "Rule 1 (“einde >”): The formula cannot be read"),
        ([formula_rule("1 > 0")], "the rule uses no answer"),
        (
            [formula_rule("email != naam", "naam")],
            "checked on step “Contact”, where its last answer is given, but its message is "
            "shown next to “Uw naam” on step “Het evenement”",
        ),
        (
            [formula_rule("einde > begin", "geboortedatum")],
            "shown next to “Geboortedatum” on step “Contact”",
        ),
        ([formula_rule("einde > begin", "bestaat_niet")], "no question with that machine name"),
    ],
)
def test_rules_that_cannot_work_are_refused_naming_the_step_and_question(
    home_page, rule_list, expected
):
    assert expected in refused(home_page, rule_list)


def test_editors_find_the_rules_and_outcomes_on_the_edit_page(client, event_page):
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    with translation.override("nl"):
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[event_page.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    for text in ("Regels tussen antwoorden", "Uitkomsten", "Einde na begin", "Minimumleeftijd"):
        assert text in html, text
    assert MESSAGES["minimum_age"] in html


# --- the functions the ready-made rules use ------------------------------------------------


@pytest.mark.parametrize(
    "born, on, years",
    [
        ("2008-06-30", "2026-06-30", 18),
        ("2008-07-01", "2026-06-30", 17),
        ("2008-02-29", "2026-02-28", 17),
        ("2008-02-29", "2026-03-01", 18),
    ],
)
def test_age_counts_full_years(born, on, years):
    from decimal import Decimal

    from forms_builder import logic

    values = {"b": datetime.date.fromisoformat(born), "d": datetime.date.fromisoformat(on)}
    assert logic.evaluate("age(b, d)", values, today=datetime.date(2026, 1, 1)) == Decimal(years)


@pytest.mark.parametrize(
    "answer, expected",
    [
        (("Tent", "Podium"), True),
        (("Podium",), False),
        ("tent", True),
        ("Tentoonstelling", False),
        (None, False),
    ],
)
def test_chosen_looks_for_a_whole_option(answer, expected):
    from forms_builder import logic

    formula = 'chosen(x, "Tent")'
    assert logic.evaluate(formula, {"x": answer}, today=datetime.date(2026, 1, 1)) is expected
