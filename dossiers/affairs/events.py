"""Which events become ongoing affairs, and their shape.

A receiver of Event's ``post_save`` (connected in DossiersConfig.ready, next to the
webhooks): every public status change, when an adapter is configured, is shaped as an
affair and handed to Celery after commit. The affair is built now, so it carries the
status of this change even when it is sent later.

Only what the portals show goes out: the dossier's public id and reference, the form's
title, the status (code and Dutch label), the moment, the link to the status page and
the municipality. The applicant is named only by an identity a sign-in method vouched
for; the dossier keeps no such identity (its enterprise number is what was typed in the
form), so no applicant key is sent: the portal links the affair through the status
page, whose link only the applicant has.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from core.background import queue
from dossiers.affairs import adapters
from dossiers.affairs.tasks import publish_affair
from dossiers.constants import EventType, Status
from dossiers.models import Event

logger = logging.getLogger(__name__)


def affair(event: Event) -> dict:
    """The ongoing affair ("zaak") of a status change."""
    dossier = event.dossier
    with translation.override("nl"):
        label = str(Status(event.to_status).label)
    site = dossier.site
    return {
        "type": "zaak.status_gewijzigd",
        "sequence": event.pk,
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


def queue_for_event(event: Event) -> bool:
    """Hand the affair of a public status change to Celery after commit. Returns True
    when one was queued."""
    if event.type != EventType.STATUS_CHANGED or not event.public or not event.to_status:
        return False
    if not adapters.is_configured():
        return False
    body = affair(event)
    transaction.on_commit(lambda: queue(publish_affair, body))
    return True


def on_event_saved(sender, instance: Event, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver of Event. Never raises: the status change is what matters."""
    if not created or raw:
        return
    try:
        queue_for_event(instance)
    except Exception:  # noqa: BLE001 - an affair never blocks a dossier
        logger.exception("Could not queue the ongoing affair of event %s", instance.pk)
