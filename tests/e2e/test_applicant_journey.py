"""The applicant's journey after submitting, end to end in a real browser.

An applicant submits the terrace permit; an officer asks for a document in the back
office; the applicant follows the status-page link from the e-mail, answers on the
answer page (tripping over the missing document first) and uploads the plan; the
officer sees the file and approves with a decision text; the applicant finds the
decision letter on the status page. axe-core checks the status page and the answer
page (also with its error message) against WCAG 2.1 AA.
"""

from __future__ import annotations

import re
import time

import pytest

from cms.demo import load_demo
from dossiers.models import Dossier
from forms_builder.models import ApplicationFormPage
from tests.e2e.test_thin_journey import click_and_load, next_button, wait_for_mail
from tests.files import PDF

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

APPLICANT_EMAIL = "jan@hethoekje.be"
QUESTION = "Stuur ons een plan van het terras met de maten erop."
DOCUMENT = "Plan van het terras"
DECISION = "U mag het terras plaatsen zoals op het plan."
STATUS_LINK_RE = re.compile(r"https?://\S+/dossier/[0-9a-f-]{36}/[\w-]+/")


def submit_terrace_application(page, base: str) -> str:
    """Fill in and submit the demo terrace form; returns the reference number."""
    page.goto(base + "/")
    click_and_load(page, page.get_by_role("link", name="Terrasvergunning aanvragen").first)
    click_and_load(page, page.locator("a.button--start"))
    page.wait_for_url(re.compile(r"/stap/1/$"))
    page.get_by_label("Naam van de onderneming").fill("Het Hoekje")
    page.get_by_label("Uw naam", exact=True).fill("Jan Peeters")
    page.get_by_label("Uw e-mailadres").fill(APPLICANT_EMAIL)
    click_and_load(page, next_button(page))
    page.wait_for_url(re.compile(r"/stap/2/$"))
    page.get_by_label("Adres van de zaak").fill("Hoekstraat 1, 9999 Voorbeeld")
    page.get_by_label("Oppervlakte van het terras (m²)").fill("20")
    page.get_by_label("Vanaf wanneer wilt u het terras plaatsen?").fill("2026-05-01")
    page.get_by_label("Open terras").check()
    click_and_load(page, next_button(page))
    # The demo's terrace fee counts the days the terrace stands outside.
    page.wait_for_url(re.compile(r"/stap/3/$"))
    page.get_by_label("Hoeveel dagen staat het terras buiten?").fill("30")
    click_and_load(page, next_button(page))
    page.wait_for_url(re.compile(r"/controleren/$"))
    click_and_load(page, page.locator("main form button[type=submit]"))
    page.wait_for_url(re.compile(r"/bevestiging/$"))
    return page.locator(".reference").inner_text().strip()


def open_dossier_as_officer(page, base: str, reference: str) -> None:
    page.goto(base + "/admin/")
    page.locator("input[name=username]").fill("behandelaar")
    page.locator("input[name=password]").fill("loket-behandelaar")
    click_and_load(page, page.locator("form button[type=submit]"))
    page.wait_for_url(base + "/admin/")
    page.goto(base + "/admin/dossiers/dossier/")
    row = page.locator("tr", has_text=reference)
    click_and_load(page, row.locator("a[href*='/inspect/']").first)
    page.wait_for_url(re.compile(r"/admin/dossiers/dossier/inspect/\d+/$"))


def test_question_answer_and_decision(live_server, new_page, axe, settings, tmp_path):
    load_demo()
    # This journey is the procedure without stages: the officer decides alone (the
    # demo terrace form's college path is test_college_journey.py).
    ApplicationFormPage.objects.filter(slug="aanvraag-terras").update(stages=[])
    base = live_server.url
    # The links in the e-mails point at this server.
    settings.LOKET_BASE_URL = base
    settings.WAGTAILADMIN_BASE_URL = base

    # --- the applicant applies -------------------------------------------------------
    applicant = new_page()
    reference = submit_terrace_application(applicant, base)
    dossier = Dossier.objects.get(reference=reference)

    # --- the officer asks for a document ---------------------------------------------
    officer = new_page()
    open_dossier_as_officer(officer, base, reference)
    ask = officer.locator("details.loket-information-ask")
    ask.locator("summary").click()
    ask.locator("textarea[name='information-question']").fill(QUESTION)
    ask.locator("input[name='information-document_1']").fill(DOCUMENT)
    assert ask.locator("input[name='information-document_1_required']").is_checked()
    axe(officer, "dossier with the question form open (our template)", include=".loket-dossier")
    click_and_load(officer, ask.locator("button[type=submit]"))
    officer.locator(".messages .success").wait_for()
    assert officer.locator("#information-title").count() == 1
    assert QUESTION in officer.locator(".loket-information").first.inner_text()

    asked = wait_for_mail(lambda m: APPLICANT_EMAIL in m.to and QUESTION in m.body)
    assert len(asked) == 1, "the applicant's e-mail holds the question"
    status_url = STATUS_LINK_RE.search(asked[0].body).group(0)
    assert status_url.startswith(base)

    # --- the applicant answers from the status page ----------------------------------
    response = applicant.goto(status_url)
    assert response.status == 200
    todo = applicant.locator("#information-request-title")
    assert todo.count() == 1, "the status page says what to do now"
    assert QUESTION in applicant.locator(".information-request").inner_text()
    axe(applicant, "status page (question open)")

    click_and_load(applicant, applicant.locator(".information-request a[href*='/vraag/']"))
    applicant.wait_for_url(re.compile(r"/vraag/\d+/$"))
    assert QUESTION in applicant.locator("main").inner_text()
    axe(applicant, "answer page")

    # Sent without the document: the error summary points at the upload.
    applicant.locator("textarea[name=answer]").fill("Het plan zit erbij.")
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))
    summary = applicant.locator(".error-summary")
    summary.wait_for()
    assert summary.locator("a[href='#id_doc-1']").count() == 1
    assert applicant.locator("textarea[name=answer]").input_value() == "Het plan zit erbij."
    axe(applicant, "answer page with an error")

    plan = tmp_path / "terrasplan.pdf"
    plan.write_bytes(PDF)
    applicant.locator("input[name='doc-1']").set_input_files(str(plan))
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))
    applicant.wait_for_url(status_url)
    applicant.locator(".notification-banner--success").wait_for()
    assert applicant.locator("#information-request-title").count() == 0
    axe(applicant, "status page (answered)")

    to_officers = wait_for_mail(
        lambda m: "economie@voorbeeld.be" in m.to and "Het plan zit erbij." in m.body
    )
    assert len(to_officers) == 1, "the team hears that the applicant answered"

    # --- the officer sees the file and approves --------------------------------------
    officer.reload()
    question = officer.locator(".loket-information").first
    assert "terrasplan.pdf" in question.inner_text()
    assert question.locator("a[href*='/attachment/']").count() == 1
    approve = officer.locator("form:has(input[name=transition][value=approve])")
    approve.locator("textarea[name=decision]").fill(DECISION)
    click_and_load(officer, approve.locator("button[type=submit]"))
    # The letter as it will be sent, then confirm (issue #14, item 9).
    assert officer.locator("iframe.loket-letter-preview").count() == 1
    assert DECISION in officer.locator("iframe.loket-letter-preview").get_attribute("srcdoc")
    # The page's own part: axe is kept out of the sandboxed letter frame (it cannot run
    # there, and waiting for it held the confirmation up).
    axe(officer, "decision confirmation (our template)", include=".loket-dossier > form")
    # Below the 900 px letter, under Wagtail's sticky header: confirmed with the keyboard.
    with officer.expect_navigation():
        officer.locator("form:has(input[name=confirmed]) button[type=submit]").press("Enter")
    officer.locator(".messages .success").wait_for()
    dossier.refresh_from_db()
    assert dossier.status == "approved"

    # --- the applicant sees the decision letter --------------------------------------
    from dossiers.outbox.letters import current_letter

    deadline = time.monotonic() + 15
    while (letter := current_letter(dossier)) is None and time.monotonic() < deadline:
        time.sleep(0.5)
    assert letter is not None, "the decision letter was made"
    applicant.goto(status_url)
    letter_link = applicant.locator(f"main a[href$='/bestand/{letter.pk}/']")
    assert letter_link.count() >= 1, "the status page links to the decision letter"
    download = applicant.request.get(base + letter_link.first.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")
    axe(applicant, "status page (approved)")
