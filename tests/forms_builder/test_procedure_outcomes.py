"""Outcomes that change what is submitted (issue #15): on a condition the application
goes on under another procedure, with its own reference prefix, team and decision term;
the applicant sees which procedure applies on the check page and the confirmation."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cms.demo import ensure_team
from cms.demo.forms import EVENT_OUTCOMES, EVENT_STEPS
from dossiers import services
from dossiers.models import Dossier
from forms_builder import outcomes
from forms_builder.outcomes import team_choices
from tests.conftest import make_form_page
from tests.factories import field_block, step_block

pytestmark = pytest.mark.django_db


def small_indoor(**changes):
    value = {
        "title": "Melding",
        "text": "<p>Een melding volstaat.</p>",
        "condition": {
            "combinator": "all",
            "rules": [
                {"field": "binnen", "operator": "equals", "value": "yes"},
                {"field": "bezoekers", "operator": "less_than", "value": "100"},
            ],
        },
        "kind": "procedure",
        "reference_prefix": "mel",
        "decision_term_days": 10,
        **changes,
    }
    return {"type": "outcome", "value": value}


@pytest.fixture
def other_team(db):
    return ensure_team("Meldingen", "meldingen@voorbeeld.be")


@pytest.fixture
def event_page(home_page, team, other_team):
    return make_form_page(
        home_page,
        slug="evenement",
        reference_prefix="TOE",
        decision_term_days=60,
        team=team,
        steps=[
            step_block(
                "Uw evenement",
                field_block("short_text", "Naam", "naam"),
                field_block("yes_no", "Is het binnen?", "binnen"),
                field_block("integer", "Bezoekers", "bezoekers"),
            )
        ],
        outcomes=[small_indoor(team=str(other_team.pk))],
    )


def fill_in(client, page, binnen, bezoekers):
    management = {f"loket-form-{page.pk}-current_step": "1"}
    data = {"1-naam": "An", "1-binnen": binnen, "1-bezoekers": str(bezoekers)}
    return client.post(page.url + "stap/1/", {**management, **data})


class TestInTheWizard:
    def test_a_small_indoor_event_is_sent_as_a_melding(self, client, event_page, other_team):
        response = fill_in(client, event_page, "yes", 40)
        assert response.url.endswith("/controleren/")  # not an outcome page that ends it
        with translation.override("nl"):
            html = client.get(event_page.url + "controleren/").content.decode()
        assert "Uw aanvraag wordt behandeld als: Melding" in html
        assert "Een melding volstaat." in html

        assert client.post(event_page.url + "controleren/", {}).status_code == 302
        dossier = Dossier.objects.get()
        assert dossier.reference.startswith("MEL-")
        assert dossier.team == other_team
        assert dossier.term_days == 10
        assert dossier.procedure == "Melding"

        with translation.override("nl"):
            html = client.get(event_page.url + "bevestiging/").content.decode()
        assert "Uw aanvraag wordt behandeld als: <strong>Melding</strong>" in html

    def test_other_events_keep_the_forms_procedure(self, client, event_page, team):
        fill_in(client, event_page, "no", 40)
        html = client.get(event_page.url + "controleren/").content.decode()
        assert "data-procedure" not in html
        client.post(event_page.url + "controleren/", {})
        dossier = Dossier.objects.get()
        assert dossier.reference.startswith("TOE-")
        assert dossier.team == team
        assert dossier.term_days == 60
        assert dossier.procedure == ""


class TestRules:
    def test_fields_left_empty_stay_the_forms(self, home_page, team):
        page = make_form_page(
            home_page,
            slug="alleen-termijn",
            reference_prefix="TOE",
            team=team,
            steps=[
                step_block(
                    "E",
                    field_block("yes_no", "Binnen?", "binnen"),
                    field_block("integer", "Bezoekers", "bezoekers"),
                )
            ],
            outcomes=[small_indoor(reference_prefix="", decision_term_days=5)],
        )
        schema = page.get_schema()
        step = schema["steps"][0]["id"]
        dossier = services.submit_application(
            form_page=page, schema=schema, answers={step: {"binnen": True, "bezoekers": 10}}
        )
        assert dossier.reference.startswith("TOE-")
        assert dossier.team == team
        assert dossier.term_days == 5
        assert dossier.procedure == "Melding"

    def test_an_outcome_that_changes_nothing_cannot_be_saved(self, home_page):
        with translation.override("en"), pytest.raises(ValidationError) as refused:
            make_form_page(
                home_page,
                slug="niets",
                steps=[step_block("E", field_block("yes_no", "Binnen?", "binnen"))],
                outcomes=[
                    small_indoor(
                        reference_prefix="",
                        decision_term_days=None,
                        condition={
                            "combinator": "all",
                            "rules": [{"field": "binnen", "operator": "equals", "value": "yes"}],
                        },
                    )
                ],
            )
        assert "otherwise nothing changes" in str(refused.value)

    def test_procedure_outcomes_never_end_the_form(self, event_page):
        schema = event_page.get_schema()
        answers = {"binnen": True, "bezoekers": 10, "naam": "An"}
        assert outcomes.reached_outcome(schema, answers, 99) is None
        assert outcomes.chosen_procedure(schema, answers)["title"] == "Melding"
        assert outcomes.chosen_procedure(schema, {**answers, "bezoekers": 500}) is None

    def test_editors_choose_among_the_teams(self, team, other_team):
        choices = dict(team_choices())
        assert choices[str(other_team.pk)] == "Meldingen"
        assert choices[str(team.pk)] == team.name
        assert "" in choices  # the form's own team


def test_demo_small_indoor_event_becomes_a_melding(home_page, team):
    page = make_form_page(
        home_page,
        slug="demo-evenement",
        reference_prefix="EVE",
        team=team,
        steps=EVENT_STEPS,
        outcomes=EVENT_OUTCOMES,
    )
    schema = page.get_schema()
    event_step = schema["steps"][1]["id"]
    answers = {event_step: {"openbaar_domein": False, "bezoekers": 60}}
    dossier = services.submit_application(form_page=page, schema=schema, answers=answers)
    assert dossier.reference.startswith("EVM-")
    assert dossier.procedure == "Melding van een klein evenement"
    assert dossier.term_days == 10

    answers = {event_step: {"openbaar_domein": True, "bezoekers": 60}}
    dossier = services.submit_application(form_page=page, schema=schema, answers=answers)
    assert dossier.reference.startswith("EVE-")
    assert dossier.procedure == ""
