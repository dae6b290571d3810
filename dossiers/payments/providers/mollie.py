"""Mollie (https://docs.mollie.com/reference/payments-api), over plain HTTP with httpx.

Why Mollie: docs/betalingen.md. In short: Bancontact (and Payconiq through it) with a
Belgian-licensed acquirer, one REST API, and a webhook that carries only the payment's
id, so the status is always fetched from Mollie with our key: a forged webhook can at
most make us ask Mollie about a payment, never mark one paid.

The API key comes from the environment, never from the database: the installation's
(``MOLLIE_API_KEY`` → ``LOKET_MOLLIE_API_KEY``), or per site the environment variable
that site's payment settings name (``PaymentSettings.mollie_key_variable``, a name
like ``LOKET_MOLLIE_API_KEY_GENT``; :meth:`MollieProvider.for_site`). Tests replace
:attr:`MollieProvider.transport` with an ``httpx.MockTransport`` that serves recorded
answers; nothing here calls the network in the tests.
"""

from __future__ import annotations

import copy
import os
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qs

import httpx
from django.conf import settings

from dossiers.constants import OnlinePaymentStatus
from dossiers.payments.providers.base import (
    Checkout,
    PaymentProvider,
    ProviderError,
    WebhookNotice,
    WebhookRefused,
    providers,
)

#: Mollie's payment statuses in ours (open, pending and authorized are still under way).
STATUSES = {
    "open": OnlinePaymentStatus.STARTED,
    "pending": OnlinePaymentStatus.STARTED,
    "authorized": OnlinePaymentStatus.STARTED,
    "paid": OnlinePaymentStatus.PAID,
    "failed": OnlinePaymentStatus.FAILED,
    "canceled": OnlinePaymentStatus.CANCELLED,
    "expired": OnlinePaymentStatus.EXPIRED,
}
#: A Mollie payment id: ``tr_`` and letters and digits.
PAYMENT_ID = re.compile(r"^tr_[A-Za-z0-9]{4,60}$")
#: Seconds for each request to Mollie.
TIMEOUT = 10.0


@providers.register
class MollieProvider(PaymentProvider):
    id = "mollie"
    label = "Mollie"
    checkout_origins = ("https://www.mollie.com",)
    #: The httpx transport; None is the real network (tests set a MockTransport).
    transport: httpx.BaseTransport | None = None

    #: The API key of one site (set by for_site on a copy); None: the installation's.
    api_key: str | None = None

    def _key(self) -> str:
        if self.api_key is not None:
            return self.api_key
        return getattr(settings, "LOKET_MOLLIE_API_KEY", "")

    def is_configured(self) -> bool:
        return bool(self._key())

    def for_site(self, site) -> MollieProvider:
        from dossiers.models import PaymentSettings

        variable = PaymentSettings.for_site(site).mollie_key_variable if site else ""
        if not variable:
            return self
        configured = copy.copy(self)
        # A site that names a variable uses only that key: never another site's.
        configured.api_key = os.environ.get(variable, "")
        return configured

    def _client(self) -> httpx.Client:
        if not self.is_configured():
            raise ProviderError("the Mollie API key is not set")
        return httpx.Client(
            base_url=settings.LOKET_MOLLIE_API_URL,
            headers={"Authorization": f"Bearer {self._key()}"},
            timeout=TIMEOUT,
            transport=self.transport,
        )

    def _request(self, method: str, path: str, **kwargs) -> dict:
        try:
            with self._client() as client:
                response = client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ProviderError(f"Mollie could not be reached: {type(exc).__name__}") from None
        try:
            data = response.json()
        except ValueError:
            raise ProviderError(f"Mollie answered {response.status_code} without JSON") from None
        if response.status_code >= 400:
            raise ProviderError(
                f"Mollie answered {response.status_code}: {data.get('title', '')} "
                f"{data.get('detail', '')}".strip()
            )
        return data

    def start(self, *, amount, description, return_url, webhook_url, metadata) -> Checkout:
        payload = {
            "amount": {"currency": "EUR", "value": f"{amount:.2f}"},
            "description": description[:255],
            "redirectUrl": return_url,
            "webhookUrl": webhook_url,
            "locale": "nl_BE",
            "metadata": metadata,
        }
        method = getattr(settings, "LOKET_MOLLIE_METHOD", "")
        if method:
            payload["method"] = method
        data = self._request("POST", "/payments", json=payload)
        try:
            reference = data["id"]
            redirect_url = data["_links"]["checkout"]["href"]
        except (KeyError, TypeError):
            raise ProviderError("Mollie's answer has no id or checkout link") from None
        if not PAYMENT_ID.match(str(reference)):
            raise ProviderError("Mollie's answer has an unexpected payment id")
        return Checkout(reference=reference, redirect_url=redirect_url)

    def parse_webhook(self, body, headers, content_type) -> WebhookNotice:
        # Mollie posts only the id (application/x-www-form-urlencoded); what happened
        # is always fetched with our key (status()).
        try:
            values = parse_qs(body.decode("ascii"), strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            raise WebhookRefused("not a Mollie webhook") from None
        ids = values.get("id", [])
        if len(ids) != 1 or not PAYMENT_ID.match(ids[0]):
            raise WebhookRefused("no Mollie payment id")
        return WebhookNotice(reference=ids[0], status=None)

    def status(self, reference) -> tuple[str, Decimal | None]:
        if not PAYMENT_ID.match(reference):
            raise ProviderError("not a Mollie payment id")
        data = self._request("GET", f"/payments/{reference}")
        if data.get("id") != reference:
            raise ProviderError("Mollie answered about another payment")
        try:
            status = STATUSES[data["status"]]
        except KeyError:
            raise ProviderError("Mollie answered an unknown status") from None
        try:
            amount = data["amount"]
            if amount.get("currency") != "EUR":
                raise ProviderError("Mollie took another currency than euro")
            taken = Decimal(amount["value"])
        except (KeyError, TypeError, AttributeError, InvalidOperation):
            raise ProviderError("Mollie's answer has no amount") from None
        return status, taken
