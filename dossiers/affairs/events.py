"""Which events become ongoing affairs.

A receiver of Event's ``post_save`` (connected in DossiersConfig.ready, next to the
webhooks): every public status change, when an adapter is configured, writes an
:class:`~dossiers.models.AffairDelivery` in the same transaction, handed to Celery after
commit (:mod:`dossiers.affairs.tasks`; the sweep picks it up if the broker is down).

An affair has an owner: the person or enterprise a sign-in vouched for when the dossier
was submitted (:mod:`dossiers.portal.vouched`), never what was typed in the form. A
dossier without such an identity (submitted without the government login) has nobody to
show the affair to: its changes are skipped and logged, and the change goes on.

Only what the portals show goes out (:func:`dossiers.affairs.delivery.affair`): the
owner, the dossier's public id and reference, the form's title, the status, the moment,
the link to Mijn loket and the municipality.
"""

from __future__ import annotations

import logging

from django.db import transaction

from core.background import queue
from dossiers.affairs import adapters
from dossiers.affairs.tasks import publish_affair
from dossiers.constants import EventType
from dossiers.models import AffairDelivery, Event

logger = logging.getLogger(__name__)


def record_for_event(event: Event) -> AffairDelivery | None:
    """Write the delivery of a public status change and hand it to Celery after commit.
    None when the event is no public status change, the affairs are off, or the
    dossier keeps no vouched identity (logged)."""
    if event.type != EventType.STATUS_CHANGED or not event.public or not event.to_status:
        return None
    if not adapters.is_configured():
        return None
    dossier = event.dossier
    if not (dossier.vouched_enterprise or dossier.vouched_national_id):
        logger.info(
            "Ongoing affair of %s skipped: no identity vouched for by a sign-in",
            dossier.reference,
        )
        return None
    row, created = AffairDelivery.objects.get_or_create(event=event, defaults={"dossier": dossier})
    if created:
        transaction.on_commit(lambda: queue(publish_affair, row.pk))
    return row


def on_event_saved(sender, instance: Event, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver of Event. Never raises: the status change is what matters."""
    if not created or raw:
        return
    try:
        with transaction.atomic():
            record_for_event(instance)
    except Exception:  # noqa: BLE001 - an affair never blocks a dossier
        logger.exception("Could not record the ongoing affair of event %s", instance.pk)
