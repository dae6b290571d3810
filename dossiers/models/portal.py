"""One-time links of Mijn loket: signing in, and proving an application's address."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OneTimeLink(models.Model):
    """A link e-mailed to an address that works once and for a short time.

    Only a hash of the token is stored; the link holds the token itself. Used up with
    one conditional UPDATE of :attr:`used_at`.
    """

    email = models.EmailField(_("e-mail address"), db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        abstract = True


class SignInToken(OneTimeLink):
    """A one-time sign-in link for "Mijn loket", e-mailed to the applicant
    (see :mod:`dossiers.portal.tokens`)."""

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self):
        return f"{self.email} ({self.created_at:%Y-%m-%d %H:%M})"


class EmailConfirmation(OneTimeLink):
    """A link that proves the applicant of a dossier owns the address it went to
    (see :mod:`dossiers.portal.confirmation`).

    Sent when a dossier is submitted by someone not signed in to Mijn loket with that
    address; opening it (and pressing its button) sets ``Dossier.email_verified_at``.
    """

    dossier = models.ForeignKey(
        "Dossier", on_delete=models.CASCADE, related_name="email_confirmations"
    )

    class Meta:
        verbose_name = _("e-mail confirmation link")
        verbose_name_plural = _("e-mail confirmation links")

    def __str__(self):
        return f"{self.dossier_id} ({self.created_at:%Y-%m-%d %H:%M})"
