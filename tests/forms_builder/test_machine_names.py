"""Machine names: derived once from the label, unique, and kept when the label changes."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import make_form_page


def _field(label, name=""):
    return {"type": "short_text", "value": {"label": label, "name": name, "required": True}}


def _steps(*fields):
    return [{"type": "step", "value": {"title": "Stap", "intro": "", "fields": list(fields)}}]


def _names(page):
    return [f["name"] for step in page.get_schema()["steps"] for f in step["fields"]]


@pytest.mark.django_db
def test_names_are_derived_from_labels_and_made_unique_when_saved(home_page):
    page = make_form_page(
        home_page,
        steps=_steps(
            _field("Naam van de zaak"),
            _field("Naam van de zaak"),
            _field("Adres", name="naam_van_de_zaak_2"),
        ),
    )
    page.save_revision().publish()
    page.refresh_from_db()
    assert _names(page) == ["naam_van_de_zaak", "naam_van_de_zaak_3", "naam_van_de_zaak_2"]


@pytest.mark.django_db
def test_a_name_stays_when_the_label_changes(home_page):
    page = make_form_page(home_page, steps=_steps(_field("Naam van de zaak")))
    page.save_revision().publish()
    page.refresh_from_db()
    page.steps[0].value["fields"][0].value["label"] = "Handelsnaam"
    page.save_revision().publish()
    page.refresh_from_db()
    assert _names(page) == ["naam_van_de_zaak"]
    assert page.get_schema()["steps"][0]["fields"][0]["label"] == "Handelsnaam"


@pytest.mark.django_db
def test_two_fields_with_the_same_chosen_name_are_refused(home_page):
    page = make_form_page(home_page, steps=_steps(_field("A", name="x")))
    page.steps = _steps(_field("A", name="x"), _field("B", name="x"))
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "x" in str(error.value)


@pytest.mark.django_db
def test_a_derived_name_gives_way_to_a_chosen_one(home_page):
    page = make_form_page(
        home_page, steps=_steps(_field("Uw naam"), _field("Naam", name="uw_naam"))
    )
    assert _names(page) == ["uw_naam_2", "uw_naam"]


# --- the rules (issue #13) -----------------------------------------------------------


@pytest.mark.parametrize("name", ["x-keep", "x_keep", "__proto__<script>", "1e", "Naam", "a b"])
@pytest.mark.django_db
def test_a_name_against_the_rules_is_refused_naming_the_step_and_the_question(home_page, name):
    page = make_form_page(home_page, steps=_steps(_field("A", name="a")))
    page.steps = _steps(_field("Uw naam", name=name))
    with pytest.raises(ValidationError) as error:
        page.save_revision()
    message = " ".join(error.value.messages)
    assert 'Stap "Stap"' in message or "Stap" in message
    assert "Uw naam" in message and name in message


@pytest.mark.django_db
def test_the_name_block_refuses_a_name_against_the_rules():
    from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

    from forms_builder.blocks import FieldsBlock

    block = FieldsBlock()
    stream = block.to_python([_field("Uw naam", name="x-keep")])
    with pytest.raises((StreamBlockValidationError, StructBlockValidationError)):
        block.clean(stream)
    block.clean(block.to_python([_field("Uw naam", name="uw_naam_2")]))


@pytest.mark.django_db
def test_derived_names_follow_the_rules(home_page):
    page = make_form_page(
        home_page, steps=_steps(_field("1e vraag"), _field("Wat houdt u (keep)"), _field("!!!"))
    )
    assert _names(page) == ["field_1e_vraag", "wat_houdt_u_keep_field", "field"]


@pytest.mark.django_db
def test_the_migration_rewrites_names_and_the_conditions_that_use_them(home_page):
    import importlib

    from django.apps import apps

    from forms_builder.models import ApplicationFormPage

    migration = importlib.import_module("forms_builder.migrations.0012_normalise_machine_names")
    page = make_form_page(home_page, steps=_steps(_field("A", name="a"), _field("B", name="b")))
    page.save_revision()
    condition = {
        "combinator": "all",
        "rules": [
            {"type": "item", "id": "r1", "value": {"field": "X-keep", "operator": "is_filled"}}
        ],
    }
    raw = _steps(
        _field("A", name="X-keep"),
        _field("B", name="x_keep_field"),
        {
            "type": "short_text",
            "value": {"label": "C", "name": "__proto__<script>", "condition": condition},
        },
    )
    ApplicationFormPage.objects.filter(pk=page.pk).update(steps=raw)
    revision = page.latest_revision
    revision.content["steps"] = raw
    revision.save()

    migration.forwards(apps, None)

    page = ApplicationFormPage.objects.get(pk=page.pk)
    assert _names(page) == ["x_keep_field_2", "x_keep_field", "field___proto___script_"]
    rule = page.steps[0].value["fields"][2].value["condition"]["rules"][0]
    assert rule["field"] == "x_keep_field_2"
    revision.refresh_from_db()
    revised = revision.as_object()
    assert [f.value["name"] for f in revised.steps[0].value["fields"]][0] == "x_keep_field_2"
    page.full_clean()


@pytest.mark.django_db
def test_a_name_that_another_fields_inputs_use_is_refused(home_page):
    page = make_form_page(home_page, steps=_steps(_field("A", name="a")))
    period = {"type": "date_range", "value": {"label": "Periode", "name": "periode"}}
    page.steps = _steps(period, _field("Begin", name="periode_start"))
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    message = " ".join(error.value.messages)
    assert "periode_start" in message and "Periode" in message and "Begin" in message
    page.steps = _steps(period, _field("Begin", name="begin"))
    page.full_clean()
