"""Reusable steps: one snippet ("Uw onderneming") included in several forms."""

import copy

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cms.demo import TERRACE_STEPS
from dossiers import services
from forms_builder.library import ReusableStep, ReusableStepChooserBlock
from forms_builder.models import ApplicationFormPage, FormSnapshot
from forms_builder.schema import display_answers
from tests.conftest import make_form_page
from tests.factories import UserFactory, field_block, terrace_answers

pytestmark = pytest.mark.django_db

COMPANY_STEP = TERRACE_STEPS[0]["value"]
TERRACE_STEP = TERRACE_STEPS[1]


def make_reusable_step(title="Gegevens van uw onderneming", step=None, *, publish=True):
    """A reusable step holding the terrace form's company step (or ``step``)."""
    stream_block = ReusableStep._meta.get_field("content").stream_block
    raw = [{"type": "step", "value": copy.deepcopy(step or COMPANY_STEP)}]
    # Cleaned like the admin form does, so that every block gets an id.
    content = stream_block.clean(stream_block.to_python(raw))
    snippet = ReusableStep(title=title, content=content, live=False)
    snippet.save()
    revision = snippet.save_revision()
    if publish:
        revision.publish()
        snippet.refresh_from_db()
    return snippet


def include(snippet, block_id="reused-company-step", condition=None) -> dict:
    """Raw StreamField data of a form step that includes ``snippet``."""
    value = {"step": snippet.pk}
    if condition:
        value["condition"] = condition
    return {"type": "reusable_step", "value": value, "id": block_id}


def make_reusing_form(parent, snippet, **kwargs) -> ApplicationFormPage:
    """The terrace form, with its company step taken from ``snippet``."""
    defaults = {"steps": [include(snippet), copy.deepcopy(TERRACE_STEP)]}
    return make_form_page(parent, **{**defaults, **kwargs})


def relabel(snippet, old: str, new: str, *, publish=True):
    """Change a question's label in the snippet, as an editor does (a new revision)."""
    for field in snippet.content[0].value["fields"]:
        if field.value["label"] == old:
            field.value["label"] = new
    revision = snippet.save_revision()
    if publish:
        revision.publish()
    snippet.refresh_from_db()


def without_ids(schema: dict) -> dict:
    """The schema with every step and field id blanked out."""
    steps = [
        {**step, "id": None, "fields": [{**field, "id": None} for field in step["fields"]]}
        for step in schema["steps"]
    ]
    return {**schema, "steps": steps}


def labels(schema: dict, step_index: int = 0) -> list[str]:
    return [field["label"] for field in schema["steps"][step_index]["fields"]]


class TestSchema:
    def test_a_reusable_step_becomes_a_normal_step(self, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)

        schema = form.get_schema()
        plain = make_form_page(home_page, slug="plain").get_schema()

        first = schema["steps"][0]
        assert first["id"] == "reused-company-step"
        assert first["title"] == "Uw onderneming"
        assert first["intro"] == "<p>Wie vraagt de vergunning aan?</p>"
        assert first["condition"] is None
        assert labels(schema) == ["Naam van de onderneming", "Uw naam", "Uw e-mailadres"]
        # Apart from the ids, the same as writing the step in the form itself.
        assert without_ids(schema) == without_ids(plain)

    def test_one_reusable_step_in_two_forms(self, home_page):
        snippet = make_reusable_step()
        terrace = make_reusing_form(home_page, snippet)
        market = make_form_page(
            home_page,
            title="Standplaats op de markt",
            slug="markt",
            reference_prefix="MRK",
            steps=[
                include(snippet, block_id="market-company"),
                {
                    "type": "step",
                    "value": {
                        "title": "Uw kraam",
                        "intro": "",
                        "fields": [field_block("short_text", "Wat verkoopt u?", "waren")],
                    },
                },
            ],
        )

        relabel(snippet, "Uw naam", "Voornaam en naam")

        for form in (terrace, market):
            assert labels(form.get_schema()) == [
                "Naam van de onderneming",
                "Voornaam en naam",
                "Uw e-mailadres",
            ]
        assert market.get_schema()["steps"][0]["id"] == "market-company"

    def test_forms_use_the_published_version_not_a_draft(self, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)

        relabel(snippet, "Uw naam", "Voornaam en naam", publish=False)

        assert labels(form.get_schema())[1] == "Uw naam"
        snippet.latest_revision.publish()
        assert labels(form.get_schema())[1] == "Voornaam en naam"

    def test_an_unpublished_reusable_step_is_left_out(self, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)

        snippet.unpublish()

        assert [step["title"] for step in form.get_schema()["steps"]] == ["Uw terras"]

    def test_the_including_form_decides_the_condition(self, home_page):
        snippet = make_reusable_step()
        condition = {
            "combinator": "all",
            "rules": [{"field": "soort", "operator": "equals", "value": "Open terras"}],
        }
        form = make_form_page(
            home_page,
            steps=[copy.deepcopy(TERRACE_STEP), include(snippet, condition=condition)],
        )

        [terrace, company] = form.get_schema()["steps"]

        assert company["condition"] == condition

    def test_the_step_id_stays_when_the_snippet_changes(self, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)
        before = form.get_schema()["steps"][0]["id"]

        relabel(snippet, "Uw naam", "Voornaam en naam")

        assert form.get_schema()["steps"][0]["id"] == before


class TestFrozenSchemas:
    def test_a_dossier_keeps_the_labels_it_was_submitted_with(self, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)
        schema = form.get_schema()
        old = services.submit_application(
            form_page=form, schema=schema, answers=terrace_answers(schema)
        )

        relabel(snippet, "Uw naam", "Voornaam en naam")
        schema = form.get_schema()
        new = services.submit_application(
            form_page=form, schema=schema, answers=terrace_answers(schema)
        )

        old.refresh_from_db()
        assert FormSnapshot.objects.count() == 2
        old_rows = display_answers(old.schema, old.answers)[0]["rows"]
        new_rows = display_answers(new.schema, new.answers)[0]["rows"]
        assert [row["label"] for row in old_rows] == [
            "Naam van de onderneming",
            "Uw naam",
            "Uw e-mailadres",
        ]
        assert [row["label"] for row in new_rows] == [
            "Naam van de onderneming",
            "Voornaam en naam",
            "Uw e-mailadres",
        ]

    def test_an_applicant_fills_in_a_reusable_step(self, client, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)

        response = client.get(form.url, follow=True)

        content = response.content.decode()
        assert response.status_code == 200
        assert "Uw onderneming" in content
        assert "Naam van de onderneming" in content

    def test_a_form_whose_only_step_is_no_longer_published_is_unavailable(self, client, home_page):
        snippet = make_reusable_step()
        form = make_form_page(home_page, steps=[include(snippet)])
        snippet.unpublish()

        response = client.get(form.url, follow=True)
        step_response = client.post(f"{form.url}stap/1/", {"anything": "x"})

        assert response.status_code == 200
        assert "niet beschikbaar" in response.content.decode()
        assert step_response.status_code == 200
        assert "niet beschikbaar" in step_response.content.decode()

    def test_a_running_application_keeps_its_version(self, client, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)
        first_step = client.get(form.url, follow=True)
        wizard_form = first_step.context["form"]
        answers = {"bedrijfsnaam": "Café De Markt", "naam": "An Peeters", "email": "an@x.be"}
        data = {f"loket-form-{form.pk}-current_step": first_step.context["wizard"]["steps"].current}
        data.update({wizard_form.add_prefix(name): value for name, value in answers.items()})
        client.post(first_step.wsgi_request.path, data)  # answering starts a draft

        relabel(snippet, "Uw naam", "Voornaam en naam")
        response = client.get(first_step.wsgi_request.path)

        assert "Uw naam" in response.content.decode()
        assert "Voornaam en naam" not in response.content.decode()
        assert labels(form.get_schema())[1] == "Voornaam en naam"


class TestEditing:
    def test_a_form_cannot_include_an_unpublished_step(self):
        snippet = make_reusable_step(publish=False)
        block = ReusableStepChooserBlock()

        with pytest.raises(ValidationError) as error:
            block.clean(block.to_python({"step": snippet.pk}))

        [message] = error.value.as_json_data()["blockErrors"]["step"]["messages"]
        assert "Gegevens van uw onderneming" in message

    def test_machine_names_must_differ_across_the_form_and_its_reusable_steps(self, home_page):
        snippet = make_reusable_step()
        own_company_step = copy.deepcopy(TERRACE_STEPS[0])
        form = ApplicationFormPage(
            title="Dubbel",
            slug="dubbel",
            reference_prefix="DUB",
            steps=[own_company_step, include(snippet)],
        )

        with pytest.raises(ValidationError, match="bedrijfsnaam"):
            form.clean()

    def test_editors_manage_reusable_steps_as_snippets(self, client, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)
        client.force_login(UserFactory(is_superuser=True, is_staff=True))

        index = client.get(reverse("wagtailsnippets_forms_builder_reusablestep:list"))
        edit_snippet = client.get(
            reverse("wagtailsnippets_forms_builder_reusablestep:edit", args=[snippet.pk])
        )
        usage = client.get(
            reverse("wagtailsnippets_forms_builder_reusablestep:usage", args=[snippet.pk])
        )
        edit_form = client.get(reverse("wagtailadmin_pages:edit", args=[form.pk]))

        assert index.status_code == 200
        assert "Gegevens van uw onderneming" in index.content.decode()
        assert edit_snippet.status_code == 200
        assert usage.status_code == 200
        assert form.title in usage.content.decode()
        assert edit_form.status_code == 200
        assert "reusable_step" in edit_form.content.decode()
