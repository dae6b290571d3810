"""Mijn loket in a real browser: the demo applicant asks for a sign-in link, opens it
from the e-mail, confirms, and finds their dossiers, the one waiting for them, their
unfinished form and their company details prefilled in a new form. axe-core checks
every page of the way against WCAG 2.1 AA.
"""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail

from cms.demo import DEMO_APPLICANT, load_demo
from dossiers.constants import Status
from dossiers.models import Dossier
from forms_builder.models import ApplicationFormPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMPANY, NAME, EMAIL = DEMO_APPLICANT
LINK_RE = re.compile(r"https?://[^/\s]+(?P<path>/mijn-loket/aanmelden/[A-Za-z0-9_-]+/\S*)")


def wait_for_link(email: str, timeout: float = 5.0) -> str:
    """The path of the newest sign-in link e-mailed to ``email``: the mail is sent after
    commit, in the live server's thread."""
    deadline = time.monotonic() + timeout
    while True:
        messages = [message for message in mail.outbox if message.to == [email]]
        if messages or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert messages, f"no sign-in e-mail to {email}"
    match = LINK_RE.search(messages[-1].body)
    assert match, messages[-1].body
    return match.group("path")


def click_and_load(page, locator) -> None:
    """Click ``locator`` and wait for the page it leads to, which must not be an error."""
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, (
        f"{response.request.method} {response.url} answered HTTP {response.status}"
    )


def test_applicant_signs_in_with_an_email_link_and_sees_their_dossiers(live_server, new_page, axe):
    load_demo()
    base = live_server.url
    mine = Dossier.objects.filter(applicant_email__iexact=EMAIL)
    assert mine.count() >= 3, "the demo applicant has several dossiers"
    waiting = mine.get(status=Status.INFO_REQUESTED)

    applicant = new_page()
    applicant.goto(base + "/")
    click_and_load(applicant, applicant.locator("header a[href='/mijn-loket/']"))
    assert applicant.url.startswith(base + "/mijn-loket/aanmelden/")
    axe(applicant, "sign-in page")

    # A mistake first: the error summary links to the field.
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))
    assert applicant.locator(".error-summary a[href='#id_email']").count() == 1
    axe(applicant, "sign-in page with an error")

    applicant.locator("input[name=email]").fill(EMAIL.upper())
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))
    assert EMAIL in applicant.locator("main").inner_text()
    axe(applicant, "check-your-mailbox page")

    link = wait_for_link(EMAIL)
    applicant.goto(base + link)
    assert applicant.locator("main form[method=post] button[type=submit]").count() == 1
    axe(applicant, "confirm page")
    click_and_load(applicant, applicant.locator("main form button[type=submit]"))
    assert applicant.url == base + "/mijn-loket/"

    cards = applicant.locator("[data-dossiers] > li")
    assert cards.count() == mine.count()
    assert {cards.nth(i).get_attribute("data-reference") for i in range(cards.count())} == set(
        mine.values_list("reference", flat=True)
    )
    banner = applicant.locator("[data-action-needed]")
    assert waiting.reference in banner.inner_text()
    assert applicant.locator("[data-drafts] > li").count() == 1
    axe(applicant, "Mijn loket overview")

    # The status page of a dossier is one click away.
    click_and_load(applicant, banner.locator("a").first)
    assert applicant.url == base + waiting.get_status_url()
    applicant.go_back()

    # The unfinished form continues where it was left.
    click_and_load(applicant, applicant.locator("[data-drafts] a.button"))
    assert re.search(r"/stap/2/$", applicant.url), applicant.url

    # A new form comes with the company details filled in, and they can be changed.
    terrace = ApplicationFormPage.objects.get(reference_prefix="TER")
    applicant.goto(base + terrace.url + "stap/1/")
    company_input = applicant.locator("input[name='1-bedrijfsnaam']")
    assert company_input.input_value() == COMPANY
    assert applicant.locator("input[name='1-email']").input_value() == EMAIL
    company_input.fill("Bakkerij Van Damme & Zonen")
    assert company_input.input_value() == "Bakkerij Van Damme & Zonen"

    # The link worked once: in another browser it no longer does.
    other = new_page()
    response = other.goto(base + link)
    assert response.status == 404
    assert other.locator("main a[href='/mijn-loket/aanmelden/']").count() >= 1
    axe(other, "used link page")

    # Signing out ends it.
    applicant.goto(base + "/mijn-loket/")
    click_and_load(applicant, applicant.locator("main form[action='/mijn-loket/afmelden/'] button"))
    applicant.goto(base + "/mijn-loket/")
    assert applicant.url.startswith(base + "/mijn-loket/aanmelden/")
