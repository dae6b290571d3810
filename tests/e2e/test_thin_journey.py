"""The thin journey, end to end in a real browser.

An applicant finds the terrace permit, fills in its three steps (tripping over one
validation error), submits and gets a reference number; an officer starts the review
in the back office; the applicant sees the new status. axe-core checks every public
page of the way against WCAG 2.1 AA.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail

from cms.demo import load_demo

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REFERENCE_RE = re.compile(r"TER-\d{4}-\d{5}")
APPLICANT_EMAIL = "sofie@cafedebrug.be"


def wait_for_mail(predicate, timeout: float = 5.0) -> list:
    """The messages in the outbox that match ``predicate``, waiting a little for them:
    they are sent after commit, in the live server's thread."""
    deadline = time.monotonic() + timeout
    while True:
        found = [message for message in mail.outbox if predicate(message)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def next_button(page):
    return page.locator(
        "main form button[type=submit]:not([name=save_draft])"
        ":not([name=lookup_company]):not(.visually-hidden)"
    )


def click_and_load(page, locator) -> None:
    """Click ``locator`` and wait for the page it leads to, which must not be an error."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, (
        f"{response.request.method} {response.url} answered HTTP {response.status}"
    )


def test_apply_review_and_follow_status(live_server, new_page, axe):
    load_demo()
    base = live_server.url

    # --- the applicant applies -------------------------------------------------------
    applicant = new_page()
    applicant.goto(base + "/")
    assert applicant.evaluate("() => document.styleSheets[0].cssRules.length > 0"), (
        "the theme's stylesheet is served (contrast checks depend on it)"
    )
    axe(applicant, "home page")
    click_and_load(
        applicant, applicant.get_by_role("link", name="Terrasvergunning aanvragen").first
    )
    assert applicant.locator("h1").inner_text() == "Terrasvergunning aanvragen"
    axe(applicant, "service page")

    click_and_load(applicant, applicant.locator("a.button--start"))
    applicant.wait_for_url(re.compile(r"/stap/1/$"))
    assert applicant.locator("h1").inner_text() == "Uw onderneming"
    axe(applicant, "step 1")

    applicant.get_by_label("Naam van de onderneming").fill("Café De Brug")
    applicant.get_by_label("Uw naam", exact=True).fill("Sofie Claes")
    applicant.get_by_label("Uw e-mailadres").fill(APPLICANT_EMAIL)
    click_and_load(applicant, next_button(applicant))

    applicant.wait_for_url(re.compile(r"/stap/2/$"))
    assert applicant.locator("h1").inner_text() == "Uw terras"
    axe(applicant, "step 2")

    # One mistake on the way: the kind of terrace is required and left empty.
    applicant.get_by_label("Adres van de zaak").fill("Brugstraat 5, 9999 Voorbeeld")
    applicant.get_by_label("Oppervlakte van het terras (m²)").fill("18")
    applicant.get_by_label("Vanaf wanneer wilt u het terras plaatsen?").fill("2026-05-01")
    click_and_load(applicant, next_button(applicant))

    summary = applicant.locator(".error-summary")
    summary.wait_for()
    # The message the editor wrote for the question (it names the question itself).
    assert "Kies het soort terras" in summary.inner_text()
    assert summary.locator("a").count() == 1
    assert applicant.locator("h1").inner_text() == "Uw terras"
    # What was typed is kept.
    assert applicant.get_by_label("Oppervlakte van het terras (m²)").input_value() == "18"
    axe(applicant, "step 2 with a validation error")

    applicant.get_by_label("Terras met windschermen").check()
    click_and_load(applicant, next_button(applicant))

    # The demo's terrace fee counts the days the terrace stands outside.
    applicant.wait_for_url(re.compile(r"/stap/3/$"))
    axe(applicant, "step 3")
    applicant.get_by_label("Hoeveel dagen staat het terras buiten?").fill("30")
    click_and_load(applicant, next_button(applicant))

    applicant.wait_for_url(re.compile(r"/controleren/$"))
    axe(applicant, "check your answers")
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))

    applicant.wait_for_url(re.compile(r"/bevestiging/$"))
    reference = applicant.locator(".reference").inner_text().strip()
    assert REFERENCE_RE.fullmatch(reference), reference
    status_link = applicant.locator("main a[href*='/dossier']")
    assert status_link.count() == 1, "the confirmation page links to the status page"
    axe(applicant, "confirmation")

    # Not signed in: the e-mail that asks to prove the address comes too (not counted).
    received = wait_for_mail(
        lambda m: (
            APPLICANT_EMAIL in m.to
            and reference in m.subject + m.body
            and "/bevestigen/" not in m.body
        )
    )
    assert len(received) == 1, [(m.to, m.subject) for m in mail.outbox]

    click_and_load(applicant, status_link)
    status_url = applicant.url
    assert reference in applicant.locator("h1").inner_text()
    submitted_label = applicant.locator(".status-tag").inner_text().strip()
    assert submitted_label
    axe(applicant, "status page (submitted)")

    # --- the officer starts the review -----------------------------------------------
    # An officer's laptop: 1280 px wide (the inbox must not hide the decision date).
    officer = new_page(viewport={"width": 1280, "height": 800})
    officer.goto(base + "/admin/")
    officer.locator("input[name=username]").fill("behandelaar")
    officer.locator("input[name=password]").fill("loket-behandelaar")
    click_and_load(officer, officer.locator("form button[type=submit]"))
    officer.wait_for_url(base + "/admin/")

    # The menu opens the default view: the open dossiers, the earliest decision date first.
    default_view = "/admin/dossiers/dossier/?o=3&status=open"
    click_and_load(officer, officer.locator(f"a[href='{default_view}']").first)
    officer.wait_for_url(base + default_view)
    axe(officer, "inbox (default view)", include=".loket-views")
    for column in ("due_column", "officer_column"):
        box = officer.locator(f"th.column-{column}").bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1280, f"{column} is in view"
    row = officer.locator("tr", has_text=reference)
    assert row.count() == 1, f"{reference} is in the officer's inbox"
    # A view of the officer's own, kept for next time; the form for several dossiers at
    # once (issue #14, item 8).
    officer.locator("#loket-view-name").fill("Mijn terrassen")
    click_and_load(officer, officer.locator(".loket-views__save button[type=submit]"))
    assert officer.locator(".loket-views a", has_text="Mijn terrassen").count() == 1
    axe(officer, "inbox with a saved view", include=".loket-views")
    axe(officer, "the inbox's form for several dossiers", include=".loket-bulk")
    row = officer.locator("tr", has_text=reference)
    assert row.count() == 1, f"{reference} is in the saved view"
    click_and_load(officer, row.locator("a[href*='/inspect/']").first)
    officer.wait_for_url(re.compile(r"/admin/dossiers/dossier/inspect/\d+/$"))

    axe(officer, "dossier in the back office (our template)", include=".loket-dossier")
    click_and_load(
        officer, officer.locator("form:has(input[name=transition][value=start_review]) button")
    )
    success = officer.locator(".messages .success")
    success.wait_for()
    assert reference in success.inner_text()
    assert officer.locator("form:has(input[name=transition][value=start_review])").count() == 0

    changed = wait_for_mail(
        lambda m: (
            APPLICANT_EMAIL in m.to
            and m is not received[0]
            and reference in m.subject + m.body
            and "/bevestigen/" not in m.body
        )
    )
    assert len(changed) == 1, [(m.to, m.subject) for m in mail.outbox]

    # --- the applicant sees the new status -------------------------------------------
    response = applicant.goto(status_url)
    assert response.status == 200
    new_label = applicant.locator(".status-tag").inner_text().strip()
    assert new_label and new_label != submitted_label
    axe(applicant, "status page (in review)")
