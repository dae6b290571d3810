"""Writes CODA statements (Febelfin 2.6, records of 128 characters) for tests: the
fixture files in files/ were made with it, and the property test reads back what it
writes. Run as a script to write a file:
``python -m tests.dossiers.finance.coda_builder out.cod``."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Movement:
    bank_reference: str
    amount: Decimal
    #: The 12 digits of a structured communication, or "" for a free one.
    ogm: str = ""
    free: str = ""
    counterparty_iban: str = ""
    counterparty_name: str = ""
    counterparty_bic: str = ""


def _amount(value: Decimal) -> str:
    return f"{int(abs(Decimal(value)) * 1000):015d}"


def coda(account: str, holder: str, date: str, movements: list[Movement], number="001") -> str:
    """A CODA file of one statement of ``account`` on ``date`` (DDMMYY)."""
    records = [
        "0"
        + "0000"
        + date
        + "725"
        + "05"
        + " " * 8
        + "LOKET00001"
        + "GEMEENTE VOORBEELD".ljust(26)
        + "KREDBEBB".ljust(11)
        + "00207500123"
        + " " * 45
        + "2",
        "12"
        + number
        + account.ljust(34)
        + "EUR"
        + "0"
        + _amount(Decimal("10000.00"))
        + date
        + holder.ljust(26)[:26]
        + "Rekening retributies".ljust(35)
        + number,
    ]
    debit = credit = Decimal(0)
    for index, move in enumerate(movements, start=1):
        amount = Decimal(move.amount)
        if amount < 0:
            debit += -amount
        else:
            credit += amount
        kind, text = ("1", ("101" + move.ogm).ljust(53)) if move.ogm else ("0", move.free[:53])
        sequence = f"{index:04d}"
        records += [
            "21"
            + sequence
            + "0000"
            + move.bank_reference.ljust(21)
            + ("1" if amount < 0 else "0")
            + _amount(amount)
            + date
            + "00150000"
            + kind
            + text.ljust(53)
            + date
            + number
            + "01 0",
            "22"
            + sequence
            + "0000"
            + ("" if move.ogm else move.free[53:106]).ljust(53)
            + " " * 35
            + move.counterparty_bic.ljust(11)
            + " " * 16
            + "1 0",
            "23"
            + sequence
            + "0000"
            + move.counterparty_iban.ljust(34)
            + "EUR"
            + move.counterparty_name.ljust(35)[:35]
            + " " * 43
            + "0 0",
        ]
    #: Record 9 counts the records 1, 2 and 3.
    count = len(records) - 1
    records.append(
        "8"
        + number
        + account.ljust(34)
        + "EUR"
        + "0"
        + _amount(Decimal("10000.00") + credit - debit)
        + date
        + " " * 64
        + "0"
    )
    totals = _amount(debit) + _amount(credit)
    records.append("9" + " " * 15 + f"{count:06d}" + totals + " " * 75 + "2")
    for record in records:
        assert len(record) == 128, (len(record), record)
    return "\r\n".join(records) + "\r\n"


if __name__ == "__main__":  # pragma: no cover - writes a fixture by hand
    fixture = coda(
        "BE71096123456769",
        "GEMEENTE VOORBEELD",
        "041226",
        [
            Movement("0412A1B2C3D4E5F6G7H8I", Decimal("150.00"), "090000000151"),
        ],
    )
    with open(sys.argv[1], "w", newline="") as out:
        out.write(fixture)
