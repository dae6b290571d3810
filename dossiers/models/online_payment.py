"""Paying online: one row per attempt of the applicant to pay a payment request through
a payment provider, and the checkouts of the built-in test provider.

The amount of an attempt is copied from its :class:`~dossiers.models.PaymentRequest`
when the attempt starts (never from the browser). Only :mod:`dossiers.payments.online`
changes an attempt; provider keys are settings from the environment, never rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.constants import OnlinePaymentStatus


class OnlinePayment(models.Model):
    """One attempt to pay a payment request online."""

    payment_request = models.ForeignKey(
        "PaymentRequest", on_delete=models.CASCADE, related_name="online_payments"
    )
    #: The provider's id in dossiers.payments.providers (e.g. "mollie", "test").
    provider = models.CharField(_("provider"), max_length=30)
    #: The provider's id of the payment (e.g. Mollie's tr_...); empty until it answered.
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("state"),
        max_length=20,
        choices=OnlinePaymentStatus.choices,
        default=OnlinePaymentStatus.STARTED,
    )
    #: Where the provider's checkout page is (the applicant is sent there).
    checkout_url = models.URLField(_("checkout page"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    #: When the provider last told us (a webhook, the return, the periodic check).
    checked_at = models.DateTimeField(_("last checked at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    #: Whether this attempt paid the payment request (False when the request was closed
    #: already by then: finance refunds that money).
    booked = models.BooleanField(_("booked"), default=False)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_reference"],
                condition=~models.Q(provider_reference=""),
                name="online_payment_unique_provider_reference",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.provider} {self.provider_reference or self.pk}"


class SimulatedCheckout(models.Model):
    """The provider side of the built-in test provider: what a real provider keeps about
    a payment it was asked to take (dossiers.payments.providers.test)."""

    #: The test provider's payment id (``test_...``), unguessable: the checkout page's URL.
    reference = models.CharField(max_length=40, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    description = models.CharField(max_length=200)
    return_url = models.CharField(max_length=500)
    webhook_url = models.CharField(max_length=500)
    status = models.CharField(
        max_length=20, choices=OnlinePaymentStatus.choices, default=OnlinePaymentStatus.STARTED
    )
    #: Every status the checkout took, oldest first (reordered callbacks replay them).
    history = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("simulated checkout")
        verbose_name_plural = _("simulated checkouts")

    def __str__(self):
        return self.reference
