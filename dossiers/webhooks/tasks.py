"""Celery tasks of the webhooks. They take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task

from core.background import queue
from dossiers.models import WebhookDelivery
from dossiers.webhooks import delivery


@shared_task(acks_late=True)
def send_webhook(delivery_id: int) -> bool:
    """One attempt at a delivery (see :func:`delivery.deliver`). Twice is harmless: the
    row is locked and a row no longer pending is left alone. A failure is not retried
    here: the row carries its next moment and :func:`send_pending_webhooks` tries it
    then; a row sent hands the next row of its dossier on."""
    sent = delivery.deliver(delivery_id)
    if sent:
        row = WebhookDelivery.objects.filter(pk=delivery_id).first()
        following = delivery.next_in_line(row) if row else None
        if following is not None:
            enqueue(following.pk)
    return sent


def enqueue(delivery_id: int) -> None:
    """Hand a delivery to Celery; a broker that is down only delays it (the sweep)."""
    queue(send_webhook, delivery_id)


@shared_task
def send_pending_webhooks() -> int:
    """Every minute (Celery beat): try the deliveries that are due, oldest first."""
    return delivery.send_due()
