"""The rules every use case about money shares (keep it small): what an amount and a
note may be, and a new payment request with a structured communication nobody has."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dossiers.exceptions import ActionRefused
from dossiers.models import PaymentRequest
from dossiers.models.payment import MAX_AMOUNT, MIN_AMOUNT
from dossiers.payments import references

#: The longest reason or note, in characters.
MAX_TEXT = 2000
#: How often a new structured communication is drawn when one is taken already.
REFERENCE_ATTEMPTS = 5


def _clean_amount(amount) -> Decimal:
    if amount is None:
        raise ActionRefused(_("Fill in the amount to pay."))
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise ActionRefused(_("Fill in the amount to pay.")) from None
    if not amount.is_finite():
        raise ActionRefused(_("Fill in the amount to pay."))
    if amount != amount.quantize(Decimal("0.01")):
        raise ActionRefused(_("Use at most two decimals for the amount."))
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise ActionRefused(_("The amount must be between 0.01 and 999 999 999.99 euro."))
    return amount


def _clean_text(text: str, *, required_message: str | None = None) -> str:
    text = (text or "").strip()
    if required_message and not text:
        raise ActionRefused(required_message)
    if len(text) > MAX_TEXT:
        raise ActionRefused(
            _("Keep the text shorter than %(count)d characters.") % {"count": MAX_TEXT}
        )
    return text


def _create_with_new_reference(**fields) -> PaymentRequest:
    for _attempt in range(REFERENCE_ATTEMPTS):
        reference = references.new_reference()
        if PaymentRequest.objects.filter(structured_reference=reference).exists():
            continue
        try:
            with transaction.atomic():
                return PaymentRequest.objects.create(structured_reference=reference, **fields)
        except IntegrityError:
            continue
    raise ActionRefused(_("No free payment reference was found. Try again."))
