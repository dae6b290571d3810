"""The Belgian CODA statement format (Febelfin, "Coded statement of account", version
2.6): records of 128 characters, one per line.

Written here rather than taken from a package: the format is small and fixed-width, and
what Loket needs of it (the account, the movements with their structured
communication, the counterparty) is a few positions of five record types. Reading it
ourselves keeps every check (record length, the trailer's totals) in one place that
says in Dutch what is wrong with a file. The positions below are the specification's,
counted from 1::

    0      header: 6-11 creation date (DDMMYY), 128 version code "2"
    1      old balance: 2 account structure (2 = Belgian IBAN, 3 = foreign IBAN),
           3-5 paper statement number, 6-42 account and currency, 126-128 CODA
           statement number
    21     movement: 3-6 sequence, 7-10 detail number, 11-31 bank reference,
           32 sign (0 credit, 1 debit), 33-47 amount (3 decimals), 48-53 value date,
           62 communication type (1 structured), 63-115 communication
           (structured: type 101 then the 12 digits of the OGM), 116-121 entry date
    22     movement, continued: 11-63 communication, 99-109 counterparty BIC
    23     movement, continued: 11-47 counterparty account, 48-82 counterparty name,
           83-125 communication
    3x, 4  information and free communication: not needed
    8      new balance
    9      trailer: 23-37 total debit, 38-52 total credit (3 decimals)

Only movement records with detail number 0 are movements; the details of a globalised
movement (detail number above 0) repeat parts of it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs
from stdnum.exceptions import ValidationError as NumberError

from dossiers.payments.statements.parsed import ParsedLine, ParsedStatement, StatementError

RECORD_LENGTH = 128
#: The structured communication type of a Belgian OGM/VCS in a movement record.
OGM_TYPE = "101"


def _date(text: str, what: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%d%m%y").date()
    except ValueError:
        raise StatementError(
            _("This is not a valid CODA file: a date is wrong (%(what)s).") % {"what": what}
        ) from None


def _amount(sign: str, digits: str) -> Decimal:
    if not digits.isdigit() or sign not in "01":
        raise StatementError(_("This is not a valid CODA file: an amount is wrong."))
    amount = (Decimal(int(digits)) / 1000).quantize(Decimal("0.01"))
    return -amount if sign == "1" else amount


def _iban(text: str) -> str:
    compact = stdnum_iban.compact(text[:34])
    try:
        return stdnum_iban.validate(compact, check_country=False)
    except NumberError:
        return ""


def _records(content: bytes) -> list[str]:
    try:
        text = content.decode("latin-1")
    except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
        raise StatementError(_("This is not a CODA file.")) from None
    records = [line.rstrip("\r\n") for line in text.splitlines() if line.strip()]
    if not records or not records[0].startswith("0"):
        raise StatementError(_("This is not a CODA file: it does not start with record 0."))
    for number, record in enumerate(records, start=1):
        if len(record) > RECORD_LENGTH:
            raise StatementError(
                _("This is not a valid CODA file: line %(number)d is longer than 128 characters.")
                % {"number": number}
            )
    # Some mail programs and editors drop the spaces at the end of a record.
    return [record.ljust(RECORD_LENGTH) for record in records]


def parse(content: bytes) -> ParsedStatement:
    """The statement of a CODA file; raises :class:`StatementError` with a plain message."""
    records = _records(content)
    if records[0][127] != "2":
        raise StatementError(_("Only CODA files of version 2 can be read."))
    statement = ParsedStatement(format="coda")
    statement.date = _date(records[0][5:11], "record 0")
    movement: dict | None = None
    movements: list[dict] = []
    totals = {"debit": Decimal(0), "credit": Decimal(0)}
    trailer = None
    for record in records[1:]:
        kind = record[0]
        if kind == "1":
            structure = record[1]
            account = record[5:42]
            statement.account = _iban(account) if structure in "23" else account[:12].strip()
            statement.number = record[2:5].strip()
        elif record.startswith("21"):
            movement = None
            if record[6:10] != "0000":
                continue
            amount = _amount(record[31], record[32:47])
            totals["credit" if amount > 0 else "debit"] += abs(amount)
            communication = record[62:115]
            structured = ""
            if record[61] == "1" and communication[:3] == OGM_TYPE:
                try:
                    structured = ogm_vcs.validate(communication[3:15])
                except NumberError:
                    structured = ""
            movement = {
                "bank_reference": record[10:31].strip() or f"{statement.number}/{record[2:6]}",
                "booking_date": _date(record[115:121], "record 21"),
                "amount": amount,
                "communication": communication[3:15] if structured else communication.strip(),
                "structured_reference": structured,
                "counterparty_name": "",
                "counterparty_iban": "",
            }
            movements.append(movement)
        elif record.startswith("22") and movement is not None:
            if not movement["structured_reference"]:
                movement["communication"] = (
                    movement["communication"] + " " + record[10:63].strip()
                ).strip()
        elif record.startswith("23") and movement is not None:
            movement["counterparty_iban"] = _iban(record[10:47])
            movement["counterparty_name"] = record[47:82].strip()
            if not movement["structured_reference"]:
                movement["communication"] = (
                    movement["communication"] + " " + record[82:125].strip()
                ).strip()
        elif kind == "9":
            trailer = record
    if trailer is None:
        raise StatementError(_("The CODA file is not complete: record 9 is missing."))
    debit = _amount("0", trailer[22:37])
    credit = _amount("0", trailer[37:52])
    if debit != totals["debit"] or credit != totals["credit"]:
        raise StatementError(
            _("The CODA file is not complete: the totals in record 9 do not match the lines.")
        )
    statement.lines = [
        ParsedLine(
            **{**m, "communication": " ".join(m["communication"].split())[:280]},
        )
        for m in movements
    ]
    return statement
