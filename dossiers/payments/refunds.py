"""Refunds: money the municipality pays back (keep it small).

- :func:`record_refund`   a refund to do (an overpayment seen on a statement; called in
  the booking's transaction)
- :func:`refund_payment`  finance records a refund of a paid request (e.g. the permit
  was cancelled)
- :func:`advance`         the refund's next state: to do → sent → done

Every change writes a ``refund`` event on the dossier (who, the amount, the state).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dossiers.constants import EventType, PaymentStatus
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    Dossier,
    Event,
    PaymentRequest,
    Refund,
    RefundReason,
    RefundState,
    StatementLine,
)
from dossiers.payments import access
from dossiers.payments.services import MAX_TEXT, _clean_amount

#: The state that follows each state.
NEXT_STATE = {RefundState.TO_DO: RefundState.SENT, RefundState.SENT: RefundState.DONE}


def _event(refund: Refund, actor, **data) -> Event:
    return Event.objects.create(
        dossier_id=refund.dossier_id,
        type=EventType.REFUND,
        actor=actor,
        public=False,
        data={
            "refund": refund.pk,
            "payment_request": refund.payment_request_id,
            "amount": str(refund.amount),
            "reason": refund.reason,
            "state": refund.state,
            **data,
        },
    )


def record_refund(
    *,
    payment_request: PaymentRequest,
    amount: Decimal,
    reason: str,
    actor,
    statement_line: StatementLine | None = None,
    iban: str = "",
    note: str = "",
) -> Refund:
    """A refund to do, with its event; runs inside the caller's transaction."""
    refund = Refund.objects.create(
        dossier_id=payment_request.dossier_id,
        payment_request=payment_request,
        statement_line=statement_line,
        amount=amount,
        reason=reason,
        iban=iban,
        note=note,
        created_by=actor,
    )
    _event(refund, actor)
    return refund


def received(payment_request: PaymentRequest) -> Decimal:
    """What came in for the request: its statement lines, or its amount when it was
    marked paid otherwise (by hand, online)."""
    total = payment_request.statement_lines.aggregate(total=Sum("amount"))["total"]
    if total is None and payment_request.status == PaymentStatus.PAID:
        return payment_request.amount
    return total or Decimal("0.00")


def refundable(payment_request: PaymentRequest) -> Decimal:
    """What came in and was not refunded yet."""
    refunded = payment_request.refunds.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    return received(payment_request) - refunded


def refund_payment(
    payment_request: PaymentRequest, user, amount: Decimal, note: str, iban: str = ""
) -> Refund:
    """Finance records that (part of) what was paid goes back, e.g. because the permit
    was cancelled. The note says why; the amount is at most what came in and was not
    refunded yet."""
    access.require_finance(user)
    note = (note or "").strip()
    if not note:
        raise ActionRefused(_("Say why the money is paid back."))
    if len(note) > MAX_TEXT:
        raise ActionRefused(
            _("Keep the text shorter than %(count)d characters.") % {"count": MAX_TEXT}
        )
    amount = _clean_amount(amount)
    with transaction.atomic():
        Dossier.objects.select_for_update().get(pk=payment_request.dossier_id)
        locked = PaymentRequest.objects.select_for_update().get(pk=payment_request.pk)
        available = refundable(locked)
        if amount > available:
            raise ActionRefused(
                _("At most %(amount)s euro of this payment can be paid back.")
                % {"amount": available}
            )
        if not iban:
            line = locked.statement_lines.exclude(counterparty_iban="").last()
            iban = line.counterparty_iban if line else ""
        return record_refund(
            payment_request=locked,
            amount=amount,
            reason=RefundReason.CANCELLED,
            actor=user,
            iban=iban,
            note=note,
        )


def advance(refund: Refund, user) -> Refund:
    """The refund's next state (to do → sent → done), with its event."""
    access.require_finance(user)
    with transaction.atomic():
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        following = NEXT_STATE.get(locked.state)
        if following is None:
            raise ActionRefused(_("This refund is done already."))
        before = locked.state
        locked.state = following
        locked.save(update_fields=["state", "updated_at"])
        _event(locked, user, before=before)
    return locked
