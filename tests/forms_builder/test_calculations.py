"""Calculations and fees: checked when an editor saves, computed on the server, shown on
the check page, used in conditions, handed over with the submission and stored on the
dossier; lead times on date fields."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dossiers.models import Dossier
from forms_builder import calculation_checks, calculations, conditions
from forms_builder.models import ApplicationFormPage, ClosingDays
from forms_builder.schema import freeze_schema
from forms_builder.workdays import add_working_days
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db


def field(type_id, label, name, **options):
    return {"type": type_id, "value": {"label": label, "name": name, "required": True, **options}}


def step(title, *fields, condition=None):
    value = {"title": title, "intro": "", "fields": list(fields)}
    if condition:
        value["condition"] = condition
    return {"type": "step", "value": value}


def calculation(name, formula, *, label=None, show=True, is_fee=False, breakdown=""):
    return {
        "type": "calculation",
        "value": {
            "label": label or name.capitalize(),
            "name": name,
            "formula": formula,
            "show": show,
            "is_fee": is_fee,
            "breakdown": breakdown,
        },
    }


def rule(name, operator, value=""):
    return {"combinator": "all", "rules": [{"field": name, "operator": operator, "value": value}]}


FEE = calculation(
    "retributie",
    "max(25, 0.30 * m2 * dagen)",
    label="Retributie",
    is_fee=True,
    breakdown="€ 0,30 per m² per dag, minimum € 25: {m2} m² × {dagen} dagen = {retributie}",
)

TERRACE = [
    step(
        "Uw terras",
        field("short_text", "Uw naam", "naam", maps_to="applicant_name"),
        field("integer", "Oppervlakte (m²)", "m2", min_value=1),
        field("integer", "Aantal dagen", "dagen", min_value=1),
    ),
    step(
        "Grote terrassen",
        field("short_text", "Waarom zo groot?", "reden"),
        condition=rule("retributie", "greater_than", "100"),
    ),
    step("Opmerkingen", field("short_text", "Opmerkingen", "opmerkingen", required=False)),
]


def terrace_page(home_page, **kwargs):
    kwargs.setdefault("steps", TERRACE)
    kwargs.setdefault("calculations", [FEE])
    return make_form_page(home_page, **kwargs)


def mgmt(page, key):
    return {f"loket-form-{page.pk}-current_step": key}


def post(client, page, key, data):
    return client.post(page.url + f"stap/{key}/", {**mgmt(page, key), **data})


# --- editors ----------------------------------------------------------------------------------


def refused(home_page, **kwargs) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        terrace_page(home_page, **kwargs)
    return " ".join(caught.value.messages)


def test_a_form_with_working_calculations_saves_and_freezes_them(home_page):
    page = terrace_page(home_page)
    schema = page.get_schema()
    assert schema["calculations"] == [
        {
            "name": "retributie",
            "label": "Retributie",
            "formula": "max(25, 0.30 * m2 * dagen)",
            "show": True,
            "is_fee": True,
            "breakdown": FEE["value"]["breakdown"],
        }
    ]
    assert freeze_schema(schema, page=page).schema["calculations"] == schema["calculations"]


@pytest.mark.parametrize(
    "calcs, expected",
    [
        ([calculation("kost", "m2 * prijs")], "“prijs”, but the form has no question"),
        ([calculation("kost", "m2 *")], "Calculation “Kost”: The formula cannot be read"),
        ([calculation("a", "b + 1"), calculation("b", "a + 1")], "in a circle"),
        ([calculation("m2", "1")], "also the name of a question (step “Uw terras”)"),
        ([calculation("kost", "1"), calculation("kost", "2")], "another calculation"),
        ([calculation("max", "1")], "a word formulas already use"),
        (
            [calculation("a", "1", is_fee=True), calculation("b", "2", is_fee=True)],
            "Only one calculation can be the fee",
        ),
        ([calculation("kost", "1", breakdown="{onbekend}")], "explanation uses {onbekend}"),
        # Tried with example answers: a text where a number is needed, a division by 0.
        ([calculation("kost", "naam * 2")], "calculates with an answer that is no number"),
        ([calculation("kost", "dagen - today")], "calculates with an answer that is no number"),
        ([calculation("kost", "100 / (m2 - 1)")], "divides by an answer that can be 0"),
        (
            [calculation("a", "m2 - 1"), calculation("kost", "5 / a")],
            "Calculation “Kost”: the formula divides by an answer that can be 0",
        ),
    ],
)
def test_calculations_that_cannot_work_are_refused_with_a_message(home_page, calcs, expected):
    assert expected in refused(home_page, calculations=calcs)


def test_divisions_that_cannot_fail_and_dates_save(home_page):
    """A question's minimum or an "if" keeps a division safe; dates subtract."""
    page = terrace_page(
        home_page,
        calculations=[
            calculation("per_m2", "100 / m2"),
            calculation("per_dag", "100 / (dagen - 1) if dagen > 1 else 0"),
            FEE,
        ],
    )
    assert page.get_schema()["calculations"][0]["formula"] == "100 / m2"


def test_a_condition_on_a_calculation_of_its_own_step_is_refused(home_page):
    steps = [
        TERRACE[0],
        step(
            "Extra",
            field("integer", "Extra m²", "extra"),
            condition=rule("totaal", "greater_than", "10"),
        ),
    ]
    message = refused(home_page, steps=steps, calculations=[calculation("totaal", "m2 + extra")])
    assert "Step “Extra”" in message
    assert "“Totaal” (totaal), which is on this same step" in message


def test_a_condition_on_a_calculation_from_a_later_step_is_refused(home_page):
    steps = [
        step(
            "Eerst",
            field("integer", "A", "a"),
            field("integer", "B", "b", condition=rule("totaal", "greater_than", "1")),
        ),
        step("Later", field("integer", "C", "c")),
    ]
    message = refused(home_page, steps=steps, calculations=[calculation("totaal", "a + c")])
    assert "question “B”" in message
    assert "comes later in the form (step “Later”)" in message


def test_a_lead_time_formula_must_use_earlier_answers(home_page):
    steps = [
        step(
            "Evenement",
            field("integer", "Bezoekers", "bezoekers"),
            field("date", "Datum", "datum", lead_time_formula="60 if bezoekers > 500 else 20"),
        )
    ]
    message = refused(home_page, steps=steps, calculations=[])
    assert "Step “Evenement”, question “Datum”" in message
    assert "“bezoekers”, which is only known after step “Evenement”" in message


# --- computing --------------------------------------------------------------------------------


def test_the_fee_with_its_minimum_and_breakdown(home_page):
    schema = terrace_page(home_page).get_schema()
    values = calculations.compute(schema, {"m2": 12, "dagen": 14})
    assert values == {"retributie": Decimal("50.40")}
    assert calculations.fee_of(schema, values) == Decimal("50.40")
    assert calculations.fee_of(schema, calculations.compute(schema, {"m2": 2, "dagen": 3})) == 25
    with translation.override("nl"):
        rows = calculations.display_calculations(schema, values, {"m2": 12, "dagen": 14})
    assert rows == [
        {
            "name": "retributie",
            "label": "Retributie",
            "value": "€ 50,40\n€ 0,30 per m² per dag, minimum € 25: 12 m² × 14 dagen = € 50,40",
        }
    ]
    # An English visitor reads the editor's Dutch label and breakdown marked Dutch.
    with translation.override("en"):
        [row] = calculations.display_calculations(schema, values, {"m2": 12, "dagen": 14})
    assert (row["label_lang"], row["value_lang"]) == ("nl", "nl")


def test_a_calculation_that_cannot_be_computed_is_empty_not_an_error(home_page):
    schema = terrace_page(home_page).get_schema()
    assert calculations.compute(schema, {"m2": 12}) == {"retributie": None}
    assert calculations.fee_of(schema, {"retributie": None}) is None


def test_calculations_use_each_other_in_any_order(home_page):
    page = terrace_page(
        home_page,
        steps=TERRACE[:1],
        calculations=[
            calculation("totaal", "basis + 10"),
            calculation("basis", "m2 * 2"),
        ],
    )
    assert calculations.compute(page.get_schema(), {"m2": 3}) == {
        "totaal": Decimal(16),
        "basis": Decimal(6),
    }


def test_the_premium_proposal_from_the_issue(home_page):
    steps = [
        step(
            "Uw project",
            field("amount", "Kosten", "kosten"),
            field("yes_no", "Eerste zaak?", "eerste_zaak"),
        )
    ]
    premium = "min(1500, kosten * 0.20) + (kosten * 0.10 if eerste_zaak else 0)"
    schema = terrace_page(
        home_page, steps=steps, calculations=[calculation("premie", premium)]
    ).get_schema()
    assert calculations.compute(schema, {"kosten": "5000.00", "eerste_zaak": True}) == {
        "premie": Decimal("1500.00")
    }
    assert calculations.compute(schema, {"kosten": "20000.00", "eerste_zaak": False}) == {
        "premie": Decimal(1500)
    }


def test_a_step_can_depend_on_a_calculated_value(home_page):
    schema = terrace_page(home_page).get_schema()
    small, large, remarks = (s["id"] for s in schema["steps"])
    answers = {small: {"naam": "An", "m2": 10, "dagen": 10}}
    assert conditions.visible_steps(schema, answers) == [small, remarks]
    answers = {small: {"naam": "An", "m2": 40, "dagen": 10}}
    assert conditions.visible_steps(schema, answers) == [small, large, remarks]


# --- applicants -------------------------------------------------------------------------------


def test_the_applicant_sees_the_fee_and_the_dossier_stores_it(client, home_page):
    page = terrace_page(home_page)
    post(client, page, "1", {"1-naam": "An", "1-m2": "12", "1-dagen": "14"})
    post(client, page, "3", {"3-opmerkingen": ""})

    with translation.override("nl"):
        response = client.get(page.url + "controleren/")
    content = response.content.decode()
    assert "Retributie" in content
    assert "€ 0,30 per m² per dag, minimum € 25: 12 m² × 14 dagen = € 50,40" in content

    # An amount posted by the browser is ignored: the server computes it.
    response = client.post(page.url + "controleren/", {"retributie": "0.01", "amount_due": "1"})
    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.amount_due == Decimal("50.40")
    assert dossier.calculations == {"retributie": "50.40"}


def test_a_large_fee_shows_the_extra_step(client, home_page):
    page = terrace_page(home_page)
    response = post(client, page, "1", {"1-naam": "An", "1-m2": "40", "1-dagen": "10"})
    assert response.url.endswith("/stap/2/")


def test_a_form_without_a_fee_stores_no_amount(client, home_page):
    page = terrace_page(home_page, steps=TERRACE[:1], calculations=[])
    post(client, page, "1", {"1-naam": "An", "1-m2": "12", "1-dagen": "14"})
    client.post(page.url + "controleren/", {})
    dossier = Dossier.objects.get()
    assert dossier.amount_due is None
    assert dossier.calculations == {}


# --- lead times -------------------------------------------------------------------------------

EVENT = [
    step(
        "Bezoekers",
        field("short_text", "Uw naam", "naam"),
        field("integer", "Hoeveel bezoekers verwacht u?", "bezoekers", min_value=1),
    ),
    step(
        "Datum",
        field(
            "date",
            "Datum van het evenement",
            "datum",
            earliest_days_from_today=20,
            earliest_in_working_days=True,
            lead_time_formula="60 if bezoekers > 500 else 20",
            too_early_message="Vraag minstens 20 werkdagen vooraf aan, 60 voor grote "
            "evenementen. Kies {datum} of later.",
        ),
    ),
]


def test_the_earliest_date_counts_working_days_chosen_by_an_earlier_answer(client, home_page):
    ClosingDays.objects.create(days="")
    page = make_form_page(home_page, steps=EVENT)
    today = timezone.localdate()
    post(client, page, "1", {"1-naam": "An", "1-bezoekers": "800"})

    earliest = add_working_days(today, 60)
    response = post(
        client, page, "2", {"2-datum": (earliest - datetime.timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vraag minstens 20 werkdagen vooraf aan, 60 voor grote evenementen." in content
    assert f'min="{earliest.isoformat()}"' in content

    response = post(client, page, "2", {"2-datum": earliest.isoformat()})
    assert response.status_code == 302


def test_a_small_event_has_the_shorter_lead_time(client, home_page):
    page = make_form_page(home_page, steps=EVENT)
    post(client, page, "1", {"1-naam": "An", "1-bezoekers": "50"})
    response = post(
        client, page, "2", {"2-datum": add_working_days(timezone.localdate(), 20).isoformat()}
    )
    assert response.status_code == 302


def test_closing_days_move_the_earliest_date(client, home_page):
    today = timezone.localdate()
    plain = add_working_days(today, 20)
    ClosingDays.objects.create(days=add_working_days(today, 1).isoformat())
    page = make_form_page(home_page, steps=EVENT)
    post(client, page, "1", {"1-naam": "An", "1-bezoekers": "50"})
    response = post(client, page, "2", {"2-datum": plain.isoformat()})
    assert response.status_code == 200  # one working day less before the event


# --- preview and demo -------------------------------------------------------------------------


def test_the_check_page_preview_computes_the_fee_from_sample_values(home_page):
    page = terrace_page(home_page)
    with translation.override("nl"):
        html = page.make_preview_request(preview_mode="check").render().content.decode()
    # Sample whole numbers are 12: 0.30 × 12 m² × 12 days.
    assert "Kosten en berekeningen" in html
    assert "12 m² × 12 dagen = € 43,20" in html


def test_the_demo_terrace_fee_and_start_up_premium():
    from cms.demo.forms import (
        STARTER_CALCULATIONS,
        STARTER_STEPS,
        TERRACE_CALCULATIONS,
        TERRACE_DEMO_STEPS,
    )

    def schema_of(steps, calcs):
        page = ApplicationFormPage(title="Demo", reference_prefix="DEM")
        page.steps, page.calculations = steps, calcs
        return page.get_schema()

    terrace = schema_of(TERRACE_DEMO_STEPS, TERRACE_CALCULATIONS)
    assert calculation_checks.validate_calculations(terrace) == []
    values = calculations.compute(terrace, {"oppervlakte": 12, "dagen": 14})
    assert calculations.fee_of(terrace, values) == Decimal("50.40")
    values = calculations.compute(terrace, {"oppervlakte": 2, "dagen": 3})
    assert calculations.fee_of(terrace, values) == Decimal("25.00")
    # A zone drawn on the map counts with its measured area, rounded up to a whole m².
    zone = {
        "type": "Feature",
        "geometry": None,
        "properties": {"address": "", "description": "", "area_m2": "78.0"},
    }
    values = calculations.compute(terrace, {"oppervlakte": 12, "terraszone": zone, "dagen": 10})
    assert values["m2"] == Decimal(78)
    assert calculations.fee_of(terrace, values) == Decimal("234.00")
    zone["properties"]["area_m2"] = "20.2"
    values = calculations.compute(terrace, {"oppervlakte": 12, "terraszone": zone, "dagen": 10})
    assert calculations.fee_of(terrace, values) == Decimal("63.00")  # 21 m² × 10 × 0.30

    starter = schema_of(STARTER_STEPS, STARTER_CALCULATIONS)
    assert calculation_checks.validate_calculations(starter) == []
    renting = {"huur_of_koop": "Ik huur het pand", "huurprijs": "900.00"}
    assert calculations.compute(starter, renting) == {"voorgestelde_premie": Decimal("5400.00")}
    renting["huurprijs"] = "2000.00"
    assert calculations.compute(starter, renting) == {"voorgestelde_premie": Decimal(7500)}
    buying = {"huur_of_koop": "Ik koop het pand"}
    assert calculations.compute(starter, buying) == {"voorgestelde_premie": Decimal(5000)}


def test_editors_find_calculations_and_closing_days_in_the_admin(client, home_page):
    from django.urls import reverse

    from tests.factories import UserFactory

    page = terrace_page(home_page)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    with translation.override("nl"):
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        closing = client.get(
            reverse("wagtailsettings:edit", args=["forms_builder", "closingdays"]), follow=True
        )
    assert edit.status_code == 200
    html = edit.content.decode()
    assert "max(25, 0.30 * m2 * dagen)" in html
    assert "data-calculations" in html and "Berekeningen" in html
    assert closing.status_code == 200
    assert "Sluitingsdagen" in closing.content.decode()


def test_calculations_travel_with_the_form(home_page):
    """Export and import keep the fee with its breakdown (issue #15, "For editors")."""
    import json

    from forms_builder.transfer import export_form, import_form

    page = terrace_page(home_page)
    document = json.loads(json.dumps(export_form(page)))
    assert [item["value"]["name"] for item in document["calculations"]] == ["retributie"]
    copy = import_form(document, home_page, slug="terras-kopie")
    assert copy.get_schema()["calculations"] == page.get_schema()["calculations"]
    assert calculations.fee_of(
        copy.get_schema(), calculations.compute(copy.get_schema(), {"m2": 12, "dagen": 14})
    ) == Decimal("50.40")
