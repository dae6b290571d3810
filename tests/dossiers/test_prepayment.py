"""Payment when submitting (issue #17): the applicant pays the form's fee online as the
last step; the application waits, out of every officer's sight, until paid; a failed or
abandoned payment loses nothing; a webhook before the browser and a double click send
it once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dossiers import permissions
from dossiers import services as dossier_services
from dossiers.constants import EventType, OnlinePaymentStatus, PaymentStatus, Status
from dossiers.models import Dossier, Event, Notification, OnlinePayment, SimulatedCheckout
from dossiers.payments import online, prepayment
from dossiers.payments import services as payments
from dossiers.payments.tasks import expire_unpaid_applications
from dossiers.workflow import FINAL_STATUSES
from tests.dossiers.online_builders import (
    set_account,
    signed_webhook,
    test_provider,  # noqa: F401 - a fixture
)
from tests.dossiers.test_calculations_on_dossiers import FEE
from tests.factories import terrace_answers
from tests.forms_builder.test_wizard import COMPANY, TERRACE, Applicant

pytestmark = pytest.mark.django_db

WEBHOOK = "/betalen/webhook/test/"
#: The fee of the terrace form for 24 m²: max(25, 0.30 * 24 * 10).
AMOUNT = Decimal("72.00")


@pytest.fixture
def terrace(form_page, economy, test_provider):  # noqa: F811
    set_account()
    form_page.team = economy
    form_page.calculations = [FEE]
    form_page.stages = ["prepayment"]
    form_page.save_revision().publish()
    form_page.refresh_from_db()
    return form_page


def send_form(client, page) -> Applicant:
    applicant = Applicant(client, page)
    applicant.open()
    applicant.answer(COMPANY)
    applicant.answer(TERRACE)
    return applicant


def start_url(dossier) -> str:
    return reverse(
        "dossiers:online_payment",
        kwargs={"public_id": dossier.public_id, "key": dossier.access_key},
    )


def submitted_events(dossier):
    return Event.objects.filter(dossier=dossier, type=EventType.SUBMITTED)


class TestSending:
    def test_the_check_page_says_the_fee_is_paid_first(self, client, terrace):
        applicant = send_form(client, terrace)
        content = applicant.response.content.decode()
        assert "data-pays-first" in content
        assert "€ 72,00" in content

    def test_sending_keeps_the_answers_and_leads_to_paying_only(self, client, terrace, officer):
        applicant = send_form(client, terrace)
        response = applicant.submit()

        dossier = Dossier.objects.get()
        assert dossier.status == Status.AWAITING_PAYMENT
        assert dossier.answers and dossier.amount_due == AMOUNT
        # The confirmation page leads to the page that asks to pay, behind the link.
        assert response.redirect_chain[-1][0] == dossier.get_status_url()
        assert "dossiers/payments/pay_to_submit.html" in [t.name for t in response.templates]
        content = response.content.decode()
        assert "€ 72,00" in content
        assert start_url(dossier) in content
        [fee] = dossier.payment_requests.all()
        assert (fee.amount, fee.status) == (AMOUNT, PaymentStatus.OPEN)
        # Not sent: no "submitted" event, no e-mail, in nobody's inbox.
        assert not submitted_events(dossier).exists()
        assert not Notification.objects.exists()
        assert mail.outbox == []
        assert not permissions.visible_dossiers(officer).exists()
        client.force_login(officer)
        inbox = client.get(reverse("dossiers_dossier_modeladmin_index"))
        assert dossier.reference not in inbox.content.decode()

    def test_a_double_click_on_send_makes_one_application(self, client, terrace):
        applicant = send_form(client, terrace)
        path = applicant.path
        client.post(path, {})
        client.post(path, {})
        assert Dossier.objects.count() == 1
        assert Dossier.objects.get().payment_requests.count() == 1

    def test_without_a_payment_provider_the_application_is_sent_at_once(
        self, client, terrace, settings
    ):
        settings.LOKET_PAYMENT_PROVIDER = ""
        applicant = send_form(client, terrace)
        assert "data-pays-first" not in applicant.response.content.decode()
        applicant.submit()
        dossier = Dossier.objects.get()
        assert dossier.status == Status.SUBMITTED
        assert not dossier.payment_requests.exists()
        assert submitted_events(dossier).count() == 1

    def test_a_form_without_the_stage_or_without_a_fee_is_sent_at_once(self, terrace):
        schema = terrace.get_schema()
        free = dossier_services.submit_application(
            form_page=terrace,
            schema=schema,
            answers=terrace_answers(schema),
            amount_due=None,
            calculations={},
        )
        assert free.status == Status.SUBMITTED
        assert prepayment.needed(["payment"], AMOUNT) is False
        assert prepayment.needed(["prepayment"], Decimal("0.00")) is False
        assert prepayment.needed(["prepayment"], AMOUNT) is True


@pytest.fixture
def waiting(client, terrace):
    send_form(client, terrace).submit()
    dossier = Dossier.objects.get()
    mail.outbox.clear()
    return dossier


def assert_sent_once(dossier):
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    [event] = submitted_events(dossier)
    assert event.public
    kinds = sorted(Notification.objects.filter(dossier=dossier).values_list("kind", flat=True))
    assert kinds.count("application_received") == 1
    assert kinds.count("payment_received") == 1
    [fee] = dossier.payment_requests.all()
    assert fee.status == PaymentStatus.PAID


class TestPaying:
    def test_paying_in_the_checkout_sends_the_application(
        self, client, waiting, officer, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(start_url(waiting), {"amount": "0.01"})
            checkout_url = response.url
            # The amount is the fee's, whatever the browser posts.
            assert OnlinePayment.objects.get().amount == AMOUNT
            assert SimulatedCheckout.objects.get().amount == AMOUNT
            back = client.post(checkout_url, {"action": "pay"})
            page = client.get(back.url, follow=True)

        assert_sent_once(waiting)
        assert "dossiers/status_page.html" in [t.name for t in page.templates]
        assert permissions.visible_dossiers(officer).filter(pk=waiting.pk).exists()
        recipients = {tuple(each.to) for each in mail.outbox}
        assert ("an@cafedemarkt.be",) in recipients

    def test_a_webhook_before_the_browser_returns_sends_it_once(
        self, client, waiting, django_capture_on_commit_callbacks
    ):
        client.post(start_url(waiting))
        payment = OnlinePayment.objects.get()
        body, headers = signed_webhook(payment, OnlinePaymentStatus.PAID)
        with django_capture_on_commit_callbacks(execute=True):
            # The provider calls back first, twice; the browser comes back after.
            for _each in range(2):
                answer = client.post(
                    WEBHOOK, body, content_type="application/json", **_http(headers)
                )
                assert answer.status_code == 200
            assert_sent_once(waiting)
            checkout = SimulatedCheckout.objects.get()
            checkout.status = OnlinePaymentStatus.PAID
            checkout.save()
            page = client.get(checkout.return_url, follow=True)

        assert page.status_code == 200
        assert "dossiers/status_page.html" in [t.name for t in page.templates]
        assert_sent_once(waiting)

    def test_a_double_click_on_pay_starts_one_payment(self, client, waiting):
        first = client.post(start_url(waiting))
        second = client.post(start_url(waiting))
        assert first.url == second.url
        assert OnlinePayment.objects.count() == 1

    def test_a_failed_payment_keeps_everything_and_can_be_tried_again(
        self, client, waiting, django_capture_on_commit_callbacks
    ):
        answers = dict(waiting.answers)
        with django_capture_on_commit_callbacks(execute=True):
            checkout_url = client.post(start_url(waiting)).url
            back = client.post(checkout_url, {"action": "fail"})
            page = client.get(back.url, follow=True)
        content = page.content.decode()
        assert 'data-payment-state="failed"' in content
        assert start_url(waiting) in content
        waiting.refresh_from_db()
        assert waiting.status == Status.AWAITING_PAYMENT
        assert waiting.answers == answers
        assert not submitted_events(waiting).exists()

        with django_capture_on_commit_callbacks(execute=True):
            again = client.post(start_url(waiting)).url
            assert again != checkout_url
            back = client.post(again, {"action": "pay"})
            client.get(back.url)
        assert_sent_once(waiting)

    def test_an_abandoned_checkout_stays_payable_later(self, client, waiting, settings):
        client.post(start_url(waiting))
        # The applicant closed the browser; the checkout expired at the provider.
        settings.LOKET_TEST_PAYMENTS = {**settings.LOKET_TEST_PAYMENTS, "expire_minutes": -1}
        online.refresh(OnlinePayment.objects.get())
        page = client.get(waiting.get_status_url())
        assert 'data-payment-state="expired"' in page.content.decode()
        assert client.post(start_url(waiting)).status_code == 302
        assert OnlinePayment.objects.count() == 2

    def test_a_fee_paid_otherwise_sends_it_too(self, waiting, django_capture_on_commit_callbacks):
        fee = waiting.payment_requests.get()
        with django_capture_on_commit_callbacks(execute=True):
            payments.mark_paid(fee, None, "Op het uittreksel", authorised=True, source="statement")
        assert_sent_once(waiting)
        assert prepayment.submit_when_paid(waiting) is False
        assert submitted_events(waiting).count() == 1

    def test_the_page_refuses_messages_while_waiting(self, client, waiting):
        response = client.post(
            waiting.get_status_url(), {"sending": "message", "message-text": "Hallo"}
        )
        assert response.status_code == 302
        assert not waiting.messages.exists()


def _age(dossier, days: int) -> None:
    """Make ``dossier`` sent ``days`` days ago."""
    Dossier.objects.filter(pk=dossier.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=days)
    )


class TestNotPaidInTime:
    """An application whose fee never comes is closed as "not paid" after
    LOKET_UNPAID_APPLICATION_DAYS (default 30), so retention can erase it; a payment that
    still comes sends it."""

    def test_an_application_unpaid_for_too_long_is_closed(self, client, waiting, officer):
        _age(waiting, 31)
        assert expire_unpaid_applications() == 1

        waiting.refresh_from_db()
        assert waiting.status == Status.NOT_PAID
        assert waiting.status in FINAL_STATUSES
        assert not submitted_events(waiting).exists()
        assert not permissions.visible_dossiers(officer).filter(pk=waiting.pk).exists()
        event = Event.objects.filter(dossier=waiting).latest("created_at")
        assert event.data["transition"] == "expire_unpaid"
        # The link says why, and still lets the applicant pay.
        content = client.get(waiting.get_status_url()).content.decode()
        assert "niet op tijd betaald" in content
        assert start_url(waiting) in content
        # Twice changes nothing.
        assert expire_unpaid_applications() == 0

    def test_a_recent_application_is_left_waiting(self, waiting):
        _age(waiting, 29)
        assert expire_unpaid_applications() == 0
        waiting.refresh_from_db()
        assert waiting.status == Status.AWAITING_PAYMENT

    def test_a_running_or_recent_attempt_to_pay_keeps_it_waiting(self, client, waiting):
        client.post(start_url(waiting))
        _age(waiting, 40)
        # The attempt is still "started": the periodic check settles it first.
        assert expire_unpaid_applications() == 0
        payment = OnlinePayment.objects.get()
        payment.status = OnlinePaymentStatus.EXPIRED
        payment.save(update_fields=["status"])
        # An attempt made in the last 30 days counts as a sign of life.
        assert expire_unpaid_applications() == 0
        OnlinePayment.objects.filter(pk=payment.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=31)
        )
        assert expire_unpaid_applications() == 1

    def test_zero_days_never_closes(self, waiting, settings):
        settings.LOKET_UNPAID_APPLICATION_DAYS = 0
        _age(waiting, 400)
        assert expire_unpaid_applications() == 0

    def test_a_payment_after_closing_still_sends_the_application(
        self, waiting, django_capture_on_commit_callbacks
    ):
        _age(waiting, 31)
        prepayment.expire_unpaid()
        fee = waiting.payment_requests.get()
        assert fee.status == PaymentStatus.OPEN
        with django_capture_on_commit_callbacks(execute=True):
            payments.mark_paid(fee, None, "Op het uittreksel", authorised=True, source="statement")
        assert_sent_once(waiting)


def _http(headers: dict) -> dict:
    return {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
