"""The procedure behind the demo terrace form, end to end in a real browser.

An officer asks the fire brigade for advice; the brigade answers with a condition
through the link in its e-mail; the officer puts the dossier on the list of a college
meeting, with the permit's period and place and the brigade's condition taken over;
after the meeting the outcome of the list is recorded; the applicant downloads the
permit from the status page, and the page behind its QR code says "geldig". axe-core
checks the public pages (the brigade's page, the status page, the verification page).
"""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.utils import timezone

from cms.demo import load_demo
from dossiers import services, workflow
from dossiers.models import CollegeMeeting, Dossier, Notification, Permit
from forms_builder.models import ApplicationFormPage
from tests.e2e.test_applicant_journey import open_dossier_as_officer
from tests.e2e.test_thin_journey import click_and_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CONDITION = "Hou een doorgang van 4 meter vrij voor de brandweer."


def terrace_dossier() -> Dossier:
    """A terrace application of the demo, under review and declared complete."""
    form_page = ApplicationFormPage.objects.get(slug="aanvraag-terras")
    schema = form_page.get_schema()
    company, terrace, days = (step["id"] for step in schema["steps"])
    answers = {
        company: {"bedrijfsnaam": "Het Hoekje", "naam": "Jan Peeters", "email": "jan@hoekje.be"},
        terrace: {
            "adres": "Hoekstraat 1, 9999 Voorbeeld",
            "oppervlakte": 20,
            "startdatum": "2026-05-01",
            "soort": "Open terras",
            "opmerkingen": "",
        },
        days: {"dagen": 30},
    }
    dossier = services.submit_application(form_page=form_page, schema=schema, answers=answers)
    # The demo's terrace form also asks its fee before the permit (payment stage, see
    # test_permits.py::TestPaymentBeforeThePermit); this journey is about the college.
    dossier.stages = [stage for stage in dossier.stages if stage != "payment"]
    dossier.save(update_fields=["stages"])
    workflow.transition(dossier, "start_review")
    return workflow.transition(dossier, "declare_complete")


def test_advice_college_permit_and_its_check(live_server, new_page, axe, settings):
    load_demo()
    base = live_server.url
    settings.LOKET_BASE_URL = base
    settings.WAGTAILADMIN_BASE_URL = base
    dossier = terrace_dossier()
    meeting = CollegeMeeting.objects.filter(date__gt=timezone.localdate()).get()

    # --- the officer asks the fire brigade for advice --------------------------------
    officer = new_page()
    open_dossier_as_officer(officer, base, dossier.reference)
    ask = officer.locator("details.loket-advice-ask")
    ask.locator("summary").click()
    ask.get_by_label("de brandweerzone Voorbeeld").check()
    click_and_load(officer, ask.locator("button[type=submit]"))
    officer.locator(".messages .success").wait_for()

    # --- the brigade answers with a condition through its link -----------------------
    [asked] = Notification.objects.filter(kind="advice_requested")
    [link] = re.findall(r"/dossier/advies/\S+/", asked.body)
    brigade = new_page()
    brigade.goto(base + link)
    axe(brigade, "the brigade's page")
    brigade.get_by_label("Gunstig met voorwaarden").check()
    brigade.get_by_label("Voorwaarden en opmerkingen").fill(CONDITION)
    click_and_load(brigade, brigade.get_by_role("button", name="Verstuur uw advies"))
    assert "Bedankt voor uw advies" in brigade.content()

    # --- the officer puts the dossier on the college list ----------------------------
    officer.reload()
    proposal = officer.locator(f"form[action$='/college/{dossier.pk}/']")
    proposal.locator("select[name='college-meeting']").select_option(str(meeting.pk))
    proposal.get_by_label("Goedgekeurd").check()
    proposal.locator("textarea[name='college-decision']").fill("U mag het terras plaatsen.")
    today = timezone.localdate()
    proposal.locator("input[name=valid_from]").fill(today.isoformat())
    proposal.locator("input[name=valid_until]").fill(
        (today + datetime.timedelta(days=120)).isoformat()
    )
    proposal.locator("input[name=place]").fill("Hoekstraat 1, voor de gevel")
    proposal.locator("input[name=advice_conditions]").check()
    click_and_load(officer, proposal.locator("button[type=submit]"))
    officer.locator(".messages .success").wait_for()
    dossier.refresh_from_db()
    assert dossier.status == "college"

    # --- after the meeting, the outcome of the whole list ----------------------------
    # The demo has another proposal on this list: the college postpones it.
    later = CollegeMeeting.objects.create(date=meeting.date + datetime.timedelta(days=7))
    officer.goto(f"{base}/admin/dossiers/collegemeeting/inspect/{meeting.pk}/")
    for fieldset in officer.locator("fieldset[data-proposal]").all():
        outcome = "Goedgekeurd" if dossier.reference in fieldset.inner_text() else "Uitgesteld"
        fieldset.get_by_label(outcome).check()
    officer.locator("select[name=later_meeting]").select_option(str(later.pk))
    click_and_load(officer, officer.get_by_role("button", name="Uitkomst van de hele lijst"))
    officer.locator(".messages .success").wait_for()
    dossier.refresh_from_db()
    assert dossier.status == "approved"
    permit = Permit.objects.get(dossier=dossier)
    assert CONDITION in permit.conditions

    # --- the applicant downloads the permit ------------------------------------------
    applicant = new_page()
    applicant.goto(base + dossier.get_status_url())
    link = applicant.locator("main a[href$='/vergunning/']").first
    download = applicant.request.get(base + link.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF")
    deadline = time.monotonic() + 15
    while not dossier.attachments.filter(kind="decision_letter").exists():
        assert time.monotonic() < deadline, "the decision letter was made"
        time.sleep(0.5)
    applicant.reload()
    axe(applicant, "status page (permit issued)")

    # --- the page behind the QR code -------------------------------------------------
    check = new_page()
    response = check.goto(permit.get_absolute_verification_url())
    assert response.status == 200
    assert "Deze vergunning is geldig." in check.locator("main").inner_text()
    assert "Jan" not in check.locator("main").inner_text()
    axe(check, "permit verification page")
