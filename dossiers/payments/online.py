"""Paying online: the use cases of an online payment (keep it small).

- :func:`start_payment`   the applicant starts paying the open request; the amount is
  the request's, never the browser's
- :func:`receive_webhook` a provider's callback: verified, then applied
- :func:`refresh`         ask the provider how a payment stands and apply it (the
  applicant's return, the periodic check of :mod:`.tasks`)
- :func:`apply_status`    the one writer of an online payment's status

Reports come in any order and any number of times. :func:`next_status` makes the end
state independent of that: paid is final, a late "paid" after a "failed" still counts,
a stale "started" never undoes anything, and the first failure is kept. Applying locks
the dossier, then the payment request, then the online payment (the order every use
case of the dossiers app keeps), so two webhooks at the same moment book once.

When an attempt turns paid and its request is still open, the request is paid, the
public ``payment_received`` event is written with the e-mail to the applicant
(:mod:`.received_emails`), and a dossier whose procedure has the stage "payment before the
permit" moves on (:mod:`.permit`). A request closed by then (paid by transfer,
cancelled) is not paid twice: the attempt stays unbooked for finance to refund, with an
internal event.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import EventType, OnlinePaymentStatus, PaymentStatus
from dossiers.exceptions import ActionRefused
from dossiers.models import Dossier, Event, OnlinePayment, PaymentRequest
from dossiers.outbox import letters, notify
from dossiers.payments import permit, prepayment, providers, refunds
from dossiers.payments.providers import PaymentProvider, ProviderError, WebhookRefused

__all__ = [
    "FAILURES",
    "apply_status",
    "latest_attempt",
    "next_status",
    "online_choice",
    "payment_provider",
    "receive_webhook",
    "refresh",
    "start_payment",
    "stale_payments",
]

logger = logging.getLogger(__name__)

#: Statuses that end an attempt without money (a late "paid" can still follow).
FAILURES = (
    OnlinePaymentStatus.FAILED,
    OnlinePaymentStatus.CANCELLED,
    OnlinePaymentStatus.EXPIRED,
)
#: ``source`` of a payment request paid online (the event's data).
ONLINE = "online"
#: For this many minutes "pay online" again goes back to the checkout still under way
#: (a double click starts one payment); after that a new attempt starts.
REUSE_MINUTES = 5


def next_status(current: str, reported: str) -> str:
    """The status an attempt takes when ``reported`` arrives while it is ``current``."""
    if current == OnlinePaymentStatus.PAID or reported == OnlinePaymentStatus.PAID:
        return OnlinePaymentStatus.PAID
    if current == OnlinePaymentStatus.STARTED and reported in FAILURES:
        return reported
    return current


def payment_provider(site=None) -> PaymentProvider | None:
    """The provider applicants of ``site`` pay with now, with that site's keys; None
    when paying online is off or the keys are missing."""
    provider = providers.active()
    if provider is None:
        return None
    provider = provider.for_site(site)
    return provider if provider.is_configured() else None


def _site_of(payment: OnlinePayment):
    return letters.site_for(payment.payment_request.dossier)


def latest_attempt(payment_request: PaymentRequest) -> OnlinePayment | None:
    return payment_request.online_payments.order_by("-created_at", "-pk").first()


def _description(payment_request: PaymentRequest) -> str:
    return _("Application %(reference)s, %(communication)s") % {
        "reference": payment_request.dossier.reference,
        "communication": payment_request.display_reference,
    }


def start_payment(
    dossier: Dossier,
    *,
    return_url: Callable[[OnlinePayment], str],
    webhook_url: str,
) -> OnlinePayment:
    """Start paying the dossier's open payment request online and return the attempt,
    whose ``checkout_url`` is where the applicant goes next.

    ``return_url(payment)`` is the absolute address the provider sends the applicant
    back to; ``webhook_url`` where it posts its callbacks. The provider is asked after
    the attempt is saved and outside any lock (it may be slow). An attempt of the last
    :data:`REUSE_MINUTES` minutes that is still under way is returned instead of a new
    one (a double click, the back button). Raises
    :class:`ActionRefused` with a Dutch message when there is nothing to pay or the
    provider cannot be reached (the attempt is then marked failed).
    """
    provider = payment_provider(letters.site_for(dossier))
    if provider is None:
        raise ActionRefused(_("Paying online is not possible now. Pay by transfer."))
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        payment_request = (
            PaymentRequest.objects.select_for_update()
            .filter(dossier=locked, status=PaymentStatus.OPEN)
            .first()
        )
        if payment_request is None:
            raise ActionRefused(_("There is nothing to pay for this application."))
        unfinished = _unfinished_attempt(payment_request)
        if unfinished is not None:
            # A double click, or the browser's back button: the same checkout again,
            # never a second payment the applicant could pay too.
            return unfinished
        payment = OnlinePayment.objects.create(
            payment_request=payment_request,
            provider=provider.id,
            amount=payment_request.amount,
        )
    payment_request.dossier = locked
    try:
        checkout = provider.start(
            amount=payment.amount,
            description=_description(payment_request),
            return_url=return_url(payment),
            webhook_url=webhook_url,
            metadata={"payment": payment.pk, "dossier": locked.reference},
        )
    except ProviderError as exc:
        logger.warning("Starting an online payment failed: %s", exc)
        payment.status = OnlinePaymentStatus.FAILED
        payment.save(update_fields=["status", "updated_at"])
        raise ActionRefused(
            _("Paying online does not work right now. Try again later, or pay by transfer.")
        ) from None
    payment.provider_reference = checkout.reference
    payment.checkout_url = checkout.redirect_url
    payment.save(update_fields=["provider_reference", "checkout_url", "updated_at"])
    return payment


def _unfinished_attempt(payment_request: PaymentRequest) -> OnlinePayment | None:
    """The request's attempt still "started" at the provider, younger than
    :data:`REUSE_MINUTES`, whose checkout page the applicant can go back to."""
    attempt = latest_attempt(payment_request)
    if (
        attempt is not None
        and attempt.status == OnlinePaymentStatus.STARTED
        and attempt.checkout_url
        and attempt.created_at >= timezone.now() - datetime.timedelta(minutes=REUSE_MINUTES)
    ):
        return attempt
    return None


def receive_webhook(provider_id: str, body: bytes, headers, content_type: str = "") -> bool:
    """Verify and apply a provider's callback. Returns whether it was about a payment
    of ours (an unknown one is ignored). Raises :class:`WebhookRefused` (not from the
    provider) and :class:`ProviderError` (its status could not be fetched: the provider
    tries again later)."""
    provider = providers.providers.find(provider_id)
    if provider is None:
        raise WebhookRefused("unknown provider")
    notice = provider.parse_webhook(body, headers, content_type)
    payment = OnlinePayment.objects.filter(
        provider=provider.id, provider_reference=notice.reference
    ).first()
    if payment is None:
        return False
    if notice.status is None:
        # Asked with the keys of the payment's site (its municipality's contract).
        status, amount = provider.for_site(_site_of(payment)).status(notice.reference)
    else:
        status, amount = notice.status, None
    apply_status(payment, status, amount=amount)
    return True


def refresh(payment: OnlinePayment) -> OnlinePayment:
    """Ask the provider how ``payment`` stands and apply it. Raises ProviderError."""
    provider = providers.providers.find(payment.provider)
    if provider is None or not payment.provider_reference:
        raise ProviderError("the payment has no provider to ask")
    status, amount = provider.for_site(_site_of(payment)).status(payment.provider_reference)
    return apply_status(payment, status, amount=amount)


def apply_status(
    payment: OnlinePayment, reported: str, *, amount: Decimal | None = None
) -> OnlinePayment:
    """Apply a reported status to ``payment`` (see :func:`next_status`); a report that
    changes nothing changes nothing. A "paid" for another amount than the attempt's is
    not booked (logged as an error)."""
    dossier_id = (
        PaymentRequest.objects.filter(pk=payment.payment_request_id)
        .values_list("dossier_id", flat=True)
        .get()
    )
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
        payment_request = PaymentRequest.objects.select_for_update(of=("self",)).get(
            pk=payment.payment_request_id
        )
        locked = OnlinePayment.objects.select_for_update(of=("self",)).get(pk=payment.pk)
        now = timezone.now()
        locked.checked_at = now
        new = next_status(locked.status, reported)
        if new == OnlinePaymentStatus.PAID and amount is not None and amount != locked.amount:
            logger.error("Online payment %s reported paid for another amount", locked.pk)
            new = locked.status
        if new == locked.status:
            locked.save(update_fields=["checked_at"])
            return locked
        locked.status = new
        fields = ["status", "checked_at", "updated_at"]
        if new == OnlinePaymentStatus.PAID:
            locked.paid_at = now
            locked.booked = _book(dossier, payment_request, locked, now)
            fields += ["paid_at", "booked"]
        locked.save(update_fields=fields)
    return locked


def _book(dossier: Dossier, payment_request: PaymentRequest, payment: OnlinePayment, now) -> bool:
    data = {
        "payment_request": payment_request.pk,
        "amount": str(payment.amount),
        "source": ONLINE,
        "provider": payment.provider,
        "online_payment": payment.pk,
    }
    if payment_request.status != PaymentStatus.OPEN:
        # Paid twice (by transfer, or two attempts) or paid after a cancellation:
        # a refund to do for finance, the applicant is told; the officers see why on
        # the timeline.
        Event.objects.create(
            dossier=dossier,
            type=EventType.PAYMENT_RECEIVED,
            public=False,
            data={**data, "not_booked": payment_request.status},
        )
        refunds.refund_paid_late(payment)
        return False
    payment_request.status = PaymentStatus.PAID
    payment_request.closed_at = now
    payment_request.closing_note = _("Paid online (%(provider)s, %(reference)s).") % {
        "provider": payment.provider,
        "reference": payment.provider_reference,
    }
    payment_request.save(update_fields=["status", "closed_at", "closing_note"])
    event = Event.objects.create(
        dossier=dossier, type=EventType.PAYMENT_RECEIVED, public=True, data=data
    )
    notify.queue_for_event(event)
    permit.issue_when_paid(dossier)
    prepayment.submit_when_paid(dossier)
    return True


def stale_payments(now=None):
    """Attempts still "started" after ``LOKET_ONLINE_PAYMENT_CHECK_MINUTES`` minutes:
    the periodic check asks their provider (the applicant's browser may never have
    come back, and a webhook may be lost)."""
    now = now or timezone.now()
    minutes = getattr(settings, "LOKET_ONLINE_PAYMENT_CHECK_MINUTES", 15)
    return OnlinePayment.objects.filter(
        status=OnlinePaymentStatus.STARTED,
        created_at__lte=now - datetime.timedelta(minutes=minutes),
    ).exclude(provider_reference="")


@dataclass(frozen=True)
class OnlineChoice:
    """What the status page shows about paying online next to the transfer details."""

    #: Whether the "pay online now" button is shown (an open request, a provider).
    can_pay: bool
    #: The latest attempt of the request shown, None when there was none.
    attempt: OnlinePayment | None
    #: Origins the status page's forms may be redirected to (the provider's checkout).
    checkout_origins: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        """The latest attempt ended without payment (the page offers to try again)."""
        return self.attempt is not None and self.attempt.status in FAILURES

    @property
    def waiting(self) -> bool:
        """The applicant came back but the provider has not confirmed yet."""
        return self.attempt is not None and self.attempt.status == OnlinePaymentStatus.STARTED


def online_choice(payment_request: PaymentRequest | None) -> OnlineChoice | None:
    """Paying online for the request the status page shows; None when it is off."""
    if payment_request is None:
        return None
    provider = payment_provider(letters.site_for(payment_request.dossier))
    if provider is None:
        return None
    return OnlineChoice(
        can_pay=payment_request.is_open,
        attempt=latest_attempt(payment_request),
        checkout_origins=tuple(provider.checkout_origins),
    )
