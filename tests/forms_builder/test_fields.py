"""Every registered field type, and the schema built from a form page's fields."""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.utils import timezone, translation

from cms.demo import TERRACE_STEPS
from forms_builder.fields import all_field_types, get_field_type
from forms_builder.schema import build_schema, display_answers, mapped_values
from tests.conftest import make_form_page
from tests.factories import field_block, step_block
from tests.files import PDF


@dataclass
class Case:
    """How one field type behaves, from what the applicant types to the CSV cell."""

    #: The type's own settings (``options`` in the schema).
    options: dict
    #: What the applicant types, what the form makes of it, what is stored ...
    typed: object
    cleaned: object
    stored: object
    #: ... and how it is shown (in English) and exported.
    shown: str
    exported: str
    #: Input the form refuses.
    bad: list = field(default_factory=list)
    #: How an optional question left empty is stored, shown and exported.
    empty: tuple = (None, "", "")
    #: Whether a stored answer can be put back into the form (files cannot: the
    #: draft keeps them, see forms_builder.drafts).
    refillable: bool = True


PLAN = SimpleUploadedFile("Plan terras.pdf", PDF, content_type="application/pdf")

ADDRESS = {"street": "Markt", "number": "1", "box": "", "postcode": "9999", "municipality": "Gent"}

#: The category of a report (melding): the subcategory with id 7 of main category 6
#: (:func:`report_categories` makes them for the tests of that type).
REPORT_CATEGORY = {"id": "7", "label": "Straatverlichting › Lamp brandt niet"}

#: One case per field type that takes an answer.
CASES = {
    "report_category": Case(
        options={},
        typed="7",
        cleaned=REPORT_CATEGORY,
        stored=REPORT_CATEGORY,
        shown="Straatverlichting › Lamp brandt niet",
        exported="Straatverlichting › Lamp brandt niet",
        # A main category that has subcategories, an unknown one, no number.
        bad=["6", "999", "lamp"],
    ),
    "short_text": Case(
        options={"max_length": 20},
        typed="  Café De Markt ",
        cleaned="Café De Markt",
        stored="Café De Markt",
        shown="Café De Markt",
        exported="Café De Markt",
        bad=["x" * 21],
        empty=("", "", ""),
    ),
    "long_text": Case(
        options={"max_length": 40},
        typed="Tussen 10 en 22 uur.\nOok op zondag.",
        cleaned="Tussen 10 en 22 uur.\nOok op zondag.",
        stored="Tussen 10 en 22 uur.\nOok op zondag.",
        shown="Tussen 10 en 22 uur.\nOok op zondag.",
        exported="Tussen 10 en 22 uur.\nOok op zondag.",
        bad=["x" * 41],
        empty=("", "", ""),
    ),
    "email": Case(
        options={},
        typed=" An@CafeDeMarkt.be ",
        cleaned="An@CafeDeMarkt.be",
        stored="an@cafedemarkt.be",
        shown="an@cafedemarkt.be",
        exported="an@cafedemarkt.be",
        bad=["an-at-cafedemarkt.be", "an@", "@cafedemarkt.be", "an @cafedemarkt.be"],
    ),
    "integer": Case(
        options={"min_value": 1, "max_value": 500, "unit": "m²"},
        typed="24",
        cleaned=24,
        stored=24,
        shown="24 m²",
        exported="24",
        bad=["0", "501", "-3", "2.5", "vijf"],
    ),
    "decimal": Case(
        options={"min_value": 0.5, "max_value": 10000, "decimal_places": 2, "unit": "m"},
        typed="1.234,5",
        cleaned=Decimal("1234.5"),
        stored="1234.5",
        shown="1,234.5 m",
        exported="1234.5",
        bad=["0,4", "10000,01", "1,234", "twaalf", "1,2,3.4.5"],
    ),
    "amount": Case(
        options={"max_value": 5000},
        typed="€ 1.234,5",
        cleaned=Decimal("1234.5"),
        stored="1234.50",
        shown="€ 1,234.50",
        exported="1234.50",
        bad=["-1", "5000,01", "12,345", "veel"],
    ),
    "date": Case(
        options={},
        typed="01/04/2026",
        cleaned=datetime.date(2026, 4, 1),
        stored="2026-04-01",
        shown="April 1, 2026",
        exported="2026-04-01",
        bad=["31/02/2026", "2026-13-01", "morgen"],
    ),
    "time": Case(
        options={"earliest": "08:00", "latest": "22:00"},
        typed="14u30",
        cleaned=datetime.time(14, 30),
        stored="14:30",
        shown="2:30 p.m.",
        exported="14:30",
        bad=["07:59", "22:01", "25:00", "laat"],
    ),
    "date_range": Case(
        options={},
        typed=["01/04/2026", "30/09/2026"],
        cleaned={"start": datetime.date(2026, 4, 1), "end": datetime.date(2026, 9, 30)},
        stored={"start": "2026-04-01", "end": "2026-09-30"},
        shown="April 1, 2026 to Sept. 30, 2026",
        exported="2026-04-01/2026-09-30",
        bad=[["30/09/2026", "01/04/2026"], ["01/04/2026", ""], ["", "30/09/2026"], ["x", "y"]],
    ),
    "time_range": Case(
        options={},
        typed=["14u", "18:30"],
        cleaned={"start": datetime.time(14, 0), "end": datetime.time(18, 30)},
        stored={"start": "14:00", "end": "18:30"},
        shown="2 p.m. to 6:30 p.m.",
        exported="14:00-18:30",
        bad=[["18:00", "14:00"], ["14:00", "14:00"], ["14:00", ""], ["", "18:00"], ["x", "y"]],
    ),
    "location": Case(
        options={"shape": "any"},
        typed=["Markt 1, Gent", "51.05, 3.72; 51.05, 3.7201; 51.0501, 3.7201; 51.0501, 3.72", ""],
        cleaned={
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [3.72, 51.05],
                        [3.7201, 51.05],
                        [3.7201, 51.0501],
                        [3.72, 51.0501],
                        [3.72, 51.05],
                    ]
                ],
            },
            "properties": {"address": "Markt 1, Gent", "description": "", "area_m2": "78.0"},
        },
        stored={
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [3.72, 51.05],
                        [3.7201, 51.05],
                        [3.7201, 51.0501],
                        [3.72, 51.0501],
                        [3.72, 51.05],
                    ]
                ],
            },
            "properties": {"address": "Markt 1, Gent", "description": "", "area_m2": "78.0"},
        },
        shown="Zone of 78.0 m², corners 51.05, 3.72; 51.05, 3.7201; 51.0501, 3.7201; "
        "51.0501, 3.72. Address: Markt 1, Gent",
        exported="Zone of 78.0 m², corners 51.05, 3.72; 51.05, 3.7201; 51.0501, 3.7201; "
        "51.0501, 3.72. Address: Markt 1, Gent",
        bad=[
            ["Markt 1", "", ""],  # an address alone does not say where
            ["", "", "voor de deur"],
            ["", "3.72, 51.05", ""],  # longitude first: not in Belgium
            ["", "51.05, 3.72; 51.0501, 3.7201; 51.05, 3.7201; 51.0501, 3.72", ""],  # crossing
            ["", "51.05, 3.72; 51.06, 3.73", ""],
            ["", "51.05 noord", ""],
        ],
    ),
    "single_choice": Case(
        options={"choices": ["Open terras", "Overdekt terras"], "widget": "radio"},
        typed="Overdekt terras",
        cleaned="Overdekt terras",
        stored="Overdekt terras",
        shown="Overdekt terras",
        exported="Overdekt terras",
        bad=["Dakterras", "overdekt terras"],
        empty=("", "", ""),
    ),
    "yes_no": Case(
        options={},
        typed="no",
        cleaned=False,
        stored=False,
        shown="No",
        exported="no",  # stable across languages, like consent
        bad=["maybe", "true", "nee"],
    ),
    "multiple_choice": Case(
        options={"choices": ["Stoelen", "Tafels", "Parasols"], "max_selected": 2},
        typed=["Stoelen", "Tafels"],
        cleaned=["Stoelen", "Tafels"],
        stored=["Stoelen", "Tafels"],
        shown="Stoelen, Tafels",
        exported="Stoelen; Tafels",
        bad=[["Stoelen", "Tafels", "Parasols"], ["Bloembakken"]],
        empty=([], "", ""),
    ),
    "consent": Case(
        options={},
        typed="on",
        cleaned=True,
        stored=True,
        shown="Yes",
        exported="yes",
        # Not ticking is the only wrong answer: see test_required_field_refuses_no_answer.
        bad=[],
        empty=(False, "No", "no"),
    ),
    "phone": Case(
        options={},
        typed="0470 12 34 56",
        cleaned="+32470123456",
        stored="+32470123456",
        shown="+32 470 12 34 56",
        exported="+32470123456",
        bad=["12345", "0470 12 34 5", "bellen"],
    ),
    "enterprise_number": Case(
        options={},
        typed="0403.170.701",
        cleaned="0403170701",
        stored="0403170701",
        shown="0403.170.701",
        exported="0403170701",
        bad=["0403.170.702", "12345", "abc"],
    ),
    "national_register_number": Case(
        options={},
        typed="85.07.30-033 28",
        cleaned="85073003328",
        stored="85073003328",
        shown="85.07.30-033.28",
        exported="85073003328",
        # A wrong check digit, too short, a wrong check digit on a number of 2017.
        bad=["85.07.30-033.29", "8507300332", "17.07.30-033.83", "abc"],
    ),
    "vat_number": Case(
        options={},
        typed="BE 0403.170.701",
        cleaned="BE0403170701",
        stored="BE0403170701",
        shown="BE 0403.170.701",
        exported="BE0403170701",
        bad=["BE0403170702", "US123456789", "XX123"],
    ),
    "iban": Case(
        options={},
        typed="be71 0961 2345 6769",
        cleaned="BE71096123456769",
        stored="BE71096123456769",
        shown="BE71 0961 2345 6769",
        exported="BE71096123456769",
        bad=["BE71 0961 2345 6768", "BE12", "geen"],
    ),
    "address": Case(
        options={},
        typed=["Markt", "1", "", "9000", "Gent"],
        cleaned={**ADDRESS, "postcode": "9000"},
        stored={**ADDRESS, "postcode": "9000"},
        shown="Markt 1, 9000 Gent",
        exported="Markt 1, 9000 Gent",
        bad=[
            ["Markt", "1", "", "900", "Gent"],
            ["Markt", "1", "", "0900", "Gent"],
            ["Markt", "", "", "9000", "Gent"],
            ["", "1", "", "9000", "Gent"],
        ],
    ),
    "file_upload": Case(
        options={"multiple": True, "max_files": 2, "max_file_mb": 1, "allowed_types": ["pdf"]},
        typed=[PLAN],
        cleaned=[PLAN],
        stored=[{"name": "Plan terras.pdf", "size": len(PDF), "content_type": "application/pdf"}],
        shown=f"Plan terras.pdf ({len(PDF)}\xa0bytes)",
        exported="Plan terras.pdf",
        bad=[
            [SimpleUploadedFile("plan.exe", PDF)],
            [SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a PDF at all")],
            [SimpleUploadedFile("plan.pdf", b"")],
            [SimpleUploadedFile("plan.pdf", PDF + b" " * 1024 * 1024)],
            [PLAN, PLAN, PLAN],
        ],
        empty=([], "", ""),
        refillable=False,
    ),
}

#: Types that only show content: no form field, nothing stored.
CONTENT_TYPES = {"information", "heading"}

#: Types that take one answer in one form field; a repeatable part holds a group of
#: them (forms_builder.repeatable) and has its own tests in test_repeatable.py.
INPUT_TYPE_IDS = [
    ft.type_id for ft in all_field_types() if ft.has_input and not getattr(ft, "repeats", False)
]


def definition(type_id: str, *, required=True, options=None) -> dict:
    """A field definition as forms_builder.schema produces it."""
    return {
        "id": "field-1",
        "type": type_id,
        "name": "antwoord",
        "label": "Uw antwoord",
        "help_text": "Kort en duidelijk.",
        "required": required,
        "maps_to": "",
        "options": CASES[type_id].options if options is None else options,
    }


def answer_form(field_def: dict, **kwargs) -> forms.Form:
    """A form with just this one question."""
    form_field = get_field_type(field_def["type"]).get_form_field(field_def)
    return type("AnswerForm", (forms.Form,), {field_def["name"]: form_field})(**kwargs)


class _Browser(HTMLParser):
    """Collects what a browser would post for the rendered form, unchanged."""

    def __init__(self):
        super().__init__()
        self.data = QueryDict(mutable=True)
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            if "checked" in attrs:
                self.data.appendlist(attrs["name"], attrs.get("value", "on"))
        elif tag == "input":
            self.data.appendlist(attrs["name"], attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.data.appendlist(self._textarea, "")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and "selected" in attrs:
            self.data.appendlist(self._select, attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            # Browsers drop the newline that starts a textarea's content.
            value = self.data[self._textarea] + data
            self.data[self._textarea] = value.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def posted_unchanged(form: forms.Form) -> QueryDict:
    browser = _Browser()
    browser.feed(str(form))
    return browser.data


@pytest.fixture(autouse=True)
def report_categories(request):
    """The categories the question "category of the report" offers, for its cases (the
    only type whose options come from the database)."""
    callspec = getattr(request.node, "callspec", None)
    if callspec is None or callspec.params.get("type_id") != "report_category":
        return
    request.getfixturevalue("db")
    from dossiers.models import ReportCategory

    # bulk_create: no save signals, so Wagtail's reference index is not written. Its row
    # would name a content type from the process-wide cache, which a flushed database of
    # an earlier transactional test may no longer hold (a foreign-key error on PostgreSQL).
    ReportCategory.objects.bulk_create([ReportCategory(pk=6, name="Straatverlichting")])
    ReportCategory.objects.bulk_create([ReportCategory(pk=7, name="Lamp brandt niet", parent_id=6)])


def test_every_registered_field_type_has_a_case():
    assert set(INPUT_TYPE_IDS) - set(CASES) == set()
    content_types = {ft.type_id for ft in all_field_types() if not ft.has_input}
    assert content_types == CONTENT_TYPES


@pytest.mark.parametrize("type_id", INPUT_TYPE_IDS)
def test_form_field_takes_a_good_answer(type_id):
    case, field_type = CASES[type_id], get_field_type(type_id)
    form_field = field_type.get_form_field(definition(type_id))

    assert form_field.label == "Uw antwoord"
    assert form_field.help_text == "Kort en duidelijk."
    assert form_field.required
    with translation.override("nl"):
        assert form_field.clean(case.typed) == case.cleaned


@pytest.mark.parametrize(
    ("type_id", "bad"),
    [
        (type_id, bad)
        for type_id in INPUT_TYPE_IDS
        if type_id in CASES
        for bad in CASES[type_id].bad
    ],
)
def test_form_field_refuses_a_bad_answer(type_id, bad):
    form_field = get_field_type(type_id).get_form_field(definition(type_id))

    with translation.override("nl"), pytest.raises(ValidationError):
        form_field.clean(bad)


@pytest.mark.parametrize("type_id", INPUT_TYPE_IDS)
def test_required_field_refuses_no_answer(type_id):
    form = answer_form(definition(type_id), data={})

    assert not form.is_valid()
    assert list(form.errors) == ["antwoord"]


@pytest.mark.parametrize("type_id", INPUT_TYPE_IDS)
def test_optional_field_may_stay_empty(type_id):
    field_type, field_def = get_field_type(type_id), definition(type_id, required=False)
    form = answer_form(field_def, data={})

    assert form.is_valid(), form.errors
    stored = field_type.to_json(form.cleaned_data["antwoord"], field_def)

    with translation.override("en"):
        assert (
            stored,
            field_type.display(stored, field_def),
            field_type.export(stored, field_def),
        ) == CASES[type_id].empty


@pytest.mark.parametrize("type_id", INPUT_TYPE_IDS)
def test_answer_round_trips_through_storage(type_id):
    case, field_type, field_def = CASES[type_id], get_field_type(type_id), definition(type_id)

    with translation.override("nl"):
        stored = field_type.to_json(
            field_type.get_form_field(field_def).clean(case.typed), field_def
        )
    assert stored == case.stored
    assert json.loads(json.dumps(stored)) == stored  # fits in the dossier's JSON

    with translation.override("en"):
        assert field_type.display(stored, field_def) == case.shown
        assert field_type.export(stored, field_def) == case.exported


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "type_id", [t for t in INPUT_TYPE_IDS if t not in CASES or CASES[t].refillable]
)
def test_stored_answer_shown_in_the_form_comes_back_unchanged(type_id, language):
    """Going back to a step (or resuming a draft) shows the stored answer in the form;
    sending it again without changes stores the same answer."""
    case, field_type, field_def = CASES[type_id], get_field_type(type_id), definition(type_id)

    with translation.override(language):
        shown = answer_form(
            field_def, initial={"antwoord": field_type.from_json(case.stored, field_def)}
        )
        sent_again = answer_form(field_def, data=posted_unchanged(shown))

        assert sent_again.is_valid(), sent_again.errors
        assert field_type.to_json(sent_again.cleaned_data["antwoord"], field_def) == case.stored


def test_information_text_takes_no_answer():
    information = get_field_type("information")

    assert not information.has_input
    with pytest.raises(TypeError):
        information.get_form_field({"type": "information", "options": {"text": "<p>Let op</p>"}})
    assert information.display(None, {}) == ""
    assert information.export(None, {}) == ""


def test_yes_is_stored_as_true():
    yes_no = get_field_type("yes_no")
    field_def = definition("yes_no")

    stored = yes_no.to_json(yes_no.get_form_field(field_def).clean("yes"), field_def)

    assert stored is True
    with translation.override("en"):
        assert yes_no.display(stored, field_def) == "Yes"


@pytest.mark.parametrize(
    ("type_id", "stored", "shown"),
    [
        ("date", "2026-04-01", "1 april 2026"),
        ("decimal", "1234.5", "1.234,5 m"),
        ("amount", "1234.50", "€ 1.234,50"),
        ("time", "14:30", "14:30"),
    ],
)
def test_answers_are_shown_the_dutch_way_by_default(type_id, stored, shown):
    with translation.override("nl"):
        assert get_field_type(type_id).display(stored, definition(type_id)) == shown


def test_dropdown_choice_offers_an_empty_option_first():
    choice = get_field_type("single_choice")
    field_def = definition(
        "single_choice", options={"choices": ["Open terras", "Overdekt terras"], "widget": "select"}
    )

    form_field = choice.get_form_field(field_def)

    assert [value for value, _label in form_field.choices] == ["", "Open terras", "Overdekt terras"]
    with pytest.raises(ValidationError):
        form_field.clean("")
    assert form_field.clean("Open terras") == "Open terras"


def test_text_length_defaults_apply_without_a_maximum():
    short = get_field_type("short_text").get_form_field(definition("short_text", options={}))
    long = get_field_type("long_text").get_form_field(definition("long_text", options={}))

    assert short.clean("x" * 255) and long.clean("x" * 5000)
    with pytest.raises(ValidationError):
        short.clean("x" * 256)
    with pytest.raises(ValidationError):
        long.clean("x" * 5001)


def test_date_limits_count_from_today():
    date = get_field_type("date")
    today = timezone.localdate()
    form_field = date.get_form_field(
        definition("date", options={"earliest_days_from_today": 0, "latest_days_from_today": 14})
    )

    assert form_field.clean(today.isoformat()) == today
    for refused in (today - datetime.timedelta(days=1), today + datetime.timedelta(days=15)):
        with pytest.raises(ValidationError):
            form_field.clean(refused.isoformat())


@pytest.mark.parametrize(
    ("type_id", "foreign"), [("vat_number", "NL004495445B01"), ("iban", "NL91ABNA0417164300")]
)
def test_belgian_only_numbers(type_id, foreign):
    field_type = get_field_type(type_id)
    anywhere = field_type.get_form_field(definition(type_id, options={}))
    belgian_only = field_type.get_form_field(definition(type_id, options={"belgian_only": True}))

    assert anywhere.clean(foreign)
    with pytest.raises(ValidationError):
        belgian_only.clean(foreign)


@pytest.mark.django_db
class TestSchema:
    def test_demo_page_schema(self, form_page):
        schema = build_schema(form_page)

        assert schema["title"] == "Aanvraag terrasvergunning"
        assert schema["reference_prefix"] == "TER"
        assert [step["id"] for step in schema["steps"]] == [step.id for step in form_page.steps]
        assert [step["title"] for step in schema["steps"]] == ["Uw onderneming", "Uw terras"]
        assert [
            [(f["type"], f["name"], f["required"], f["maps_to"]) for f in step["fields"]]
            for step in schema["steps"]
        ] == [
            [
                ("short_text", "bedrijfsnaam", True, "company_name"),
                ("short_text", "naam", True, "applicant_name"),
                ("email", "email", True, "applicant_email"),
            ],
            [
                ("short_text", "adres", True, "permit_place"),
                ("integer", "oppervlakte", True, ""),
                ("date", "startdatum", True, "permit_period"),
                ("single_choice", "soort", True, ""),
                ("long_text", "opmerkingen", False, ""),
            ],
        ]
        terrace = {f["name"]: f for f in schema["steps"][1]["fields"]}
        assert terrace["oppervlakte"]["options"] == {
            "min_value": 1,
            "max_value": 500,
            "unit": "",
            "default_kind": "",
            "default_value": "",
        }
        assert terrace["soort"]["options"]["choices"] == [
            "Open terras",
            "Terras met windschermen",
            "Overdekt terras",
        ]
        assert terrace["oppervlakte"]["label"] == "Oppervlakte van het terras (m²)"
        json.dumps(schema)  # stored as JSON in every snapshot

    def test_field_of_every_type_reaches_the_schema(self, home_page):
        fields = [
            field_block(type_id, f"Vraag {type_id}", f"vraag_{type_id}", **CASES[type_id].options)
            for type_id in INPUT_TYPE_IDS
        ]
        page = make_form_page(home_page, steps=[step_block("Alles", *fields)])

        [step] = build_schema(page)["steps"]

        assert [(f["type"], f["name"]) for f in step["fields"]] == [
            (type_id, f"vraag_{type_id}") for type_id in INPUT_TYPE_IDS
        ]
        for schema_field in step["fields"]:
            options = CASES[schema_field["type"]].options
            assert {name: schema_field["options"][name] for name in options} == options

    def test_names_are_derived_from_labels_when_empty(self, home_page):
        page = make_form_page(
            home_page,
            steps=[
                step_block(
                    "Uw terras",
                    field_block("email", "Uw e-mailadres"),
                    field_block("integer", "Oppervlakte van het terras (m²)"),
                    field_block("short_text", "Café-naam"),
                    field_block("short_text", "???"),
                    field_block("short_text", "Adres", "straat_en_nummer"),
                )
            ],
        )

        [step] = build_schema(page)["steps"]

        assert [f["name"] for f in step["fields"]] == [
            "uw_e_mailadres",
            "oppervlakte_van_het_terras_m2",
            "cafe_naam",
            "field",
            "straat_en_nummer",
        ]

    def test_answers_are_shown_with_the_labels_of_the_schema(self, form_page):
        schema = build_schema(form_page)
        step1 = schema["steps"][0]["id"]
        answers = {step1: {"bedrijfsnaam": "Café De Markt", "naam": "An Peeters", "email": ""}}

        [section] = display_answers(schema, answers)

        assert section["title"] == "Uw onderneming"
        assert [(row["label"], row["value"]) for row in section["rows"]] == [
            ("Naam van de onderneming", "Café De Markt"),
            ("Uw naam", "An Peeters"),
            ("Uw e-mailadres", ""),
        ]
        assert mapped_values(schema, answers) == {
            "company_name": "Café De Markt",
            "applicant_name": "An Peeters",
        }

    def test_demo_form_has_unique_names(self, form_page):
        form_page.clean()  # does not raise

    @pytest.mark.parametrize(
        ("steps", "duplicate"),
        [
            (
                [
                    step_block("Eén", field_block("short_text", "Naam", "naam")),
                    step_block("Twee", field_block("short_text", "Naam zaakvoerder", "naam")),
                ],
                "naam",
            ),
        ],
        ids=["same-name-in-two-steps"],
    )
    def test_duplicate_names_cannot_be_saved(self, home_page, steps, duplicate):
        with pytest.raises(ValidationError) as excinfo:
            make_form_page(home_page, steps=steps)

        assert f'"{duplicate}"' in " ".join(excinfo.value.messages)

    def test_duplicate_names_are_refused_on_an_existing_form(self, form_page):
        second_step = TERRACE_STEPS[1]["value"]
        form_page.steps = [
            TERRACE_STEPS[0],
            step_block(
                "Uw terras",
                *second_step["fields"],
                field_block("email", "Uw e-mailadres", "email"),
            ),
        ]

        with pytest.raises(ValidationError) as excinfo:
            form_page.clean()

        assert '"email"' in " ".join(excinfo.value.messages)

    def test_reference_prefix_is_letters_and_digits(self, form_page):
        form_page.reference_prefix = " ter2 "
        form_page.clean()
        assert form_page.reference_prefix == "TER2"

        form_page.reference_prefix = "TE-R"
        with pytest.raises(ValidationError) as excinfo:
            form_page.clean()
        assert "reference_prefix" in excinfo.value.error_dict
