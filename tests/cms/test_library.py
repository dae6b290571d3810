"""The shared library: publishing templates, adopting them, and taking newer versions."""

import copy
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site

from cms.demo import TERRACE_STEPS
from cms.library import services
from cms.library.changes import Outcome
from cms.library.models import AdoptedPage, LibrarySettings, LibraryTemplate
from cms.models import HomePage, ServicePage
from forms_builder.models import ApplicationFormPage
from forms_builder.transfer import export_form, import_form
from tests.conftest import make_form_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- builders -------------------------------------------------------------------------------


@pytest.fixture
def library_home(home_page):
    """The province's library site: its own host name and page tree (made after the
    municipality's, which the demo helpers find as the first home page)."""
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Provinciale bibliotheek", slug="bibliotheek"))
    site = Site.objects.create(hostname="bibliotheek.localhost", port=80, root_page=home)
    settings = LibrarySettings.for_site(site)
    settings.is_library = True
    settings.save()
    return home


@pytest.fixture
def library_form(library_home):
    service = library_home.add_child(
        instance=ServicePage(title="Terras", slug="terras", intro="Een terras plaatsen.")
    )
    return make_form_page(service, reference_prefix="BIBTER", intro="<p>Vraag uw terras aan.</p>")


def editor_of(*pages, username, actions=("add_page", "change_page", "publish_page")):
    """A user who may do ``actions`` on ``pages`` (and their children) and nothing else."""
    group = Group.objects.create(name=f"Redactie {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for page in pages:
        for action in actions:
            GroupPagePermission.objects.create(
                group=group, page=page, permission=Permission.objects.get(codename=action)
            )
    user = UserFactory(username=username)
    user.groups.add(group)
    return user


@pytest.fixture
def library_editor(library_home):
    return editor_of(library_home, username="provincie")


@pytest.fixture
def municipality_editor(home_page):
    return editor_of(home_page, username="gemeente")


def change_page(page, **values):
    """Save a new revision of ``page`` (as an editor would) with ``values`` set; a value
    that is a function gets the field's raw JSON and changes it in place."""
    draft = type(page.specific).objects.get(pk=page.pk).get_latest_revision_as_object()
    for name, value in values.items():
        if callable(value):
            raw = [child.get_prep_value() for child in getattr(draft, name)]
            value(raw)
            value = raw
        setattr(draft, name, value)
    draft.save_revision()
    return draft


def question(steps: list, label: str) -> dict:
    for step in steps:
        for field in step["value"]["fields"]:
            if field["value"]["label"] == label:
                return field["value"]
    raise KeyError(label)


def latest(page):
    return type(page.specific).objects.get(pk=page.pk).get_latest_revision_as_object()


@pytest.fixture
def adopted(library_form, home_page, municipality_editor):
    """The municipality's copy of version 1 of the library's terrace form."""
    services.publish_version(library_form, change_note="Eerste versie.")
    template = library_form.library_template
    return services.adopt(template, home_page, user=municipality_editor, reference_prefix="TER")


# --- publishing and adopting ----------------------------------------------------------------


class TestPublishAndAdopt:
    def test_a_library_page_is_published_as_numbered_versions(self, library_form):
        first = services.publish_version(library_form, change_note="Eerste versie.")
        change_page(library_form, title="Aanvraag terras")
        second = services.publish_version(library_form, change_note="Nieuwe titel.")

        assert (first.number, second.number) == (1, 2)
        assert first.template == second.template
        assert second.template.title == "Aanvraag terras"
        assert second.content["form"]["title"] == "Aanvraag terras"
        assert first.content["form"]["title"] == "Aanvraag terrasvergunning"
        assert len(second.content["steps"]) == len(TERRACE_STEPS)

    def test_pages_outside_the_library_and_empty_notes_are_refused(self, library_form, form_page):
        with pytest.raises(ValidationError):
            services.publish_version(form_page, change_note="Mag niet.")
        with pytest.raises(ValidationError):
            services.publish_version(library_form, change_note="  ")

    def test_adopting_gives_an_own_draft_that_remembers_its_origin(
        self, adopted, home_page, library_form
    ):
        adopted = ApplicationFormPage.objects.get(pk=adopted.pk)
        origin = AdoptedPage.objects.get(page=adopted)

        assert adopted.get_parent().pk == home_page.pk
        assert not adopted.live
        assert adopted.reference_prefix == "TER"
        assert adopted.team is None  # the municipality chooses its own team
        assert adopted.get_schema()["steps"][0]["title"] == "Uw onderneming"
        assert origin.template.source_page_id == library_form.pk
        assert origin.version.number == 1
        assert services.pending_update(adopted) is None

    def test_a_fresh_copy_has_no_local_changes(self, adopted, library_form):
        change_page(library_form, intro="<p>Nieuwe inleiding.</p>")
        services.publish_version(library_form, change_note="Inleiding.")

        update = services.pending_update(adopted)

        assert [change.key for change in update.library_changes] == ["form.intro"]
        assert update.local_changes == []
        assert update.conflicts == []


# --- what changed ---------------------------------------------------------------------------


class TestDiff:
    def test_the_diff_names_steps_questions_logic_and_texts(self, adopted, library_form):
        def edit_steps(steps):
            question(steps, "Adres van de zaak")["help_text"] = "Straat en huisnummer"
            steps[0]["value"]["title"] = "Over uw onderneming"
            steps[1]["value"]["fields"].pop()  # the last question goes

        change_page(
            library_form,
            steps=edit_steps,
            declaration_text="<p>Ik verklaar alles juist te hebben ingevuld.</p>",
            calculations=[
                {
                    "type": "calculation",
                    "value": {
                        "label": "Retributie",
                        "name": "retributie",
                        "formula": "oppervlakte * 2",
                        "show": True,
                        "is_fee": True,
                    },
                }
            ],
        )
        services.publish_version(library_form, change_note="Hulptekst, titel, retributie.")

        changes = {c.label: c for c in services.pending_update(adopted).library_changes}

        address = changes["Stap “Uw terras”, vraag “Adres van de zaak”"]
        assert address.status == "changed"
        assert [(line.what, line.before, line.after) for line in address.lines] == [
            ("Uitleg", "—", "Straat en huisnummer")
        ]
        step = changes["Stap “Over uw onderneming”"]
        assert [(line.what, line.after) for line in step.lines] == [
            ("Titel", "Over uw onderneming")
        ]
        removed = [c for c in changes.values() if c.status == "removed"]
        assert len(removed) == 1 and removed[0].label.startswith("Stap “Uw terras”, vraag")
        fee = changes["Berekening “Retributie”"]
        assert fee.status == "added"
        assert ("Formule", "—", "oppervlakte * 2") in [
            (line.what, line.before, line.after) for line in fee.lines
        ]
        declaration = changes["Instelling “verklaring”"]
        assert declaration.lines[0].after == "Ik verklaar alles juist te hebben ingevuld."


# --- taking a newer version ------------------------------------------------------------------


@pytest.fixture
def both_changed(adopted, library_form):
    """The municipality changed the address question's label and the intro; the library
    changed the same label, another question's help text, and published version 2."""

    def local_steps(steps):
        question(steps, "Adres van de zaak")["label"] = "Adres van uw zaak in Voorbeeld"

    change_page(adopted, steps=local_steps, intro="<p>Onze eigen inleiding.</p>")

    def library_steps(steps):
        question(steps, "Adres van de zaak")["label"] = "Adres van de horecazaak"
        question(steps, "Naam van de onderneming")["help_text"] = "Zoals in de KBO"

    change_page(library_form, steps=library_steps)
    services.publish_version(library_form, change_note="Duidelijkere vragen.")
    return adopted


class TestUpdate:
    def test_the_merge_plan_tells_both_sides_apart(self, both_changed):
        update = services.pending_update(both_changed)

        outcomes = {item.label: item.outcome for item in update.merge}
        assert outcomes["Instelling “inleiding”"] == Outcome.LOCAL
        assert [item.label for item in update.conflicts] == [
            "Stap “Uw terras”, vraag “Adres van de horecazaak”"
        ]
        assert outcomes["Stap “Uw onderneming”, vraag “Naam van de onderneming”"] == (
            Outcome.LIBRARY
        )

    def test_accepting_takes_the_library_version_as_a_draft(self, both_changed):
        page = ApplicationFormPage.objects.get(pk=both_changed.pk)
        page.save_revision().publish()  # the municipality's form is live
        live_steps = ApplicationFormPage.objects.get(pk=page.pk).steps.get_prep_value()

        services.accept_update(page, expected_version=2)

        draft = latest(page)
        steps = [child.get_prep_value() for child in draft.steps]
        assert question(steps, "Adres van de horecazaak")
        assert question(steps, "Naam van de onderneming")["help_text"] == "Zoals in de KBO"
        assert draft.intro == "<p>Vraag uw terras aan.</p>"  # the local intro is replaced
        assert draft.reference_prefix == "TER"  # local settings stay
        live = ApplicationFormPage.objects.get(pk=page.pk)
        assert live.steps.get_prep_value() == live_steps  # nothing live until published
        assert live.has_unpublished_changes
        assert AdoptedPage.objects.get(page=page).version.number == 2
        assert services.pending_update(page) is None

    def test_merging_keeps_local_changes_and_asks_about_conflicts(self, both_changed):
        conflict = services.pending_update(both_changed).conflicts[0]
        with pytest.raises(ValidationError):
            services.merge_update(both_changed, choices={})

        services.merge_update(both_changed, choices={conflict.key: "local"})

        draft = latest(both_changed)
        steps = [child.get_prep_value() for child in draft.steps]
        assert question(steps, "Adres van uw zaak in Voorbeeld")  # the conflict: ours
        assert question(steps, "Naam van de onderneming")["help_text"] == "Zoals in de KBO"
        assert draft.intro == "<p>Onze eigen inleiding.</p>"  # local only: kept
        assert services.pending_update(both_changed) is None

    def test_after_a_merge_the_next_version_still_sees_the_local_change(
        self, both_changed, library_form
    ):
        conflict = services.pending_update(both_changed).conflicts[0]
        services.merge_update(both_changed, choices={conflict.key: "local"})
        change_page(library_form, intro="<p>Nieuwe inleiding van de provincie.</p>")
        services.publish_version(library_form, change_note="Inleiding.")

        update = services.pending_update(both_changed)

        assert [item.label for item in update.conflicts] == ["Instelling “inleiding”"]
        assert "Stap “Uw terras”, vraag “Adres van de horecazaak”" in [
            item.label for item in update.local_changes
        ]

    def test_merging_with_the_library_choice_takes_theirs(self, both_changed):
        conflict = services.pending_update(both_changed).conflicts[0]

        services.merge_update(both_changed, choices={conflict.key: "library"})

        steps = [child.get_prep_value() for child in latest(both_changed).steps]
        assert question(steps, "Adres van de horecazaak")
        assert latest(both_changed).intro == "<p>Onze eigen inleiding.</p>"

    def test_keeping_marks_the_version_seen_until_the_next_one(self, both_changed, library_form):
        before = latest(both_changed).steps.get_prep_value()

        services.keep_local(both_changed, expected_version=2)

        assert services.pending_update(both_changed) is None
        assert latest(both_changed).steps.get_prep_value() == before
        services.publish_version(library_form, change_note="Nog een versie.")
        update = services.pending_update(both_changed)
        assert update.version.number == 3
        assert [version.number for version in update.versions] == [2, 3]

    def test_a_stale_decision_is_refused(self, both_changed):
        with pytest.raises(ValidationError):
            services.accept_update(both_changed, expected_version=1)


class TestServicePages:
    def test_a_service_page_is_adopted_and_merged(self, library_home, home_page):
        source = library_home.add_child(
            instance=ServicePage(
                title="Terras plaatsen",
                slug="terras-plaatsen",
                intro="Een terras op de stoep.",
                cost="<p>€ 0,30 per m² per dag.</p>",
                faq=[
                    {
                        "type": "item",
                        "value": {"question": "Hoe lang?", "answer": "<p>30 dagen.</p>"},
                    }
                ],
            )
        )
        services.publish_version(source, change_note="Eerste versie.")
        topic = home_page  # a service page can sit under the home page
        page = services.adopt(source.library_template, topic)
        change_page(page, cost="<p>Gratis in Voorbeeld.</p>")
        change_page(source, intro="Een terras op de stoep of het plein.")
        services.publish_version(source, change_note="Ook pleinen.")

        update = services.pending_update(page)
        services.merge_update(page, choices={})

        draft = latest(page)
        assert [c.key for c in update.library_changes] == ["page.intro"]
        assert draft.intro == "Een terras op de stoep of het plein."
        assert draft.cost == "<p>Gratis in Voorbeeld.</p>"
        assert draft.faq[0].value["question"] == "Hoe lang?"


# --- export and import -----------------------------------------------------------------------


class TestTransfer:
    def test_the_origin_travels_with_the_export(self, both_changed, library_form):
        document = json.loads(json.dumps(export_form(both_changed)))
        origin = AdoptedPage.objects.get(page=both_changed)
        other = Page.get_first_root_node().add_child(
            instance=HomePage(title="Gemeente Elders", slug="elders")
        )
        document["form"]["reference_prefix"] = "ELD"

        imported = import_form(copy.deepcopy(document), other)

        assert document["origin"]["template"] == str(origin.template.uid)
        assert document["origin"]["version"] == 1
        link = AdoptedPage.objects.get(page=imported)
        assert (link.template, link.version.number) == (origin.template, 1)
        update = services.pending_update(imported)
        assert [item.label for item in update.conflicts] == [
            "Stap “Uw terras”, vraag “Adres van de horecazaak”"
        ]

    def test_an_unknown_origin_imports_as_a_plain_copy(self, adopted, home_page):
        document = export_form(adopted)
        document["origin"]["template"] = "00000000-0000-0000-0000-000000000000"
        document["form"]["reference_prefix"] = "ELD"

        imported = import_form(document, home_page)

        assert not AdoptedPage.objects.filter(page=imported).exists()

    def test_a_library_version_holds_no_origin(self, adopted, library_form):
        version = AdoptedPage.objects.get(page=adopted).version
        assert "origin" not in version.content
        assert "exported_at" not in version.content


# --- dossiers keep their schema ----------------------------------------------------------------


def test_a_frozen_schema_does_not_change_when_an_update_is_published(both_changed):
    from forms_builder.schema import freeze_schema

    page = ApplicationFormPage.objects.get(pk=both_changed.pk)
    page.save_revision().publish()
    page = ApplicationFormPage.objects.get(pk=page.pk)
    snapshot = freeze_schema(page.get_schema(), page)
    frozen = copy.deepcopy(snapshot.schema)

    services.accept_update(page)
    latest(page).save_revision().publish()

    snapshot.refresh_from_db()
    assert snapshot.schema == frozen
    published = ApplicationFormPage.objects.get(pk=page.pk)
    assert freeze_schema(published.get_schema(), published).pk != snapshot.pk


# --- the admin --------------------------------------------------------------------------------


LIBRARY_URL = "/admin/library/"


class TestAdmin:
    def test_an_editor_adopts_from_the_list(
        self, client, library_form, municipality_editor, home_page
    ):
        services.publish_version(library_form, change_note="Eerste versie.")
        template = library_form.library_template
        client.force_login(municipality_editor)

        listing = client.get(LIBRARY_URL)
        form = client.get(reverse("cms_library_adopt", args=[template.pk]))
        response = client.post(
            reverse("cms_library_adopt", args=[template.pk]),
            {"parent": home_page.pk, "reference_prefix": "ter2"},
        )

        page = ApplicationFormPage.objects.get(library_origin__template=template)
        assert listing.status_code == 200
        assert "Overnemen" in listing.content.decode()
        assert "Bibliotheek" in client.get("/admin/").content.decode()
        assert form.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
        assert page.reference_prefix == "TER2"

    def test_a_taken_prefix_and_a_library_parent_are_refused(
        self, client, library_form, library_home, home_page, form_page
    ):
        services.publish_version(library_form, change_note="Eerste versie.")
        everywhere = editor_of(home_page, library_home, username="overal")
        client.force_login(everywhere)
        url = reverse("cms_library_adopt", args=[library_form.library_template.pk])

        taken = client.post(url, {"parent": home_page.pk, "reference_prefix": "TER"})
        in_library = client.post(url, {"parent": library_home.pk, "reference_prefix": "NEW"})

        assert taken.status_code == 200
        assert "gebruikt TER al" in taken.content.decode()
        assert in_library.status_code == 200
        assert not AdoptedPage.objects.exists()

    def test_the_edit_view_tells_about_a_newer_version(
        self, client, both_changed, municipality_editor
    ):
        client.force_login(municipality_editor)

        edit = client.get(reverse("wagtailadmin_pages:edit", args=[both_changed.pk]))
        update = client.get(reverse("cms_library_update", args=[both_changed.pk]))
        listing = client.get(LIBRARY_URL)

        assert "Duidelijkere vragen." in edit.content.decode()
        assert reverse("cms_library_update", args=[both_changed.pk]) in edit.content.decode()
        assert "Adres van de horecazaak" in update.content.decode()
        assert "Zoals in de KBO" in update.content.decode()
        assert both_changed.title in listing.content.decode()

    def test_an_editor_merges_in_the_admin(self, client, both_changed, municipality_editor):
        client.force_login(municipality_editor)
        conflict = services.pending_update(both_changed).conflicts[0]
        url = reverse("cms_library_update", args=[both_changed.pk])

        missing = client.post(url, {"action": "merge", "version": "2"})
        merged = client.post(
            url, {"action": "merge", "version": "2", f"choice:{conflict.key}": "library"}
        )

        assert missing.status_code == 200
        assert "Kies welke versie" in missing.content.decode()
        assert merged.status_code == 302
        assert AdoptedPage.objects.get(page=both_changed).version.number == 2

    def test_an_editor_keeps_their_page_in_the_admin(
        self, client, both_changed, municipality_editor
    ):
        client.force_login(municipality_editor)

        response = client.post(
            reverse("cms_library_update", args=[both_changed.pk]),
            {"action": "keep", "version": "2"},
        )

        assert response.status_code == 302
        assert AdoptedPage.objects.get(page=both_changed).seen_version.number == 2


class TestPermissions:
    def test_only_library_editors_publish_to_the_library(
        self, client, library_form, library_editor, municipality_editor
    ):
        url = reverse("cms_library_publish", args=[library_form.pk])
        client.force_login(municipality_editor)
        refused = client.post(url, {"change_note": "Mag niet."})
        client.force_login(library_editor)
        page = client.get(reverse("wagtailadmin_pages:edit", args=[library_form.pk]))
        published = client.post(url, {"change_note": "Eerste versie."})

        # The library's pages are outside a municipality editor's tree: not found
        # (cms.tenancy.AdminScopeMiddleware), as any page of another site.
        assert refused.status_code == 404
        assert url in page.content.decode()
        assert published.status_code == 302
        assert library_form.library_template.versions.count() == 1

    def test_municipality_editors_cannot_edit_the_library(
        self, client, library_form, municipality_editor
    ):
        client.force_login(municipality_editor)

        response = client.get(reverse("wagtailadmin_pages:edit", args=[library_form.pk]))

        # Outside their municipality's tree (cms.tenancy.AdminScopeMiddleware).
        assert response.status_code == 404

    def test_people_who_may_not_add_pages_cannot_adopt(self, client, library_form, home_page):
        services.publish_version(library_form, change_note="Eerste versie.")
        reader = editor_of(home_page, username="lezer", actions=("change_page",))
        client.force_login(reader)

        listing = client.get(LIBRARY_URL)
        adopt = client.post(
            reverse("cms_library_adopt", args=[library_form.library_template.pk]),
            {"parent": home_page.pk, "reference_prefix": "NEW"},
        )

        assert listing.status_code == 302
        assert adopt.status_code == 302
        assert not AdoptedPage.objects.exists()

    def test_only_the_pages_editors_decide_on_an_update(self, client, both_changed, library_editor):
        client.force_login(library_editor)

        response = client.post(
            reverse("cms_library_update", args=[both_changed.pk]),
            {"action": "accept", "version": "2"},
        )

        # The municipality's page is outside the library editor's tree: not found
        # (cms.tenancy.AdminScopeMiddleware).
        assert response.status_code == 404
        assert AdoptedPage.objects.get(page=both_changed).version.number == 1


# --- the demo ---------------------------------------------------------------------------------


def test_the_demo_terrace_form_is_adopted_from_the_library(demo):
    from cms.demo import load_demo
    from cms.demo.library import SURFACE_HELP

    load_demo()  # twice: nothing new

    template = LibraryTemplate.objects.get()
    terrace = ApplicationFormPage.objects.get(slug="aanvraag-terras", reference_prefix="TER")
    update = services.pending_update(terrace)
    assert template.versions.count() == 2
    assert services.in_library(template.source_page)
    assert not template.source_page.live
    assert update.version.number == 2
    assert update.local_changes == [] and update.conflicts == []
    assert [line.after for c in update.library_changes for line in c.lines] == [SURFACE_HELP]
    assert terrace.live and not terrace.has_unpublished_changes
