"""The public site of the demo municipality in a real browser.

axe-core checks every page type (WCAG 2.1 AA) at 320 px wide, where nothing may need
horizontal scrolling; then an applicant completes a whole form and the guided finder
with the keyboard only.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.template.loader import render_to_string

from cms.demo import load_demo
from cms.models import FinderPage, ServicePage, TopicPage
from forms_builder.models import ApplicationFormPage

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def phone_page(new_page):
    """A page 320 px wide: the narrowest screen the site supports."""
    return new_page(viewport=PHONE)


@pytest.fixture
def demo_site(live_server):
    load_demo()
    return live_server.url


def visit(page, url: str, status: int = 200):
    response = page.goto(url)
    assert response is not None and response.status == status, (
        f"GET {url} answered HTTP {response.status if response else '?'}"
    )
    return response


def assert_fits_the_screen(page, what: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        too_wide = page.evaluate(
            """(viewport) => [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > viewport)
                .map((el) => `${el.tagName.toLowerCase()}.${el.className}`).slice(0, 5)""",
            viewport,
        )
        pytest.fail(f"{what} is {width}px wide on a {viewport}px screen: {too_wide}")


def check_page(page, axe, what: str) -> None:
    axe(page, what)
    assert_fits_the_screen(page, what)


def click_and_load(page, locator) -> None:
    with page.expect_navigation() as navigation:
        locator.click()
    response = navigation.value
    assert response is not None and response.status < 400, response and response.url


def test_every_page_type_is_accessible_on_a_phone(demo_site, phone_page, axe):
    page = phone_page
    home = demo_site

    visit(page, home + "/")
    check_page(page, axe, "home page")

    topic = TopicPage.objects.get(slug="ondernemen-in-het-centrum")
    visit(page, home + topic.url)
    check_page(page, axe, "topic page")

    for service in ServicePage.objects.live():
        visit(page, home + service.url)
        check_page(page, axe, f"service page {service.title}")

    visit(page, home + "/contact/")
    check_page(page, axe, "contact page")
    visit(page, home + "/toegankelijkheid/")
    check_page(page, axe, "information page")

    # Search: results with calls to action and FAQ, and nothing found.
    visit(page, home + "/zoeken/?q=terras")
    assert page.locator(".search-result").count() >= 1
    check_page(page, axe, "search results")
    visit(page, home + "/zoeken/?q=xyzzy")
    check_page(page, axe, "search without results")
    visit(page, home + "/zoeken/")
    check_page(page, axe, "search page")

    # The finder: start, a question, the same question with an error, the result.
    finder = FinderPage.objects.get()
    visit(page, home + finder.url)
    check_page(page, axe, "finder start")
    click_and_load(page, page.locator("main a.button--start"))
    check_page(page, axe, "finder question")
    click_and_load(page, page.locator("main button[name=verder]"))
    assert page.locator(".error-summary").count() == 1
    check_page(page, axe, "finder question with an error")
    page.get_by_label("Een winkel openen in het centrum").check()
    click_and_load(page, page.locator("main button[name=verder]"))
    page.get_by_label("Ja", exact=True).check()
    click_and_load(page, page.locator("main button[name=verder]"))
    page.get_by_label("Ja, allebei").check()
    click_and_load(page, page.locator("main button[name=verder]"))
    assert "/resultaat/" in page.url
    check_page(page, axe, "finder result")

    # The first step of every form, and one with errors.
    for form in ApplicationFormPage.objects.live():
        visit(page, home + form.url + "stap/1/")
        check_page(page, axe, f"first step of {form.title}")
    visit(page, home + ApplicationFormPage.objects.get(slug="aanvraag-evenement").url)
    click_and_load(
        page,
        page.locator(
            "main form button[type=submit]:not([name=save_draft])"
            ":not([name=lookup_company]):not(.visually-hidden)"
        ),
    )
    assert page.locator(".error-summary a").count() >= 3
    check_page(page, axe, "a form step with errors")

    visit(page, home + "/bestaat-niet/", status=404)
    check_page(page, axe, "404 page")

    # The 500 page is rendered without a request; show it as the server would.
    page.set_content(render_to_string("500.html"))
    page.wait_for_load_state()
    check_page(page, axe, "500 page")


# --- keyboard only -----------------------------------------------------------------------


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
            return {tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '',
                    text: (el.innerText || el.value || '').trim(), label: label.trim(),
                    id: el.id};
        }"""
    )


def tab_to(page, matches, *, limit: int = 80, backwards: bool = False) -> dict:
    """Press Tab until the focused element matches; fail when it is never reached."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        element = focused(page)
        if matches(element):
            return element
        seen.append(f"{element['tag']}[{element['name'] or element['text'][:30]}]")
    pytest.fail("never reached by keyboard; focus went " + " → ".join(seen), pytrace=False)


def by_label(text: str):
    return lambda element: element["label"] == text


def by_text(text: str):
    return lambda element: element["text"] == text


def same_day_and_month_after(start: datetime.date) -> datetime.date:
    """The first date from ``start`` whose day and month are equal (12/12): typed into a
    date input it means the same whether the browser orders day-month or month-day."""
    day = start
    while day.day != day.month:
        day += datetime.timedelta(days=1)
    return day


def press_and_load(page, key: str = "Enter") -> None:
    with page.expect_navigation() as navigation:
        page.keyboard.press(key)
    response = navigation.value
    assert response is not None and response.status < 400, response and response.url


def test_keyboard_only_the_finder(demo_site, new_page):
    page = new_page()
    visit(page, demo_site + "/")

    tab_to(page, lambda e: e["tag"] == "a" and "Beantwoord" in e["text"])
    press_and_load(page)
    tab_to(
        page,
        lambda e: (
            e["tag"] == "a"
            and "button--start" in page.evaluate("() => document.activeElement.className")
        ),
    )
    press_and_load(page)
    assert page.locator("h1").inner_text() == "Wat wilt u doen?"

    # Into the radio group, down to the fifth answer, then to the button.
    tab_to(page, lambda e: e["type"] == "radio")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert focused(page)["label"] == "Een winkel openen in het centrum"
    tab_to(page, lambda e: e["name"] == "verder")
    press_and_load(page)
    assert page.locator("h1").inner_text() == "Stond het pand minstens 6 maanden leeg?"

    tab_to(page, lambda e: e["type"] == "radio")
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["name"] == "verder")
    press_and_load(page)

    # Back to the previous question with the back link; the answer is still chosen.
    tab_to(page, lambda e: e["tag"] == "a" and "Terug" in e["text"])
    press_and_load(page)
    assert page.locator("h1").inner_text() == "Stond het pand minstens 6 maanden leeg?"
    assert page.get_by_label("Ja", exact=True).is_checked()
    tab_to(page, lambda e: e["name"] == "verder")
    press_and_load(page)

    assert page.locator("h1").inner_text() == "Wilt u de gevel opknappen of een uithangbord hangen?"
    tab_to(page, lambda e: e["type"] == "radio")
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["name"] == "verder")
    press_and_load(page)

    assert "/resultaat/" in page.url
    recommended = page.locator(".card__title").all_inner_texts()
    assert recommended == [
        "Startpremie voor een winkel in het centrum",
        "Premie voor de renovatie van uw gevel",
        "Uithangbord of reclame plaatsen",
    ]
    # The call to action of a recommended service opens its form.
    tab_to(page, lambda e: e["tag"] == "a" and e["text"] == "Startpremie aanvragen")
    press_and_load(page)
    assert re.search(r"/aanvraag-startpremie/stap/1/$", page.url)


def test_keyboard_only_a_whole_form(demo_site, new_page):
    page = new_page()
    service = ServicePage.objects.get(slug="vraag-aan-het-loket")
    visit(page, demo_site + service.url)

    tab_to(page, lambda e: e["tag"] == "a" and e["text"] == "Vraag stellen")
    press_and_load(page)
    page.wait_for_url(re.compile(r"/stap/1/$"))

    # Step 1: a select, a text, a yes/no that reveals two more questions.
    tab_to(page, by_label("Waarover gaat uw vraag?"))
    page.keyboard.type("Verg")  # a closed select jumps to the option typed
    assert page.get_by_label("Waarover gaat uw vraag?").input_value() == "Vergunningen"
    tab_to(page, by_label("Uw vraag"))
    page.keyboard.type("Mag ik een frietkraam zetten op de markt?")
    tab_to(page, lambda e: e["type"] == "radio" and e["name"].endswith("afspraak"))
    page.keyboard.press("Space")  # the first option: yes
    day = same_day_and_month_after(datetime.date.today() + datetime.timedelta(days=1))
    tab_to(page, by_label("Welke dag past voor u?"))
    page.keyboard.type(day.strftime("%d%m%Y"))
    assert page.get_by_label("Welke dag past voor u?").input_value() == day.isoformat()
    tab_to(page, by_label("Dinsdagavond"))
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["tag"] == "button" and e["name"] != "save_draft")
    press_and_load(page)
    page.wait_for_url(re.compile(r"/stap/2/$"))

    # Step 2: a mistake first, then corrected from the error summary.
    tab_to(page, by_label("Uw naam"))
    page.keyboard.type("Nora Claes")
    tab_to(page, by_label("Uw e-mailadres"))
    page.keyboard.type("nora-zonder-apenstaartje")
    press_and_load(page)
    summary_link = page.locator(".error-summary a")
    assert summary_link.count() == 1
    tab_to(page, lambda e: e["tag"] == "a" and "e-mailadres" in e["text"])
    page.keyboard.press("Enter")
    assert focused(page)["label"] == "Uw e-mailadres"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("nora@bonnetasse.be")
    press_and_load(page)
    # The link of the error summary left a #fragment, which the browser keeps.
    page.wait_for_url(re.compile(r"/controleren/(#.*)?$"))

    # Check your answers: tick the declaration and submit.
    assert "Dinsdagavond" in page.locator("main").inner_text()
    tab_to(page, lambda e: e["type"] == "checkbox")
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["tag"] == "button")
    press_and_load(page)
    page.wait_for_url(re.compile(r"/bevestiging/(#.*)?$"))
    assert re.fullmatch(r"VRG-\d{4}-\d{5}", page.locator(".reference").inner_text().strip())
