"""The schema an applicant starts on is built once per form content, not per visit
(forms_builder.schema.current_snapshot), and never outlives a change to that content."""

import pytest

from forms_builder.models import ApplicationFormPage, FormSnapshot
from forms_builder.schema import current_snapshot
from tests.conftest import make_form_page
from tests.forms_builder.test_reuse import labels, make_reusable_step, make_reusing_form, relabel

pytestmark = pytest.mark.django_db


def fresh(page) -> ApplicationFormPage:
    """The page as a request loads it (its blocks not read yet)."""
    return ApplicationFormPage.objects.get(pk=page.pk)


def blocks_read(page) -> bool:
    """Whether any of the page's steps was turned into block values (the schema built)."""
    return any(block is not None for block in page.steps._bound_blocks)


def first_label(page) -> str:
    return page.steps[0].value["fields"][0].value["label"]


class TestCurrentSnapshot:
    def test_the_second_visitor_of_an_unchanged_form_does_not_build_it_again(
        self, home_page, django_assert_num_queries
    ):
        form = make_form_page(home_page)
        first = current_snapshot(fresh(form))
        again = fresh(form)
        with django_assert_num_queries(1):  # the snapshot's row, nothing else
            second = current_snapshot(again)
        assert second.pk == first.pk
        assert not blocks_read(again)
        assert second.schema == form.get_schema()

    def test_a_published_change_gives_the_new_schema(self, home_page):
        form = make_form_page(home_page)
        before = current_snapshot(fresh(form))
        page = fresh(form)
        page.steps[0].value["fields"][0].value["label"] = "Naam van de zaak"
        page.save_revision().publish()
        after = current_snapshot(fresh(form))
        assert after.pk != before.pk
        assert labels(after.schema)[0] == "Naam van de zaak"
        assert labels(before.schema)[0] != "Naam van de zaak"

    def test_a_reusable_step_published_again_gives_the_new_schema(self, home_page):
        snippet = make_reusable_step()
        form = make_reusing_form(home_page, snippet)
        old_label = labels(current_snapshot(fresh(form)).schema)[0]
        relabel(snippet, old_label, "Naam van uw zaak")
        assert labels(current_snapshot(fresh(form)).schema)[0] == "Naam van uw zaak"
        # A new draft of the step, not published, changes nothing.
        relabel(snippet, "Naam van uw zaak", "Ontwerp", publish=False)
        assert labels(current_snapshot(fresh(form)).schema)[0] == "Naam van uw zaak"

    def test_a_page_changed_in_memory_is_built_afresh(self, home_page):
        form = make_form_page(home_page)
        page = fresh(form)
        current_snapshot(page)
        page = fresh(form)
        original = first_label(page)
        # Changing a block value in place leaves Wagtail's stored JSON as it was:
        # the schema must come from the values, not from what is remembered.
        page.steps[0].value["fields"][0].value["label"] = "Gewijzigd in het geheugen"
        assert labels(current_snapshot(page).schema)[0] == "Gewijzigd in het geheugen"
        assert labels(current_snapshot(fresh(form)).schema)[0] == original

    def test_a_form_without_steps_has_no_snapshot(self, home_page):
        form = make_form_page(home_page, steps=[])
        assert current_snapshot(fresh(form)) is None
        assert current_snapshot(fresh(form)) is None

    def test_the_remembered_schema_is_not_shared_with_the_new_row(self, home_page):
        form = make_form_page(home_page, slug="gedeeld")
        snapshot = current_snapshot(fresh(form))
        snapshot.schema["title"] = "Aangepast"
        # Whoever changes the object they got does not change what the next row holds.
        FormSnapshot.objects.filter(pk=snapshot.pk).delete()
        assert current_snapshot(fresh(form)).schema["title"] == form.title


class TestParsedOnce:
    """A form version's stored schema is parsed once per process
    (forms_builder.models.snapshot.FrozenJSONField)."""

    def test_rows_with_the_same_schema_share_one_parsed_value(self, home_page):
        form = make_form_page(home_page)
        snapshot = current_snapshot(fresh(form))
        first = FormSnapshot.objects.get(pk=snapshot.pk).schema
        second = FormSnapshot.objects.get(pk=snapshot.pk).schema
        assert first is second
        assert first == form.get_schema()

    def test_another_schema_is_parsed_for_itself(self, home_page):
        form = make_form_page(home_page)
        other = make_form_page(home_page, title="Evenement", slug="evenement")
        one = FormSnapshot.objects.get(pk=current_snapshot(fresh(form)).pk).schema
        two = FormSnapshot.objects.get(pk=current_snapshot(fresh(other)).pk).schema
        assert one is not two
        assert one["title"] != two["title"]

    def test_a_shared_value_changed_in_place_is_noticed(self, home_page):
        from forms_builder.models.snapshot import changed_parsed_values

        form = make_form_page(home_page)
        snapshot = current_snapshot(fresh(form))
        schema = FormSnapshot.objects.get(pk=snapshot.pk).schema
        assert changed_parsed_values() == []
        title = schema["steps"][0]["title"]
        schema["steps"][0]["title"] = "Gewijzigd"
        try:
            assert len(changed_parsed_values()) == 1
        finally:
            schema["steps"][0]["title"] = title
