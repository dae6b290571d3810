"""The advice party's page in a real browser: axe-core (WCAG 2.1 AA) on the page and on
its error summary, at 320 px wide; answering with JavaScript switched off."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from dossiers import services, workflow
from dossiers.advice import services as advice
from dossiers.models import AdviceParty, AdviceRequest, Notification
from tests.conftest import make_form_page
from tests.dossiers.conftest import make_team, make_user
from tests.factories import terrace_answers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def advice_link(home_page):
    team = make_team("Economie")
    form_page = make_form_page(home_page, team=team)
    form_page.stages = ["advice"]
    form_page.save()
    officer = make_user("behandelaar", team.group)
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    workflow.transition(dossier, "start_review", actor=officer)
    brigade = AdviceParty.objects.create(name="de brandweer", email="advies@brandweer.be")
    fields = [value for value, _label in advice.shareable_fields(dossier)][:3]
    advice.ask(
        dossier,
        officer,
        [brigade],
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        question="Is de doorgang voor de brandweer breed genoeg?",
        fields=fields,
    )
    [notification] = Notification.objects.filter(kind="advice_requested")
    [path] = re.findall(r"/dossier/advies/\S+/", notification.body)
    return path


def test_answer_page_has_no_violations_and_fits_a_phone(new_page, live_server, advice_link, axe):
    page = new_page(viewport=PHONE)

    page.goto(live_server.url + advice_link)
    axe(page, "advice party's page")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_label("Gunstig met voorwaarden").check()
    page.get_by_role("button", name="Verstuur uw advies").click()
    assert page.locator(".error-summary").is_visible()
    axe(page, "advice party's page with an error")


def test_answering_works_without_javascript(new_page, live_server, advice_link):
    page = new_page(java_script_enabled=False)

    page.goto(live_server.url + advice_link)
    page.get_by_label("Gunstig met voorwaarden").check()
    page.get_by_label("Voorwaarden en opmerkingen").fill("Doorgang van 4 meter vrijhouden.")
    page.get_by_role("button", name="Verstuur uw advies").click()

    assert "Bedankt voor uw advies" in page.content()
    answered = AdviceRequest.objects.get()
    assert (answered.verdict, answered.conditions) == (
        "conditional",
        "Doorgang van 4 meter vrijhouden.",
    )
