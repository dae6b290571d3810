"""The assistant in a real browser, under the site's strict Content-Security-Policy: a
visitor asks with the keyboard only on the home page, hears the answers (aria-live), and
goes to the desk with the conversation filled in; the chat on a service page; and the
plain page of answers without JavaScript. axe checks each state (WCAG 2.1 AA)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from cms.demo import load_demo
from cms.models import ServicePage

from .test_public_site import focused, press_and_load, tab_to, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUESTION_LABEL = "Stel een vraag aan de assistent"


@pytest.fixture
def demo_site(live_server):
    load_demo()
    return live_server.url


def ask_with_the_keyboard(page, question: str, turns_before: int) -> None:
    """Type ``question`` into the focused question box, press Enter, and wait for the
    answer to be added to the conversation."""
    assert focused(page)["label"] == QUESTION_LABEL
    page.keyboard.type(question)
    page.keyboard.press("Enter")
    page.locator(".assistant-turn").nth(turns_before).wait_for()


def test_keyboard_only_a_conversation_that_ends_at_the_desk(demo_site, new_page, axe):
    page = new_page()
    visit(page, demo_site + "/")
    region = page.locator("section.assistant-promo [data-assistant-answer]")
    assert region.get_attribute("aria-live") == "polite"

    tab_to(page, lambda e: e["label"] == QUESTION_LABEL)
    ask_with_the_keyboard(page, "mag ik een terras zetten voor mijn frituur?", 0)
    # The visitor stays on the home page; the answer quotes the terrace service.
    assert urlsplit(page.url).path == "/"
    first = region.locator(".assistant-turn").nth(0)
    assert "Uw vraag: “mag ik een terras zetten voor mijn frituur?”" in first.inner_text()
    assert first.locator("a", has_text="Terrasvergunning").count() >= 1
    assert first.locator("blockquote").count() >= 1
    # Ready for the next question: the box is empty and keeps the focus.
    assert focused(page) == {**focused(page), "label": QUESTION_LABEL, "text": ""}
    axe(page, "the home page with an answer of the assistant")

    ask_with_the_keyboard(page, "wanneer wordt het restafval opgehaald", 1)
    second = region.locator(".assistant-turn").nth(1)
    assert "Dat weet ik niet" in second.inner_text()
    assert region.locator(".assistant-turn").count() == 2
    axe(page, "the home page with a refusal of the assistant")

    # The way to a person carries the whole conversation, also from the first answer.
    desk = second.locator("[data-assistant-desk]")
    href = desk.get_attribute("href")
    assert first.locator("[data-assistant-desk]").get_attribute("href") == href
    text = parse_qs(urlsplit(href).query)["vraag"][0]
    assert "- mag ik een terras zetten voor mijn frituur?" in text
    assert "- wanneer wordt het restafval opgehaald" in text

    tab_to(page, lambda e: e["tag"] == "a" and e["text"].startswith("Stel uw vraag aan een"))
    press_and_load(page)
    page.wait_for_url(re.compile(r"/stap/1/\?"))
    question_box = page.get_by_label("Uw vraag", exact=True)
    assert question_box.input_value() == text
    axe(page, "the desk's form with the conversation filled in")


def test_the_chat_on_a_service_page(demo_site, new_page, axe):
    page = new_page()
    service = ServicePage.objects.get(slug="evenementenvergunning")
    visit(page, demo_site + service.url)
    box = page.locator("#service-assistant")
    box.focus()
    ask_with_the_keyboard(page, "kan ik nadarhekken lenen", 0)
    turn = page.locator(".assistant-turn").first
    assert turn.locator("a", has_text="evenement").count() >= 1
    assert urlsplit(page.url).path == service.url
    axe(page, "a service page with an answer of the assistant")


def test_without_javascript_the_form_opens_a_page_of_answers(demo_site, new_page, axe):
    page = new_page(java_script_enabled=False)
    visit(page, demo_site + "/")
    page.locator("#home-assistant").fill("wat kost een reclamevergunning?")
    with page.expect_navigation():
        page.locator("#home-assistant").press("Enter")
    assert urlsplit(page.url).path == "/assistent/"
    assert page.locator("h1").inner_text() == "Stel uw vraag"
    answer = page.locator("[data-assistant-answer] .assistant-turn")
    assert "Dit staat er op onze website over:" in answer.inner_text()
    assert answer.locator("a", has_text="Reclame").count() >= 1
    # The next question takes this one along, for the link to the desk.
    assert page.locator("input[type=hidden][name=eerder]").get_attribute("value") == (
        "wat kost een reclamevergunning?"
    )
    # axe needs JavaScript itself: it checks the same page of answers in a page that has it.
    checked = new_page()
    visit(checked, page.url)
    axe(checked, "the page of answers")
