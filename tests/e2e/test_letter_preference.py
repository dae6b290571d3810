"""A person's own choice of how letters reach them, and the delivery history on the
status page, in a real browser checked by axe-core (issue #22)."""

from __future__ import annotations

import pytest

from dossiers.correspondence import history
from dossiers.models import ContactPreference, DeliveryResult, LetterChannel, Notification
from tests.factories import DossierFactory

from .test_company_page import signed_in_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_choosing_paper_for_yourself(live_server, new_page, axe, home_page):
    base = live_server.url
    page = signed_in_page(new_page, base)
    page.goto(base + "/mijn-loket/")
    page.locator("a[data-letter-preference-link]").click()
    page.wait_for_url(base + "/mijn-loket/brieven/")
    main = page.locator("main")
    assert "U koos nog niet" in main.inner_text()
    axe(page, "letter preference")

    page.locator("input[name=channel][value=paper]").check()
    page.locator("textarea[name=postal_address]").fill("")
    page.locator("form[data-preference-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary a[href='#id_postal_address']").count() == 1
    axe(page, "letter preference with an error")

    page.locator("textarea[name=postal_address]").fill("An Peeters\nKerkstraat 3\n9000 Gent")
    page.locator("form[data-preference-form] button[type=submit]").click()
    page.wait_for_load_state()
    assert "Voortaan sturen we onze brieven op papier naar: An Peeters" in main.inner_text()
    choice = ContactPreference.objects.get(email="an@cafedemarkt.be")
    assert (choice.channel, choice.given_via) == ("paper", "Mijn loket")
    axe(page, "letter preference after saving")


def test_the_status_page_says_how_the_letters_went(live_server, new_page, axe, home_page):
    dossier = DossierFactory(applicant_email="an@cafedemarkt.be")
    question = Notification.objects.create(
        dossier=dossier,
        kind="message_to_applicant",
        recipient="an@cafedemarkt.be",
        subject="Een vraag over uw aanvraag",
        body="Welk plan?",
    )
    for result in (DeliveryResult.WAITING_FOR_PRINT, DeliveryResult.POSTED):
        history.record(
            dossier_id=dossier.pk,
            channel=LetterChannel.PAPER,
            result=result,
            notification=question,
        )
    page = new_page()
    page.goto(live_server.url + dossier.get_status_url())
    section = page.locator("section[aria-labelledby=deliveries-title]")
    assert "Een vraag over uw aanvraag" in section.inner_text()
    assert "gedrukt en op de post gedaan" in section.inner_text()
    axe(page, "status page with the delivery history")
