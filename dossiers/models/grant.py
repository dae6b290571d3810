"""Subsidies and premiums paid out: the amount an officer grants on a dossier, its
approval by a second person, and the payout batches (SEPA credit-transfer files) the
approved grants go out in.

The rules (the two-person rule, a new approval after an IBAN change, an exported batch
that never changes) live in :mod:`dossiers.payments.grants` and
:mod:`dossiers.payments.payouts`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models.payment import MIN_AMOUNT


class GrantState(models.TextChoices):
    #: Granted by an officer; waits for a second person's approval.
    GRANTED = "granted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    #: In an exported payout batch; waits for the bank.
    EXPORTED = "exported", _("In a payout batch")
    PAID = "paid", _("Paid out")


class Grant(models.Model):
    """The amount granted on one dossier and where it is paid to."""

    dossier = models.OneToOneField("Dossier", on_delete=models.PROTECT, related_name="grant")
    #: What the form's calculation proposed when the officer granted (empty when none).
    proposed_amount = models.DecimalField(
        _("proposed amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(MIN_AMOUNT)]
    )
    #: Why the amount differs from the proposed one.
    reason = models.TextField(_("reason"), blank=True)
    iban = models.CharField(_("account (IBAN)"), max_length=34)
    account_holder = models.CharField(_("account holder"), max_length=70)
    state = models.CharField(
        _("state"), max_length=10, choices=GrantState.choices, default=GrantState.GRANTED
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    batch = models.ForeignKey(
        "PayoutBatch",
        verbose_name=_("payout batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
    )
    paid_at = models.DateTimeField(_("paid out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        ordering = ["-granted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=MIN_AMOUNT), name="grant_amount_positive"
            ),
            # The two-person rule, kept by the database too.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("granted_by")),
                name="grant_approved_by_another",
            ),
        ]

    def __str__(self):
        return f"{self.dossier} {self.amount}"


class PayoutBatch(models.Model):
    """One exported SEPA credit-transfer file (pain.001.001.09). Never changed once
    made: its bytes and their SHA-256 are stored, and the download checks them."""

    #: The municipality whose account pays (the site of the batch's dossiers).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message_id = models.CharField(_("message id"), max_length=35, unique=True)
    execution_date = models.DateField(_("execution date"))
    xml = models.BinaryField(_("file"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    count = models.PositiveIntegerField(_("transfers"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout batch")
        verbose_name_plural = _("payout batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.message_id

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("An exported payout batch is never changed.")
        super().save(*args, **kwargs)
