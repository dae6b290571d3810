"""The EPC QR code that banking apps scan to fill in a transfer (EPC069-12, version
002): its payload, checked in full before anything is drawn.

The payload is the lines below, joined by a line feed, in UTF-8 (character set 1);
nothing follows the last filled-in element::

    BCD                     service tag
    002                     version
    1                       character set: UTF-8
    SCT                     SEPA credit transfer
    GKCCBEBB                BIC of the creditor's bank
    Gemeente Voorbeeld      creditor name, at most 70 characters
    BE71096123456769        creditor IBAN
    EUR12.34                amount, 0.01 to 999999999.99
                            purpose code: empty
    010806817183            structured reference (for an OGM: its 12 digits)

The unstructured text stays out: the standard allows one of the two, and banks book a
payment automatically only with the structured reference.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import segno
import segno.helpers  # noqa: F401  (segno's EPC helper is not imported by segno itself)
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as NumberError

from dossiers.payments import references

#: The most bytes an EPC QR code may carry.
MAX_PAYLOAD_BYTES = 331
MAX_NAME = 70
MIN_AMOUNT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")


class EpcError(ValueError):
    """The transfer cannot be put in an EPC QR code (the message says why, for logs
    and officers; applicants never see a half-made code)."""


@dataclass(frozen=True)
class Transfer:
    """What the applicant's bank needs for the transfer."""

    creditor_name: str
    iban: str
    bic: str
    amount: Decimal
    #: The 12 digits of the structured communication.
    reference: str


def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise EpcError("The creditor name is empty.")
    if len(name) > MAX_NAME:
        raise EpcError(f"The creditor name is longer than {MAX_NAME} characters.")
    for character in name:
        if unicodedata.category(character)[0] == "C":
            raise EpcError("The creditor name contains a control character.")
    return name


def _check_amount(amount) -> str:
    try:
        amount = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise EpcError("The amount is not a number.") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise EpcError("The amount has more than two decimals.")
    if not MIN_AMOUNT <= amount <= MAX_AMOUNT:
        raise EpcError("The amount is not between 0.01 and 999999999.99.")
    return f"EUR{amount:.2f}"


def payload(transfer: Transfer) -> str:
    """The checked payload (see the module docstring); raises :class:`EpcError`."""
    name = _check_name(transfer.creditor_name)
    try:
        iban = stdnum_iban.validate(transfer.iban)
        bic = stdnum_bic.validate(transfer.bic)
    except NumberError:
        raise EpcError("The IBAN or the BIC is not valid.") from None
    reference = references.compact(transfer.reference)
    if reference is None:
        raise EpcError("The structured reference is not a valid OGM/VCS.")
    lines = [
        "BCD",
        "002",
        "1",
        "SCT",
        bic,
        name,
        iban,
        _check_amount(transfer.amount),
        "",
        reference,
    ]
    text = "\n".join(lines)
    if len(text.encode("utf-8")) > MAX_PAYLOAD_BYTES:
        raise EpcError(f"The payload is longer than {MAX_PAYLOAD_BYTES} bytes.")
    return text


def qr_code(transfer: Transfer) -> segno.QRCode:
    """The QR code of the checked payload: error correction M (not raised), as the
    standard asks, in byte mode so the bytes are exactly the payload's UTF-8."""
    qr = segno.make(
        payload(transfer).encode("utf-8"), error="m", boost_error=False, mode="byte", micro=False
    )
    if qr.version > 13:  # pragma: no cover - 331 bytes fit in version 13 at level M
        raise EpcError("The QR code is larger than version 13.")
    return qr


def svg_data_uri(transfer: Transfer) -> str:
    """The QR code as an SVG data URI (the status page; ``img-src`` allows data:)."""
    return qr_code(transfer).svg_data_uri(scale=4, border=4)


def png_data_uri(transfer: Transfer) -> str:
    """The QR code as a PNG data URI (the PDF)."""
    return qr_code(transfer).png_data_uri(scale=6, border=4)
