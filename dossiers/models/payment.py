"""Asking for payment: the payment requests of a dossier and the municipality's bank
details (a Wagtail site setting) that the transfer goes to.

The rules (amounts, the structured communication, the EPC QR code) live in
:mod:`dossiers.payments`; these models only hold what was decided there.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.be import iban as be_iban
from stdnum.exceptions import ValidationError as NumberError
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from dossiers.constants import PaymentStatus
from dossiers.payments import references

#: The smallest and the largest amount a transfer (and an EPC QR code) can carry.
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")


def clean_iban(value: str) -> str:
    """The IBAN without spaces, in capitals; a Belgian IBAN must also have a known
    Belgian bank code. Raises ValidationError with a plain message."""
    compact = stdnum_iban.compact(value or "")
    try:
        stdnum_iban.validate(compact)
        if compact.startswith("BE"):
            be_iban.validate(compact)
    except NumberError:
        raise ValidationError(
            _("This is not a valid IBAN. Check the account number, e.g. BE71 0961 2345 6769.")
        ) from None
    return compact


def clean_bic(value: str) -> str:
    """The BIC in capitals (8 or 11 characters)."""
    try:
        return stdnum_bic.validate(value or "")
    except NumberError:
        raise ValidationError(
            _("This is not a valid BIC. A BIC has 8 or 11 letters and digits, e.g. GKCCBEBB.")
        ) from None


#: A site's key variable must start with this: no other secret of the environment can
#: be named (and sent to a provider).
KEY_VARIABLE_PREFIX = "LOKET_MOLLIE_API_KEY_"
KEY_VARIABLE = re.compile(r"^LOKET_MOLLIE_API_KEY_[A-Z0-9_]{1,39}$")


def validate_key_variable(value: str) -> None:
    """A variable name like ``LOKET_MOLLIE_API_KEY_GENT``; never a key itself."""
    if value and not KEY_VARIABLE.match(value):
        raise ValidationError(
            _(
                "Fill in the name of an environment variable that starts with "
                "LOKET_MOLLIE_API_KEY_, in capitals, digits and _ (e.g. "
                "LOKET_MOLLIE_API_KEY_GENT). Never fill in the key itself."
            )
        )


def validate_iban(value: str) -> None:
    clean_iban(value)


def validate_bic(value: str) -> None:
    clean_bic(value)


@register_setting(icon="form")
class PaymentSettings(BaseSiteSetting):
    """Where applicants transfer money to: the municipality's creditor name, IBAN and
    BIC, per Site (docs/OPERATIONS.md, "Payments"). Without an IBAN no payment request
    can be made."""

    creditor_name = models.CharField(
        _("name of the account holder"),
        max_length=70,
        blank=True,
        help_text=_("As the bank knows it, e.g. Gemeente Voorbeeld. At most 70 characters."),
    )
    iban = models.CharField(
        _("IBAN"),
        max_length=34,
        blank=True,
        validators=[validate_iban],
        help_text=_("The account applicants pay into, e.g. BE71 0961 2345 6769."),
    )
    bic = models.CharField(
        _("BIC"),
        max_length=11,
        blank=True,
        validators=[validate_bic],
        help_text=_("The bank's code, e.g. GKCCBEBB."),
    )
    #: How many days an applicant has to pay, unless the officer chooses a date.
    payment_term_days = models.PositiveSmallIntegerField(
        _("days to pay"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("The due date of a new payment request is this many days away."),
    )

    #: The NAME of the environment variable that holds this site's Mollie API key; the
    #: key itself is never stored in the database nor shown (docs/betalingen.md).
    mollie_key_variable = models.CharField(
        _("environment variable with the Mollie API key"),
        max_length=60,
        blank=True,
        validators=[validate_key_variable],
        help_text=_(
            "Only for a municipality with its own Mollie contract: the name of the "
            "environment variable that holds its key, e.g. LOKET_MOLLIE_API_KEY_GENT. The "
            "key itself is never stored here. Empty: the installation's key."
        ),
    )

    panels = [
        FieldPanel("creditor_name"),
        FieldPanel("iban"),
        FieldPanel("bic"),
        FieldPanel("payment_term_days"),
        FieldPanel("mollie_key_variable"),
    ]

    class Meta:
        verbose_name = _("payments")

    def clean(self):
        super().clean()
        errors = {}
        if self.iban:
            try:
                self.iban = clean_iban(self.iban)
            except ValidationError as exc:
                errors["iban"] = exc
        if self.bic:
            try:
                self.bic = clean_bic(self.bic)
            except ValidationError as exc:
                errors["bic"] = exc
        self.creditor_name = " ".join((self.creditor_name or "").split())
        if self.iban and not self.creditor_name:
            errors["creditor_name"] = _("Fill in the name of the account holder.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_complete(self) -> bool:
        """Whether payment requests can be made: a name, an IBAN and a BIC."""
        return bool(self.creditor_name and self.iban and self.bic)


class PaymentRequest(models.Model):
    """A request to the applicant to pay an amount by a date, by transfer with a
    Belgian structured communication (OGM/VCS) that is unique to this request.

    The amount is the dossier's ``amount_due`` or what an officer set (with a reason);
    it never comes from the applicant's browser. Only :mod:`dossiers.payments.services`
    changes a request, and every change writes an Event.
    """

    dossier = models.ForeignKey(
        "Dossier", on_delete=models.CASCADE, related_name="payment_requests"
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(MIN_AMOUNT)],
    )
    due_date = models.DateField(_("pay before"))
    #: The 12 digits of the structured communication (shown as +++123/4567/89012+++).
    structured_reference = models.CharField(
        _("structured communication"), max_length=12, unique=True
    )
    status = models.CharField(
        _("state"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.OPEN
    )
    #: Why the amount differs from the fee of the form (empty when it is the fee).
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    #: When the request was paid or cancelled.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: The officer's note when marking it paid or cancelling it.
    closing_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=MIN_AMOUNT) & models.Q(amount__lte=MAX_AMOUNT),
                name="payment_request_amount_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.dossier} {self.display_reference}"

    @property
    def display_reference(self) -> str:
        """``+++123/4567/89012+++``, as the applicant types it in the bank app."""
        return references.display(self.structured_reference)

    @property
    def is_open(self) -> bool:
        return self.status == PaymentStatus.OPEN
