"""Paying online in a real browser (issue #17): the applicant presses "Nu online
betalen" on the status page, pays in the test provider's checkout, and the status page
says "Betaald"; a failed payment says so and offers to try again. axe-core on the
checkout and on the status page in each state. (The forms are plain HTML forms; the
Django test client walks the same way without a browser in
tests/dossiers/test_online_payments.py.)"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dossiers import services
from dossiers.constants import PaymentStatus
from dossiers.models import PaymentRequest
from dossiers.payments import services as payments
from tests.conftest import make_form_page
from tests.dossiers.conftest import make_team, make_user
from tests.dossiers.online_builders import set_account
from tests.factories import terrace_answers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def dossier(home_page, settings):
    settings.LOKET_PAYMENT_PROVIDER = "test"
    settings.LOKET_TEST_PAYMENTS = {}
    set_account()
    team = make_team("Economie")
    form_page = make_form_page(home_page, team=team)
    officer = make_user("behandelaar", team.group)
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema)
    )
    dossier.team = team
    dossier.amount_due = Decimal("150.00")
    dossier.save()
    payments.request_payment(dossier, officer)
    return dossier


def pay_online_button(page):
    return page.get_by_role("button", name="Nu online betalen")


def test_the_applicant_pays_in_the_checkout_and_sees_paid(new_page, live_server, dossier, axe):
    page = new_page()
    page.goto(live_server.url + dossier.get_status_url())
    axe(page, "status page with a payment request and the online button")

    pay_online_button(page).click()
    page.wait_for_url("**/betalen/test/**")
    assert page.get_by_role("heading", name="Testbetaling").is_visible()
    assert "€ 150,00" in page.content()
    axe(page, "the test provider's checkout")

    page.get_by_role("button", name="Betalen", exact=True).click()
    page.wait_for_url("**" + dossier.get_status_url() + "**")

    paid = page.locator('[data-payment-state="paid"]')
    assert paid.is_visible()
    assert "Betaald" in paid.inner_text()
    assert pay_online_button(page).count() == 0
    axe(page, "status page after paying online")
    assert PaymentRequest.objects.get(dossier=dossier).status == PaymentStatus.PAID


def test_a_failed_payment_says_so_and_can_be_tried_again(new_page, live_server, dossier, axe):
    page = new_page()
    page.goto(live_server.url + dossier.get_status_url())
    pay_online_button(page).click()
    page.get_by_role("button", name="Betaling laten mislukken").click()
    page.wait_for_url("**" + dossier.get_status_url() + "**")

    assert page.get_by_text("De online betaling is niet gelukt.").is_visible()
    axe(page, "status page after a failed online payment")

    page.get_by_role("button", name="Opnieuw online betalen").click()
    page.get_by_role("button", name="Betalen", exact=True).click()
    page.wait_for_url("**" + dossier.get_status_url() + "**")
    assert page.locator('[data-payment-state="paid"]').is_visible()


@pytest.fixture
def prepaid_dossier(home_page, settings):
    """An application of a form paid when submitting, sent and waiting for its fee."""
    from tests.dossiers.test_calculations_on_dossiers import FEE

    settings.LOKET_PAYMENT_PROVIDER = "test"
    settings.LOKET_TEST_PAYMENTS = {}
    set_account()
    form_page = make_form_page(home_page, team=make_team("Economie"))
    form_page.calculations = [FEE]
    form_page.stages = ["prepayment"]
    form_page.save()
    schema = form_page.get_schema()
    dossier = services.submit_application(
        form_page=form_page, schema=schema, answers=terrace_answers(schema, oppervlakte=24)
    )
    assert dossier.status == "awaiting_payment"
    return dossier


def test_paying_when_submitting_fails_once_then_sends_the_application(
    new_page, live_server, prepaid_dossier, axe
):
    page = new_page()
    page.goto(live_server.url + prepaid_dossier.get_status_url())
    assert page.get_by_role("heading", name="Betaal om uw aanvraag te versturen").is_visible()
    assert "€ 72,00" in page.content()
    axe(page, "the page of an application waiting for its fee")

    pay_online_button(page).click()
    page.get_by_role("button", name="Betaling laten mislukken").click()
    page.wait_for_url("**" + prepaid_dossier.get_status_url() + "**")
    assert page.get_by_text("De online betaling is niet gelukt.").is_visible()
    axe(page, "the same page after a failed payment")

    page.get_by_role("button", name="Opnieuw online betalen").click()
    page.get_by_role("button", name="Betalen", exact=True).click()
    page.wait_for_url("**" + prepaid_dossier.get_status_url() + "**")
    assert page.get_by_text("U hebt uw aanvraag ingediend.").is_visible()
    axe(page, "the status page of the application sent once paid")
    prepaid_dossier.refresh_from_db()
    assert prepaid_dossier.status == "submitted"
