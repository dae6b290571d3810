"""Form logic built in the Wagtail admin and used by an applicant, in a real browser.

An administrator composes an event form in the admin UI only (the StreamField's block
choosers, never Python): step 1 asks the event's name, whether it takes place indoors
and its first and last day; step 2 has a repeatable part "Dagen" (a date and the hours
of each day). The form gets a fee (a calculation: € 25 plus € 10 per day, marked as the
fee), a rule between the two dates (the last day after the first) and an outcome that
ends the form for an indoor event. The administrator publishes it.

An applicant then fills it in: trips over the rule between the dates, reaches the
outcome page by answering "indoors", changes that answer, adds a second day and leaves
its date empty (an error on a repeated item), fixes it, sees the fee on the check page
and sends the form. The dossier holds both days and the fee as its amount due. axe-core
checks every step, both errors, the outcome page, the check page and the confirmation.

The admin speaks English in this test (see test_form_builder_journey's docstring); the
public side is located by editor content, field names and structure.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.test_form_builder_journey import (
    add_field,
    add_step,
    admin_login,
    append_block,
    click_and_load,
    click_centred,
    step_heading,
    use_english_admin,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FORM_TITLE = "Aanvraag buurtfeest"
OUTCOME_TITLE = "Voor een feest binnen heeft u geen vergunning nodig"
RULE_MESSAGE = "De laatste dag moet na de eerste dag liggen."
REFERENCE_RE = re.compile(r"EVT-\d{4}-\d{5}")


def append_only_block(page, stream_prefix: str, index: int) -> str:
    """Append to a stream with one block type (its "+" adds it without a chooser)."""
    container = page.locator(
        f"[name='{stream_prefix}-count'] + [data-streamfield-stream-container]"
    )
    click_centred(container.locator(":scope > div:last-child > button.c-sf-add-button"))
    prefix = f"{stream_prefix}-{index}-value-"
    page.locator(f"[name^='{prefix}']").first.wait_for(state="attached")
    return prefix


def add_condition_rule(page, owner: str, question: str, value: str) -> None:
    """Open the condition panel of the block at ``owner`` (a prefix ending in "-value-")
    and add a rule on a yes/no question: the question and the value both picked from
    condition-editor.js's lists, "is" between them."""
    click_centred(page.locator(f"button[aria-controls='block_group-{owner}condition-content']"))
    click_centred(
        page.locator(
            f"[name='{owner}condition-rules-count'] + [data-streamfield-list-container]"
            " > button[data-streamfield-list-add]"
        )
    )
    rule = f"{owner}condition-rules-0-value-"
    choice = page.locator(f"[data-loket-condition-field]:has([name='{rule}field']) select")
    choice.focus()
    choice.select_option(question)
    assert page.locator(f"[name='{rule}field']").input_value() == question
    page.locator(f"[name='{rule}operator']").select_option("equals")
    # The value is picked from the question's options; the text box behind it gets it.
    textbox = page.locator(f"[name='{rule}value']")
    assert textbox.is_hidden()
    options = page.locator(f"[id='{textbox.get_attribute('id')}-choice']")
    offered = options.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert offered == ["", "yes", "no"], offered
    options.select_option(value)
    assert textbox.input_value() == value


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def test_an_editor_builds_logic_and_an_applicant_meets_it(live_server, new_page, axe, home_page):
    from cms.demo import ensure_team
    from dossiers.models import Dossier
    from forms_builder.models import ApplicationFormPage
    from tests.factories import UserFactory

    admin = UserFactory(username="beheer", is_superuser=True, is_staff=True)
    admin.set_password("beheer-pw")
    admin.save()
    use_english_admin("beheer")
    team = ensure_team("Evenementen", "evenementen@voorbeeld.be")
    base = live_server.url

    # --- the editor builds the form ----------------------------------------------------
    editor = new_page()
    admin_login(editor, base, "beheer", "beheer-pw")
    editor.get_by_role("button", name="Pages", exact=True).click()
    click_and_load(editor, editor.get_by_role("link", name=home_page.title, exact=True))
    click_and_load(editor, editor.get_by_role("link", name="Add child page", exact=True))
    click_and_load(editor, editor.get_by_role("link", name="Application form", exact=True))
    editor.wait_for_url(re.compile(r"/admin/pages/add/forms_builder/applicationformpage/\d+/$"))
    editor.locator("[name=title]").fill(FORM_TITLE)

    add_step(editor, 0, "Uw feest")
    add_field(editor, 0, 0, "Short text", "Naam van het feest")
    add_field(editor, 0, 1, "Yes/no", "Vindt het feest binnen plaats?")
    add_field(editor, 0, 2, "Date", "Eerste dag")
    add_field(editor, 0, 3, "Date", "Laatste dag")

    add_step(editor, 1, "De dagen")
    part = add_field(editor, 1, 0, "Repeatable part (add another)", "Dagen")
    editor.locator(f"[name='{part}item_name']").fill("dag")
    append_block(editor, f"{part}fields", "Date")
    editor.locator(f"[name='{part}fields-0-value-label']").fill("Datum")
    append_block(editor, f"{part}fields", "Short text")
    editor.locator(f"[name='{part}fields-1-value-label']").fill("Uren")

    # The fee: a calculation over the repeatable part, marked as the fee.
    fee = append_only_block(editor, "calculations", 0)
    editor.locator(f"[name='{fee}label']").fill("Retributie")
    editor.locator(f"[name='{fee}name']").fill("retributie")
    editor.locator(f"[name='{fee}formula']").fill("25 + 10 * count(dagen)")
    editor.locator(f"[name='{fee}show']").check()
    editor.locator(f"[name='{fee}is_fee']").check()
    editor.locator(f"[name='{fee}breakdown']").fill("€ 25 plus € 10 per dag: {retributie}")

    # A rule between the two dates.
    append_block(editor, "rules", "End after start")
    editor.locator("[name='rules-0-value-start']").fill("eerste_dag")
    editor.locator("[name='rules-0-value-end']").fill("laatste_dag")
    editor.locator("[name='rules-0-value-message']").fill(RULE_MESSAGE)

    # An outcome that ends the form for an indoor event.
    outcome = append_only_block(editor, "outcomes", 0)
    editor.locator(f"[name='{outcome}title']").fill(OUTCOME_TITLE)
    text = editor.locator(
        "[name='outcomes-count'] + [data-streamfield-stream-container] [contenteditable=true]"
    )
    click_centred(text)
    editor.keyboard.type("Een feest binnen meldt u gewoon bij de brandweer.")
    add_condition_rule(editor, outcome, "vindt_het_feest_binnen_plaats", "yes")

    editor.get_by_role("tab", name="Form settings").click()
    editor.locator("[name=reference_prefix]").fill("EVT")
    editor.locator("[name=team]").select_option(value=str(team.pk))

    # Wagtail's autosave creates the page as soon as it is valid and turns the editor
    # into the page's edit view: publishing from the create view before that lands would
    # create the page a second time (Wagtail then fails on the taken slug).
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/edit/"), timeout=30_000)
    editor.get_by_role("tab", name="Content").click()
    editor.get_by_role("button", name="More actions").click()
    click_and_load(editor, editor.locator("button[name=action-publish]"))
    form_page = ApplicationFormPage.objects.get(title=FORM_TITLE)
    assert form_page.live, editor.locator(
        ".messages, .help-critical, .error-message"
    ).all_inner_texts()

    schema = form_page.get_schema()
    assert [step["title"] for step in schema["steps"]] == ["Uw feest", "De dagen"]
    part_schema = schema["steps"][1]["fields"][0]
    assert part_schema["name"] == "dagen"
    assert [child["name"] for child in part_schema["options"]["fields"]] == ["datum", "uren"]
    assert schema["outcomes"][0]["condition"]["rules"] == [
        {"field": "vindt_het_feest_binnen_plaats", "operator": "equals", "value": "yes"}
    ]

    # --- the applicant fills it in ------------------------------------------------------
    applicant = new_page()
    response = applicant.goto(base + form_page.url)
    assert response is not None and response.status == 200
    applicant.wait_for_url(re.compile(r"/stap/1/$"))
    assert step_heading(applicant) == "Uw feest"
    axe(applicant, "step 1")

    applicant.get_by_label("Naam van het feest").fill("Buurtfeest Kerkstraat")
    applicant.locator("input[name='1-vindt_het_feest_binnen_plaats'][value=yes]").check()
    applicant.locator("[name='1-eerste_dag']").fill(day(40))
    applicant.locator("[name='1-laatste_dag']").fill(day(39))
    click_and_load(applicant, applicant.get_by_role("button", name="Volgende", exact=True))

    # The rule between the dates, next to the last day and in the summary.
    applicant.wait_for_url(re.compile(r"/stap/1/$"))
    assert RULE_MESSAGE in applicant.locator("#id_1-laatste_dag_error").inner_text()
    assert applicant.locator(".error-summary a[href='#id_1-laatste_dag']").count() == 1
    axe(applicant, "step 1 with the rule between the dates")

    applicant.locator("[name='1-laatste_dag']").fill(day(41))
    click_and_load(applicant, applicant.get_by_role("button", name="Volgende", exact=True))

    # Indoors: the outcome page ends the form.
    assert applicant.locator("main h1").inner_text().strip() == OUTCOME_TITLE
    assert "brandweer" in applicant.locator("main").inner_text()
    axe(applicant, "the outcome page")

    click_and_load(applicant, applicant.locator("main p a:not(.back-link)[href$='/stap/1/']"))
    applicant.wait_for_url(re.compile(r"/stap/1/$"))
    applicant.locator("input[name='1-vindt_het_feest_binnen_plaats'][value=no]").check()
    click_and_load(applicant, applicant.get_by_role("button", name="Volgende", exact=True))

    assert applicant.url.endswith("/stap/2/"), (
        applicant.url,
        applicant.locator("main").inner_text(),
    )
    assert step_heading(applicant) == "De dagen"
    axe(applicant, "step 2, a repeatable part")

    applicant.locator("[name='2-dagen-0-datum']").fill(day(40))
    applicant.locator("[name='2-dagen-0-uren']").fill("14 tot 22 uur")
    click_and_load(applicant, applicant.get_by_role("button", name="Nog een dag toevoegen"))
    applicant.locator("[name='2-dagen-1-uren']").fill("10 tot 18 uur")
    click_and_load(applicant, applicant.get_by_role("button", name="Volgende", exact=True))

    # The second day's date is missing: the error sits at that item, linked from the summary.
    assert applicant.locator("#id_2-dagen-1-datum_error").count() == 1
    assert applicant.locator("#id_2-dagen-0-datum_error").count() == 0
    assert "Dag 2" in applicant.locator(".error-summary a[href='#id_2-dagen-1-datum']").inner_text()
    assert applicant.locator("[name='2-dagen-1-uren']").input_value() == "10 tot 18 uur"
    axe(applicant, "an error on the second day")

    applicant.locator("[name='2-dagen-1-datum']").fill(day(41))
    click_and_load(applicant, applicant.get_by_role("button", name="Volgende", exact=True))

    # (The browser keeps the "#" of the add button's redirect: a fragment, nothing more.)
    assert "/controleren/" in applicant.url, applicant.locator("main").inner_text()
    check_text = applicant.locator("main").inner_text()
    assert "Buurtfeest Kerkstraat" in check_text and "Dag 2" in check_text
    assert "€ 45,00" in check_text, check_text
    axe(applicant, "the check page with the fee")

    declaration = applicant.locator("[name='accept']")
    if declaration.count():
        declaration.check()
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))
    applicant.wait_for_url(re.compile(r"/bevestiging/"))
    reference = applicant.locator(".reference").inner_text().strip()
    assert REFERENCE_RE.fullmatch(reference), reference
    axe(applicant, "the confirmation")

    dossier = Dossier.objects.get(reference=reference)
    assert dossier.team_id == team.pk
    assert dossier.amount_due == Decimal("45.00")
    days = dossier.answers[schema["steps"][1]["id"]]["dagen"]
    assert [item["uren"] for item in days] == ["14 tot 22 uur", "10 tot 18 uur"]
