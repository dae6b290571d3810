"""Sending the ongoing affairs recorded in :class:`~dossiers.models.AffairDelivery`.

- **Nothing lost.** The row is written in the transaction of the status change; a
  broker that is down only delays it: the periodic sweep (:func:`send_due`, every
  minute) picks up every row that is due.
- **Once.** The row is locked while it is sent; a row no longer pending is left alone,
  so a task run twice, or a task and the sweep at once, never send it twice. The portal
  keeps an affair by its ``id`` and tells an old status from a newer one by ``sequence``.
- **Backoff.** After a failed attempt the row is due again after :data:`RETRY_DELAYS`
  (5 s, 5 min, 30 min, 2 h, 5 h, 10 h); after the last one it is given up (failed,
  logged as an error). Any :class:`~dossiers.affairs.adapters.AffairNotDelivered` is a
  failure.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from dossiers.affairs import adapters
from dossiers.constants import Status
from dossiers.models import AffairDelivery, DeliveryStatus, Dossier, Event
from dossiers.portal import vouched

logger = logging.getLogger(__name__)

#: Waits after the 1st, 2nd, ... failed attempt (seconds): about 17.5 hours in all; an
#: attempt that fails after the last wait gives the affair up.
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600)


def owner(dossier: Dossier) -> dict | None:
    """Whose affair it is, as the portals name them: the enterprise the sign-in vouched
    the person acts for (its KBO number: the Ondernemingsprofiel), else the person
    (their national register number, INSZ: Mijn Burgerprofiel). None when the dossier
    keeps no vouched identity (not submitted signed in that way, or erased)."""
    if dossier.vouched_enterprise:
        return {"type": "onderneming", "kbonummer": dossier.vouched_enterprise}
    national_id = vouched.unseal(dossier.vouched_national_id)
    if national_id:
        return {"type": "burger", "insz": national_id}
    return None


def affair(event: Event, owner_of: dict) -> dict:
    """The ongoing affair ("zaak") of a status change, for ``owner_of``."""
    dossier = event.dossier
    with translation.override("nl"):
        label = str(Status(event.to_status).label)
    site = dossier.site
    return {
        "type": "zaak.status_gewijzigd",
        "sequence": event.pk,
        "eigenaar": owner_of,
        "zaak": {
            "id": str(dossier.public_id),
            "referentie": dossier.reference,
            "titel": dossier.form_title,
            "status": {"code": event.to_status, "label": label},
            "datum": event.created_at.isoformat(),
            # Mijn loket, where the entrepreneur signs in: never the dossier's secret
            # link, which would hand its key to another system.
            "url": settings.LOKET_BASE_URL.rstrip("/") + reverse("portal:overview"),
            "bestuur": site.site_name if site is not None else "",
        },
    }


def deliver(delivery_id: int, *, now: datetime.datetime | None = None) -> bool:
    """One attempt at a pending delivery; True when the portal took it now. ``now`` is
    the clock (tests pass their own). Off (no adapter) or an adapter that cannot be
    loaded leaves the row pending, untouched, for when it is configured."""
    now = now or timezone.now()
    if not adapters.is_configured():
        return False
    try:
        adapter = adapters.get_adapter()
    except ImportError:
        logger.error("LOKET_ONGOING_AFFAIRS_ADAPTER cannot be loaded", exc_info=True)
        return False
    with transaction.atomic():
        delivery = (
            AffairDelivery.objects.select_for_update(of=("self",))
            .select_related("event", "dossier", "dossier__site")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return False
        dossier = delivery.dossier
        reference = dossier.reference
        delivery.event.dossier = dossier
        owner_of = owner(dossier)
        delivery.attempts += 1
        if owner_of is None:
            # Erased since the change (retention or a request): nobody to show it to.
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = "no vouched identity (personal data erased)"
            delivery.next_attempt_at = None
            logger.info("Ongoing affair of %s skipped: its identity was erased", reference)
            problem = delivery.last_error
        else:
            try:
                adapter.publish(affair(delivery.event, owner_of))
                problem = ""
            except adapters.AffairNotDelivered as exc:
                problem = str(exc)[:2000] or type(exc).__name__
            delivery.last_error = problem
            if not problem:
                delivery.status = DeliveryStatus.SENT
                delivery.sent_at = now
                delivery.next_attempt_at = None
            elif delivery.attempts > len(RETRY_DELAYS):
                delivery.status = DeliveryStatus.FAILED
                delivery.next_attempt_at = None
                logger.error("Ongoing affair of %s not delivered, given up: %s", reference, problem)
            else:
                wait = RETRY_DELAYS[delivery.attempts - 1]
                delivery.next_attempt_at = now + datetime.timedelta(seconds=wait)
                logger.warning(
                    "Ongoing affair of %s not delivered, retried: %s", reference, problem
                )
        delivery.save(
            update_fields=["attempts", "status", "last_error", "next_attempt_at", "sent_at"]
        )
    return not problem


def due(now: datetime.datetime | None = None):
    """Pending deliveries whose time has come, oldest first."""
    now = now or timezone.now()
    return AffairDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        status=DeliveryStatus.PENDING,
    ).order_by("created_at", "pk")


def send_due(now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Try every due delivery once, oldest first. Returns how many the portal took."""
    if not adapters.is_configured():
        return 0
    return sum(
        1
        for delivery_id in list(due(now).values_list("pk", flat=True)[:limit])
        if deliver(delivery_id, now=now)
    )
