"""The field types of the registry: what applicants may enter, what they are told when
it is wrong, and how answers are stored, shown and exported."""

import datetime
import json
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from wagtail import blocks

from forms_builder.blocks import StepBlock
from forms_builder.fields import all_field_types, get_field_type
from forms_builder.fields.date import ISODateBlock
from forms_builder.fields.datetime_types import ISOTimeBlock
from forms_builder.fields.money import parse_decimal
from forms_builder.schema import build_schema

TODAY = datetime.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages are English msgids (translated later); tests that show Dutch formatting
    switch language themselves."""
    with translation.override("en"):
        yield


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: TODAY)
    return TODAY


def definition(type_id: str, options: dict | None = None, required: bool = True) -> dict:
    return {
        "id": "x",
        "type": type_id,
        "name": "x",
        "label": "Question",
        "help_text": "",
        "required": required,
        "maps_to": "",
        "options": options or {},
    }


def form_field(type_id: str, options: dict | None = None, required: bool = True):
    return get_field_type(type_id).get_form_field(definition(type_id, options, required))


def clean(type_id: str, value, options: dict | None = None, required: bool = True):
    return form_field(type_id, options, required).clean(value)


def errors(type_id: str, value, options: dict | None = None, required: bool = True) -> list:
    with pytest.raises(ValidationError) as raised:
        clean(type_id, value, options, required)
    return raised.value.messages


def round_trip(type_id: str, cleaned, options: dict | None = None):
    """to_json → JSON text → from_json → clean again: the stored answer survives."""
    field_type = get_field_type(type_id)
    field = definition(type_id, options)
    stored = json.loads(json.dumps(field_type.to_json(cleaned, field)))
    initial = field_type.from_json(stored, field)
    form = make_form(type_id, options, initial=initial)
    assert field_type.to_json(form.fields["x"].clean(resubmitted(form)), field) == stored
    return stored


def resubmitted(form):
    """What the browser sends back when the applicant changes nothing: the initial value
    as the widget renders it."""
    bound = form["x"]
    widget = bound.field.widget
    context = widget.get_context("x", bound.value(), {})["widget"]
    if isinstance(widget, forms.MultiWidget):
        return [subwidget["value"] for subwidget in context["subwidgets"]]
    if isinstance(widget, forms.CheckboxInput):
        return context["attrs"].get("checked", False)
    return context["value"]


def make_form(type_id: str, options: dict | None = None, data=None, initial=None, required=True):
    field = form_field(type_id, options, required)
    form_class = type("OneFieldForm", (forms.Form,), {"x": field})
    return form_class(data=data, initial={"x": initial} if initial is not None else None)


def show(type_id: str, stored, options: dict | None = None) -> tuple[str, str]:
    field_type = get_field_type(type_id)
    field = definition(type_id, options)
    return field_type.display(stored, field), field_type.export(stored, field)


def render(form) -> str:
    return render_to_string("theme/components/field.html", {"field": form["x"]})


# --- phone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0470 12 34 56", "+32470123456"),
        ("09 210 10 10", "+3292101010"),
        ("+32 470 12 34 56", "+32470123456"),
        ("0032470123456", "+32470123456"),
        ("+31 6 12345678", "+31612345678"),
    ],
)
def test_phone_accepts_belgian_and_international_numbers(typed, stored):
    assert clean("phone", typed) == stored


@pytest.mark.parametrize("typed", ["12345", "0470 12 34", "call me", "+32 470 12 34 56 78"])
def test_phone_refuses_what_is_no_phone_number(typed):
    assert errors("phone", typed) == [
        "Enter a phone number like 0470 12 34 56 or +32 470 12 34 56."
    ]


def test_phone_required_and_optional():
    assert errors("phone", "") == ["This field is required."]
    assert clean("phone", "", required=False) == ""
    assert get_field_type("phone").to_json("", definition("phone")) is None


def test_phone_storage_display_and_export():
    assert round_trip("phone", "+32470123456") == "+32470123456"
    assert get_field_type("phone").from_json("+32470123456", {}) == "+32 470 12 34 56"
    assert show("phone", "+32470123456") == ("+32 470 12 34 56", "+32470123456")
    assert show("phone", None) == ("", "")


def test_phone_input_is_a_tel_input_with_autocomplete():
    html = str(make_form("phone")["x"])
    assert 'type="tel"' in html
    assert 'autocomplete="tel"' in html
    assert 'inputmode="tel"' in html


# --- decimal and amount -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "number"),
    [
        ("nl", "12,5", "12.5"),
        ("nl", "1.234,56", "1234.56"),
        ("nl", "1 234,56", "1234.56"),
        ("nl", "1.500", "1500"),
        ("en", "1.500", "1.500"),
        ("en", "1,234.5", "1234.5"),
        ("nl", "1,234.5", "1234.5"),
        ("nl", "1.234.567", "1234567"),
        ("nl", "-3", "-3"),
        ("nl", "€ 12", "12"),
    ],
)
def test_parse_decimal_reads_belgian_and_english_notation(language, typed, number):
    with translation.override(language):
        assert parse_decimal(typed) == Decimal(number)


@pytest.mark.parametrize("typed", ["abc", "12,5,3", "1.2.3", "1,2.3,4", "12-5", "1e5", "."])
def test_parse_decimal_refuses_what_is_no_number(typed):
    with pytest.raises(ValueError):
        parse_decimal(typed)


def test_decimal_valid_values():
    assert clean("decimal", "12,5") == Decimal("12.5")
    assert clean("decimal", "3", options={"decimal_places": 0}) == Decimal("3")
    assert clean("decimal", "", required=False) is None


def test_decimal_invalid_values():
    assert errors("decimal", "twelve") == ["Enter a number, like 12.5."]
    assert errors("decimal", "") == ["This field is required."]
    assert errors("decimal", "1,25", {"decimal_places": 1}) == [
        "Enter a number with at most one decimal."
    ]
    assert errors("decimal", "1,255") == ["Enter a number with at most 2 decimals."]
    assert errors("decimal", "1,5", {"decimal_places": 0}) == [
        "Enter a whole number, without decimals."
    ]
    limits = {"min_value": 1, "max_value": 1500.5}
    assert errors("decimal", "0,5", limits) == ["Enter a number of at least 1."]
    assert errors("decimal", "2000", limits) == ["Enter a number of at most 1,500.5."]


def test_decimal_storage_display_and_export():
    assert round_trip("decimal", Decimal("1234.5")) == "1234.5"
    with translation.override("nl"):
        assert show("decimal", "1234.5") == ("1.234,5", "1234.5")
        # An earlier answer is shown the way the applicant writes it.
        html = str(make_form("decimal", initial=Decimal("1234.5"))["x"])
        assert 'value="1234,5"' in html
    assert 'inputmode="decimal"' in html
    assert show("decimal", None) == ("", "")


def test_amount_valid_values():
    with translation.override("nl"):
        assert clean("amount", "1.234,50") == Decimal("1234.50")
        assert clean("amount", "€ 12") == Decimal("12")
        assert clean("amount", "0") == Decimal("0")


def test_amount_invalid_values():
    assert errors("amount", "a lot") == ["Enter an amount in euro, like 1,234.50."]
    assert errors("amount", "12,345") == ["Enter an amount with at most 2 decimals, like 1,234.50."]
    assert errors("amount", "-5") == ["Enter an amount of at least € 0.00."]
    assert errors("amount", "2000", {"max_value": 1500}) == [
        "Enter an amount of at most € 1,500.00."
    ]
    assert clean("amount", "-5", {"min_value": -10}) == Decimal("-5")


def test_amount_storage_display_and_export():
    assert round_trip("amount", Decimal("1234.5")) == "1234.50"
    with translation.override("nl"):
        assert show("amount", "1234.50") == ("€ 1.234,50", "1234.50")
    assert show("amount", "1234.50") == ("€ 1,234.50", "1234.50")


# --- date ------------------------------------------------------------------------------


def test_date_valid_values(today):
    limits = {"earliest": "2025-06-10", "latest": "2025-12-31"}
    assert clean("date", "2025-06-10", limits) == datetime.date(2025, 6, 10)
    assert clean("date", "31/12/2025", limits) == datetime.date(2025, 12, 31)
    assert clean("date", "2030-01-01") == datetime.date(2030, 1, 1)


def test_date_invalid_values(today):
    assert errors("date", "31/02/2025") == ["The date must be a real date, like 27/3/2026."]
    assert errors("date", "") == ["This field is required."]
    limits = {"earliest": "2025-06-10", "latest": "2025-12-31"}
    assert errors("date", "2025-06-09", limits) == ["Enter a date on or after June 10, 2025."]
    assert errors("date", "2026-01-01", limits) == ["Enter a date on or before Dec. 31, 2025."]


def test_date_limits_relative_to_today(today):
    options = {"earliest_days_from_today": 14, "latest_days_from_today": 365}
    assert errors("date", "2025-06-14", options) == ["Enter a date on or after June 15, 2025."]
    assert clean("date", "2025-06-15", options) == datetime.date(2025, 6, 15)
    assert errors("date", "2026-06-02", options) == ["Enter a date on or before June 1, 2026."]
    past = {"earliest_days_from_today": -30, "latest_days_from_today": 0}
    assert errors("date", "2025-06-02", past) == ["Enter a date on or before June 1, 2025."]


def test_date_fixed_and_relative_limit_the_stricter_counts(today):
    options = {"earliest": "2025-06-20", "earliest_days_from_today": 14}
    assert errors("date", "2025-06-16", options) == ["Enter a date on or after June 20, 2025."]
    options = {"earliest": "2025-06-05", "earliest_days_from_today": 14}
    assert errors("date", "2025-06-10", options) == ["Enter a date on or after June 15, 2025."]


def test_date_picker_offers_only_allowed_dates(today):
    html = str(make_form("date", {"earliest_days_from_today": 0, "latest": "2025-12-31"})["x"])
    assert 'type="date"' in html
    assert 'min="2025-06-01"' in html
    assert 'max="2025-12-31"' in html


def test_date_storage_display_and_export():
    assert round_trip("date", datetime.date(2025, 6, 10)) == "2025-06-10"
    with translation.override("nl"):
        assert show("date", "2025-06-10") == ("10 juni 2025", "2025-06-10")


# --- time ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "time"),
    [("14:30", (14, 30)), ("9u30", (9, 30)), ("14.30", (14, 30)), ("14u", (14, 0))],
)
def test_time_valid_values(typed, time):
    assert clean("time", typed) == datetime.time(*time)


def test_time_invalid_values():
    assert errors("time", "25:00") == ["Enter a time like 14:30."]
    assert errors("time", "half past two") == ["Enter a time like 14:30."]
    assert errors("time", "") == ["This field is required."]


def test_time_limits():
    office = {"earliest": "09:00", "latest": "17:00"}
    assert clean("time", "17:00", office) == datetime.time(17, 0)
    assert errors("time", "18:00", office) == ["Enter a time between 09:00 and 17:00."]
    assert errors("time", "08:00", {"earliest": "09:00"}) == ["Enter a time at or after 09:00."]
    assert errors("time", "18:00", {"latest": "17:00"}) == ["Enter a time at or before 17:00."]


def test_time_limits_across_midnight():
    night = {"earliest": "22:00", "latest": "06:00"}
    assert clean("time", "23:30", night) == datetime.time(23, 30)
    assert clean("time", "03:00", night) == datetime.time(3, 0)
    assert errors("time", "12:00", night) == ["Enter a time between 22:00 and 06:00."]
    assert "min=" not in str(make_form("time", night)["x"])


def test_time_storage_display_and_export():
    assert round_trip("time", datetime.time(14, 30)) == "14:30"
    with translation.override("nl"):
        assert show("time", "14:30") == ("14:30", "14:30")


# --- date range ------------------------------------------------------------------------


def test_date_range_valid_values():
    assert clean("date_range", ["2025-06-01", "2025-06-03"]) == {
        "start": datetime.date(2025, 6, 1),
        "end": datetime.date(2025, 6, 3),
    }
    same_day = clean("date_range", ["2025-06-01", "01/06/2025"])
    assert same_day["start"] == same_day["end"]
    assert clean("date_range", ["", ""], required=False) is None


def test_date_range_invalid_values(today):
    assert errors("date_range", ["2025-06-03", "2025-06-01"]) == [
        "Enter an end date that is the same as or after the start date."
    ]
    assert errors("date_range", ["", ""]) == ["Enter the start date and the end date."]
    assert errors("date_range", ["2025-06-01", ""]) == ["Enter the end date."]
    assert errors("date_range", ["", "2025-06-01"], required=False) == ["Enter the start date."]
    assert errors("date_range", ["2025-02-31", "2025-06-01"]) == ["Enter a valid date."]
    limits = {"earliest_days_from_today": 1, "latest": "2025-06-30"}
    assert errors("date_range", ["2025-06-01", "2025-07-01"], limits) == [
        "Enter a start date on or after June 2, 2025.",
        "Enter an end date on or before June 30, 2025.",
    ]


def test_date_range_storage_display_and_export():
    period = {"start": datetime.date(2025, 6, 1), "end": datetime.date(2025, 6, 3)}
    stored = round_trip("date_range", period)
    assert stored == {"start": "2025-06-01", "end": "2025-06-03"}
    assert show("date_range", stored) == ("June 1, 2025 to June 3, 2025", "2025-06-01/2025-06-03")
    with translation.override("nl"):
        assert show("date_range", stored)[0].startswith("1 juni 2025")
    assert show("date_range", None) == ("", "")


def test_date_range_posts_two_named_inputs():
    form = make_form("date_range", data={"x_start": "2025-06-01", "x_end": "2025-06-03"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["x"]["end"] == datetime.date(2025, 6, 3)


def test_date_range_renders_a_fieldset_with_a_label_per_date():
    html = render(make_form("date_range", data={"x_start": "2025-06-03", "x_end": ""}))
    assert '<legend class="label">Question</legend>' in html
    assert '<label class="multi-input__label" for="id_x_0">Start date</label>' in html
    assert '<label class="multi-input__label" for="id_x_1">End date</label>' in html
    assert 'name="x_start"' in html and 'id="id_x_0"' in html and 'type="date"' in html
    assert "Enter the end date." in html
    # The error summary links to the first input of the group.
    assert make_form("date_range")["x"].id_for_label == "id_x_0"


# --- multiple choice -------------------------------------------------------------------

CHOICES = {"choices": ["Terrace", "Music", "Tent"]}


def test_multiple_choice_valid_values():
    assert clean("multiple_choice", ["Terrace", "Tent"], CHOICES) == ["Terrace", "Tent"]
    assert clean("multiple_choice", [], CHOICES, required=False) == []
    limits = {**CHOICES, "min_selected": 2, "max_selected": 2}
    assert clean("multiple_choice", ["Music", "Tent"], limits) == ["Music", "Tent"]


def test_multiple_choice_invalid_values():
    assert errors("multiple_choice", [], CHOICES) == ["Choose at least one option."]
    assert errors("multiple_choice", ["Bar"], CHOICES) == [
        "Select a valid choice. Bar is not one of the available choices."
    ]
    at_least_two = {**CHOICES, "min_selected": 2}
    assert errors("multiple_choice", [], at_least_two) == ["Choose at least 2 options."]
    assert errors("multiple_choice", ["Music"], at_least_two) == ["Choose at least 2 options."]
    # Optional: nothing ticked is fine, but once something is ticked the minimum counts.
    assert errors("multiple_choice", ["Music"], at_least_two, required=False) == [
        "Choose at least 2 options."
    ]
    assert errors("multiple_choice", ["Music", "Tent"], {**CHOICES, "max_selected": 1}) == [
        "Choose at most one option."
    ]
    assert errors("multiple_choice", CHOICES["choices"], {**CHOICES, "max_selected": 2}) == [
        "Choose at most 2 options."
    ]


def test_multiple_choice_storage_display_and_export():
    assert round_trip("multiple_choice", ["Terrace", "Tent"], CHOICES) == ["Terrace", "Tent"]
    assert show("multiple_choice", ["Terrace", "Tent"]) == ("Terrace, Tent", "Terrace; Tent")
    assert show("multiple_choice", []) == ("", "")


def test_multiple_choice_renders_tick_boxes_in_a_fieldset():
    html = render(make_form("multiple_choice", CHOICES))
    assert "<legend" in html and html.count('type="checkbox"') == 3


# --- consent ---------------------------------------------------------------------------


def test_consent_valid_values():
    assert clean("consent", "on") is True
    assert clean("consent", "", required=False) is False


def test_consent_must_be_ticked_when_required():
    assert errors("consent", "") == ["Tick the box to agree."]
    assert errors("consent", False) == ["Tick the box to agree."]


def test_consent_storage_display_and_export():
    assert round_trip("consent", True) is True
    assert show("consent", True) == ("Yes", "yes")
    assert show("consent", False) == ("No", "no")


def test_consent_renders_the_box_before_its_text():
    html = render(make_form("consent"))
    assert '<div class="choice"><input type="checkbox" name="x"' in html
    assert '<label for="id_x">Question</label></div>' in html


def test_consent_label_is_the_text_next_to_the_box():
    block = get_field_type("consent").get_block()
    assert isinstance(block.child_blocks["label"], blocks.TextBlock)


# --- enterprise number, VAT number, IBAN ---------------------------------------------


@pytest.mark.parametrize("typed", ["0403.170.701", "0403170701", "BE 0403 170 701", "403170701"])
def test_enterprise_number_valid_values(typed):
    assert clean("enterprise_number", typed) == "0403170701"


def test_enterprise_number_invalid_values():
    wrong_shape = ["Enter a Belgian enterprise number like 0123.456.789."]
    assert errors("enterprise_number", "12345") == wrong_shape
    assert errors("enterprise_number", "2403.170.701") == wrong_shape
    assert errors("enterprise_number", "KBO-nummer") == wrong_shape
    assert errors("enterprise_number", "0403.170.702") == [
        "This enterprise number is not correct. Check the number and try again."
    ]
    assert errors("enterprise_number", "") == ["This field is required."]


def test_enterprise_number_storage_display_and_export():
    assert round_trip("enterprise_number", "0403170701") == "0403170701"
    assert show("enterprise_number", "0403170701") == ("0403.170.701", "0403170701")
    assert 'inputmode="numeric"' in str(make_form("enterprise_number")["x"])


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("BE 0403.170.701", "BE0403170701"),
        ("0403170701", "BE0403170701"),
        ("nl 0044.95.445.B01", "NL004495445B01"),
        ("FR 40 303 265 045", "FR40303265045"),
    ],
)
def test_vat_number_valid_values(typed, stored):
    assert clean("vat_number", typed) == stored


def test_vat_number_invalid_values():
    assert errors("vat_number", "BE0403170702") == [
        "This VAT number is not correct. Check the number and try again."
    ]
    assert errors("vat_number", "BE12") == ["Enter a VAT number like BE 0123.456.789."]
    assert errors("vat_number", "US123456789") == [
        "Enter a VAT number of a country of the European Union, starting with the country "
        "code, like BE or NL."
    ]
    assert errors("vat_number", "NL004495445B01", {"belgian_only": True}) == [
        "Enter a Belgian VAT number, like BE 0123.456.789."
    ]


def test_vat_number_storage_display_and_export():
    assert round_trip("vat_number", "BE0403170701") == "BE0403170701"
    assert show("vat_number", "BE0403170701") == ("BE 0403.170.701", "BE0403170701")
    assert show("vat_number", "NL004495445B01") == ("NL004495445B01", "NL004495445B01")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("be71 0961 2345 6769", "BE71096123456769"),
        ("BE71096123456769", "BE71096123456769"),
        ("NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"),
    ],
)
def test_iban_valid_values(typed, stored):
    assert clean("iban", typed) == stored


def test_iban_invalid_values():
    assert errors("iban", "BE71 0961 2345 6760") == [
        "This account number is not correct. Check the number and try again."
    ]
    assert errors("iban", "12345") == ["Enter an IBAN like BE71 0961 2345 6769."]
    assert errors("iban", "BE71 0961 2345 676!") == ["Enter an IBAN like BE71 0961 2345 6769."]
    assert errors("iban", "NL91ABNA0417164300", {"belgian_only": True}) == [
        "Enter a Belgian account number, starting with BE."
    ]


def test_iban_storage_display_and_export():
    assert round_trip("iban", "BE71096123456769") == "BE71096123456769"
    assert show("iban", "BE71096123456769") == ("BE71 0961 2345 6769", "BE71096123456769")


# --- address ---------------------------------------------------------------------------

ADDRESS = ["Kerkstraat", "12", "3", "9000", "Gent"]
STORED_ADDRESS = {
    "street": "Kerkstraat",
    "number": "12",
    "box": "3",
    "postcode": "9000",
    "municipality": "Gent",
}


def test_address_valid_values():
    assert clean("address", ADDRESS) == STORED_ADDRESS
    assert clean("address", [" Kerkstraat ", "12A", "", "1000", "Brussel"])["box"] == ""
    assert clean("address", [""] * 5, required=False) is None


@pytest.mark.parametrize("postcode", ["900", "0900", "90000", "ABCD"])
def test_address_refuses_a_postcode_that_is_not_belgian(postcode):
    assert errors("address", ["Kerkstraat", "12", "", postcode, "Gent"]) == [
        "Enter a Belgian postcode of 4 digits, like 9000."
    ]


def test_address_says_which_part_is_missing():
    assert errors("address", [""] * 5) == ["Enter the address."]
    assert errors("address", ["", "12", "", "", "Gent"]) == [
        "Enter the street.",
        "Enter the postcode.",
    ]
    assert errors("address", ["Kerkstraat", "", "", "9000", ""], required=False) == [
        "Enter the house number.",
        "Enter the municipality.",
    ]


def test_address_storage_display_and_export():
    assert round_trip("address", STORED_ADDRESS) == STORED_ADDRESS
    line = "Kerkstraat 12 box 3, 9000 Gent"
    assert show("address", STORED_ADDRESS) == (line, line)
    without_box = {**STORED_ADDRESS, "box": ""}
    assert show("address", without_box)[0] == "Kerkstraat 12, 9000 Gent"


def test_address_posts_named_inputs():
    names = ["x_street", "x_number", "x_box", "x_postcode", "x_municipality"]
    data = dict(zip(names, ADDRESS, strict=True))
    form = make_form("address", data=data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["x"] == STORED_ADDRESS


def test_address_renders_a_fieldset_with_a_label_per_part():
    html = render(make_form("address"))
    assert '<legend class="label">Question</legend>' in html
    for index, label in enumerate(["Street", "Number", "Box", "Postcode", "Municipality"]):
        assert f'for="id_x_{index}">{label}' in html
    assert 'Box <span class="optional">(optional)</span>' in html
    assert 'autocomplete="postal-code"' in html and 'inputmode="numeric"' in html
    assert 'autocomplete="address-level2"' in html


# --- information -----------------------------------------------------------------------


def test_information_takes_no_answer():
    information = get_field_type("information")
    assert information.has_input is False
    # Its text in English for visitors who chose English (forms_builder.translation).
    assert list(information.get_block().child_blocks) == ["text", "text_en", "condition"]
    assert information.display(None, {}) == information.export(None, {}) == ""


# --- blocks: every registered type in the form editor ---------------------------------

#: Settings a block needs before it is valid, per type (the rest are optional).
REQUIRED_OPTIONS = {
    "single_choice": {"choices": ["A", "B"]},
    "multiple_choice": {"choices": ["A", "B"], "min_selected": 1, "max_selected": 2},
    "information": {"text": "<p>Read this first.</p>"},
    "heading": {"text": "Uw terras"},
    "date": {"earliest": "2025-06-01", "latest_days_from_today": 30},
    "date_range": {"earliest_days_from_today": 0, "latest": "2025-12-31"},
    "time": {"earliest": "09:00", "latest": "17:00"},
    "amount": {"min_value": 10, "max_value": 2500.5},
    "repeatable": {
        "item_name": "dag",
        "fields": [
            {
                "type": "date",
                "value": {"label": "Datum", "name": "datum", "help_text": "", "required": True},
                "id": str(uuid.uuid4()),
            }
        ],
    },
}


def field_block_data(field_type) -> dict:
    block = field_type.get_block()
    data = block.get_prep_value(block.get_default())
    if field_type.has_input:
        data["label"] = f"Question {field_type.type_id}"
    data.update(REQUIRED_OPTIONS.get(field_type.type_id, {}))
    return {"type": field_type.type_id, "value": data, "id": str(uuid.uuid4())}


def test_every_type_has_a_struct_block_with_its_options():
    for field_type in all_field_types():
        block = field_type.get_block()
        assert isinstance(block, blocks.StructBlock)
        assert set(field_type.option_names()) <= set(block.child_blocks)
        assert ("label" in block.child_blocks) is field_type.has_input


@pytest.mark.django_db  # the upload types an administrator added are read
def test_step_block_accepts_a_field_of_every_type():
    step_block = StepBlock()
    data = {
        "title": "Step",
        "intro": "",
        "fields": [field_block_data(field_type) for field_type in all_field_types()],
    }
    value = step_block.clean(step_block.to_python(data))
    assert [child.block_type for child in value["fields"]] == [
        field_type.type_id for field_type in all_field_types()
    ]
    # Stored and loaded again, the settings keep their values.
    reloaded = step_block.to_python(step_block.get_prep_value(value))
    date_value = next(child.value for child in reloaded["fields"] if child.block_type == "date")
    assert date_value["earliest"] == "2025-06-01"


@pytest.mark.django_db  # the upload types an administrator added are read
def test_schema_of_every_type_is_plain_json_and_builds_form_fields():
    stream_block = blocks.StreamBlock([("step", StepBlock())])
    step = {
        "title": "Step",
        "intro": "",
        "fields": [field_block_data(field_type) for field_type in all_field_types()],
    }
    steps = stream_block.to_python([{"type": "step", "value": step, "id": str(uuid.uuid4())}])
    page = SimpleNamespace(steps=steps, title="Form", reference_prefix="TST")
    schema = json.loads(json.dumps(build_schema(page)))
    fields = schema["steps"][0]["fields"]
    assert fields[[f["type"] for f in fields].index("time")]["options"]["latest"] == "17:00"
    for field in fields:
        field_type = get_field_type(field["type"])
        if field_type.has_input:
            assert isinstance(field_type.get_form_field(field), forms.Field)


def test_date_and_time_settings_are_kept_as_iso_text():
    assert ISODateBlock().clean("2025-06-30") == "2025-06-30"
    assert ISODateBlock().to_python(datetime.date(2025, 6, 30)) == "2025-06-30"
    assert ISOTimeBlock().clean("9:00") == "09:00"
    assert ISODateBlock(required=False).clean("") is None
    # The admin shows the setting in its own date format.
    assert ISODateBlock(format="%d/%m/%Y").get_form_state("2025-06-30") == "30/06/2025"


class TestDateRangeMaximumLength:
    """The editor can limit how long a period may be (first and last day included)."""

    def field(self, max_days):
        definition = {
            "id": "x",
            "type": "date_range",
            "name": "periode",
            "label": "Periode",
            "help_text": "",
            "required": True,
            "maps_to": "",
            "options": {"max_days": max_days},
        }
        return get_field_type("date_range").get_form_field(definition)

    def test_a_period_of_exactly_the_maximum_is_accepted(self):
        value = self.field(3).clean(["2026-06-01", "2026-06-03"])
        assert value == {"start": datetime.date(2026, 6, 1), "end": datetime.date(2026, 6, 3)}

    def test_a_longer_period_is_refused(self):
        with pytest.raises(ValidationError) as error:
            self.field(3).clean(["2026-06-01", "2026-06-04"])
        assert error.value.code == "too_long"

    def test_without_a_maximum_any_length_is_fine(self):
        assert self.field(None).clean(["2026-01-01", "2026-12-31"])
