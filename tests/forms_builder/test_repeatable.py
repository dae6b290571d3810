"""Repeatable parts ("Add another"): built by editors, filled in without JavaScript (add
and remove buttons that keep what was typed), each item validated with its errors at
the item's question and in the error summary, the minimum and maximum in Dutch, rules
over the items (no overlapping periods) at the right item, and the stored list of
items in the draft, the frozen schema and the dossier."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from dossiers.models import Dossier
from forms_builder.models import Draft
from forms_builder.schema import display_answers
from tests.conftest import make_form_page

pytestmark = pytest.mark.django_db


def field(type_id, label, name, **options):
    return {"type": type_id, "value": {"label": label, "name": name, "required": True, **options}}


def days_part(min_items=1, max_items=3):
    return {
        "type": "repeatable",
        "value": {
            "label": "Dagen van het evenement",
            "name": "dagen",
            "help_text": "",
            "item_name": "dag",
            "min_items": min_items,
            "max_items": max_items,
            "fields": [
                field("date", "Datum", "datum"),
                field("time", "Van", "van"),
                field("time", "Tot", "tot"),
            ],
        },
    }


def steps(**part):
    return [
        {
            "type": "step",
            "value": {
                "title": "Het evenement",
                "intro": "",
                "fields": [
                    field("short_text", "Naam van het evenement", "naam"),
                    days_part(**part),
                ],
            },
        }
    ]


NO_OVERLAP = {
    "type": "no_overlap",
    "value": {
        "group": "dagen",
        "start": "datum",
        "end": "",
        "start_time": "van",
        "end_time": "tot",
        "message": "Deze dag overlapt met een andere dag.",
    },
}


@pytest.fixture
def event_page(home_page):
    return make_form_page(
        home_page,
        title="Evenement",
        slug="evenement",
        reference_prefix="EVE",
        steps=steps(),
        rules=[NO_OVERLAP],
        calculations=[
            {
                "type": "calculation",
                "value": {
                    "label": "Aantal dagen",
                    "name": "aantal_dagen",
                    "formula": "count(dagen)",
                    "show": True,
                    "is_fee": False,
                    "breakdown": "",
                },
            }
        ],
    )


def day(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def post(client, page, data, key="1"):
    management = {f"loket-form-{page.pk}-current_step": key}
    return client.post(page.url + f"stap/{key}/", {**management, **data})


def items(*rows) -> dict:
    data = {"1-naam": "Kermis", "1-dagen": str(len(rows))}
    for index, (date, start, end) in enumerate(rows):
        data.update(
            {
                f"1-dagen-{index}-datum": date,
                f"1-dagen-{index}-van": start,
                f"1-dagen-{index}-tot": end,
            }
        )
    return data


def test_the_part_is_frozen_with_its_questions(event_page):
    schema = event_page.get_schema()
    part = schema["steps"][0]["fields"][1]
    assert part["type"] == "repeatable" and part["name"] == "dagen"
    assert part["options"]["item_name"] == "dag"
    assert (part["options"]["min_items"], part["options"]["max_items"]) == (1, 3)
    assert [child["name"] for child in part["options"]["fields"]] == ["datum", "van", "tot"]
    assert schema["rules"] == [
        {
            "formula": "no_overlap(dagen.datum, dagen.datum, dagen.van, dagen.tot)",
            "field": "dagen.van",
            "message": "Deze dag overlapt met een andere dag.",
        }
    ]


def test_the_step_shows_one_item_with_a_heading_and_an_add_button(client, event_page):
    with translation.override("nl"):
        response = client.get(event_page.url + "stap/1/")
    content = response.content.decode()
    assert "<legend" in content and "Dagen van het evenement" in content
    assert 'id="id_1-dagen-items-0"' in content and ">Dag 1</h2>" in content
    assert 'name="1-dagen-0-datum"' in content
    assert 'name="1-dagen-add"' in content and "Nog een dag toevoegen" in content
    # One item is the minimum: it cannot be removed.
    assert 'name="1-dagen-remove"' not in content


def test_adding_keeps_what_was_typed_and_shows_the_new_item_without_errors(client, event_page):
    data = items((day(30), "10:00", "12:00"))
    response = post(client, event_page, {**data, "1-dagen-add": "1"})
    assert response.status_code == 302
    assert response.url.endswith("/stap/1/#id_1-dagen-items-1")
    with translation.override("nl"):
        page = client.get(response.url.split("#")[0])
    content = page.content.decode()
    assert ">Dag 2</h2>" in content and 'name="1-dagen-1-datum"' in content
    assert f'value="{day(30)}"' in content and 'value="Kermis"' in content
    assert "error-summary" not in content
    assert page.context["form"].groups["dagen"].count == 2
    # Two items, more than the minimum: each can be removed now.
    assert content.count('name="1-dagen-remove"') == 2


def test_removing_moves_the_later_items_up(client, event_page):
    data = items(
        (day(30), "10:00", "12:00"), (day(31), "10:00", "12:00"), (day(32), "9:00", "11:00")
    )
    response = post(client, event_page, {**data, "1-dagen-remove": "0"})
    assert response.url.endswith("#id_1-dagen-items-0")
    form = client.get(response.url.split("#")[0]).context["form"]
    group = form.groups["dagen"]
    assert group.count == 2
    assert [item.data[f"1-dagen-{i}-datum"] for i, item in enumerate(group.forms)] == [
        day(31),
        day(32),
    ]


def test_the_maximum_hides_the_add_button_and_a_forged_count_is_refused(client, event_page):
    rows = [(day(30 + i), "10:00", "12:00") for i in range(3)]
    response = post(client, event_page, {**items(*rows), "1-dagen-add": "1"})
    form = client.get(response.url.split("#")[0]).context["form"]
    assert form.groups["dagen"].count == 3
    with translation.override("nl"):
        response = post(client, event_page, {**items(*rows), "1-dagen": "4"})
    assert response.status_code == 200
    assert "U kunt maximaal 3 keer een dag toevoegen." in response.content.decode()


def test_the_minimum_is_explained_in_dutch(client, home_page):
    page = make_form_page(home_page, slug="twee", steps=steps(min_items=2))
    with translation.override("nl"):
        response = post(client, page, items((day(30), "10:00", "12:00")))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Voeg minstens 2 keer een dag toe." in content
    assert 'href="#id_1-dagen-items"' in content


def test_each_item_is_validated_and_its_error_is_linked_from_the_summary(client, event_page):
    data = items((day(30), "10:00", "12:00"), ("geen datum", "10:00", "12:00"))
    with translation.override("nl"):
        response = post(client, event_page, data)
    assert response.status_code == 200
    group = response.context["form"].groups["dagen"]
    assert not group.forms[0].errors
    assert list(group.forms[1].errors) == ["datum"]
    content = response.content.decode()
    assert 'href="#id_1-dagen-1-datum">Dag 2, Datum:' in content
    assert 'id="id_1-dagen-1-datum_error"' in content


def test_overlapping_days_are_refused_at_the_later_item(client, event_page):
    data = items((day(30), "10:00", "14:00"), (day(30), "13:00", "16:00"))
    response = post(client, event_page, data)
    group = response.context["form"].groups["dagen"]
    assert not group.forms[0].errors
    assert group.forms[1].errors == {"van": ["Deze dag overlapt met een andere dag."]}
    assert 'href="#id_1-dagen-1-van"' in response.content.decode()


def test_touching_days_and_separate_days_are_fine_and_stored_as_a_list(client, event_page):
    data = items(
        (day(30), "10:00", "14:00"), (day(30), "14:00", "16:00"), (day(31), "10:00", "14:00")
    )
    response = post(client, event_page, data)
    assert response.status_code == 302 and response.url.endswith("/controleren/")
    stored = Draft.objects.get().data
    assert "dagen" in str(stored)
    with translation.override("nl"):
        check = client.get(response.url)
    content = check.content.decode()
    assert "Dag 1: Datum:" in content and "Dag 3:" in content
    assert "Aantal dagen" not in content or "3" in content
    client.post(response.url, {})
    dossier = Dossier.objects.get()
    answers = dossier.answers[dossier.schema["steps"][0]["id"]]
    assert answers["dagen"] == [
        {"datum": day(30), "van": "10:00", "tot": "14:00"},
        {"datum": day(30), "van": "14:00", "tot": "16:00"},
        {"datum": day(31), "van": "10:00", "tot": "14:00"},
    ]
    assert dossier.calculations["aantal_dagen"] == "3"
    rows = display_answers(dossier.schema, dossier.answers)[0]["rows"]
    assert rows[1]["label"] == "Dagen van het evenement"
    assert rows[1]["value"].count("\n") == 2


# --- editors ------------------------------------------------------------------------------


def refused(home_page, **kwargs) -> str:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        make_form_page(home_page, slug="fout", **kwargs)
    return " ".join(caught.value.messages)


def test_a_formula_on_a_question_the_part_does_not_have_is_refused(home_page):
    message = refused(
        home_page,
        steps=steps(),
        calculations=[
            {
                "type": "calculation",
                "value": {"label": "Uren", "name": "uren", "formula": "sum(dagen.uren)"},
            }
        ],
    )
    assert "“dagen.uren”" in message and "step “Het evenement”" in message


def test_a_no_overlap_rule_on_an_unknown_question_is_refused(home_page):
    rule = {"type": "no_overlap", "value": {**NO_OVERLAP["value"], "start_time": "begin"}}
    message = refused(home_page, steps=steps(), rules=[rule])
    assert "dagen.begin" in message


def test_a_minimum_above_the_maximum_is_refused(home_page):
    message = refused(home_page, steps=steps(min_items=4, max_items=3))
    assert "the minimum (4) is more than the maximum (3)" in message


def test_export_and_import_carry_the_part_and_its_rule(event_page, home_page):
    from forms_builder.transfer import export_form, import_form

    document = json.loads(json.dumps(export_form(event_page)))
    copy = import_form(document, home_page, slug="evenement-kopie")
    schema = copy.get_latest_revision_as_object().get_schema()
    original = event_page.get_schema()
    assert (
        schema["steps"][0]["fields"][1]["options"] == original["steps"][0]["fields"][1]["options"]
    )
    assert schema["rules"] == original["rules"]


def test_editors_find_the_part_and_the_rule_on_the_edit_page(client, event_page):
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    with translation.override("nl"):
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[event_page.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    for text in (
        "Herhaalbaar deel (nog een toevoegen)",
        "Minstens zoveel items",
        "Vragen van elk item",
        "Periodes overlappen niet",
        "Dagen van het evenement",
    ):
        assert text in html, text


def test_a_part_hidden_by_an_answer_on_its_step_does_not_stop_the_applicant(client, home_page):
    page_steps = steps(min_items=2)
    part = page_steps[0]["value"]["fields"][1]["value"]
    part["condition"] = {
        "combinator": "all",
        "rules": [{"field": "naam", "operator": "equals", "value": "Kermis"}],
    }
    page = make_form_page(home_page, slug="verborgen", steps=page_steps)
    response = post(client, page, {"1-naam": "Markt", "1-dagen": "0"})
    assert response.status_code == 302
    post(client, page, {"1-naam": "Kermis", "1-dagen": "0"})
    assert post(client, page, {"1-naam": "Kermis", "1-dagen": "0"}).status_code == 200


def test_removing_below_the_minimum_changes_nothing(client, event_page):
    response = post(
        client, event_page, {**items((day(30), "10:00", "12:00")), "1-dagen-remove": "0"}
    )
    form = client.get(response.url.split("#")[0]).context["form"]
    assert form.groups["dagen"].count == 1
    assert form.groups["dagen"].forms[0].data["1-dagen-0-datum"] == day(30)


def test_the_editors_preview_shows_the_part_and_a_sample_item(event_page):
    with translation.override("nl"):
        steps_html = event_page.make_preview_request(preview_mode="steps").rendered_content
        check_html = event_page.make_preview_request(preview_mode="check").rendered_content
    assert "Dagen van het evenement" in steps_html
    assert '<h3 class="repeatable__title" id="id_1-dagen-items-0" tabindex="-1">Dag 1</h3>' in (
        steps_html
    )
    assert "Dag 1: Datum:" in check_html


def test_stored_items_come_back_in_the_form(event_page):
    from forms_builder.forms import StepForm

    step = event_page.get_schema()["steps"][0]
    stored = [
        {"datum": day(30), "van": "10:00", "tot": "12:00"},
        {"datum": day(31), "van": "11:00", "tot": "13:00"},
    ]
    form = StepForm(step=step, prefix="1", initial={"naam": "Kermis", "dagen": stored})
    group = form.groups["dagen"]
    assert group.count == 2
    html = str(form["dagen"])
    assert 'type="hidden"' in html and 'value="2"' in html
    assert group.forms[1]["van"].value().isoformat(timespec="minutes") == "11:00"


def test_a_lead_time_on_a_question_a_part_does_not_have_is_refused(home_page):
    page_steps = steps() + [
        {
            "type": "step",
            "value": {
                "title": "Opbouw",
                "intro": "",
                "fields": [
                    field("date", "Opbouw", "opbouw", lead_time_formula="count(dagen.onbekend)")
                ],
            },
        }
    ]
    message = refused(home_page, steps=page_steps)
    assert "question “Opbouw”" in message and "“dagen.onbekend”" in message


def test_sending_the_step_after_adding_shows_its_errors(client, event_page):
    data = items((day(30), "10:00", "12:00"))
    post(client, event_page, {**data, "1-dagen-add": "1"})  # the redirect is not followed
    response = post(client, event_page, {**data, "1-dagen": "2"})
    assert response.status_code == 200
    assert list(response.context["form"].groups["dagen"].forms[1].errors) == [
        "datum",
        "van",
        "tot",
    ]
