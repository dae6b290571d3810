"""Sharing forms: export a form to a JSON document and import it elsewhere as a draft."""

import copy
import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from cms.demo import TERRACE_STEPS, ensure_users
from cms.models import HomePage, ServicePage
from forms_builder.library import ReusableStep
from forms_builder.models import ApplicationFormPage
from forms_builder.transfer import (
    FORMAT_NAME,
    FORMAT_VERSION,
    export_form,
    import_form,
    read_document,
)
from tests.conftest import make_form_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPANY_CONDITION = {
    "combinator": "all",
    "rules": [{"field": "soort", "operator": "equals", "value": "Open terras"}],
}


def make_reusable_step() -> ReusableStep:
    """The terrace form's company step as a published reusable step."""
    stream_block = ReusableStep._meta.get_field("content").stream_block
    raw = [{"type": "step", "value": copy.deepcopy(TERRACE_STEPS[0]["value"])}]
    snippet = ReusableStep(
        title="Gegevens van uw onderneming",
        content=stream_block.clean(stream_block.to_python(raw)),
        live=False,
    )
    snippet.save()
    snippet.save_revision().publish()
    snippet.refresh_from_db()
    return snippet


@pytest.fixture
def shared_form(home_page, team):
    """A form with its own step and a reusable step, and every setting filled in."""
    snippet = make_reusable_step()
    return make_form_page(
        home_page,
        team=team,
        steps=[
            copy.deepcopy(TERRACE_STEPS[1]),
            {
                "type": "reusable_step",
                "value": {"step": snippet.pk, "condition": COMPANY_CONDITION},
                "id": "company-step",
            },
        ],
        intro="<p>Vraag uw terras aan.</p>",
        declaration_text="<p>Ik verklaar alles naar waarheid te hebben ingevuld.</p>",
        closed_text="<p>Het formulier is gesloten.</p>",
        decision_term_days=45,
        draft_retention_days=14,
        max_dossiers=100,
        opens_at=datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC),
    )


@pytest.fixture
def other_municipality(db):
    """The home page of another municipality: a fresh place to import into."""
    root = Page.get_first_root_node()
    return root.add_child(instance=HomePage(title="Gemeente Elders", slug="elders"))


def without_ids(schema: dict) -> dict:
    steps = [
        {**step, "id": None, "fields": [{**field, "id": None} for field in step["fields"]]}
        for step in schema["steps"]
    ]
    return {**schema, "steps": steps}


def page_count() -> int:
    return Page.objects.count()


class TestExport:
    def test_document_holds_the_form_settings_but_not_the_team(self, shared_form):
        document = export_form(shared_form)

        assert document["format"] == FORMAT_NAME
        assert document["version"] == FORMAT_VERSION
        form = document["form"]
        assert form["title"] == "Aanvraag terrasvergunning"
        assert form["slug"] == "aanvraag-terras"
        assert form["reference_prefix"] == "TER"
        assert form["decision_term_days"] == 45
        assert form["draft_retention_days"] == 14
        assert form["max_dossiers"] == 100
        assert form["opens_at"] == "2026-03-01T09:00:00+00:00"
        assert form["closes_at"] is None
        assert form["declaration_text"].startswith("<p>Ik verklaar")
        assert "team" not in form
        json.dumps(document)  # plain JSON all the way down

    def test_reusable_steps_are_inlined_as_plain_steps(self, shared_form):
        document = export_form(shared_form)

        assert [step["type"] for step in document["steps"]] == ["step", "step"]
        company = document["steps"][1]
        assert company["id"] == "company-step"
        assert company["value"]["title"] == "Uw onderneming"
        condition = company["value"]["condition"]
        assert condition["combinator"] == "all"
        assert [rule["value"] for rule in condition["rules"]] == COMPANY_CONDITION["rules"]
        assert [field["value"]["label"] for field in company["value"]["fields"]] == [
            "Naam van de onderneming",
            "Uw naam",
            "Uw e-mailadres",
        ]

    def test_exports_what_editors_last_saved(self, shared_form):
        draft = shared_form.get_latest_revision_as_object()
        draft.title = "Terras aanvragen (nieuw)"
        draft.save_revision()

        assert export_form(shared_form)["form"]["title"] == "Terras aanvragen (nieuw)"

    def test_links_to_pages_become_web_addresses(self, shared_form, home_page):
        shared_form.intro = f'<p>Lees eerst <a linktype="page" id="{home_page.pk}">dit</a>.</p>'
        shared_form.save()

        intro = export_form(shared_form)["form"]["intro"]

        assert 'linktype="page"' not in intro
        assert f'<a href="{home_page.full_url}">dit</a>' in intro


class TestImport:
    def test_round_trip_gives_the_same_form_as_a_draft(self, shared_form, other_municipality):
        imported = import_form(export_form(shared_form), other_municipality)

        imported = ApplicationFormPage.objects.get(pk=imported.pk)
        assert imported.get_parent().pk == other_municipality.pk
        assert not imported.live
        assert imported.latest_revision is not None
        assert imported.slug == "aanvraag-terras"
        assert imported.team is None
        assert imported.decision_term_days == 45
        assert imported.opens_at == shared_form.opens_at
        assert imported.max_dossiers == 100
        assert imported.declaration_text == shared_form.declaration_text
        assert without_ids(imported.get_schema()) == without_ids(shared_form.get_schema())
        # Self-contained: the copy no longer depends on the reusable step.
        assert [child.block_type for child in imported.steps] == ["step", "step"]

    def test_slugs_stay_unique_under_the_parent(self, shared_form, home_page):
        first = import_form(export_form(shared_form), home_page)
        second = import_form(export_form(shared_form), home_page, slug="terras-kopie")

        assert first.slug != shared_form.slug
        assert first.slug.startswith("aanvraag-terras")
        assert second.slug == "terras-kopie"

    def test_the_owner_is_the_importing_editor(self, shared_form, other_municipality):
        editor = UserFactory(username="redacteur")

        imported = import_form(export_form(shared_form), other_municipality, user=editor)

        assert imported.owner == editor
        assert imported.latest_revision.user == editor

    def test_rich_text_keeps_only_what_the_editor_allows(self, shared_form, other_municipality):
        document = export_form(shared_form)
        document["form"]["intro"] = '<p onclick="steal()">Welkom<script>steal()</script></p>'
        document["steps"][0]["value"]["intro"] = (
            '<p>Lees <a href="javascript:steal()">dit</a> en <a href="https://a.be">dat</a>.</p>'
        )

        imported = import_form(document, other_municipality)

        imported = ApplicationFormPage.objects.get(pk=imported.pk)
        assert imported.intro == "<p>Welkomsteal()</p>"
        assert imported.get_schema()["steps"][0]["intro"] == (
            '<p>Lees <a>dit</a> en <a href="https://a.be">dat</a>.</p>'
        )

    def test_a_form_cannot_be_placed_under_another_form(self, shared_form):
        before = page_count()

        with pytest.raises(ValidationError):
            import_form(export_form(shared_form), shared_form)

        assert page_count() == before


def broken(document: dict, change) -> dict:
    document = copy.deepcopy(document)
    change(document)
    return document


BROKEN_DOCUMENTS = {
    "wrong format": lambda doc: doc.update(format="something-else"),
    "newer version": lambda doc: doc.update(version=FORMAT_VERSION + 1),
    "no version": lambda doc: doc.pop("version"),
    "no form settings": lambda doc: doc.pop("form"),
    "no steps": lambda doc: doc.pop("steps"),
    "no title": lambda doc: doc["form"].pop("title"),
    "empty reference prefix": lambda doc: doc["form"].update(reference_prefix=""),
    "reference prefix not alphanumeric": lambda doc: doc["form"].update(reference_prefix="T-R"),
    "decision term not a number": lambda doc: doc["form"].update(decision_term_days="veel"),
    "title not text": lambda doc: doc["form"].update(title=["Terras"]),
    "opening date not a date": lambda doc: doc["form"].update(opens_at="morgen"),
    "unknown field type": lambda doc: doc["steps"][0]["value"]["fields"][0].update(type="hologram"),
    "reusable step not inlined": lambda doc: doc["steps"][0].update(type="reusable_step"),
    "step not an object": lambda doc: doc["steps"].append("stap 3"),
    "question without label": lambda doc: doc["steps"][0]["value"]["fields"][0]["value"].pop(
        "label"
    ),
    "step without title": lambda doc: doc["steps"][0]["value"].update(title=""),
}


class TestInvalidDocuments:
    @pytest.mark.parametrize("change", BROKEN_DOCUMENTS.values(), ids=BROKEN_DOCUMENTS.keys())
    def test_is_refused_and_creates_nothing(self, shared_form, other_municipality, change):
        document = broken(export_form(shared_form), change)
        before = page_count()

        with pytest.raises(ValidationError) as error:
            import_form(document, other_municipality)

        assert error.value.messages
        assert all(message.strip() for message in error.value.messages)
        assert page_count() == before

    def test_messages_name_what_is_wrong(self, shared_form, other_municipality):
        document = broken(
            export_form(shared_form),
            lambda doc: doc["steps"][0]["value"]["fields"][1].update(type="hologram"),
        )

        with pytest.raises(ValidationError) as error:
            import_form(document, other_municipality)

        [message] = error.value.messages
        assert "hologram" in message
        assert "Uw terras" in message
        assert "Oppervlakte van het terras" in message

    def test_block_errors_name_the_step_and_the_question(self, shared_form, other_municipality):
        document = broken(
            export_form(shared_form),
            lambda doc: doc["steps"][0]["value"]["fields"][1]["value"].update(label=""),
        )

        with pytest.raises(ValidationError) as error:
            import_form(document, other_municipality)

        assert any("Uw terras" in message for message in error.value.messages)

    @pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", "é".encode("latin-1")])
    def test_a_file_that_is_no_document_is_refused(self, data):
        with pytest.raises(ValidationError):
            read_document(data)


class TestCommands:
    def test_export_by_id_to_standard_output(self, shared_form):
        out = StringIO()

        call_command("export_form", str(shared_form.pk), stdout=out)

        document = json.loads(out.getvalue())
        expected = export_form(shared_form)
        assert {**document, "exported_at": None} == {**expected, "exported_at": None}

    def test_export_by_slug_to_a_file(self, shared_form, tmp_path):
        target = tmp_path / "terras.json"

        call_command("export_form", "aanvraag-terras", output=str(target), stderr=StringIO())

        assert json.loads(target.read_text(encoding="utf-8"))["form"]["reference_prefix"] == "TER"

    def test_export_of_an_unknown_form_fails(self, db):
        with pytest.raises(CommandError, match="bestaat-niet"):
            call_command("export_form", "bestaat-niet")

    def test_import_creates_a_draft_under_the_parent(
        self, shared_form, other_municipality, tmp_path
    ):
        source = tmp_path / "terras.json"
        call_command("export_form", str(shared_form.pk), output=str(source), stderr=StringIO())
        out = StringIO()

        call_command(
            "import_form", str(source), parent=other_municipality.pk, slug="terras", stdout=out
        )

        imported = ApplicationFormPage.objects.get(slug="terras")
        assert imported.get_parent().pk == other_municipality.pk
        assert not imported.live
        assert str(imported.pk) in out.getvalue()

    def test_import_of_a_broken_file_fails_and_creates_nothing(
        self, shared_form, other_municipality, tmp_path
    ):
        source = tmp_path / "kapot.json"
        document = broken(export_form(shared_form), BROKEN_DOCUMENTS["unknown field type"])
        source.write_text(json.dumps(document), encoding="utf-8")
        before = page_count()

        with pytest.raises(CommandError, match="hologram"):
            call_command("import_form", str(source), parent=other_municipality.pk)

        assert page_count() == before

    def test_import_needs_an_existing_parent_and_file(self, tmp_path, db):
        with pytest.raises(CommandError):
            call_command("import_form", str(tmp_path / "ontbreekt.json"), parent=1)
        with pytest.raises(CommandError):
            call_command("import_form", str(tmp_path / "ontbreekt.json"), parent=999999)


# --- admin ----------------------------------------------------------------------------------


@pytest.fixture
def demo_users(team):
    ensure_users(team)
    return {user.username: user for user in UserFactory._meta.model.objects.all()}


@pytest.fixture
def editor_client(client, demo_users):
    client.force_login(demo_users["redacteur"])
    return client


def export_url(page) -> str:
    return reverse("forms_builder_export", args=[page.pk])


IMPORT_URL = "/admin/forms/import/"


def upload(document: dict, name="terras.json") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(document).encode(), "application/json")


class TestAdminExport:
    def test_an_editor_downloads_the_form(self, editor_client, shared_form, settings):
        settings.SECURE_CONTENT_TYPE_NOSNIFF = False  # the view sets it itself
        response = editor_client.get(export_url(shared_form))

        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        assert response["Content-Disposition"] == 'attachment; filename="aanvraag-terras.json"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert json.loads(response.content)["format"] == FORMAT_NAME

    def test_anonymous_visitors_are_sent_to_the_login(self, client, shared_form):
        response = client.get(export_url(shared_form))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))

    def test_officers_who_cannot_edit_the_form_get_no_file(self, client, demo_users, shared_form):
        client.force_login(demo_users["behandelaar"])

        response = client.get(export_url(shared_form))

        # A page outside the officer's reach is not found in the admin
        # (cms.tenancy.AdminScopeMiddleware): no file, and no hint that it exists.
        assert response.status_code == 404

    def test_the_form_page_offers_the_export(self, editor_client, shared_form, home_page):
        edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=[shared_form.pk]))
        listing = editor_client.get(reverse("wagtailadmin_explore", args=[home_page.pk]))

        assert export_url(shared_form) in edit.content.decode()
        assert export_url(shared_form) in listing.content.decode()


class TestAdminImport:
    def test_an_editor_imports_a_form_as_a_draft(
        self, editor_client, demo_users, shared_form, other_municipality
    ):
        form_page = editor_client.get(IMPORT_URL)
        response = editor_client.post(
            IMPORT_URL,
            {"file": upload(export_form(shared_form)), "parent": other_municipality.pk},
        )

        imported = ApplicationFormPage.objects.child_of(other_municipality).get()
        assert form_page.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[imported.pk])
        assert not imported.live
        assert imported.owner == demo_users["redacteur"]

    def test_a_broken_file_shows_why_and_creates_nothing(
        self, editor_client, shared_form, other_municipality
    ):
        document = broken(export_form(shared_form), BROKEN_DOCUMENTS["unknown field type"])
        before = page_count()

        response = editor_client.post(
            IMPORT_URL, {"file": upload(document), "parent": other_municipality.pk}
        )

        assert response.status_code == 200
        assert "hologram" in response.content.decode()
        assert page_count() == before

    def test_a_page_offers_to_import_a_form_under_it(self, editor_client, home_page):
        response = editor_client.get(reverse("wagtailadmin_explore", args=[home_page.pk]))

        assert f"{IMPORT_URL}?parent={home_page.pk}" in response.content.decode()

    def test_the_settings_menu_offers_the_import_to_editors_only(
        self, client, demo_users, home_page
    ):
        client.force_login(demo_users["redacteur"])
        editor_dashboard = client.get(reverse("wagtailadmin_home"))
        client.force_login(demo_users["behandelaar"])
        officer_dashboard = client.get(reverse("wagtailadmin_home"))

        assert IMPORT_URL in editor_dashboard.content.decode()
        assert IMPORT_URL not in officer_dashboard.content.decode()

    def test_anonymous_visitors_are_sent_to_the_login(self, client, shared_form, home_page):
        before = page_count()

        response = client.post(IMPORT_URL, {"file": upload(export_form(shared_form))})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
        assert page_count() == before

    def test_users_who_cannot_add_pages_cannot_import(self, client, demo_users, shared_form):
        client.force_login(demo_users["behandelaar"])
        before = page_count()

        response = client.post(
            IMPORT_URL, {"file": upload(export_form(shared_form)), "parent": shared_form.pk}
        )

        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        assert page_count() == before

    def test_only_pages_where_the_editor_may_add_can_be_the_parent(
        self, client, home_page, shared_form
    ):
        service = home_page.add_child(
            instance=ServicePage(title="Horeca", slug="horeca", intro="Voor horecazaken.")
        )
        group = Group.objects.create(name="Redactie horeca")
        group.permissions.add(Permission.objects.get(codename="access_admin"))
        GroupPagePermission.objects.create(
            group=group, page=service, permission=Permission.objects.get(codename="add_page")
        )
        user = UserFactory(username="horeca")
        user.groups.add(group)
        client.force_login(user)
        before = page_count()

        refused = client.post(
            IMPORT_URL, {"file": upload(export_form(shared_form)), "parent": home_page.pk}
        )
        accepted = client.post(
            IMPORT_URL, {"file": upload(export_form(shared_form)), "parent": service.pk}
        )

        assert refused.status_code == 200  # the form shows the error
        assert accepted.status_code == 302
        assert page_count() == before + 1
        assert ApplicationFormPage.objects.child_of(service).exists()
