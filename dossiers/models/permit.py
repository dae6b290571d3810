"""The permit document of an approved dossier (dossiers.permits)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_verification_token() -> str:
    """The permit's public verification token: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class PermitState(models.TextChoices):
    """What the public verification page says."""

    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")
    #: The period has not started yet.
    NOT_YET = "not_yet", _("not valid yet")


class Permit(models.Model):
    """The permit issued with an approval: period, place, conditions, and the token of
    its public verification page (the QR code on the PDF). The token opens only the
    permit's state, kind, period and place: never personal data."""

    dossier = models.OneToOneField("Dossier", on_delete=models.CASCADE, related_name="permit")
    token = models.CharField(max_length=64, unique=True, default=new_verification_token)
    #: The kind of permit, as a police officer reads it ("Terrasvergunning").
    kind = models.CharField(_("kind of permit"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    place = models.CharField(_("place"), max_length=300)
    conditions = models.TextField(_("conditions"), blank=True)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        verbose_name = _("permit")
        verbose_name_plural = _("permits")

    def __str__(self):
        return f"{self.kind} ({self.dossier})"

    def state(self, today=None) -> str:
        """valid / expired / withdrawn / not yet valid, on ``today`` (local date)."""
        today = today or timezone.localdate()
        if self.withdrawn_at is not None:
            return PermitState.WITHDRAWN
        if today > self.valid_until:
            return PermitState.EXPIRED
        if today < self.valid_from:
            return PermitState.NOT_YET
        return PermitState.VALID

    def get_verification_url(self) -> str:
        from django.urls import reverse

        return reverse("permit_verification", kwargs={"token": self.token})

    def get_absolute_verification_url(self) -> str:
        return settings.LOKET_BASE_URL.rstrip("/") + self.get_verification_url()
