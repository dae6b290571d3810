"""Payment when submitting (the procedure stage ``prepayment``): the applicant pays the
form's fee online as the last step, and the application reaches the team only once
paid (keep it small).

- :func:`needed`          whether a finished form must be paid first
- :func:`ask_fee`         the payment request for the fee of a dossier just made
- :func:`submit_when_paid` the fee is paid: the application is sent (called in the
  transaction that booked the payment, whoever saw the money)

Why a dossier that waits, and not "no dossier until paid" (docs/betalingen.md): the
answers, files and the frozen form are stored once, at the moment the applicant sends
the form, so a payment that fails, is abandoned or comes back by webhook before the
browser does can never lose them; the provider's callback needs no browser, no session
and no draft to finish the submission. Open Forms does the same: the submission is
completed, its registration waits for the payment. The dossier waits in the status
``awaiting_payment``, which no officer's list shows (:func:`dossiers.permissions.visible_dossiers`)
and which sends no e-mail; the ``receive_prepayment`` transition moves it to
``submitted``, and only then the ``submitted`` event, its e-mails and the decision term
start, as for a form without payment.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from dossiers import stages, workflow
from dossiers.constants import SYSTEM, OnlinePaymentStatus, Status
from dossiers.models import Dossier, OnlinePayment, PaymentRequest
from dossiers.payments import providers
from dossiers.payments.rules import _create_with_new_reference
from dossiers.submitted import announce_submission

#: The transition that sends a paid application.
RECEIVE_PREPAYMENT = "receive_prepayment"


def needed(form_stages, amount_due: Decimal | None, site=None) -> bool:
    """Whether an application with these stages and this fee is paid before it is sent:
    the form uses the stage, the fee is more than zero, and paying online is possible
    (without a provider the application is sent at once and the fee asked afterwards,
    by transfer, as for any form)."""
    return (
        stages.PREPAYMENT in (form_stages or [])
        and amount_due is not None
        and amount_due > 0
        and can_pay_online(site)
    )


def can_pay_online(site=None) -> bool:
    """Whether a payment provider is chosen and has the keys of ``site`` (as
    :func:`dossiers.payments.online.payment_provider`, which imports this module)."""
    provider = providers.active()
    return provider is not None and provider.for_site(site).is_configured()


def ask_fee(dossier: Dossier) -> PaymentRequest:
    """The payment request of the fee, due today, for a dossier that awaits payment.
    Runs in the submission's transaction; no event and no e-mail (the applicant pays at
    once, on the next page)."""
    return _create_with_new_reference(
        dossier=dossier, amount=dossier.amount_due, due_date=timezone.localdate()
    )


def submit_when_paid(dossier: Dossier) -> bool:
    """Send the application of a dossier that waited for its fee: the
    ``receive_prepayment`` transition, the submission date and decision term from now,
    then the ``submitted`` event with its e-mails (confirmation to the applicant, new
    dossier to the team). A dossier that does not wait is left alone, so calling it
    twice does nothing twice. An application closed as not paid (:func:`expire_unpaid`)
    is sent as well: the applicant paid after all. Returns whether it sent it."""
    dossier.refresh_from_db(fields=["status"])
    if dossier.status not in (Status.AWAITING_PAYMENT, Status.NOT_PAID):
        return False
    sent = workflow.transition(
        dossier, RECEIVE_PREPAYMENT, actor_kind=SYSTEM, expected_status=dossier.status
    )
    now = timezone.now()
    sent.submitted_at = now
    fields = ["submitted_at"]
    if sent.term_days and not sent.term_from_completeness:
        sent.decision_due = timezone.localdate(now) + datetime.timedelta(days=sent.term_days)
        fields.append("decision_due")
    sent.save(update_fields=fields)
    announce_submission(sent)
    return True


#: The transition that closes an application whose fee never came.
EXPIRE_UNPAID = "expire_unpaid"


def unpaid_days() -> int:
    """Days an application waits for its fee before it is closed as not paid (0: never)."""
    return max(0, int(getattr(settings, "LOKET_UNPAID_APPLICATION_DAYS", 30)))


def expired_unpaid(now: datetime.datetime | None = None) -> QuerySet[Dossier]:
    """Applications still waiting for their fee after :func:`unpaid_days` days, with no
    attempt to pay in that time and none still running (the periodic payment check
    settles a running one first)."""
    days = unpaid_days()
    if not days:
        return Dossier.objects.none()
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    recent_or_running = OnlinePayment.objects.filter(
        Q(created_at__gt=cutoff) | Q(status=OnlinePaymentStatus.STARTED)
    ).values("payment_request__dossier_id")
    return Dossier.objects.filter(status=Status.AWAITING_PAYMENT, submitted_at__lte=cutoff).exclude(
        pk__in=recent_or_running
    )


def expire_unpaid(now: datetime.datetime | None = None) -> int:
    """Close every application of :func:`expired_unpaid` as "not paid": it never reaches
    a team, the applicant's link says why, and retention erases it like any closed
    dossier (dossiers.privacy). Its payment request stays open, so a payment that still
    comes in sends it (:func:`submit_when_paid`). Each dossier moves under its own row
    lock; one a payment sent in the meantime is skipped. Returns how many were closed."""
    closed = 0
    for dossier in expired_unpaid(now).order_by("pk").iterator():
        try:
            workflow.transition(
                dossier,
                EXPIRE_UNPAID,
                actor_kind=SYSTEM,
                expected_status=Status.AWAITING_PAYMENT,
            )
        except workflow.ConcurrentChange:
            continue
        closed += 1
    return closed
