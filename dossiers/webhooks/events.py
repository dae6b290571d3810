"""Which dossier events are webhook events, and writing their deliveries.

A receiver of Event's ``post_save`` (connected in DossiersConfig.ready): every place
that writes an Event (submission, the workflow, messages, payments, appointments) is
covered without each of them knowing about webhooks, and the rows are written in the
same transaction as the event, so they commit or roll back with it (the outbox).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page

from dossiers.constants import EventType
from dossiers.models import Event, WebhookDelivery, WebhookEvent, WebhookSubscription
from dossiers.webhooks.tasks import enqueue

#: The webhook event of each kind of dossier event; other kinds send nothing.
WEBHOOK_EVENTS: dict[str, str] = {
    EventType.SUBMITTED: WebhookEvent.DOSSIER_SUBMITTED,
    EventType.STATUS_CHANGED: WebhookEvent.STATUS_CHANGED,
    EventType.MESSAGE: WebhookEvent.MESSAGE,
    EventType.PAYMENT_REQUESTED: WebhookEvent.PAYMENT,
    EventType.PAYMENT_CANCELLED: WebhookEvent.PAYMENT,
    EventType.PAYMENT_RECEIVED: WebhookEvent.PAYMENT,
    EventType.PAYMENT_BOOKED: WebhookEvent.PAYMENT,
    EventType.APPOINTMENT_INVITED: WebhookEvent.APPOINTMENT,
    EventType.APPOINTMENT_BOOKED: WebhookEvent.APPOINTMENT,
}


def payload(event: Event, event_type: str) -> dict:
    """The small payload: what happened, to which dossier, where to fetch it, when. The
    receiver fetches the details from the API (with its own token)."""
    dossier = event.dossier
    data = {
        "resource": "dossier",
        "id": str(dossier.public_id),
        "reference": dossier.reference,
        "url": settings.LOKET_BASE_URL.rstrip("/")
        + reverse("api:dossier", kwargs={"public_id": dossier.public_id}),
        "event": event.type,
    }
    if event.type == EventType.STATUS_CHANGED:
        data.update(from_status=event.from_status, to_status=event.to_status)
    return {"type": event_type, "timestamp": event.created_at.isoformat(), "data": data}


def queue_for_event(event: Event) -> list[WebhookDelivery]:
    """Write one delivery per active subscription of the dossier's site to this event's
    kind, and hand them to Celery after commit."""
    event_type = WEBHOOK_EVENTS.get(event.type)
    if event_type is None:
        return []
    active = [
        subscription
        for subscription in WebhookSubscription.objects.filter(is_active=True).select_related(
            "site__root_page"
        )
        if event_type in subscription.events
    ]
    if not active:
        return []
    dossier = event.dossier
    form_path = (
        Page.objects.filter(pk=dossier.form_page_id).values_list("path", flat=True).first() or ""
    )
    subscriptions = [s for s in active if form_path.startswith(s.site.root_page.path)]
    if not subscriptions:
        return []
    body = payload(event, event_type)
    created = [
        WebhookDelivery.objects.create(
            subscription=subscription,
            dossier=dossier,
            event=event,
            event_type=event_type,
            payload=body,
            created_at=event.created_at,
        )
        for subscription in subscriptions
    ]
    ids = [delivery.pk for delivery in created]

    transaction.on_commit(lambda: [enqueue(pk) for pk in ids])
    return created


def on_event_saved(sender, instance: Event, created: bool, raw: bool = False, **kwargs) -> None:
    """post_save receiver of Event."""
    if created and not raw:
        queue_for_event(instance)
