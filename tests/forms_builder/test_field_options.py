"""New field types and options (issue #15): the national register number, a time range,
a number with its unit, default answers, the upload types an administrator adds and a
minimum number of files. Unit tests of each type, and the wizard through the test client.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core import uploads
from forms_builder.fields import get_field_type
from forms_builder.fields.file_types import type_choices
from forms_builder.models import UploadFileType
from forms_builder.schema import display_answers
from tests.conftest import make_form_page
from tests.factories import field_block, step_block
from tests.files import image_bytes, ole2_bytes, pdf_bytes

NN = get_field_type("national_register_number")


def definition(type_id, name="vraag", label="Vraag", required=True, **options):
    return {"type": type_id, "name": name, "label": label, "required": required, "options": options}


def post(client, page, key, data, files=None):
    management = {f"loket-form-{page.pk}-current_step": key}
    return client.post(page.url + f"stap/{key}/", {**management, **data, **(files or {})})


# --- national register number ------------------------------------------------------------


class TestNationalRegisterNumber:
    def test_numbers_of_people_born_after_2000_pass_their_check(self):
        field = NN.get_form_field(definition("national_register_number"))
        assert field.clean("17.07.30-033.84") == "17073003384"
        assert field.clean("85 07 30 033 28") == "85073003328"

    def test_a_wrong_check_digit_is_refused_in_dutch(self):
        field = NN.get_form_field(definition("national_register_number"))
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            field.clean("85.07.30-033.29")
        assert "rijksregisternummer is niet juist" in str(refused.value)

    def test_shown_formatted_and_masked_but_the_check_digits(self):
        field = definition("national_register_number")
        assert NN.display("85073003328", field) == "85.07.30-033.28"
        assert NN.masked("85073003328", field) == "••.••.••-•••.28"
        assert NN.shown("85073003328", field, reveal_sensitive=False) == "••.••.••-•••.28"
        assert NN.shown("85073003328", field, reveal_sensitive=True) == "85.07.30-033.28"
        assert NN.exported("85073003328", field, reveal_sensitive=False) == "••.••.••-•••.28"
        assert NN.exported("85073003328", field, reveal_sensitive=True) == "85073003328"
        assert NN.masked("", field) == ""

    def test_display_answers_masks_unless_asked_to_reveal(self):
        schema = {
            "steps": [
                {
                    "id": "s1",
                    "title": "U",
                    "fields": [definition("national_register_number", name="rrn")],
                }
            ]
        }
        answers = {"s1": {"rrn": "85073003328"}}
        [masked] = display_answers(schema, answers)
        [revealed] = display_answers(schema, answers, reveal_sensitive=True)
        assert masked["rows"][0]["value"] == "••.••.••-•••.28"
        assert revealed["rows"][0]["value"] == "85.07.30-033.28"

    def test_other_types_are_never_masked(self):
        phone = get_field_type("phone")
        assert not phone.sensitive
        assert phone.shown("+32470123456", {}, reveal_sensitive=False) == "+32 470 12 34 56"


# --- time range ---------------------------------------------------------------------------


class TestTimeRange:
    field_type = get_field_type("time_range")

    def test_end_before_start_is_refused_in_dutch(self):
        field = self.field_type.get_form_field(definition("time_range"))
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            field.clean(["18:00", "09:00"])
        assert "Vul een einduur in dat na het beginuur ligt." in str(refused.value)

    def test_a_missing_part_is_named(self):
        field = self.field_type.get_form_field(definition("time_range"))
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            field.clean(["09:00", ""])
        assert "Vul het einduur in." in str(refused.value)

    def test_formulas_see_its_length_in_hours(self):
        value = self.field_type.formula_value({"start": "14:00", "end": "18:30"}, {})
        assert str(value) == "4.5"

    def test_shown_in_dutch(self):
        with translation.override("nl"):
            shown = self.field_type.display({"start": "14:00", "end": "18:30"}, {})
        assert shown == "14:00 tot 18:30"


# --- number with a unit -----------------------------------------------------------------


class TestUnit:
    @pytest.mark.parametrize("type_id", ["integer", "decimal"])
    def test_the_unit_follows_the_input_and_describes_it(self, type_id):
        field_def = definition(type_id, name="opp", unit="m²", help_text="")
        widget = get_field_type(type_id).get_form_field(field_def).widget
        html = widget.render("opp", None, {"id": "id_opp", "aria-describedby": "id_opp_helptext"})
        assert 'aria-describedby="id_opp_helptext id_opp_unit"' in html
        assert '<span class="input-unit" id="id_opp_unit">m²</span>' in html

    def test_without_a_unit_a_plain_input(self):
        widget = get_field_type("integer").get_form_field(definition("integer")).widget
        assert "input-unit" not in widget.render("x", 3, {"id": "id_x"})

    @pytest.mark.parametrize(("type_id", "stored"), [("integer", 24), ("decimal", "24.5")])
    def test_shown_with_the_unit_exported_without_and_headed_with_it(self, type_id, stored):
        field_def = definition(type_id, label="Oppervlakte", unit="m²")
        field_type = get_field_type(type_id)
        with translation.override("nl"):
            assert field_type.display(stored, field_def).endswith(" m²")
        assert field_type.export(stored, field_def) == str(stored)
        assert field_type.export_heading(field_def) == "Oppervlakte (m²)"
        assert field_type.export_heading(definition(type_id, label="Aantal")) == "Aantal"


# --- default answers ------------------------------------------------------------------


class TestDefaults:
    def test_today_for_a_date_and_a_fixed_answer(self):
        today = datetime.date(2026, 6, 30)
        date = get_field_type("date")
        assert date.default_initial(definition("date", default_kind="today"), today) == today
        text = get_field_type("short_text")
        fixed = definition("short_text", default_kind="fixed", default_value=" Gent ")
        assert text.default_initial(fixed, today) == "Gent"
        assert text.default_initial(definition("short_text"), today) is None

    def test_today_is_offered_for_dates_only_and_uploads_take_no_default(self):
        date_block = get_field_type("date").get_block().child_blocks["default_kind"]
        text_block = get_field_type("short_text").get_block().child_blocks["default_kind"]
        assert "today" in dict(date_block.field.choices)
        assert "today" not in dict(text_block.field.choices)
        for type_id in ("file_upload", "consent", "national_register_number"):
            assert "default_kind" not in get_field_type(type_id).get_block().child_blocks

    def test_several_values_for_tick_boxes(self):
        many = get_field_type("multiple_choice")
        fixed = definition("multiple_choice", default_kind="fixed", default_value="Tafels")
        assert many.default_initial(fixed, datetime.date.today()) == ["Tafels"]


@pytest.fixture
def defaults_page(home_page):
    return make_form_page(
        home_page,
        slug="standaard",
        steps=[
            step_block(
                "Wanneer",
                field_block("date", "Datum", "datum", default_kind="today"),
                field_block(
                    "short_text",
                    "Gemeente",
                    "gemeente",
                    default_kind="fixed",
                    default_value="Voorbeeld",
                    prefill=True,
                ),
                field_block("integer", "Oppervlakte", "opp", unit="m²"),
            )
        ],
    )


@pytest.mark.django_db
class TestDefaultsAndUnitInTheWizard:
    def test_the_step_starts_with_the_defaults_and_shows_the_unit(self, client, defaults_page):
        html = client.get(defaults_page.url + "stap/1/").content.decode()
        assert f'value="{timezone.localdate().isoformat()}"' in html
        assert 'value="Voorbeeld"' in html
        assert 'class="input-unit" id="id_1-opp_unit">m²</span>' in html

    def test_a_value_from_a_link_wins_over_the_default(self, client, defaults_page):
        html = client.get(defaults_page.url + "stap/1/?gemeente=Gent").content.decode()
        assert 'value="Gent"' in html
        assert 'value="Voorbeeld"' not in html

    def test_the_check_page_shows_the_unit(self, client, defaults_page):
        client.get(defaults_page.url + "stap/1/")
        answers = {"1-datum": "2026-06-30", "1-gemeente": "X", "1-opp": "24"}
        post(client, defaults_page, "1", answers)
        with translation.override("nl"):
            html = client.get(defaults_page.url + "controleren/").content.decode()
        assert "24 m²" in html


# --- the national register number and the time range in the wizard ---------------------


@pytest.fixture
def person_page(home_page):
    return make_form_page(
        home_page,
        slug="persoon",
        steps=[
            step_block(
                "U",
                field_block("national_register_number", "Rijksregisternummer", "rrn"),
                field_block("time_range", "Openingsuren", "uren"),
            )
        ],
    )


@pytest.mark.django_db
class TestPersonInTheWizard:
    def test_refusals_in_dutch(self, client, person_page):
        client.get(person_page.url + "stap/1/")
        response = post(
            client,
            person_page,
            "1",
            {"1-rrn": "85073003329", "1-uren_start": "18:00", "1-uren_end": "09:00"},
            {"HTTP_ACCEPT_LANGUAGE": "nl"},
        )
        html = response.content.decode()
        assert "rijksregisternummer is niet juist" in html
        assert "Vul een einduur in dat na het beginuur ligt." in html

    def test_the_applicant_sees_their_own_number_on_the_check_page(self, client, person_page):
        client.get(person_page.url + "stap/1/")
        response = post(
            client,
            person_page,
            "1",
            {"1-rrn": "85.07.30-033.28", "1-uren_start": "14:00", "1-uren_end": "18:00"},
        )
        assert response.status_code == 302
        html = client.get(person_page.url + "controleren/").content.decode()
        assert "85.07.30-033.28" in html
        assert "••" not in html


# --- upload types and a minimum number of files ----------------------------------------


def upload_field(**options):
    return get_field_type("file_upload").get_form_field(
        definition("file_upload", multiple=True, max_files=5, **options)
    )


class TestContentChecks:
    def test_gif_opens_as_gif_and_is_drawn_again(self):
        gif = SimpleUploadedFile("a.gif", image_bytes("GIF"))
        uploads.check_container(gif, "gif")
        assert uploads.is_image("gif")
        with pytest.raises(uploads.ContentRefused):
            uploads.check_container(SimpleUploadedFile("a.gif", image_bytes("PNG")), "gif")

    def test_an_animated_gif_keeps_every_frame(self):
        import io

        from PIL import Image

        frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
        out = io.BytesIO()
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
        drawn = uploads.reencoded_image(SimpleUploadedFile("a.gif", out.getvalue()), "gif")
        again = Image.open(io.BytesIO(drawn.read()))
        assert again.format == "GIF"
        assert again.n_frames == 3
        assert again.info.get("duration") == 200
        # Drawn again: anything appended after the image is gone.
        tailed = SimpleUploadedFile("b.gif", out.getvalue() + b"<script>x</script>")
        assert b"<script>" not in uploads.reencoded_image(tailed, "gif").read()

    @pytest.mark.parametrize(("ext", "stream"), [("doc", "WordDocument"), ("xls", "Workbook")])
    def test_legacy_office_files_are_ole2_containers(self, ext, stream):
        uploads.check_container(SimpleUploadedFile(f"a.{ext}", ole2_bytes(stream)), ext)

    @pytest.mark.parametrize(
        "content",
        [
            pdf_bytes(),  # another kind of file renamed
            ole2_bytes("Workbook"),  # an Excel file renamed to .doc
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,  # only the magic
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,  # no byte order mark
        ],
    )
    def test_a_doc_that_is_no_word_container_is_refused(self, content):
        with pytest.raises(uploads.ContentRefused) as refused:
            uploads.check_container(SimpleUploadedFile("a.doc", content), "doc")
        assert refused.value.reason == "office"


@pytest.mark.django_db
class TestAddedUploadTypes:
    def test_editors_choose_only_what_the_administrator_added(self):
        assert "doc" not in dict(type_choices())
        UploadFileType.objects.create(extension="doc", label="Word 97-2003")
        choices = dict(type_choices())
        assert choices["doc"] == "Word 97-2003 (.doc)"
        assert "xls" not in choices
        assert "pdf" in choices

    def test_the_content_type_defaults_to_the_extensions(self):
        row = UploadFileType.objects.create(extension="xls", label="Excel")
        assert row.content_type == "application/vnd.ms-excel"

    def test_an_added_type_is_accepted_and_stored_with_its_content_type(self):
        UploadFileType.objects.create(
            extension="doc", label="Word", content_type="application/msword"
        )
        field = upload_field(allowed_types=["pdf", "doc"])
        [stored] = field.clean([SimpleUploadedFile("brief.doc", ole2_bytes(), "text/html")])
        assert stored.content_type == "application/msword"

    def test_a_renamed_file_is_refused_in_dutch(self):
        field = upload_field(allowed_types=["doc"])
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            field.clean([SimpleUploadedFile("brief.doc", pdf_bytes())])
        assert "brief.doc" in str(refused.value)

    def test_a_gif_is_accepted(self):
        field = upload_field(allowed_types=["gif"])
        [stored] = field.clean([SimpleUploadedFile("foto.gif", image_bytes("GIF"))])
        assert stored.content_type == "image/gif"


class TestMinimumNumberOfFiles:
    def photos(self, count):
        return [SimpleUploadedFile(f"foto{i}.png", image_bytes("PNG")) for i in range(count)]

    def test_too_few_files_are_refused_in_dutch(self):
        field = upload_field(allowed_types=["png"], min_files=2)
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            field.clean(self.photos(1))
        assert "Voeg minstens 2 bestanden toe." in str(refused.value)
        with translation.override("nl"), pytest.raises(ValidationError) as refused:
            field.clean([])
        assert "Voeg minstens 2 bestanden toe." in str(refused.value)

    def test_enough_files_pass(self):
        field = upload_field(allowed_types=["png"], min_files=2)
        assert len(field.clean(self.photos(2))) == 2

    def test_an_optional_question_may_stay_empty(self):
        field = get_field_type("file_upload").get_form_field(
            definition("file_upload", required=False, multiple=True, min_files=2)
        )
        assert field.clean([]) == []


@pytest.mark.django_db
def test_administrators_add_upload_types_under_settings(admin_client):
    url = reverse("wagtailsnippets_forms_builder_uploadfiletype:add")
    response = admin_client.post(url, {"extension": "xls", "label": "Excel 97-2003"})
    assert response.status_code == 302
    row = UploadFileType.objects.get()
    assert (row.extension, row.content_type) == ("xls", "application/vnd.ms-excel")
    listing = admin_client.get(reverse("wagtailsnippets_forms_builder_uploadfiletype:list"))
    assert "Excel 97-2003" in listing.content.decode()
