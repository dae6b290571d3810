"""Celery tasks of the dossier app. They take ids and are safe to run twice."""

import logging

from celery import shared_task

from core.background import queue
from dossiers.outbox import delivery as notifications

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=notifications.MAX_ATTEMPTS, acks_late=True)
def send_notification(self, notification_id: int) -> bool:
    """Send one notification from the outbox.

    Running it twice is harmless: :func:`notifications.deliver` locks the row and does
    nothing for a notification that is no longer pending. A failed attempt (sending, or
    making the decision letter it carries) is counted on the row and retried with
    exponential backoff (30 s, 1 min, 2 min, ...) until the row is marked failed after
    ``MAX_ATTEMPTS``. Run eagerly (no broker) it does not retry in-process: the row
    stays pending for ``send_pending_notifications``.
    """
    try:
        return notifications.deliver(notification_id)
    except Exception as exc:
        if self.request.is_eager:
            logger.warning("Notification %s not sent: %s", notification_id, exc)
            return False
        countdown = notifications.retry_delay(self.request.retries + 1)
        raise self.retry(exc=exc, countdown=countdown) from exc


def enqueue(notification_id: int) -> None:
    """Hand a notification to Celery. A broker that is down only delays it.

    The row stays pending; ``send_pending_notifications`` (periodic) sends it later.
    """
    queue(send_notification, notification_id)


@shared_task
def send_pending_notifications(min_age_seconds: int = 60) -> int:
    """Queue every notification still pending and due (periodic, via Celery beat).

    Picks up what a broker outage or a lost task left behind, oldest first, and leaves
    a failing one alone until its backoff has passed (see
    :func:`notifications.due_for_sweep`). Queuing one twice is harmless (see
    send_notification): it is sent once. Returns how many were queued.
    """
    due = notifications.due_for_sweep(min_age_seconds=min_age_seconds)
    ids = list(due.values_list("pk", flat=True)[:1000])
    for notification_id in ids:
        enqueue(notification_id)
    return len(ids)


@shared_task(acks_late=True)
def make_decision_letter(dossier_id: int) -> int | None:
    """Make the PDF letter of the dossier's current decision and store it privately.

    Idempotent: when the letter of the current decision exists it is skipped, not
    regenerated (see :func:`dossiers.outbox.letters.ensure_decision_letter`). Returns the
    letter's attachment id (None for a dossier without a decision). The decision e-mail
    does not depend on this task having run: sending it makes the letter when missing.
    """
    from dossiers.outbox.letters import ensure_decision_letter

    letter = ensure_decision_letter(dossier_id)
    return letter.pk if letter else None


def queue_decision_letter(dossier_id: int) -> None:
    """Hand the letter to Celery; a broker that is down only delays it (the decision
    e-mail makes the letter itself when it is still missing)."""
    queue(make_decision_letter, dossier_id)


@shared_task
def check_deliveries() -> dict[str, int]:
    """Read the bounce files and ask the eBox about unconfirmed letters (periodic, via
    Celery beat): a letter that bounced for good or was not confirmed in time goes on
    paper (:mod:`dossiers.correspondence.bounces`,
    :func:`dossiers.correspondence.printing.check_ebox_deliveries`). Safe twice: a read
    bounce file is moved away, and a letter goes on paper once."""
    from dossiers.correspondence import bounces, printing

    bounced, unknown = bounces.process_bounce_folder()
    confirmed, unconfirmed = printing.check_ebox_deliveries()
    return {
        "bounces": bounced,
        "unknown_bounces": unknown,
        "ebox_confirmed": confirmed,
        "ebox_unconfirmed": unconfirmed,
    }
