"""Money the municipality pays back: an overpayment seen on a bank statement, or a
payment of a permit that was cancelled. Each refund goes from "to do" to "sent" (the
transfer is made) to "done" (seen on the statement); every step is an event of the
dossier (see dossiers.payments.refunds)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dossiers.models.payment import MIN_AMOUNT


class RefundState(models.TextChoices):
    TO_DO = "to_do", _("To do")
    SENT = "sent", _("Sent")
    DONE = "done", _("Done")


class RefundReason(models.TextChoices):
    OVERPAID = "overpaid", _("Paid too much")
    CANCELLED = "cancelled", _("Permit or request cancelled")
    #: A payment request partly paid was cancelled, or its application was withdrawn
    #: or refused (dossiers.payments.refunds.refund_ended).
    ENDED = "ended", _("Partly paid, then cancelled, withdrawn or refused")
    #: An online payment that came in after its request was closed.
    PAID_LATE = "paid_late", _("Paid online after the request was closed")


class Refund(models.Model):
    dossier = models.ForeignKey("Dossier", on_delete=models.PROTECT, related_name="refunds")
    payment_request = models.ForeignKey(
        "PaymentRequest",
        verbose_name=_("payment request"),
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    #: The statement line whose money is paid back (an overpayment), when there is one.
    statement_line = models.ForeignKey(
        "StatementLine",
        verbose_name=_("statement line"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    #: The online payment whose money is paid back (it came after its request was
    #: closed), when there is one: one refund per payment at most.
    online_payment = models.OneToOneField(
        "OnlinePayment",
        verbose_name=_("online payment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refund",
    )
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(MIN_AMOUNT)]
    )
    reason = models.CharField(_("reason"), max_length=20, choices=RefundReason.choices)
    note = models.TextField(_("note"), blank=True)
    #: Where the money goes back to: the account it came from, when the bank said.
    iban = models.CharField(_("account"), max_length=34, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RefundState.choices, default=RefundState.TO_DO
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=MIN_AMOUNT), name="refund_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.dossier} {self.amount}"
