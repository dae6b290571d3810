"""The built-in test provider, for the demo and the tests: a checkout page served by
Loket itself (``/betalen/test/<reference>/``, dossiers.payments.online_views) with
buttons to pay, to fail and to cancel, and webhooks signed with HMAC-SHA256.

Like a real provider it keeps its own record of each payment
(:class:`~dossiers.models.SimulatedCheckout`) and answers status queries from it. The
setting ``LOKET_TEST_PAYMENTS`` makes its callbacks misbehave on purpose:

- ``drop_webhooks``: no webhook is ever sent (only the return or the periodic check
  brings the news);
- ``delay_seconds``: webhooks are sent this many seconds later;
- ``duplicate``: every webhook is sent twice;
- ``reorder``: after each button the whole history is sent, newest first, so older
  statuses arrive after newer ones (a "failed" after the "paid");
- ``expire_minutes``: a checkout nobody finishes reports "expired" after this long.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from dossiers.constants import OnlinePaymentStatus
from dossiers.models import SimulatedCheckout
from dossiers.payments.providers.base import (
    Checkout,
    PaymentProvider,
    ProviderError,
    WebhookNotice,
    WebhookRefused,
    providers,
)

#: The header that carries the webhook's signature: ``sha256=<hex HMAC of the body>``.
SIGNATURE_HEADER = "X-Loket-Signature"

#: What each button of the checkout page does.
ACTIONS = {
    "pay": OnlinePaymentStatus.PAID,
    "fail": OnlinePaymentStatus.FAILED,
    "cancel": OnlinePaymentStatus.CANCELLED,
}


def options() -> dict:
    """The misbehaviour settings (see the module's docstring), with their defaults."""
    defaults = {
        "drop_webhooks": False,
        "delay_seconds": 0,
        "duplicate": False,
        "reorder": False,
        "expire_minutes": 60,
    }
    return {**defaults, **getattr(settings, "LOKET_TEST_PAYMENTS", {})}


def secret() -> bytes:
    """The key webhooks are signed with: ``LOKET_TEST_PAYMENTS["secret"]``, else one
    derived from SECRET_KEY."""
    configured = options().get("secret")
    if configured:
        return configured.encode()
    return salted_hmac("loket.payments.test-provider", "webhook").hexdigest().encode()


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(secret(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Callback:
    """One webhook the checkout sends: the signed body, after ``delay`` seconds."""

    body: bytes
    signature: str
    delay: int = 0


@providers.register
class TestProvider(PaymentProvider):
    id = "test"
    label = "Testbetaling"
    __test__ = False  # not a pytest test class

    def start(self, *, amount, description, return_url, webhook_url, metadata) -> Checkout:
        if amount <= 0:
            raise ProviderError("the amount must be positive")
        checkout = SimulatedCheckout.objects.create(
            reference="test_" + secrets.token_urlsafe(18),
            amount=amount,
            description=description[:200],
            return_url=return_url,
            webhook_url=webhook_url,
            history=[OnlinePaymentStatus.STARTED],
        )
        return Checkout(
            reference=checkout.reference,
            redirect_url=reverse("payments:test_checkout", args=[checkout.reference]),
        )

    def parse_webhook(self, body, headers, content_type) -> WebhookNotice:
        given = headers.get(SIGNATURE_HEADER, "")
        if not given or not hmac.compare_digest(given, sign(body)):
            raise WebhookRefused("missing or wrong signature")
        try:
            data = json.loads(body)
            reference, status = str(data["id"]), str(data["status"])
        except (ValueError, KeyError, TypeError):
            raise WebhookRefused("not a test-provider webhook") from None
        if status not in OnlinePaymentStatus.values:
            raise WebhookRefused("unknown status")
        return WebhookNotice(reference=reference, status=status)

    def status(self, reference) -> tuple[str, Decimal | None]:
        checkout = SimulatedCheckout.objects.filter(reference=reference).first()
        if checkout is None:
            raise ProviderError("unknown test payment")
        untouched_for = timezone.now() - checkout.created_at
        if checkout.status == OnlinePaymentStatus.STARTED and untouched_for > datetime.timedelta(
            minutes=options()["expire_minutes"]
        ):
            # Like a real checkout, one nobody finishes expires.
            return OnlinePaymentStatus.EXPIRED, checkout.amount
        return checkout.status, checkout.amount

    # --- the provider's side: the checkout page's buttons --------------------------------

    def act(self, checkout: SimulatedCheckout, action: str) -> list[Callback]:
        """Apply a button of the checkout page and return the webhooks to send. A paid
        checkout stays paid (the page then only offers the way back)."""
        status = ACTIONS[action]
        if checkout.status == OnlinePaymentStatus.PAID:
            return []
        checkout.status = status
        checkout.history = [*checkout.history, status]
        checkout.save(update_fields=["status", "history"])
        return self.callbacks(checkout)

    def callbacks(self, checkout: SimulatedCheckout) -> list[Callback]:
        settings_now = options()
        if settings_now["drop_webhooks"]:
            return []
        statuses = [checkout.status]
        if settings_now["reorder"]:
            statuses = list(reversed(checkout.history))
        if settings_now["duplicate"]:
            statuses = [status for status in statuses for _copy in (1, 2)]
        delay = int(settings_now["delay_seconds"] or 0)
        return [self.callback(checkout.reference, status, delay) for status in statuses]

    def callback(self, reference: str, status: str, delay: int = 0) -> Callback:
        body = json.dumps({"id": reference, "status": status}).encode()
        return Callback(body=body, signature=sign(body), delay=delay)
