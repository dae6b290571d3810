"""Bank statements (issue #17): CODA and camt.053 read from fixture files, every line
booked once (by structured communication), matched, partly paid, overpaid or unmatched,
the request paid through the one "mark paid" path (event and e-mail), and matching an
unmatched line by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dossiers.constants import EventType, PaymentStatus
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    BankStatement,
    Event,
    LineState,
    Notification,
    PaymentSettings,
    Refund,
    RefundReason,
    StatementLine,
)
from dossiers.payments.statements import camt, coda
from dossiers.payments.statements import services as statements
from dossiers.payments.statements.parsed import StatementError
from tests.dossiers.finance.conftest import fixture_bytes

pytestmark = pytest.mark.django_db

CODA = "statement.cod"
CAMT = "statement.camt053.xml"


def read(name, user):
    return statements.import_statement(content=fixture_bytes(name), filename=name, user=user)


def states(statement):
    return {line.bank_reference: line.state for line in statement.lines.all()}


def test_coda_is_read_position_by_position():
    parsed = coda.parse(fixture_bytes(CODA))
    assert parsed.account == "BE71096123456769"
    assert [line.amount for line in parsed.lines] == [
        Decimal("150.00"),
        Decimal("50.00"),
        Decimal("75.00"),
        Decimal("200.00"),
        Decimal("-12.50"),
    ]
    first = parsed.lines[0]
    assert first.structured_reference == "090000000151"
    assert first.counterparty_name == "CAFE DE MARKT BV"
    assert parsed.lines[2].structured_reference == ""
    assert parsed.lines[2].communication == "terras juni markt 1 factuur"


def test_coda_with_wrong_totals_or_no_trailer_is_refused():
    content = fixture_bytes(CODA).decode("latin-1")
    records = content.splitlines()
    with pytest.raises(StatementError, match="record 9"):
        coda.parse("\r\n".join(records[:-1]).encode("latin-1"))
    wrong = records[-1][:37] + "000000000999000" + records[-1][52:]
    with pytest.raises(StatementError, match="totals"):
        coda.parse("\r\n".join([*records[:-1], wrong]).encode("latin-1"))
    with pytest.raises(StatementError):
        coda.parse(b"not a statement")


def test_camt_reads_batches_and_skips_entries_not_booked():
    parsed = camt.parse(fixture_bytes(CAMT))
    assert parsed.account == "BE71096123456769"
    assert len(parsed.lines) == 5  # the pending entry is left out
    payouts = [line for line in parsed.lines if line.amount < 0]
    assert [line.end_to_end_id for line in payouts] == ["STP-2026-00001", "STP-2026-00002"]
    assert sum(line.amount for line in payouts) == Decimal("-11600.00")


def test_camt_refuses_entities_and_other_documents():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]>'
        b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">&a;</Document>'
    )
    with pytest.raises(StatementError):
        camt.parse(bomb)
    with pytest.raises(StatementError, match="camt.053"):
        camt.parse(b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>')


def test_a_coda_file_books_each_line_once(requests_of_fixtures, finance):
    result = read(CODA, finance)
    assert states(result.statement) == {
        "0412A1B2C3D4E5F6G7H8I": LineState.MATCHED,
        "0412A1B2C3D4E5F6G7H8J": LineState.PARTLY_PAID,
        "0412A1B2C3D4E5F6G7H8K": LineState.UNMATCHED,
        "0412A1B2C3D4E5F6G7H8L": LineState.OVERPAID,
        "0412A1B2C3D4E5F6G7H8M": LineState.OTHER,
    }
    a, b, c = (requests_of_fixtures[k] for k in "ABC")
    for request in (a, b, c):
        request.refresh_from_db()
    assert a.status == PaymentStatus.PAID and c.status == PaymentStatus.PAID
    assert b.status == PaymentStatus.OPEN
    refund = Refund.objects.get()
    assert refund.payment_request == c and refund.amount == Decimal("20.00")
    assert refund.reason == RefundReason.OVERPAID
    # The one path of every payment: the public event and the applicant's e-mail.
    received = Event.objects.get(dossier=a.dossier, type=EventType.PAYMENT_RECEIVED)
    assert received.public and received.actor == finance
    assert received.data["source"] == statements.STATEMENT
    mail = Notification.objects.get(event=received)
    assert mail.kind == "payment_received" and "150,00" in mail.body
    booked = Event.objects.get(dossier=b.dossier, type=EventType.PAYMENT_BOOKED)
    assert booked.data["state"] == LineState.PARTLY_PAID and not booked.public


def test_the_same_file_twice_books_nothing_twice(requests_of_fixtures, finance):
    read(CODA, finance)
    with pytest.raises(ActionRefused, match="read before"):
        read(CODA, finance)
    assert BankStatement.objects.count() == 1
    assert StatementLine.objects.count() == 5
    assert Event.objects.filter(type=EventType.PAYMENT_RECEIVED).count() == 2


def test_a_line_in_another_file_is_not_booked_again(requests_of_fixtures, finance):
    read(CODA, finance)
    again = fixture_bytes(CODA).replace(b"LOKET00001", b"LOKET00002")
    result = statements.import_statement(content=again, filename="copy.cod", user=finance)
    assert result.skipped == 5 and not result.states
    assert StatementLine.objects.count() == 5


def test_camt_pays_the_rest_and_leaves_unmatched_and_partial(requests_of_fixtures, finance):
    read(CODA, finance)
    result = read(CAMT, finance)
    assert states(result.statement) == {
        "KRED2026120700001": LineState.MATCHED,  # 50 + 70 = 120
        "KRED2026120700002": LineState.UNMATCHED,
        "KRED2026120700003": LineState.PARTLY_PAID,
        "KRED2026120700004-1": LineState.OTHER,  # no payout batch had these
        "KRED2026120700004-2": LineState.OTHER,
    }
    b = requests_of_fixtures["B"]
    b.refresh_from_db()
    assert b.status == PaymentStatus.PAID
    with pytest.raises(ActionRefused):
        read(CAMT, finance)


def test_only_finance_staff_read_statements(requests_of_fixtures, officer):
    with pytest.raises(ActionRefused):
        read(CODA, officer)
    assert not BankStatement.objects.exists()


def test_a_statement_of_another_account_is_refused(requests_of_fixtures, finance):
    PaymentSettings.objects.update(iban="BE68539007547034")
    with pytest.raises(ActionRefused, match="not of the municipality"):
        read(CODA, finance)


def test_matching_by_hand_is_recorded(requests_of_fixtures, finance):
    read(CODA, finance)
    line = StatementLine.objects.get(state=LineState.UNMATCHED)
    d = requests_of_fixtures["D"]
    assert statements.find_request("+++090/0000/00454+++") == d
    assert statements.find_request(d.dossier.reference) == d
    state = statements.match_by_hand(line, d, finance)
    assert state == LineState.PARTLY_PAID  # 75 of 100
    line.refresh_from_db()
    assert line.matched_by == finance and line.payment_request == d
    event = Event.objects.get(dossier=d.dossier, type=EventType.PAYMENT_BOOKED)
    assert event.actor == finance and event.data["by_hand"] is True
    with pytest.raises(ActionRefused, match="booked already"):
        statements.match_by_hand(line, d, finance)


def test_money_for_a_paid_request_becomes_a_refund(requests_of_fixtures, finance):
    read(CODA, finance)
    line = StatementLine.objects.get(state=LineState.UNMATCHED)
    a = requests_of_fixtures["A"]
    assert statements.match_by_hand(line, a, finance) == LineState.OVERPAID
    refund = Refund.objects.get(statement_line=line)
    assert refund.amount == Decimal("75.00") and refund.iban == "BE43068999999501"


def test_a_camt_file_with_a_byte_order_mark_is_read():
    parsed = statements.parse(b"\xef\xbb\xbf" + fixture_bytes(CAMT))
    assert parsed.format == "camt053" and len(parsed.lines) == 5
