"""The Celery tasks of paying online. Task names are pinned (beat schedules and queued
messages use them)."""

from __future__ import annotations

import logging

from celery import shared_task

from dossiers.payments import online, prepayment
from dossiers.payments.providers import ProviderError, WebhookRefused
from dossiers.payments.providers.test import SIGNATURE_HEADER

logger = logging.getLogger(__name__)

#: The most payments one run of the periodic check asks about.
BATCH = 200


@shared_task(name="dossiers.payments.tasks.check_started_payments")
def check_started_payments() -> int:
    """Ask the provider about every online payment still "started" after
    ``LOKET_ONLINE_PAYMENT_CHECK_MINUTES`` (beat: every five minutes), so a payment is
    never lost when the applicant's browser does not come back and a webhook is lost.

    Safe twice and next to webhooks: applying a status is idempotent and locks the rows
    (dossiers.payments.online.apply_status). A provider that cannot be reached is logged
    and asked again on the next run. Returns how many payments changed."""
    changed = 0
    for payment in online.stale_payments().order_by("created_at")[:BATCH]:
        before = payment.status
        try:
            after = online.refresh(payment).status
        except ProviderError as exc:
            logger.warning("Could not check online payment %s: %s", payment.pk, exc)
            continue
        changed += after != before
    return changed


@shared_task(name="dossiers.payments.tasks.expire_unpaid_applications", acks_late=True)
def expire_unpaid_applications() -> int:
    """Close applications whose fee was not paid within ``LOKET_UNPAID_APPLICATION_DAYS``
    days (beat: daily; see :func:`dossiers.payments.prepayment.expire_unpaid`). Safe twice:
    each dossier moves under a row lock, only while it still waits. Returns how many."""
    return prepayment.expire_unpaid()


@shared_task(name="dossiers.payments.tasks.deliver_test_webhook")
def deliver_test_webhook(body: str, signature: str) -> bool:
    """The built-in test provider's webhook (dossiers.payments.providers.test), handed
    to the same code a provider's HTTP callback reaches, signature and all. Safe twice:
    a duplicate changes nothing. Returns whether it was about a payment of ours."""
    try:
        return online.receive_webhook(
            "test", body.encode(), {SIGNATURE_HEADER: signature}, "application/json"
        )
    except WebhookRefused:
        logger.warning("A test-provider webhook was refused")
        return False


def queue_test_callbacks(callbacks) -> None:
    """Send the test checkout's webhooks, each after its delay, once the button's
    transaction is saved."""
    for callback in callbacks:
        args = (callback.body.decode(), callback.signature)
        try:
            deliver_test_webhook.apply_async(args, countdown=callback.delay or None, retry=False)
        except Exception:  # noqa: BLE001 - any broker error: the demo goes on here
            logger.warning("Could not queue a test-provider webhook", exc_info=True)
            deliver_test_webhook.apply(args)
