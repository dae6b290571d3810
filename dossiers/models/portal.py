"""One-time sign-in links of Mijn loket."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInToken(models.Model):
    """A one-time sign-in link for "Mijn loket", e-mailed to the applicant.

    Only a hash of the token is stored; the link holds the token itself. Short-lived
    and single use (:attr:`used_at`).
    """

    email = models.EmailField(_("e-mail address"), db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


class EmailConfirmation(models.Model):
    """A one-time link that proves the applicant of a dossier owns its e-mail address.

    Sent when a dossier is submitted by someone not signed in to Mijn loket with that
    address. Only a hash of the token is stored; the e-mail holds the token itself.
    Opening the link (and pressing its button) sets ``Dossier.email_verified_at``.
    """

    dossier = models.ForeignKey(
        "Dossier", on_delete=models.CASCADE, related_name="email_confirmations"
    )
    #: The address the link was sent to; it proves only this address.
    email = models.EmailField(_("e-mail address"))
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail confirmation link")
        verbose_name_plural = _("e-mail confirmation links")

    def __str__(self):
        return f"{self.dossier_id} ({self.created_at:%Y-%m-%d %H:%M})"
