"""The applicant's status page in a real browser: axe-core (WCAG 2.1 AA) on the page in
its busiest states, at 320 px wide, keyboard use of the message form without JavaScript
needed, and the print version."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from dossiers import services, workflow
from dossiers.feedback import services as feedback
from dossiers.information import services as information
from dossiers.messages import services as messaging
from dossiers.models import Attachment, AttachmentKind
from tests.conftest import make_form_page
from tests.dossiers.conftest import make_team, make_user
from tests.factories import terrace_answers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def dossier(home_page):
    team = make_team("Economie")
    form_page = make_form_page(home_page, team=team)
    officer = make_user("behandelaar", team.group)
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    message = messaging.send_from_officer(dossier, officer, "Hebt u een plan van het terras?")
    attachment = Attachment(
        dossier=dossier, kind=AttachmentKind.MESSAGE, message=message, original_name="uitleg.pdf"
    )
    attachment.file.save("uitleg.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
    messaging.send_from_applicant(dossier, "Ja, ik stuur het zo.")
    workflow.transition(dossier, "start_review", actor=officer)
    return dossier, officer


def test_busy_page_has_no_violations_and_fits_a_phone(new_page, live_server, dossier, axe):
    dossier, officer = dossier
    page = new_page(viewport=PHONE)

    page.goto(live_server.url + dossier.get_status_url())
    axe(page, "status page with messages")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    # Sending an empty message: the error summary, and no violations either.
    page.get_by_role("button", name="Send message").or_(
        page.get_by_role("button", name="Bericht versturen")
    ).first.click()
    assert page.locator(".error-summary").is_visible()
    axe(page, "status page with an error in the message form")

    page.goto(live_server.url + dossier.get_status_url().rstrip("/") + "/intrekken/")
    axe(page, "withdrawal confirmation")


def test_decided_page_with_rating_form_has_no_violations(new_page, live_server, dossier, axe):
    dossier, officer = dossier
    workflow.transition(dossier, "approve", actor=officer, data={"decision": "Goedgekeurd."})
    page = new_page()

    page.goto(live_server.url + dossier.get_status_url())
    assert page.locator('input[type="radio"][name="rating-score"]').count() == 5
    # The decision's text on the page itself, not only in the letter (issue #14, item 23).
    assert page.locator("[data-decision-text]").inner_text().strip() == "Goedgekeurd."
    axe(page, "status page after the decision, with the rating form")

    feedback.rate(dossier, 4, "Vlot")
    page.reload()
    axe(page, "status page after rating")


def test_an_open_question_has_one_way_to_send_files(new_page, live_server, dossier, axe):
    dossier, officer = dossier
    information.ask(
        dossier, officer, "Stuur een plan van het terras.", [{"label": "Plan", "required": True}]
    )
    page = new_page(viewport=PHONE)

    page.goto(live_server.url + dossier.get_status_url())
    assert page.locator("form.thread__form input[type=file]").count() == 0
    link = page.locator("[data-files-with-answer] a")
    assert link.is_visible()
    axe(page, "status page with an open question")

    link.click()
    page.wait_for_load_state()
    assert page.locator("input[type=file]").count() >= 1
    axe(page, "the answer to the question")


def test_works_without_javascript_and_prints_without_forms(new_page, live_server, dossier):
    dossier, _officer = dossier
    page = new_page(java_script_enabled=False)
    page.goto(live_server.url + dossier.get_status_url())

    page.locator("#id_message-body").fill("Zonder JavaScript verstuurd.")
    page.locator("form.thread__form button[type=submit]").click()
    page.wait_for_load_state()
    assert "Zonder JavaScript verstuurd." in page.content()
    assert dossier.messages.filter(body="Zonder JavaScript verstuurd.").exists()

    page.emulate_media(media="print")
    assert not page.locator("form.thread__form").is_visible()
    assert not page.locator(".site-header").is_visible()
    assert page.locator(".thread").is_visible()
    assert page.locator("#todo-title").is_visible()
