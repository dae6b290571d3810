"""Payment providers: one class per provider, registered in :data:`providers`, the one
in use chosen by the setting ``LOKET_PAYMENT_PROVIDER`` (docs/betalingen.md).

- base.py   the interface every provider implements (start, return, webhook, status)
- test.py   the built-in test provider: a checkout page served by Loket itself
- mollie.py Mollie's Payments API over plain HTTP (httpx)

What a provider reports is applied by :mod:`dossiers.payments.online`, the only code
that changes an online payment.
"""

from __future__ import annotations

from django.conf import settings

from dossiers.payments.providers.base import (
    Checkout,
    PaymentProvider,
    ProviderError,
    WebhookNotice,
    WebhookRefused,
    providers,
)
from dossiers.payments.providers.mollie import MollieProvider
from dossiers.payments.providers.test import TestProvider

__all__ = [
    "Checkout",
    "MollieProvider",
    "PaymentProvider",
    "ProviderError",
    "TestProvider",
    "WebhookNotice",
    "WebhookRefused",
    "active",
    "providers",
]


def active() -> PaymentProvider | None:
    """The provider the configuration chose; None when paying online is off (the
    setting is empty) or names no provider."""
    return providers.find(getattr(settings, "LOKET_PAYMENT_PROVIDER", ""))
