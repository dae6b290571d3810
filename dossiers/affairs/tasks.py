"""The Celery task that publishes an ongoing affair, retried with backoff."""

from __future__ import annotations

import logging

from celery import shared_task

from dossiers.affairs import adapters

logger = logging.getLogger(__name__)

#: Waits after the 1st, 2nd, ... failed attempt (seconds): about 17.5 hours in all.
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600)


@shared_task(bind=True, acks_late=True, max_retries=len(RETRY_DELAYS))
def publish_affair(self, affair: dict) -> bool:
    """Publish one affair through the configured adapter. A failure is logged and tried
    again after :data:`RETRY_DELAYS`; after the last one it is given up (logged as an
    error). Returns True when the portal took it. Twice is harmless: the portal keeps
    the affair by its id and the ``sequence`` tells an old status from a newer one."""
    if not adapters.is_configured():
        return False
    try:
        adapter = adapters.get_adapter()
    except ImportError:
        logger.error("LOKET_ONGOING_AFFAIRS_ADAPTER cannot be loaded", exc_info=True)
        return False
    try:
        adapter.publish(affair)
    except adapters.AffairNotDelivered as exc:
        attempt = self.request.retries
        reference = affair.get("zaak", {}).get("referentie", "")
        if attempt >= len(RETRY_DELAYS):
            logger.error("Ongoing affair of %s not delivered, given up: %s", reference, exc)
            return False
        logger.warning("Ongoing affair of %s not delivered, retried: %s", reference, exc)
        raise self.retry(exc=exc, countdown=RETRY_DELAYS[attempt]) from exc
    return True
