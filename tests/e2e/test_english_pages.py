"""The demo's translated terrace service and form, read in English in a real browser:
axe-core (WCAG 2.1 AA, including lang attributes) on the service page and the wizard's
steps, and an application sent in English is stored with the Dutch option
(issue #14, item 25)."""

from __future__ import annotations

import pytest

from cms.demo import load_demo
from cms.models import ServicePage
from dossiers.models import Dossier

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_site(live_server):
    load_demo()
    return live_server.url


def dutch_marked(page, selector: str = "main [lang='nl']") -> list[str]:
    """The texts on the page marked Dutch (inside the English page)."""
    return page.eval_on_selector_all(
        selector, "(elements) => elements.map((el) => el.textContent.trim())"
    )


def test_an_english_visitor_reads_the_terrace_service_and_applies_in_english(
    demo_site, new_page, axe
):
    page = new_page()
    service = ServicePage.objects.get(slug="terrasvergunning", title_en__gt="")
    page.goto(demo_site + service.url)
    assert page.locator("h1").inner_text() == "Terrasvergunning aanvragen"
    # The footer's language link: the same page in English.
    page.locator(".language-switch a[lang='en']").click()
    page.wait_for_function("document.documentElement.lang === 'en'")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Apply for a terrace permit"
    assert page.locator(".language-notice").count() == 0
    # Only the links to what is not translated (the related services, the kinds of
    # appointment) stay Dutch, marked so.
    assert dutch_marked(page, "main [lang='nl']:not(ul a)") == []
    assert "Uw vergunning bespreken" in dutch_marked(page)
    axe(page, "the translated terrace service in English")

    page.locator("a.button--start").click()
    page.wait_for_url("**/stap/1/")
    assert page.locator("h1").inner_text() == "Your business"
    assert page.locator("p.caption").inner_text() == "Terrace permit application"
    assert page.get_by_label("Name of the business").count() == 1
    assert dutch_marked(page) == []
    axe(page, "the terrace form's first step in English")

    # Sent empty: the error summary and messages are English, the page still accessible.
    page.get_by_role("button", name="Next", exact=True).click()
    page.locator(".error-summary").wait_for()
    assert "Enter name of the business" in page.locator(".error-summary").inner_text()
    axe(page, "the terrace form's first step in English, with errors")

    page.get_by_label("Name of the business").fill("Café De Markt")
    page.get_by_label("Your name", exact=True).fill("An Peeters")
    page.get_by_label("Your e-mail address").fill("an@cafedemarkt.be")
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_url("**/stap/2/")
    assert page.locator("h1").inner_text() == "Your terrace"
    assert page.locator("legend", has_text="Kind of terrace").count() == 1
    assert dutch_marked(page) == []
    axe(page, "the terrace form's second step in English (options)")

    page.get_by_label("Address of the business").fill("Markt 1, 9999 Voorbeeld")
    page.get_by_label("Size of the terrace (m²)").fill("24")
    page.get_by_label("From when do you want to put the terrace outside?").fill("2027-04-01")
    page.get_by_label("Terrace with windscreens").check()
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_url("**/stap/3/")
    assert page.locator("h1").inner_text() == "Where and how long?"
    page.get_by_label("How many days does the terrace stand outside?").fill("30")
    page.get_by_role("button", name="Next", exact=True).click()
    page.wait_for_url("**/controleren/")
    assert page.get_by_text("Terrace with windscreens").count() == 1
    axe(page, "the terrace form's check page in English")

    before = set(Dossier.objects.values_list("pk", flat=True))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/bevestiging/")
    assert "Thank you. We will look at your application" in page.locator("main").inner_text()
    axe(page, "the terrace form's confirmation in English")
    [dossier] = Dossier.objects.exclude(pk__in=before)
    answers = {name: value for step in dossier.answers.values() for name, value in step.items()}
    assert answers["soort"] == "Terras met windschermen"


def test_an_english_visitor_reads_the_home_and_topic_pages(demo_site, new_page, axe):
    """The translated home page and permits topic read in English; an untranslated topic
    says it is only in Dutch and marks its Dutch text; axe on all three."""
    page = new_page()
    page.goto(demo_site + "/")
    page.locator(".language-switch a[lang='en']").click()
    page.wait_for_function("document.documentElement.lang === 'en'")

    assert page.locator("h1").inner_text() == "Business desk"
    assert "Everything for businesses" in page.locator("main").inner_text()
    # The announcements are not translated: Dutch, marked so, and the page says so.
    assert page.locator(".language-notice").inner_text() == (
        "Parts of this page are only available in Dutch."
    )
    assert any("startpremie" in text for text in dutch_marked(page))
    axe(page, "the home page in English, announcements in Dutch")

    page.goto(demo_site + "/vergunningen/")
    assert page.locator("h1").inner_text() == "Permits"
    assert "Which permit do I need?" in page.locator("main").inner_text()
    assert page.title().startswith("Permits")
    axe(page, "the translated permits topic in English")

    page.goto(demo_site + "/starten/")
    assert page.locator("h1").inner_text() == "Starten"
    assert page.locator("h1").get_attribute("lang") == "nl" or "Starten" in dutch_marked(
        page, "[lang='nl']"
    )
    assert page.locator(".language-notice").inner_text() == (
        "This page is only available in Dutch."
    )
    axe(page, "an untranslated topic in English")
