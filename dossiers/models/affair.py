"""The delivery record of the ongoing affairs sent to the Flemish portals (issue #23)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models.webhook import DeliveryStatus


class AffairDelivery(models.Model):
    """One public status change to publish as an ongoing affair: written in the same
    transaction as the change's Event, sent and retried by
    :mod:`dossiers.affairs.delivery`. One row per event (dossier and status change), so
    a broker that is down loses nothing and a task run twice sends nothing twice.

    The affair itself is built when it is sent, from the event (which never changes)
    and the dossier: the row holds no personal data, and an affair of a dossier whose
    personal data were erased meanwhile is not sent (its owner is gone)."""

    event = models.OneToOneField(
        "Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="affair_delivery",
    )
    dossier = models.ForeignKey(
        "Dossier",
        verbose_name=_("dossier"),
        on_delete=models.CASCADE,
        related_name="affair_deliveries",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    #: When the next attempt is due; empty: at once (never tried).
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ongoing affair delivery")
        verbose_name_plural = _("ongoing affair deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.dossier_id}/{self.event_id}: {self.status}"
