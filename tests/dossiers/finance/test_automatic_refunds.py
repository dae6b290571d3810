"""Automatic refunds (issue #17): money that came in for a payment request that is then
cancelled, or whose application is withdrawn or refused, and an online payment that
arrives after its request was closed, become a refund to do for finance, with the
amount and the reason; the applicant is told; doing it twice records nothing twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail

from dossiers import workflow
from dossiers.constants import APPLICANT, EventType, OnlinePaymentStatus, PaymentStatus, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import Event, Notification, Refund, RefundReason, RefundState
from dossiers.payments import online, refunds
from dossiers.payments import services as payments
from dossiers.payments.statements import services as statements
from tests.dossiers.finance.conftest import fixture_bytes
from tests.dossiers.online_builders import started_payment, test_provider  # noqa: F401

pytestmark = pytest.mark.django_db

#: B (120 euro) gets 50 euro from the fixture CODA statement: partly paid.
PARTLY_PAID = Decimal("50.00")


@pytest.fixture
def partly_paid(requests_of_fixtures, finance):
    statements.import_statement(
        content=fixture_bytes("statement.cod"), filename="statement.cod", user=finance
    )
    request = requests_of_fixtures["B"]
    request.refresh_from_db()
    assert request.status == PaymentStatus.OPEN
    assert refunds.received(request) == PARTLY_PAID
    mail.outbox.clear()
    return request


def the_refund(request) -> Refund:
    [refund] = Refund.objects.filter(payment_request=request)
    return refund


def assert_applicant_told(dossier, amount_text: str):
    [event] = Event.objects.filter(dossier=dossier, type=EventType.REFUND, public=True)
    assert event.data["applicant_note"]
    [notification] = Notification.objects.filter(dossier=dossier, kind="refund_announced")
    assert amount_text in notification.body
    assert event.data["applicant_note"] in notification.body


class TestPartlyPaid:
    def test_cancelling_the_request_refunds_what_came_in(
        self, partly_paid, officer, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            payments.cancel(partly_paid, officer, "Verkeerd bedrag gevraagd")

        refund = the_refund(partly_paid)
        assert refund.amount == PARTLY_PAID
        assert refund.reason == RefundReason.ENDED
        assert refund.state == RefundState.TO_DO
        assert refund.iban  # the account the money came from
        assert_applicant_told(partly_paid.dossier, "50,00")
        assert any("50,00" in each.body for each in mail.outbox)

    def test_withdrawing_the_application_cancels_and_refunds_once(self, partly_paid):
        dossier = partly_paid.dossier
        workflow.transition(dossier, "withdraw", actor_kind=APPLICANT)

        partly_paid.refresh_from_db()
        assert partly_paid.status == PaymentStatus.CANCELLED
        assert the_refund(partly_paid).amount == PARTLY_PAID
        assert the_refund(partly_paid).note.startswith("You withdrew your application")
        assert_applicant_told(dossier, "50,00")
        # Idempotent: again, nothing more.
        assert refunds.settle_ended_application(dossier, Status.WITHDRAWN) == []
        assert refunds.refund_ended(partly_paid, "again") is None
        assert Refund.objects.filter(payment_request=partly_paid).count() == 1

    def test_refusing_the_application_refunds_it(self, partly_paid, officer):
        dossier = partly_paid.dossier
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(dossier, "reject", actor=officer, data={"decision": "Geen plaats."})

        refund = the_refund(partly_paid)
        assert refund.amount == PARTLY_PAID
        assert refund.note.startswith("Your application was refused")

    def test_a_request_without_money_is_cancelled_without_a_refund(
        self, requests_of_fixtures, officer
    ):
        request = requests_of_fixtures["A"]
        workflow.transition(request.dossier, "withdraw", actor_kind=APPLICANT)
        request.refresh_from_db()
        assert request.status == PaymentStatus.CANCELLED
        assert not Refund.objects.exists()

    def test_a_paid_request_is_not_refunded_on_refusal(self, requests_of_fixtures, officer):
        request = requests_of_fixtures["A"]
        payments.mark_paid(request, officer, "Cash aan de balie")
        dossier = request.dossier
        workflow.transition(dossier, "start_review", actor=officer)
        workflow.transition(dossier, "reject", actor=officer, data={"decision": "Nee."})
        assert not Refund.objects.exists()

    def test_finance_cannot_refund_the_same_money_again_by_hand(
        self, partly_paid, finance, officer
    ):
        payments.cancel(partly_paid, officer)
        with pytest.raises(ActionRefused):
            refunds.refund_payment(partly_paid, finance, Decimal("1.00"), "Nog eens")
        assert Refund.objects.filter(payment_request=partly_paid).count() == 1


class TestOnlinePaymentAfterClosing:
    def test_a_late_online_payment_becomes_a_refund_once(
        self,
        requests_of_fixtures,
        officer,
        test_provider,  # noqa: F811
        django_capture_on_commit_callbacks,
    ):
        request = requests_of_fixtures["A"]
        attempt = started_payment(request)
        payments.mark_paid(request, officer, "Overschrijving gezien")

        with django_capture_on_commit_callbacks(execute=True):
            online.apply_status(attempt, OnlinePaymentStatus.PAID)
            online.apply_status(attempt, OnlinePaymentStatus.PAID)
        attempt.refresh_from_db()
        assert attempt.status == OnlinePaymentStatus.PAID and not attempt.booked

        [refund] = Refund.objects.all()
        assert refund.online_payment == attempt
        assert refund.amount == request.amount
        assert refund.reason == RefundReason.PAID_LATE
        assert_applicant_told(request.dossier, "150,00")
        assert refunds.refund_paid_late(attempt) is None
        assert Refund.objects.count() == 1
        # It never counted as received, so it does not lower what else can go back.
        request.refresh_from_db()
        assert refunds.refundable(request) == request.amount

    def test_an_online_payment_after_withdrawal_is_refunded(
        self,
        requests_of_fixtures,
        test_provider,  # noqa: F811
    ):
        request = requests_of_fixtures["C"]
        attempt = started_payment(request)
        workflow.transition(request.dossier, "withdraw", actor_kind=APPLICANT)
        online.apply_status(attempt, OnlinePaymentStatus.PAID)
        [refund] = Refund.objects.all()
        assert refund.online_payment == attempt
        assert refund.reason == RefundReason.PAID_LATE
