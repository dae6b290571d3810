"""What a bank statement file says, whatever its format: the account, the statement's
number and date, and its movements. The readers (:mod:`.coda`, :mod:`.camt`) make these;
:mod:`.services` books them."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal


class StatementError(ValueError):
    """The file cannot be read as a statement; the message says why, in plain Dutch,
    for the person who uploaded it."""


@dataclass(frozen=True)
class ParsedLine:
    #: The bank's own reference of the movement (unique at that bank).
    bank_reference: str
    booking_date: datetime.date
    #: Positive: money in; negative: money out.
    amount: Decimal
    counterparty_name: str = ""
    counterparty_iban: str = ""
    #: The free or structured communication as the bank gives it.
    communication: str = ""
    #: The structured communication's 12 digits, when the bank marked it as one.
    structured_reference: str = ""
    #: The end-to-end id of a transfer we sent (camt.053; CODA has none).
    end_to_end_id: str = ""

    def identity(self, account: str) -> str:
        """What makes the movement the same in any file of any format: the account, the
        bank's reference, the day and the amount."""
        text = "|".join(
            [account, self.bank_reference, self.booking_date.isoformat(), f"{self.amount:.2f}"]
        )
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class ParsedStatement:
    format: str
    account: str = ""
    number: str = ""
    date: datetime.date | None = None
    lines: list[ParsedLine] = field(default_factory=list)
