"""Two webhooks for one payment at the same moment, on PostgreSQL: the row locks of
dossiers.payments.online.apply_status let one book the payment and the other find it
booked; the payment request is paid once, with one event and one e-mail; a second
attempt paid at once is one refund; an application paid when submitting is sent once."""

import threading

import pytest
from django.db import connection, connections

from dossiers.constants import EventType, PaymentStatus, Status
from dossiers.models import Event, Notification, OnlinePayment, Refund
from dossiers.payments import online
from tests.dossiers.online_builders import (
    open_request,
    signed_webhook,
    started_payment,
    test_provider,  # noqa: F401 - a fixture
)

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers; row locks are a PostgreSQL concern",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_the_same_moment(action, times: int):
    barrier = threading.Barrier(times)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(action())
        except Exception as exc:  # noqa: BLE001 - reported by the assertions
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.parametrize("times", [2, 4])
def test_simultaneous_webhooks_book_one_payment(test_provider, times):  # noqa: F811
    payment_request = open_request()
    payment = started_payment(payment_request)
    body, headers = signed_webhook(payment, "paid")

    results, errors = at_the_same_moment(
        lambda: online.receive_webhook("test", body, headers, "application/json"), times
    )

    assert errors == []
    assert results == [True] * times
    payment.refresh_from_db()
    payment_request.refresh_from_db()
    assert payment.status == "paid" and payment.booked
    assert payment_request.status == PaymentStatus.PAID
    dossier = payment_request.dossier
    assert Event.objects.filter(dossier=dossier, type=EventType.PAYMENT_RECEIVED).count() == 1
    assert Notification.objects.filter(dossier=dossier, kind="payment_received").count() == 1


def test_two_attempts_paid_at_once_book_the_request_once(test_provider):  # noqa: F811
    payment_request = open_request()
    first, second = started_payment(payment_request), started_payment(payment_request)
    webhooks = [signed_webhook(first, "paid"), signed_webhook(second, "paid")]
    turn = iter(webhooks)
    lock = threading.Lock()

    def next_webhook():
        with lock:
            body, headers = next(turn)
        return online.receive_webhook("test", body, headers, "application/json")

    results, errors = at_the_same_moment(next_webhook, 2)

    assert errors == [] and results == [True, True]
    booked = OnlinePayment.objects.filter(booked=True)
    assert booked.count() == 1
    assert OnlinePayment.objects.filter(status="paid").count() == 2
    received = Event.objects.filter(dossier=payment_request.dossier, type="payment_received")
    assert received.filter(public=True).count() == 1
    assert received.filter(public=False).count() == 1  # the second one, for a refund
    # ...which is a refund to do, once (dossiers.payments.refunds.refund_paid_late).
    [refund] = Refund.objects.all()
    assert refund.online_payment == OnlinePayment.objects.get(booked=False)


@pytest.mark.parametrize("times", [2, 4])
def test_simultaneous_webhooks_send_a_prepaid_application_once(test_provider, times):  # noqa: F811
    payment_request = open_request(stages=["prepayment"], status=Status.AWAITING_PAYMENT)
    payment = started_payment(payment_request)
    body, headers = signed_webhook(payment, "paid")

    results, errors = at_the_same_moment(
        lambda: online.receive_webhook("test", body, headers, "application/json"), times
    )

    assert errors == [] and results == [True] * times
    dossier = payment_request.dossier
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED
    assert Event.objects.filter(dossier=dossier, type=EventType.SUBMITTED).count() == 1
    sent = Event.objects.filter(dossier=dossier, data__transition="receive_prepayment")
    assert sent.count() == 1
