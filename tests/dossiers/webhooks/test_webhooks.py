"""Webhooks against a local receiver (a small HTTP server in the test, never the
network): signature, retries after 500s and timeouts, a receiver down for an hour
(simulated time), order per dossier, replay protection, manual redelivery."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import override_settings
from wagtail.models import Site

from dossiers import workflow
from dossiers.messages.services import send_from_applicant
from dossiers.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from dossiers.webhooks import delivery, signing
from tests.dossiers.api.conftest import submit
from tests.http_receiver import Receiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    running = Receiver()
    yield running
    running.stop()


@pytest.fixture
def subscription(form_page, receiver):
    return WebhookSubscription.objects.create(
        name="Zaaksysteem",
        site=Site.objects.get(is_default_site=True),
        url=receiver.url,
        events=[WebhookEvent.DOSSIER_SUBMITTED, WebhookEvent.STATUS_CHANGED],
    )


def test_an_event_is_delivered_signed_with_a_small_payload(subscription, receiver, form_page):
    dossier = submit(form_page)
    row = WebhookDelivery.objects.get()
    assert row.event_type == "dossier.submitted" and row.status == DeliveryStatus.PENDING

    assert delivery.deliver(row.pk) is True
    request = receiver.requests[0]
    signing.verify(subscription.secret, request["headers"], request["body"])
    payload = json.loads(request["body"])
    assert payload["type"] == "dossier.submitted"
    assert payload["data"]["id"] == str(dossier.public_id)
    assert payload["data"]["url"].endswith(f"/api/v1/dossiers/{dossier.public_id}/")
    assert "answers" not in payload["data"] and "an@cafedemarkt.be" not in str(payload)
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.last_status_code == 204
    # Idempotent: a second run of the task sends nothing.
    assert delivery.deliver(row.pk) is False
    assert len(receiver.requests) == 1


def test_a_wrong_secret_or_changed_body_is_refused(subscription, receiver, form_page):
    submit(form_page)
    delivery.deliver(WebhookDelivery.objects.get().pk)
    request = receiver.requests[0]
    with pytest.raises(signing.InvalidSignature):
        signing.verify("whsec_" + "A" * 44, request["headers"], request["body"])
    with pytest.raises(signing.InvalidSignature):
        signing.verify(subscription.secret, request["headers"], request["body"] + b" ")


def test_replay_protection_by_timestamp(subscription, receiver, form_page):
    submit(form_page)
    delivery.deliver(WebhookDelivery.objects.get().pk)
    request = receiver.requests[0]
    sent_at = int(request["headers"]["webhook-timestamp"])
    signing.verify(subscription.secret, request["headers"], request["body"], now=sent_at + 60)
    # The same request replayed ten minutes later is refused, although the signature holds.
    with pytest.raises(signing.InvalidSignature, match="timestamp"):
        signing.verify(subscription.secret, request["headers"], request["body"], now=sent_at + 600)
    # A changed timestamp breaks the signature.
    forged = {**request["headers"], "webhook-timestamp": str(sent_at + 600)}
    with pytest.raises(signing.InvalidSignature, match="signature"):
        signing.verify(subscription.secret, forged, request["body"], now=sent_at + 600)


@override_settings(LOKET_WEBHOOK_TIMEOUT=0.5)
def test_retries_after_500s_and_timeouts_with_the_same_id(subscription, receiver, form_page):
    submit(form_page)
    row = WebhookDelivery.objects.get()
    receiver.answers = [500, "slow", 503]
    start = row.created_at
    clock = start
    errors = []
    for expected_attempts in (1, 2, 3):
        assert delivery.deliver(row.pk, now=clock) is False
        row.refresh_from_db()
        assert row.attempts == expected_attempts and row.status == DeliveryStatus.PENDING
        assert row.next_attempt_at > clock
        # Not due before its backoff has passed.
        assert row.pk not in set(delivery.due(clock).values_list("pk", flat=True))
        errors.append(row.last_error)
        clock = row.next_attempt_at
    assert errors[0] == "HTTP 500" and "timed out" in errors[1] and errors[2] == "HTTP 503"
    # The waits grow: 5 s, 5 min, 30 min after the attempts.
    assert clock - start == datetime.timedelta(seconds=5 + 5 * 60 + 30 * 60)
    assert delivery.send_due(clock) == 1
    row.refresh_from_db()
    assert row.status == DeliveryStatus.SENT and row.attempts == 4
    ids = {request["headers"]["webhook-id"] for request in receiver.requests}
    assert ids == {row.message_id}


def test_a_receiver_down_for_an_hour_gets_everything_in_order(subscription, receiver, form_page):
    dossier = submit(form_page)
    url = subscription.url
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url="http://127.0.0.1:9/down")
    start = WebhookDelivery.objects.get().created_at
    workflow.transition(dossier, "start_review")
    first, second = WebhookDelivery.objects.order_by("created_at", "pk")
    # Simulated time: the sweep runs every minute for the first hour; the receiver is down.
    for minute in range(60):
        delivery.send_due(start + datetime.timedelta(minutes=minute))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == DeliveryStatus.PENDING
    assert first.attempts == 4  # now, +5 s, +5 min, +35 min
    assert second.attempts == 0  # waits for the first: in order per dossier
    # The receiver is back; the next sweep after the backoff sends both, in order.
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url=url)
    later = first.next_attempt_at
    delivery.send_due(later - datetime.timedelta(seconds=1))
    assert receiver.requests == []
    assert delivery.send_due(later) == 2
    types = [json.loads(request["body"])["type"] for request in receiver.requests]
    assert types == ["dossier.submitted", "dossier.status_changed"]


def test_given_up_after_24_hours_then_redelivered_by_hand(subscription, receiver, form_page):
    submit(form_page)
    row = WebhookDelivery.objects.get()
    receiver.answers = [500] * 20
    clock = row.created_at
    while True:
        delivery.deliver(row.pk, now=clock)
        row.refresh_from_db()
        if row.status != DeliveryStatus.PENDING:
            break
        clock = row.next_attempt_at
    assert row.status == DeliveryStatus.FAILED
    assert clock == row.created_at + delivery.RETRY_FOR
    receiver.answers = []
    delivery.redeliver(row)
    assert delivery.deliver(row.pk) is True
    assert receiver.requests[-1]["headers"]["webhook-id"] == row.message_id


def test_unsubscribed_events_and_other_sites_write_nothing(subscription, form_page):
    WebhookSubscription.objects.filter(pk=subscription.pk).update(events=[WebhookEvent.PAYMENT])
    submit(form_page)
    assert not WebhookDelivery.objects.exists()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(
        events=[WebhookEvent.DOSSIER_SUBMITTED], is_active=False
    )
    submit(form_page)
    assert not WebhookDelivery.objects.exists()


def test_a_message_from_the_applicant_is_a_webhook_event(subscription, receiver, form_page):
    WebhookSubscription.objects.filter(pk=subscription.pk).update(events=[WebhookEvent.MESSAGE])
    dossier = submit(form_page)
    send_from_applicant(dossier, "Mag het terras groter?")
    row = WebhookDelivery.objects.get()
    assert row.event_type == "dossier.message"
    assert delivery.send_due() == 1
    payload = json.loads(receiver.requests[0]["body"])
    assert payload["data"]["event"] == "message"
    # Small: the message itself is fetched from the API, not sent along.
    assert "groter" not in receiver.requests[0]["body"].decode()
