"""Small slips in the form editor: file types as tick boxes, one size limit for one
file, a reference prefix of its own."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from forms_builder.fields import get_field_type
from forms_builder.models import ApplicationFormPage
from tests.conftest import make_form_page
from tests.files import PDF


def test_allowed_file_types_are_tick_boxes():
    block = get_field_type("file_upload").get_block().child_blocks["allowed_types"]
    assert isinstance(block.field.widget, forms.CheckboxSelectMultiple)


def test_a_single_file_over_its_limit_gets_one_message():
    field = get_field_type("file_upload").get_form_field(
        {"name": "plan", "label": "Plan", "options": {"max_file_mb": 2, "max_total_mb": 2}}
    )
    big = SimpleUploadedFile("plan.pdf", PDF + b"0" * (3 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        field.clean([big])
    assert len(refused.value.messages) == 1


def admin_form(page, prefix):
    form_class = ApplicationFormPage.get_edit_handler().get_form_class()
    form = form_class(instance=page, for_user=None)
    form.cleaned_data = {"reference_prefix": prefix}
    return form


@pytest.mark.django_db
class TestReferencePrefix:
    def test_a_prefix_another_form_uses_is_refused(self, home_page, team):
        make_form_page(home_page, slug="terras", reference_prefix="TER", team=team)
        other = make_form_page(home_page, slug="reclame", reference_prefix="REC", team=team)
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            admin_form(other, " ter ").clean_reference_prefix()
        assert refused.value.messages == [
            "Het formulier “Aanvraag terrasvergunning” gebruikt TER al. Kies een andere "
            "prefix: elk formulier heeft zijn eigen nummering."
        ]

    def test_municipalities_with_their_own_code_may_share_a_prefix(self, team):
        """AAN-TER and BZO-TER are two numberings; two municipalities without a code
        (or with the same code) would share TER, so that stays refused."""
        from cms.municipalities import add_municipality
        from dossiers.models import MunicipalitySettings

        a = add_municipality(name="Gemeente Aanzee", hostname="aanzee.localhost")
        b = add_municipality(name="Gemeente Bzonder", hostname="bzonder.localhost")
        make_form_page(a.home, slug="terras", reference_prefix="TER", team=a.team)
        form_b = make_form_page(b.home, slug="terras", reference_prefix="TEB", team=b.team)
        with pytest.raises(ValidationError):
            admin_form(form_b, "TER").clean_reference_prefix()  # neither has a code

        def code(municipality, value):
            settings = MunicipalitySettings.for_site(municipality.site)
            settings.reference_code = value
            settings.save()

        code(a, "AAN")
        code(b, "BZO")
        assert admin_form(form_b, "ter").clean_reference_prefix() == "TER"

        code(b, "AAN")
        with pytest.raises(ValidationError):
            admin_form(form_b, "TER").clean_reference_prefix()

    def test_its_own_prefix_is_fine(self, home_page, team):
        page = make_form_page(home_page, slug="terras", reference_prefix="TER", team=team)
        assert admin_form(page, "ter").clean_reference_prefix() == "TER"

    def test_an_empty_prefix_says_it_is_required(self, home_page, team):
        page = make_form_page(home_page, slug="terras", reference_prefix="TER", team=team)
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            admin_form(page, "  ").clean_reference_prefix()
        assert refused.value.messages == [
            "De prefix van het referentienummer is verplicht, bijvoorbeeld TER."
        ]
        page.reference_prefix = ""
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            page.clean()
        assert "verplicht" in refused.value.message_dict["reference_prefix"][0]


def test_the_team_picker_says_who_is_in_each_team(db):
    """Issue #14, item 5: editors choose a team knowing who handles its applications."""
    from forms_builder.models.form_page import team_with_members
    from tests.dossiers.conftest import make_team, make_user

    economy = make_team("Economie")
    make_user("an", economy.group, last_name="Peeters")
    make_user("bo", economy.lead_group, last_name="")
    empty = make_team("Leeg")

    assert team_with_members(economy) == "Economie (An Peeters, Bo)"
    assert team_with_members(empty) == "Leeg (nog niemand)"


# --- upload limits that cannot work together (issue #14, item 4) ------------------------


def upload_block_errors(**options):
    """The messages per setting when the editor saves an upload question with ``options``."""
    from wagtail.blocks.struct_block import StructBlockValidationError

    block = get_field_type("file_upload").get_block()
    value = block.to_python(
        {"label": "Foto's", "name": "fotos", "required": True, "max_file_mb": 10, **options}
    )
    try:
        with translation.override("nl"):
            block.clean(value)
    except StructBlockValidationError as refused:
        return {name: error.messages for name, error in refused.block_errors.items()}
    return {}


@pytest.mark.django_db
def test_sensible_upload_limits_save():
    assert upload_block_errors(multiple=True, max_files=5, min_files=2, max_total_mb=20) == {}
    assert upload_block_errors(multiple=False, max_total_mb=2) == {}, "unused for one file"


@pytest.mark.django_db
def test_a_minimum_above_the_maximum_number_of_files_is_refused():
    assert upload_block_errors(multiple=True, max_files=2, min_files=3, max_total_mb=20) == {
        "min_files": ["Het minimum aantal bestanden is groter dan het maximum (2)."]
    }


@pytest.mark.django_db
def test_a_minimum_of_several_files_needs_several_files_allowed():
    assert upload_block_errors(multiple=False, min_files=2) == {
        "min_files": [
            "Een minimum van meer dan één bestand kan alleen met “Meerdere bestanden toegelaten”."
        ]
    }


@pytest.mark.django_db
def test_a_total_below_the_size_per_file_is_refused():
    assert upload_block_errors(multiple=True, max_files=5, max_total_mb=5) == {
        "max_total_mb": [
            "De grootte van alle bestanden samen moet minstens de grootte per bestand zijn (10 MB)."
        ]
    }
