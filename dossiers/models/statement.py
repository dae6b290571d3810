"""Bank statements that finance staff upload (CODA or camt.053) and their lines, each
booked to a payment request or a payout, or left for a person to match by hand.

The rules (reading the files, matching by structured communication, partial and
overpayments) live in :mod:`dossiers.payments.statements`; these models only hold what
was decided there. A file is read once (its SHA-256 is unique) and a line is booked once
(its identity is unique), also when it comes back in another file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The permission of the "Financiën" group (made by a data migration): statements,
#: payments, refunds and payouts, and of dossiers only their reference, amount and status.
FINANCE_PERMISSION = "dossiers.manage_finance"


class StatementFormat(models.TextChoices):
    CODA = "coda", _("CODA (Febelfin)")
    CAMT053 = "camt053", _("camt.053 (ISO 20022)")


class LineState(models.TextChoices):
    """How a statement line ended."""

    MATCHED = "matched", _("Matched")
    PARTLY_PAID = "partly_paid", _("Partly paid")
    OVERPAID = "overpaid", _("Overpaid")
    UNMATCHED = "unmatched", _("Unmatched")
    #: A debit line that paid out a grant of a payout batch.
    PAYOUT = "payout", _("Payout")
    #: A debit line that is not a payout of Loket (bank costs, other payments).
    OTHER = "other", _("Not for Loket")


class BankStatement(models.Model):
    """One uploaded statement file."""

    format = models.CharField(_("format"), max_length=10, choices=StatementFormat.choices)
    filename = models.CharField(_("file name"), max_length=255)
    #: The SHA-256 of the file's bytes: the same file is never read twice.
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    #: The account the statement is of (IBAN), as the file says.
    account = models.CharField(_("account"), max_length=34, blank=True)
    #: The bank's number or id of the statement.
    number = models.CharField(_("statement number"), max_length=70, blank=True)
    statement_date = models.DateField(_("statement date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    #: Lines that were in an earlier file already and were not booked again.
    skipped_lines = models.PositiveIntegerField(_("lines booked before"), default=0)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-pk"]
        permissions = [
            (
                "manage_finance",
                _("Can manage payments, bank statements, refunds and payouts"),
            )
        ]

    def __str__(self):
        return f"{self.filename} ({self.get_format_display()})"


class StatementLine(models.Model):
    """One movement on a statement: money in (a payment) or out (a payout)."""

    statement = models.ForeignKey(BankStatement, on_delete=models.PROTECT, related_name="lines")
    #: What makes the movement the same in any file: the account, the bank's reference,
    #: the date and the amount (hashed; see dossiers.payments.statements.parsed).
    identity = models.CharField(max_length=64, unique=True)
    bank_reference = models.CharField(_("bank reference"), max_length=70, blank=True)
    booking_date = models.DateField(_("booking date"))
    #: Positive for money in, negative for money out.
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    counterparty_name = models.CharField(_("counterparty"), max_length=140, blank=True)
    counterparty_iban = models.CharField(_("counterparty account"), max_length=34, blank=True)
    communication = models.CharField(_("communication"), max_length=280, blank=True)
    #: The 12 digits of a structured communication, when the line has a valid one.
    structured_reference = models.CharField(
        _("structured communication"), max_length=12, blank=True, db_index=True
    )
    #: The end-to-end id of a transfer we sent (a payout: the dossier's reference).
    end_to_end_id = models.CharField(_("end-to-end id"), max_length=35, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=LineState.choices)
    payment_request = models.ForeignKey(
        "PaymentRequest",
        verbose_name=_("payment request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_lines",
    )
    grant = models.ForeignKey(
        "Grant",
        verbose_name=_("grant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_lines",
    )
    #: Who matched the line by hand (empty when it was matched on reading the file).
    matched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("matched by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["booking_date", "pk"]

    def __str__(self):
        return f"{self.booking_date} {self.amount} {self.communication}"

    @property
    def is_credit(self) -> bool:
        return self.amount > 0
