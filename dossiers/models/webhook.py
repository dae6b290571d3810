"""Webhooks (dossiers.webhooks): the URLs administrators subscribe to events, and the
outbox of deliveries to them."""

from __future__ import annotations

import base64
import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

#: Standard Webhooks secrets start with this; the rest is the base64 of the key.
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A signing secret: 32 random bytes, base64, with the Standard Webhooks prefix."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookEvent(models.TextChoices):
    """The events a URL can be subscribed to (the payload's ``type``)."""

    DOSSIER_SUBMITTED = "dossier.submitted", _("Dossier submitted")
    STATUS_CHANGED = "dossier.status_changed", _("Status changed")
    MESSAGE = "dossier.message", _("Message")
    PAYMENT = "dossier.payment", _("Payment")
    APPOINTMENT = "dossier.appointment", _("Appointment")


class WebhookSubscription(models.Model):
    """A URL of another system that is told about events on the dossiers of a site."""

    name = models.CharField(_("name"), max_length=100)
    site = models.ForeignKey(
        "wagtailcore.Site", verbose_name=_("municipality (site)"), on_delete=models.CASCADE
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    #: The signing secret (Standard Webhooks, ``whsec_...``); kept in full because
    #: every delivery is signed with it.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.url})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one subscription: a row in the outbox, written in the same
    transaction as the dossier's event, sent and retried by dossiers.webhooks.delivery.

    ``message_id`` is the ``webhook-id`` the receiver sees; it stays the same on every
    attempt and on a manual redelivery, so the receiver can ignore what it has seen.
    """

    subscription = models.ForeignKey(
        WebhookSubscription,
        verbose_name=_("webhook"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    dossier = models.ForeignKey(
        "Dossier",
        verbose_name=_("dossier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        "Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.CharField(max_length=40, unique=True, default=new_message_id)
    event_type = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subscription", "dossier", "status"])]
        constraints = [
            # One delivery per event and subscription, whatever writes it twice.
            models.UniqueConstraint(
                fields=["subscription", "event"], name="unique_webhook_delivery_per_event"
            )
        ]

    def __str__(self):
        return f"{self.event_type} → {self.subscription.url}"
