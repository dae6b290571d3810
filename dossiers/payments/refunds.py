"""Refunds: money the municipality pays back (keep it small).

- :func:`record_refund`   a refund to do (an overpayment seen on a statement; called in
  the booking's transaction)
- :func:`refund_payment`  finance records a refund of a paid request (e.g. the permit
  was cancelled)
- :func:`refund_ended`    what came in for a request that is cancelled, or whose
  application is withdrawn or refused, goes back (automatic)
- :func:`refund_paid_late` an online payment that came after its request was closed
  goes back (automatic)
- :func:`advance`         the refund's next state: to do → sent → done

Every change writes a ``refund`` event on the dossier (who, the amount, the state).
The automatic refunds are idempotent (what is refunded already is not refundable; one
refund per online payment) and tell the applicant: their event is public, so the
status page shows it and the e-mail ``refund_announced`` goes out
(:mod:`.refund_emails`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import EventType, PaymentStatus, Status
from dossiers.exceptions import ActionRefused
from dossiers.models import (
    Dossier,
    Event,
    OnlinePayment,
    PaymentRequest,
    Refund,
    RefundReason,
    RefundState,
    StatementLine,
)
from dossiers.outbox import notify
from dossiers.payments import access
from dossiers.payments.rules import MAX_TEXT, _clean_amount

#: The state that follows each state.
NEXT_STATE = {RefundState.TO_DO: RefundState.SENT, RefundState.SENT: RefundState.DONE}


def _event(refund: Refund, actor, *, public: bool = False, **data) -> Event:
    return Event.objects.create(
        dossier_id=refund.dossier_id,
        type=EventType.REFUND,
        actor=actor,
        public=public,
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


def _announced(refund: Refund, applicant_note: str) -> Refund:
    """The public event of an automatic refund, with the e-mail to the applicant."""
    event = _event(refund, None, public=True, applicant_note=applicant_note)
    notify.queue_for_event(event)
    return refund


def refund_ended(payment_request: PaymentRequest, why: str) -> Refund | None:
    """Record that what came in for ``payment_request`` and was not refunded yet goes
    back, because the request was cancelled or its application withdrawn or refused
    (``why``, the applicant's sentence). Runs in the caller's transaction, the dossier
    locked; nothing when nothing is left to refund (so a second call does nothing)."""
    amount = refundable(payment_request)
    if amount <= 0:
        return None
    line = payment_request.statement_lines.exclude(counterparty_iban="").last()
    refund = Refund.objects.create(
        dossier_id=payment_request.dossier_id,
        payment_request=payment_request,
        amount=amount,
        reason=RefundReason.ENDED,
        iban=line.counterparty_iban if line else "",
        note=why,
    )
    return _announced(refund, why)


def refund_paid_late(payment: OnlinePayment) -> Refund | None:
    """Record that an online payment that came in after its request was closed (paid
    otherwise, cancelled) goes back. Runs in the transaction that applied the payment;
    one refund per payment, so a second call does nothing."""
    if Refund.objects.filter(online_payment=payment).exists():
        return None
    why = _("Your online payment came in after this payment was closed. We pay it back.")
    refund = Refund.objects.create(
        dossier_id=payment.payment_request.dossier_id,
        payment_request_id=payment.payment_request_id,
        online_payment=payment,
        amount=payment.amount,
        reason=RefundReason.PAID_LATE,
        note=why,
    )
    return _announced(refund, why)


def after_transition(dossier: Dossier, transition) -> None:
    """A listener of :data:`dossiers.workflow.listeners` (added in
    DossiersConfig.ready()): a withdrawn or refused application owes nothing more."""
    if transition.target in (Status.WITHDRAWN, Status.REJECTED):
        settle_ended_application(dossier, transition.target)


def settle_ended_application(dossier: Dossier, outcome: str) -> list[Refund]:
    """The application was withdrawn or refused (``outcome``: the status it reached):
    its open payment requests are cancelled (public, the applicant reads it) and what
    came in for them already goes back (:func:`refund_ended`). Runs in the transaction
    of :func:`dossiers.workflow.transition`; a second call finds no open request and
    nothing left to refund."""
    why = (
        _("You withdrew your application. We pay back what you paid for it.")
        if outcome == Status.WITHDRAWN
        else _("Your application was refused. We pay back what you paid for this request.")
    )
    refunds = []
    now = timezone.now()
    for payment_request in PaymentRequest.objects.select_for_update().filter(
        dossier=dossier, status=PaymentStatus.OPEN
    ):
        payment_request.status = PaymentStatus.CANCELLED
        payment_request.closed_at = now
        payment_request.closing_note = str(why)
        payment_request.save(update_fields=["status", "closed_at", "closing_note"])
        Event.objects.create(
            dossier=dossier,
            type=EventType.PAYMENT_CANCELLED,
            public=True,
            data={
                "payment_request": payment_request.pk,
                "amount": str(payment_request.amount),
                "note": str(why),
                "cause": outcome,
            },
        )
        refund = refund_ended(payment_request, str(why))
        if refund is not None:
            refunds.append(refund)
    return refunds


def received(payment_request: PaymentRequest) -> Decimal:
    """What came in for the request: its statement lines, or its amount when it was
    marked paid otherwise (by hand, online)."""
    total = payment_request.statement_lines.aggregate(total=Sum("amount"))["total"]
    if total is None and payment_request.status == PaymentStatus.PAID:
        return payment_request.amount
    return total or Decimal("0.00")


def refundable(payment_request: PaymentRequest) -> Decimal:
    """What came in and was not refunded yet."""
    # A late online payment's refund is money that never counted as received.
    refunded = payment_request.refunds.filter(online_payment__isnull=True).aggregate(
        total=Sum("amount")
    )["total"] or Decimal(0)
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
