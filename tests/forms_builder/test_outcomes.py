"""Outcomes that end a form on a condition, and conditions on information texts: reached
when the step after which the condition holds is finished, never submitted (not even by
a forged post), checked when saved, frozen and exported with the form."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dossiers.models import Dossier
from forms_builder.schema import freeze_schema
from forms_builder.transfer import export_form, import_form
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db

LIGHT = "Straatverlichting werkt niet"


def field(type_id, label, name, **options):
    return {"type": type_id, "value": {"label": label, "name": name, "required": True, **options}}


def when(name, operator, value=""):
    return {"combinator": "all", "rules": [{"field": name, "operator": operator, "value": value}]}


def information(text, condition=None):
    value = {"text": text}
    if condition:
        value["condition"] = condition
    return {"type": "information", "value": value}


def step(title, *fields):
    return {"type": "step", "value": {"title": title, "intro": "", "fields": list(fields)}}


REPORT = [
    step(
        "Wat wilt u melden?",
        field(
            "single_choice",
            "Wat is het probleem?",
            "soort",
            choices=["Kapotte stoep", LIGHT],
            widget="radio",
        ),
        field("short_text", "Waar is het?", "plaats"),
    ),
    step(
        "Uw gegevens",
        information("<p>Over straatverlichting: zie Fluvius.</p>", when("soort", "equals", LIGHT)),
        information("<p>Elke melding helpt.</p>"),
        field("yes_no", "Wilt u antwoord?", "antwoord"),
        information("<p>We antwoorden binnen 5 dagen.</p>", when("antwoord", "equals", "yes")),
    ),
]
OUTCOME = {
    "type": "outcome",
    "value": {
        "title": "Een defecte straatlamp meldt u bij Fluvius",
        "text": '<p>Meld het op <a href="https://www.fluvius.be/storing">fluvius.be</a>.</p>',
        "condition": when("soort", "equals", LIGHT),
    },
}


@pytest.fixture
def report_page(home_page):
    return make_form_page(home_page, steps=REPORT, outcomes=[OUTCOME])


def post(client, page, key, data):
    management = {f"loket-form-{page.pk}-current_step": key}
    return client.post(page.url + f"stap/{key}/", {**management, **data})


def reach_outcome(client, page):
    return post(client, page, "1", {"1-soort": LIGHT, "1-plaats": "Kerkstraat 1"})


def test_the_outcome_is_in_the_frozen_schema(report_page):
    schema = report_page.get_schema()
    (outcome,) = schema["outcomes"]
    assert outcome["title"] == OUTCOME["value"]["title"]
    assert "fluvius.be/storing" in outcome["text"]
    assert outcome["condition"] == when("soort", "equals", LIGHT)
    assert freeze_schema(schema, page=report_page).schema["outcomes"] == schema["outcomes"]


def test_finishing_the_step_leads_to_the_outcome_page(client, report_page):
    response = reach_outcome(client, report_page)
    assert response.status_code == 302
    assert response.url.endswith("/uitkomst/")
    with translation.override("nl"):
        page = client.get(response.url)
    content = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Een defecte straatlamp meldt u bij Fluvius</h1>" in content
    assert 'href="https://www.fluvius.be/storing"' in content
    assert "multipart/form-data" not in content  # no step form: nothing to send
    assert "no-store" in page["Cache-Control"]
    assert "noindex" in page["X-Robots-Tag"]


def test_an_english_visitor_reads_the_dutch_outcome_marked_dutch(client, report_page, settings):
    response = reach_outcome(client, report_page)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get(response.url).content.decode()
    assert '<h1 lang="nl">Een defecte straatlamp meldt u bij Fluvius</h1>' in content
    assert '<div class="rich-text" lang="nl">' in content
    assert "You cannot send this form with these answers." in content


def test_other_answers_go_on_and_the_outcome_page_sends_them_back(client, report_page):
    response = post(client, report_page, "1", {"1-soort": "Kapotte stoep", "1-plaats": "Markt"})
    assert response.url.endswith("/stap/2/")
    assert client.get(report_page.url + "uitkomst/").status_code == 302


def test_a_forged_post_to_the_check_page_or_a_later_step_sends_nothing(client, report_page):
    reach_outcome(client, report_page)
    response = client.post(report_page.url + "controleren/", {"accept": "on"})
    assert response.status_code == 302 and response.url.endswith("/uitkomst/")
    assert client.get(report_page.url + "controleren/").url.endswith("/uitkomst/")
    post(client, report_page, "2", {"2-antwoord": "no"})
    response = client.post(report_page.url + "controleren/", {})
    assert response.url.endswith("/uitkomst/")
    assert Dossier.objects.count() == 0


def test_changing_the_answer_leaves_the_outcome(client, report_page):
    reach_outcome(client, report_page)
    post(client, report_page, "1", {"1-soort": "Kapotte stoep", "1-plaats": "Markt"})
    post(client, report_page, "2", {"2-antwoord": "no"})
    client.post(report_page.url + "controleren/", {})
    assert Dossier.objects.count() == 1


def test_the_step_opened_again_from_the_outcome_page_shows_the_answers(client, report_page):
    reach_outcome(client, report_page)
    content = client.get(report_page.url + "stap/1/").content.decode()
    assert 'value="Kerkstraat 1"' in content
    chosen = rf'value="{LIGHT}"[^>]*(selected|checked)'
    assert re.search(chosen, content), "the chosen option is chosen again"


def test_an_outcome_without_a_rule_or_on_an_unknown_question_is_refused(home_page):
    empty = {**OUTCOME, "value": {**OUTCOME["value"], "condition": {"combinator": "all"}}}
    unknown = {**OUTCOME, "value": {**OUTCOME["value"], "condition": when("bestaat", "is_filled")}}
    for outcome, expected in [
        (empty, "add a rule to its condition"),
        (unknown, "the condition uses “bestaat”, but the form has no question"),
    ]:
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            make_form_page(home_page, steps=REPORT, outcomes=[outcome])
        messages = " ".join(caught.value.messages)
        assert "Outcome “Een defecte straatlamp meldt u bij Fluvius”" in messages
        assert expected in messages


# --- conditions on information texts -------------------------------------------------------


def test_information_texts_follow_their_condition(client, report_page):
    post(client, report_page, "1", {"1-soort": "Kapotte stoep", "1-plaats": "Markt"})
    content = client.get(report_page.url + "stap/2/").content.decode()
    assert "Over straatverlichting" not in content
    assert "Elke melding helpt." in content
    # On this step's own answer: rendered for the script, with its condition.
    assert 'data-field-name="" data-condition="' in content
    assert "We antwoorden binnen 5 dagen." in content


def test_an_information_text_on_a_later_answer_is_refused(home_page):
    steps = [
        step("Eerst", information("<p>Tekst</p>", when("later", "is_filled"))),
        step("Later", field("short_text", "Later", "later")),
    ]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        make_form_page(home_page, steps=steps)
    assert "Step “Eerst”, question “information text”" in " ".join(caught.value.messages)


# --- export and import ----------------------------------------------------------------------


def test_rules_and_outcomes_travel_with_the_form(home_page):
    rule = {
        "type": "rule",
        "value": {"formula": 'plaats != ""', "field": "plaats", "message": "Zeg waar."},
    }
    page = make_form_page(home_page, steps=REPORT, outcomes=[OUTCOME], rules=[rule])
    document = export_form(page)
    assert document["rules"][0]["value"]["formula"] == 'plaats != ""'
    assert document["outcomes"][0]["value"]["title"] == OUTCOME["value"]["title"]
    document["form"]["slug"] = "kopie"
    copy = import_form(document, home_page)
    copy_schema, schema = copy.get_schema(), page.get_schema()
    assert copy_schema["rules"] == schema["rules"]
    assert [dict(item, id=None) for item in copy_schema["outcomes"]] == [
        dict(item, id=None) for item in schema["outcomes"]
    ]


def test_a_hostile_outcome_text_is_cleaned_and_a_broken_rule_refused(home_page):
    page = make_form_page(home_page, steps=REPORT, outcomes=[OUTCOME])
    document = export_form(page)
    document["outcomes"][0]["value"]["text"] = '<p onclick="x()">Hoi<script>alert(1)</script></p>'
    copy = import_form(document, home_page, slug="kopie")
    assert "script" not in copy.get_schema()["outcomes"][0]["text"]
    assert "onclick" not in copy.get_schema()["outcomes"][0]["text"]
    document["rules"] = [{"type": "eval", "value": {}}]
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        import_form(document, home_page, slug="kopie2")
    assert "The rules in the file cannot be read." in caught.value.messages
