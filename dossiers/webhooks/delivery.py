"""Sending a webhook delivery: signed, in order per dossier, retried with backoff for
24 hours, idempotent by its message id.

- **Once.** The row is locked while it is sent; a row that is no longer pending is left
  alone, so a task run twice, a sweep and a manual redelivery never send it twice at the
  same time. The receiver recognises a retry by its unchanged ``webhook-id``.
- **In order per dossier.** A row waits while an earlier row of the same subscription
  and dossier is still pending; when that one is sent, the next is handed on.
- **Backoff.** After a failed attempt the row is due again after
  :data:`RETRY_DELAYS` (5 s, 5 min, 30 min, 2 h, 5 h, 10 h ...), never later than
  :data:`RETRY_FOR` after the event; an attempt that fails after that marks it failed.
  Any answer other than 2xx, a timeout (LOKET_WEBHOOK_TIMEOUT) or a refused connection
  is a failure; redirects are not followed.
"""

from __future__ import annotations

import datetime
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dossiers.models import DeliveryStatus, WebhookDelivery
from dossiers.webhooks import signing

logger = logging.getLogger(__name__)

#: Waits after the 1st, 2nd, ... failed attempt (seconds); the last one repeats.
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600)
#: How long after the event a delivery is tried.
RETRY_FOR = datetime.timedelta(hours=24)


def retry_delay(attempts: int) -> int:
    return RETRY_DELAYS[min(max(attempts, 1), len(RETRY_DELAYS)) - 1]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST ``body`` to ``url``; the answer's status code (raises on no answer)."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Loket-Webhooks/1", **headers},
    )
    try:
        with _opener.open(request, timeout=float(settings.LOKET_WEBHOOK_TIMEOUT)) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def _waits_for_earlier(delivery: WebhookDelivery) -> bool:
    if delivery.dossier_id is None:
        return False
    earlier = Q(created_at__lt=delivery.created_at) | Q(
        created_at=delivery.created_at, pk__lt=delivery.pk
    )
    return (
        WebhookDelivery.objects.filter(
            earlier,
            subscription_id=delivery.subscription_id,
            dossier_id=delivery.dossier_id,
            status=DeliveryStatus.PENDING,
        )
        .exclude(pk=delivery.pk)
        .exists()
    )


def next_in_line(delivery: WebhookDelivery) -> WebhookDelivery | None:
    """The pending row of the same subscription and dossier that comes after this one."""
    if delivery.dossier_id is None:
        return None
    later = Q(created_at__gt=delivery.created_at) | Q(
        created_at=delivery.created_at, pk__gt=delivery.pk
    )
    return (
        WebhookDelivery.objects.filter(
            later,
            subscription_id=delivery.subscription_id,
            dossier_id=delivery.dossier_id,
            status=DeliveryStatus.PENDING,
        )
        .order_by("created_at", "pk")
        .first()
    )


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> bool:
    """Make one attempt to send a pending delivery when it is its turn. Returns True
    when it was sent now. ``now`` is the clock (tests pass their own)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return False
        if _waits_for_earlier(delivery):
            return False
        body = body_of(delivery)
        headers = signing.headers(
            delivery.subscription.secret, delivery.message_id, int(now.timestamp()), body
        )
        delivery.attempts += 1
        try:
            code = post(delivery.subscription.url, body, headers)
            problem = "" if 200 <= code < 300 else f"HTTP {code}"
        except Exception as exc:  # noqa: BLE001 - every failure to get an answer counts
            code, problem = None, f"{type(exc).__name__}: {exc}"[:2000]
        delivery.last_status_code = code
        delivery.last_error = problem
        if not problem:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = now
            delivery.next_attempt_at = None
        elif now >= delivery.created_at + RETRY_FOR:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            logger.error("Webhook delivery %s failed for 24 hours: %s", delivery.pk, problem)
        else:
            delivery.next_attempt_at = min(
                now + datetime.timedelta(seconds=retry_delay(delivery.attempts)),
                delivery.created_at + RETRY_FOR,
            )
        delivery.save(
            update_fields=[
                "attempts",
                "last_status_code",
                "last_error",
                "status",
                "sent_at",
                "next_attempt_at",
            ]
        )
    return not problem


def due(now: datetime.datetime | None = None):
    """Pending deliveries whose time has come (never tried, or past their backoff), oldest
    first: what the periodic sweep tries."""
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=DeliveryStatus.PENDING,
    ).order_by("created_at", "pk")


def send_due(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Try every due delivery once, in order; a row sent hands its dossier's next row on
    in the same sweep. Returns how many were sent."""
    sent = 0
    for delivery_id in list(due(now).values_list("pk", flat=True)[:limit]):
        if deliver(delivery_id, now=now):
            sent += 1
    return sent


def redeliver(delivery: WebhookDelivery) -> None:
    """Manual redelivery (the admin's delivery log): the row is pending again, due now,
    with the same message id, so the receiver can tell it has seen it."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=None, created_at=timezone.now()
    )
