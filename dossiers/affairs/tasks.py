"""The Celery tasks of the ongoing affairs. They take ids and are safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task

from dossiers.affairs import delivery

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def publish_affair(delivery_id: int) -> bool:
    """One attempt at an :class:`~dossiers.models.AffairDelivery` (see
    :func:`delivery.deliver`). Twice is harmless: the row is locked and a row no longer
    pending is left alone. A failure is not retried here: the row carries its next
    moment and :func:`publish_pending_affairs` tries it then. A message queued by an
    earlier version (the affair itself, not an id) is dropped with a warning: its status
    change is published again by the next one."""
    if not isinstance(delivery_id, int):
        logger.warning("Ongoing affair task without a delivery id dropped")
        return False
    return delivery.deliver(delivery_id)


@shared_task
def publish_pending_affairs() -> int:
    """Every minute (Celery beat): try the affairs that are due, also those a broker
    that was down never handed to :func:`publish_affair`."""
    return delivery.send_due()
