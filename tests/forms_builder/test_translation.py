"""Forms in English: editors translate steps, questions, options and texts; a visitor
who chose English reads them, Dutch texts left untranslated are marked Dutch, and the
answers are stored the same whatever the language (issue #14, item 25)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks.struct_block import StructBlockValidationError

from cms.demo import TERRACE_STEPS
from cms.demo.english import TERRACE_FIELDS, translated_steps
from cms.demo.english import TERRACE_STEPS as TERRACE_STEP_TEXTS
from dossiers.models import Dossier
from forms_builder.fields import get_field_type
from forms_builder.schema import build_schema, schema_hash
from tests.conftest import make_form_page
from tests.forms_builder.test_wizard import COMPANY, TERRACE, Applicant

#: The terrace form translated, except the help text of the e-mail question.
FIELD_TEXTS = {
    name: {key: text for key, text in texts.items() if key != "help_text_en"}
    for name, texts in TERRACE_FIELDS.items()
}


@pytest.fixture
def english_form(home_page, team):
    return make_form_page(
        home_page,
        team=team,
        steps=translated_steps(TERRACE_STEPS, TERRACE_STEP_TEXTS, FIELD_TEXTS),
        intro="<p>Dit duurt ongeveer 5 minuten.</p>",
        title_en="Terrace permit application",
        confirmation_text="<p>Bedankt. Uw nummer is {referentienummer}.</p>",
        confirmation_text_en="<p>Thank you. Your number is {referentienummer}.</p>",
    )


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def tag(html: str, start: str) -> str:
    at = html.index(start)
    return html[at : html.index(">", at) + 1]


@pytest.mark.django_db
def test_an_english_visitor_reads_the_translated_step(english, english_form):
    html = Applicant(english, english_form).open().content.decode()

    assert '<html lang="en">' in html
    assert "<h1>Your business</h1>" in html
    assert '<p class="caption">Terrace permit application</p>' in html
    assert '<div class="rich-text"><p>Who applies for the permit?</p></div>' in html
    assert "<title>Your business – Terrace permit application" in html
    assert ">Name of the business</label>" in html
    assert "Naam van de onderneming" not in html
    # The page's introduction has no English version: Dutch, and marked so.
    assert '<div class="rich-text" lang="nl"><p>Dit duurt ongeveer 5 minuten.</p></div>' in html
    # The help text of the e-mail question is not translated: only it is marked Dutch.
    assert 'lang="nl">We sturen de bevestiging en elke wijziging naar dit adres.</p>' in html
    assert ">Your e-mail address</label>" in html


@pytest.mark.django_db
def test_a_dutch_visitor_reads_the_same_form_in_dutch_without_marks(client, english_form):
    html = Applicant(client, english_form).open().content.decode()

    assert "<h1>Uw onderneming</h1>" in html
    assert ">Naam van de onderneming</label>" in html
    assert "Your business" not in html
    assert 'lang="nl"' not in html.replace('<html lang="nl">', "")


@pytest.mark.django_db
def test_options_show_in_english_and_the_answer_is_stored_in_dutch(english, english_form):
    applicant = Applicant(english, english_form)
    applicant.open()
    applicant.answer(COMPANY)
    html = applicant.response.content.decode()
    assert '<legend class="label">Kind of terrace</legend>' in html
    assert '<div class="choices">' in html
    assert ">Terrace with windscreens</label>" in html
    assert 'value="Terras met windschermen"' in html

    # Left empty: the editor's English message.
    response = applicant.answer({**TERRACE, "soort": ""})
    assert "Choose the kind of terrace" in response.content.decode()

    check = applicant.answer(TERRACE).content.decode()
    assert ">Kind of terrace</dt>" in check
    assert ">Terrace with windscreens</dd>" in check
    assert '<h2 id="summary-' in check and ">Your terrace</h2>" in check

    confirmation = applicant.submit().content.decode()
    dossier = Dossier.objects.get()
    step2 = [step.id for step in english_form.steps][1]
    assert dossier.answers[step2]["soort"] == "Terras met windschermen"
    assert f"<p>Thank you. Your number is {dossier.reference}.</p>" in confirmation


@pytest.mark.django_db
def test_an_untranslated_form_is_marked_dutch_for_an_english_visitor(english, form_page):
    applicant = Applicant(english, form_page)
    html = applicant.open().content.decode()
    assert '<h1 lang="nl">Uw onderneming</h1>' in html
    assert '<p class="caption" lang="nl">Aanvraag terrasvergunning</p>' in html
    assert '<span lang="nl">Naam van de onderneming</span>' in html

    applicant.answer(COMPANY)
    html = applicant.response.content.decode()
    assert '<div class="choices" lang="nl">' in html
    # The editor's own Dutch message is marked Dutch too.
    response = applicant.answer({**TERRACE, "soort": ""}).content.decode()
    assert '<span lang="nl">Kies het soort terras</span>' in response


@pytest.mark.django_db
def test_a_form_without_english_keeps_its_schema(form_page, home_page, team):
    schema = build_schema(form_page)
    assert "en" not in str(schema["steps"][0].keys())
    assert all("en" not in field for step in schema["steps"] for field in step["fields"])
    translated = make_form_page(
        home_page,
        slug="terras-en",
        team=team,
        steps=translated_steps(TERRACE_STEPS, TERRACE_STEP_TEXTS, FIELD_TEXTS),
    )
    english_schema = build_schema(translated)
    assert english_schema["steps"][0]["en"] == {
        "title": "Your business",
        "intro": "<p>Who applies for the permit?</p>",
    }
    soort = english_schema["steps"][1]["fields"][3]
    assert soort["en"]["choices"] == ["Open terrace", "Terrace with windscreens", "Covered terrace"]
    assert soort["options"]["choices"] == [
        "Open terras",
        "Terras met windschermen",
        "Overdekt terras",
    ]
    assert schema_hash(english_schema) != schema_hash(schema)


def test_english_options_must_match_the_dutch_ones_one_by_one():
    block = get_field_type("single_choice").get_block()
    value = block.to_python(
        {
            "label": "Soort terras",
            "required": True,
            "choices": ["Open terras", "Overdekt terras"],
            "widget": "radio",
            "choices_en": ["Open terrace"],
        }
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert "choices_en" in error.value.block_errors


@pytest.mark.django_db
def test_the_english_step_takes_as_many_queries_as_the_dutch_one(
    client, english_form, django_assert_max_num_queries
):
    Applicant(client, english_form).open()
    url = english_form.url + "stap/1/"
    # The header and footer are cached per language: both are drawn once first.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.get(url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    with CaptureQueriesContext(connection) as dutch:
        client.get(url)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_max_num_queries(len(dutch.captured_queries)):
        assert "Your business" in client.get(url).content.decode()


# --- rules between answers ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_rule_shows_its_english_message_and_marks_a_dutch_one(english, home_page):
    from forms_builder.models import ClosingDays
    from tests.forms_builder.test_rules import EVENT, GOOD_STEP_1, MESSAGES, RULES, post

    ClosingDays.objects.create(days="")
    rules = [dict(rule, value=dict(rule["value"])) for rule in RULES]
    rules[0]["value"]["message_en"] = "The end date must be after the start date."
    page = make_form_page(home_page, steps=EVENT, rules=rules)

    response = post(english, page, "1", {**GOOD_STEP_1, "1-einde": GOOD_STEP_1["1-begin"]})
    html = response.content.decode()
    assert "The end date must be after the start date." in html
    assert MESSAGES["end_after_start"] not in html
    # A rule without English: its Dutch message, marked Dutch.
    response = post(english, page, "1", {**GOOD_STEP_1, "1-keuring": []})
    assert f'<span lang="nl">{MESSAGES["requires"]}</span>' in response.content.decode()
    # The schema keeps the English message beside the Dutch one.
    assert page.get_schema()["rules"][0]["en"] == {
        "message": "The end date must be after the start date."
    }
    assert "en" not in page.get_schema()["rules"][1]


# --- dropdown lists and repeatable parts ---------------------------------------------------


def _select_step(part_en=None, date_en=None, **question):
    from tests.forms_builder.test_repeatable import days_part, field

    part = days_part()
    part["value"].update(part_en or {})
    part["value"]["fields"][0]["value"].update(date_en or {})

    choose = field(
        "single_choice",
        "Soort terras",
        "soort",
        choices=["Open terras", "Overdekt terras"],
        widget="select",
        **question,
    )
    return [
        {
            "type": "step",
            "value": {"title": "Het terras", "intro": "", "fields": [choose, part]},
        }
    ]


@pytest.mark.django_db
def test_untranslated_dropdown_options_and_repeatable_questions_are_marked_dutch(
    english, home_page
):
    page = make_form_page(home_page, steps=_select_step(), slug="keuzelijst")

    html = english.get(page.url + "stap/1/").content.decode()

    assert '<option value="Open terras" lang="nl">Open terras</option>' in html
    assert '<option value="Overdekt terras" lang="nl">Overdekt terras</option>' in html
    # "Choose an option" is the interface's own text, in English and not marked.
    assert '<option value="" selected>Choose an option</option>' in html
    # The repeatable part: its title, each item's heading and the questions inside.
    assert '<legend class="label repeatable__legend" lang="nl">Dagen van het evenement' in html
    assert 'tabindex="-1" lang="nl">Dag 1</h2>' in html
    assert '<span lang="nl">Datum</span>' in html
    assert '<span lang="nl">Van</span>' in html
    # The name of one item has no English version: Dutch, marked, also in the button.
    assert 'tabindex="-1" lang="nl">Dag 1</h2>' in html
    assert 'Add another <span lang="nl">dag</span></button>' in html


@pytest.mark.django_db
def test_translated_dropdown_options_are_english_and_dutch_visitors_see_no_marks(client, home_page):
    page = make_form_page(
        home_page,
        steps=_select_step(
            part_en={"label_en": "Days of the event"},
            date_en={"label_en": "Date"},
            choices_en=["Open terrace", "Covered terrace"],
        ),
        slug="keuzelijst",
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(page.url + "stap/1/").content.decode()

    assert '<option value="Open terras">Open terrace</option>' in html
    assert '<option value="Overdekt terras">Covered terrace</option>' in html
    # The repeatable part's title and its question in English, not marked.
    assert '<legend class="label repeatable__legend">Days of the event' in html
    assert "<span>Date</span>" not in html and ">Date</label>" in html
    assert '<span lang="nl">Van</span>' in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    dutch = client.get(page.url + "stap/1/").content.decode()
    assert '<option value="Open terras">Open terras</option>' in dutch
    assert 'lang="nl"' not in dutch.replace('<html lang="nl">', "")
