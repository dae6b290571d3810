"""Reading bank statements and booking their lines (keep it small).

- :func:`import_statement`  read an uploaded CODA or camt.053 file once and book every
  line not booked before
- :func:`match_by_hand`     book an unmatched line to the payment request a person
  chose
- :func:`find_request`      the payment request a person means (structured
  communication or dossier reference)

A credit line is booked to the payment request with its structured communication:

- the line brings what was still due: **matched**, the request is paid
  (:func:`dossiers.payments.services.mark_paid`, so the event and the applicant's
  e-mail are those of every payment);
- less: **partly paid**, the request stays open for the rest;
- more, or the request was paid or cancelled before: **overpaid**, the request is paid
  and the rest becomes a refund to do (:mod:`dossiers.payments.refunds`);
- no request has it: **unmatched**, for finance staff to match by hand.

A debit line is a payout when its end-to-end id is a dossier reference in an exported
payout batch (:func:`dossiers.payments.payouts.book_debit`), else not for Loket.
Every booked line writes a ``payment_booked`` event on the dossier with who booked it.
The file's SHA-256 and each line's identity are unique in the database, so neither a
file read twice nor two uploads at the same moment book a movement twice.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import EventType, PaymentStatus
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    BankStatement,
    Dossier,
    Event,
    LineState,
    PaymentRequest,
    PaymentSettings,
    RefundReason,
    StatementFormat,
    StatementLine,
)
from dossiers.payments import access, payouts, references, refunds
from dossiers.payments import services as payments
from dossiers.payments.statements import camt, coda
from dossiers.payments.statements.parsed import ParsedStatement, StatementError

#: The largest statement file read, in bytes.
MAX_FILE_SIZE = 10 * 1024 * 1024
#: ``source`` of a payment seen on a bank statement (mark_paid).
STATEMENT = "bank_statement"


@dataclass
class ImportResult:
    statement: BankStatement
    #: How many new lines ended in each state (LineState values).
    states: Counter = field(default_factory=Counter)
    #: Lines booked before (from an earlier file).
    skipped: int = 0


def parse(content: bytes) -> ParsedStatement:
    """The statement in ``content``: camt.053 when it is XML (also after a UTF-8 byte
    order mark, which some banks write), else CODA."""
    if content.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<":
        return camt.parse(content)
    return coda.parse(content)


def _check_account(statement: ParsedStatement) -> None:
    """A statement of another account than the municipality's is refused (when the
    municipality's accounts are set)."""
    accounts = set(PaymentSettings.objects.exclude(iban="").values_list("iban", flat=True))
    if accounts and statement.account not in accounts:
        raise ActionRefused(
            _(
                "This statement is of account %(account)s, not of the municipality's "
                "account. Check that you chose the right file."
            )
            % {"account": statement.account or "?"}
        )


def import_statement(*, content: bytes, filename: str, user) -> ImportResult:
    """Read a statement file and book every line that was not booked before, in one
    transaction (a file that cannot be read books nothing). Refused: a file read
    before, a file that is no statement, another account's statement."""
    access.require_finance(user)
    if len(content) > MAX_FILE_SIZE:
        raise ActionRefused(_("The file is too large for a bank statement."))
    digest = hashlib.sha256(content).hexdigest()
    earlier = BankStatement.objects.filter(sha256=digest).first()
    if earlier is not None:
        raise ActionRefused(
            _("This file was read before, on %(date)s. Nothing was booked twice.")
            % {"date": timezone.localtime(earlier.uploaded_at).strftime("%d-%m-%Y %H:%M")}
        )
    try:
        parsed = parse(content)
    except StatementError as exc:
        raise ActionRefused(str(exc)) from None
    _check_account(parsed)
    access.require_account(user, parsed.account)
    try:
        with transaction.atomic():
            statement = BankStatement.objects.create(
                format=StatementFormat.CAMT053 if parsed.format == "camt053" else "coda",
                filename=(filename or "")[:255],
                sha256=digest,
                account=parsed.account,
                number=parsed.number,
                statement_date=parsed.date,
                uploaded_by=user,
            )
            result = ImportResult(statement=statement)
            for parsed_line in parsed.lines:
                line = _new_line(statement, parsed, parsed_line)
                if line is None:
                    result.skipped += 1
                    continue
                result.states[_book(line, user)] += 1
            if result.skipped:
                statement.skipped_lines = result.skipped
                statement.save(update_fields=["skipped_lines"])
    except IntegrityError:
        # The same file uploaded at the same moment by someone else.
        raise ActionRefused(_("This file was read before. Nothing was booked twice.")) from None
    return result


def _new_line(statement, parsed, parsed_line) -> StatementLine | None:
    identity = parsed_line.identity(parsed.account)
    if StatementLine.objects.filter(identity=identity).exists():
        return None
    try:
        with transaction.atomic():
            return StatementLine.objects.create(
                statement=statement,
                identity=identity,
                bank_reference=parsed_line.bank_reference,
                booking_date=parsed_line.booking_date,
                amount=parsed_line.amount,
                counterparty_name=parsed_line.counterparty_name,
                counterparty_iban=parsed_line.counterparty_iban,
                communication=parsed_line.communication,
                structured_reference=parsed_line.structured_reference,
                end_to_end_id=parsed_line.end_to_end_id,
                state=LineState.UNMATCHED,
            )
    except IntegrityError:
        return None


def _book(line: StatementLine, user) -> str:
    if line.amount < 0:
        state = payouts.book_debit(line, user)
    else:
        payment_request = None
        if line.structured_reference:
            payment_request = PaymentRequest.objects.filter(
                structured_reference=line.structured_reference
            ).first()
        if payment_request is None:
            return LineState.UNMATCHED
        state = _book_to_request(line, payment_request, user, by_hand=False)
    return state


def _book_to_request(line: StatementLine, payment_request: PaymentRequest, user, *, by_hand):
    """Book a credit line to a request: the request's payment, part of it, or more."""
    Dossier.objects.select_for_update().get(pk=payment_request.dossier_id)
    locked = PaymentRequest.objects.select_for_update().get(pk=payment_request.pk)
    before = locked.statement_lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    now = timezone.now()
    line.payment_request = locked
    line.matched_by = user if by_hand else None
    line.matched_at = now
    excess = Decimal(0)
    if locked.status != PaymentStatus.OPEN:
        line.state, excess = LineState.OVERPAID, line.amount
    elif before + line.amount < locked.amount:
        line.state = LineState.PARTLY_PAID
    else:
        excess = before + line.amount - locked.amount
        line.state = LineState.OVERPAID if excess else LineState.MATCHED
    line.save(update_fields=["payment_request", "matched_by", "matched_at", "state"])
    Event.objects.create(
        dossier_id=locked.dossier_id,
        type=EventType.PAYMENT_BOOKED,
        actor=user,
        public=False,
        data={
            "payment_request": locked.pk,
            "line": line.pk,
            "amount": str(line.amount),
            "state": line.state,
            "by_hand": by_hand,
            "booking_date": line.booking_date.isoformat(),
        },
    )
    if locked.status == PaymentStatus.OPEN and line.state != LineState.PARTLY_PAID:
        payments.mark_paid(
            locked,
            user,
            _("Bank statement of %(date)s, %(reference)s")
            % {"date": line.booking_date.strftime("%d-%m-%Y"), "reference": line.bank_reference},
            source=STATEMENT,
            authorised=True,
        )
    if excess:
        refunds.record_refund(
            payment_request=locked,
            amount=excess,
            reason=RefundReason.CANCELLED
            if locked.status == PaymentStatus.CANCELLED
            else RefundReason.OVERPAID,
            actor=user,
            statement_line=line,
            iban=line.counterparty_iban,
        )
    return line.state


def find_request(text: str, user=None) -> PaymentRequest | None:
    """The payment request a person means: by its structured communication (as people
    write it), or by the dossier's reference (its open request, else its latest). With
    ``user``: only of the municipalities of that finance user."""
    text = (text or "").strip()
    reference = references.compact(text)
    requests = PaymentRequest.objects.all()
    if user is not None:
        requests = access.by_dossier_site(user, requests)
    if reference is not None:
        return requests.filter(structured_reference=reference).first()
    return (
        requests.filter(dossier__reference__iexact=text)
        .order_by(payments.OPEN_FIRST, "-created_at", "-pk")
        .first()
    )


def match_by_hand(line: StatementLine, payment_request: PaymentRequest, user) -> str:
    """Book an unmatched credit line to the request finance staff chose; the event says
    who did it. Returns the state the line ends in."""
    access.require_finance(user)
    with transaction.atomic():
        locked = StatementLine.objects.select_for_update().get(pk=line.pk)
        if locked.state != LineState.UNMATCHED or locked.amount <= 0:
            raise ActionRefused(_("This line is booked already."))
        return _book_to_request(locked, payment_request, user, by_hand=True)
