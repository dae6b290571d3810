"""ISO 20022 camt.053 (bank-to-customer statement), versions 001.02 to 001.13.

Read with the standard library's XML parser behind defusedxml, which refuses document
types, entities and external references (a file from outside never makes the server
fetch or expand anything). Written here rather than with a package: only a few
elements are needed, they are the same in every version, and the namespaces differ
per version, so elements are found by their local names::

    Document/BkToCstmrStmt/Stmt
      Id, CreDtTm, Acct/Id/IBAN
      Ntry                          one movement (only "BOOK"ed ones are read)
        Amt, CdtDbtInd (CRDT/DBIT), Sts (or Sts/Cd), BookgDt/Dt, AcctSvcrRef, NtryRef
        NtryDtls/TxDtls             one or more transactions of the movement
          Refs/EndToEndId, Refs/AcctSvcrRef, Amt or AmtDtls/TxAmt/Amt
          RltdPties/Dbtr(/Pty)/Nm, DbtrAcct/Id/IBAN, Cdtr(/Pty)/Nm, CdtrAcct/Id/IBAN
          RmtInf/Strd/CdtrRefInf/Ref  the structured communication (Belgium: 12 digits)
          RmtInf/Ustrd                free communication

A movement with several transactions (a batch booked as one) gives one line per
transaction.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs
from stdnum.exceptions import ValidationError as NumberError

from dossiers.payments.statements.parsed import ParsedLine, ParsedStatement, StatementError

NAMESPACE_START = "urn:iso:std:iso:20022:tech:xsd:camt.053.001."


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: Element | None, *path: str) -> Element | None:
    """The first descendant along ``path`` of local names (``None`` when missing)."""
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _children(element: Element | None, name: str) -> list[Element]:
    return [c for c in element if _local(c.tag) == name] if element is not None else []


def _text(element: Element | None, *path: str) -> str:
    found = _child(element, *path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _amount(element: Element | None) -> Decimal | None:
    if element is None:
        return None
    if element.get("Ccy", "EUR") != "EUR":
        raise StatementError(_("The statement has an amount in another currency than euro."))
    try:
        amount = Decimal((element.text or "").strip())
    except InvalidOperation:
        raise StatementError(_("This is not a valid camt.053 file: an amount is wrong.")) from None
    if not amount.is_finite():
        raise StatementError(_("This is not a valid camt.053 file: an amount is wrong."))
    return amount.quantize(Decimal("0.01"))


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise StatementError(_("This is not a valid camt.053 file: a date is wrong.")) from None


def _iban(text: str) -> str:
    try:
        return stdnum_iban.validate(text, check_country=False)
    except NumberError:
        return ""


def _party_name(parties: Element | None, role: str) -> str:
    # Version 02 has Dbtr/Nm, later versions Dbtr/Pty/Nm.
    return _text(parties, role, "Nm") or _text(parties, role, "Pty", "Nm")


def parse(content: bytes) -> ParsedStatement:
    """The statement(s) of a camt.053 file as one statement; raises
    :class:`StatementError` with a plain message."""
    try:
        root = fromstring(content)
    except (ParseError, DefusedXmlException, ValueError):
        raise StatementError(_("This is not a valid XML file.")) from None
    if _local(root.tag) != "Document" or not root.tag.startswith("{" + NAMESPACE_START):
        raise StatementError(_("This is not a camt.053 bank statement."))
    statements = _children(_child(root, "BkToCstmrStmt"), "Stmt")
    if not statements:
        raise StatementError(_("The camt.053 file has no statement."))
    parsed = ParsedStatement(format="camt053")
    first = statements[0]
    parsed.account = _iban(_text(first, "Acct", "Id", "IBAN"))
    parsed.number = _text(first, "Id")[:70]
    if created := _text(first, "CreDtTm"):
        parsed.date = _date(created)
    for statement in statements:
        for entry in _children(statement, "Ntry"):
            parsed.lines.extend(_entry_lines(entry))
    return parsed


def _entry_lines(entry: Element) -> list[ParsedLine]:
    status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
    if status and status != "BOOK":
        return []
    debit = _text(entry, "CdtDbtInd") == "DBIT"
    entry_amount = _amount(_child(entry, "Amt"))
    if entry_amount is None:
        raise StatementError(_("This is not a valid camt.053 file: a movement has no amount."))
    booking = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")
    booking_date = _date(booking or _text(entry, "ValDt", "Dt"))
    entry_reference = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    details = [
        tx for block in _children(entry, "NtryDtls") for tx in _children(block, "TxDtls")
    ] or [None]
    lines = []
    for index, tx in enumerate(details):
        amount = _amount(_child(tx, "Amt"))
        if amount is None:
            amount = _amount(_child(tx, "AmtDtls", "TxAmt", "Amt"))
        if amount is None:
            amount = entry_amount
        if _text(tx, "CdtDbtInd"):
            tx_debit = _text(tx, "CdtDbtInd") == "DBIT"
        else:
            tx_debit = debit
        parties = _child(tx, "RltdPties")
        other = "Cdtr" if tx_debit else "Dbtr"
        reference = _text(tx, "Refs", "AcctSvcrRef") or entry_reference
        if len(details) > 1 and reference == entry_reference:
            reference = f"{entry_reference}/{index + 1}"
        end_to_end = _text(tx, "Refs", "EndToEndId")
        structured = ""
        for info in _children(_child(tx, "RmtInf"), "Strd"):
            try:
                structured = ogm_vcs.validate(_text(info, "CdtrRefInf", "Ref"))
                break
            except NumberError:
                continue
        free = " ".join(_text(u) for u in _children(_child(tx, "RmtInf"), "Ustrd"))
        lines.append(
            ParsedLine(
                bank_reference=reference[:70],
                booking_date=booking_date,
                amount=-amount if tx_debit else amount,
                counterparty_name=_party_name(parties, other)[:140],
                counterparty_iban=_iban(_text(tx, "RltdPties", other + "Acct", "Id", "IBAN")),
                communication=(structured or free)[:280],
                structured_reference=structured,
                end_to_end_id="" if end_to_end == "NOTPROVIDED" else end_to_end[:35],
            )
        )
    return lines
