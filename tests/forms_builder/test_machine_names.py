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
