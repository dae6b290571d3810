"""The outbox proper: rows written with their event, sent after commit, retried with
backoff, swept up when left behind."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dossiers.constants import EventType, NotificationStatus, Status
from dossiers.correspondence import bounces, history, printing
from dossiers.models import (
    DeliveryResult,
    Event,
    LetterChannel,
    MunicipalitySettings,
    Notification,
    PaperReason,
)
from dossiers.outbox import letters
from dossiers.outbox.kinds import StatusChanged

logger = logging.getLogger(__name__)

#: Statuses whose status-change e-mail carries the decision letter.
DECISION_STATUSES = (Status.APPROVED, Status.REJECTED)

#: After this many failed attempts a notification is marked failed (and shown so).
MAX_ATTEMPTS = 8
#: The wait before the first retry; each next retry waits twice as long
#: (30 s, 1 min, 2 min, ... about 2 hours over all attempts).
RETRY_BASE_SECONDS = 30


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failed attempt (1, 2, ...)."""
    return RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def due_for_sweep(now=None, min_age_seconds: int = 60):
    """Pending notifications the periodic sweep should hand to Celery again.

    A row never tried is due ``min_age_seconds`` after it was written (its own task had
    the time to send it); a row that failed is due at its ``next_attempt_at``, so the
    sweep never tries a failing address sooner than the task's own backoff would.
    """
    now = now or timezone.now()
    due = Q(next_attempt_at__isnull=True, created_at__lte=now - timedelta(seconds=min_age_seconds))
    due |= Q(next_attempt_at__lte=now)
    return Notification.objects.filter(due, status=NotificationStatus.PENDING).order_by(
        "created_at", "pk"
    )


def decision_letter_for(notification_id: int):
    """The decision letter a pending notification must carry, made now if missing.

    A status-change notification about an approval or rejection carries the letter of
    the dossier's decision; every other notification carries none (None). Making the
    letter may fail (WeasyPrint): the exception is raised.
    """
    notification = (
        Notification.objects.select_related("event")
        .filter(pk=notification_id, status=NotificationStatus.PENDING)
        .first()
    )
    event = notification.event if notification else None
    if (
        event is None
        or notification.kind != StatusChanged.kind_id
        or event.to_status not in DECISION_STATUSES
    ):
        return None
    return letters.ensure_decision_letter(notification.dossier_id)


class DeliveryFailed(Exception):
    """Sending a notification failed; it stays pending and may be tried again."""


def deliver(notification_id: int) -> bool:
    """Send one notification unless it was sent already. Returns True when it sent now.

    The row is locked while sending, so two workers never send the same notification.
    Every try counts as an attempt, also when the decision letter it carries could not
    be made. A failure is recorded on the row; while attempts are left it raises
    :class:`DeliveryFailed` so the caller retries; the last failed attempt marks the row
    failed (and says so on the dossier's timeline) and returns False.
    """
    letter, problem = None, None
    try:
        # Made outside the row's lock: it takes a while and locks the dossier itself.
        letter = decision_letter_for(notification_id)
    except Exception as exc:  # noqa: BLE001 - counted as a failed attempt below
        problem = exc
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("dossier")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.status != NotificationStatus.PENDING:
            return False
        notification.attempts += 1
        if problem is None:
            try:
                send(notification, letter)
            except Exception as exc:  # noqa: BLE001 - recorded below
                problem = exc
        if problem is None:
            notification.status = NotificationStatus.SENT
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.next_attempt_at = None
            Event.objects.create(
                dossier=notification.dossier,
                type=EventType.NOTIFICATION_SENT,
                data={"notification": notification.pk, "kind": notification.kind},
            )
            history.record(
                dossier_id=notification.dossier_id,
                channel=LetterChannel.EMAIL,
                result=DeliveryResult.SENT,
                notification=notification,
            )
        else:
            notification.last_error = f"{type(problem).__name__}: {problem}"[:2000]
            notification.next_attempt_at = timezone.now() + timedelta(
                seconds=retry_delay(notification.attempts)
            )
            if notification.attempts >= MAX_ATTEMPTS:
                notification.status = NotificationStatus.FAILED
                notification.next_attempt_at = None
                Event.objects.create(
                    dossier=notification.dossier,
                    type=EventType.NOTIFICATION_FAILED,
                    data={"notification": notification.pk, "kind": notification.kind},
                )
                history.record(
                    dossier_id=notification.dossier_id,
                    channel=LetterChannel.EMAIL,
                    result=DeliveryResult.FAILED,
                    notification=notification,
                    detail=notification.last_error,
                )
                # A letter that must reach the applicant goes on paper instead.
                printing.fall_back_for_notification(notification, PaperReason.EMAIL_FAILED)
        notification.save(
            update_fields=["attempts", "last_error", "next_attempt_at", "status", "sent_at"]
        )
    if problem is None:
        return True
    if notification.status == NotificationStatus.FAILED:
        logger.error(
            "Notification %s failed after %s attempts: %s",
            notification_id,
            notification.attempts,
            notification.last_error,
        )
        return False
    raise DeliveryFailed(notification.last_error) from problem


def sender_of(dossier) -> str:
    """The ``From`` of e-mails about ``dossier``: its municipality's sender (site
    setting "Municipality"), else the installation's."""
    site = letters.site_for(dossier)
    if site is None:
        return settings.DEFAULT_FROM_EMAIL
    return MunicipalitySettings.for_site(site).from_email()


def send(notification: Notification, letter=None) -> None:
    """Send the e-mail of ``notification`` (with the decision letter, if any)."""
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=sender_of(notification.dossier),
        to=[notification.recipient],
        # Names the notification, so a bounce can be traced back (correspondence.bounces).
        headers={"Message-ID": bounces.message_id_for(notification)},
    )
    if letter is not None:
        with letter.file.open("rb") as handle:
            message.attach(letter.original_name, handle.read(), "application/pdf")
    message.send()
