"""The interface of a payment provider, and the registry of providers.

A provider takes an amount for one online payment (:meth:`PaymentProvider.start`: the
applicant is sent to its checkout page), and later tells how it went: on the
applicant's return, in a webhook and when asked (:meth:`PaymentProvider.status`).
Providers never change rows: :mod:`dossiers.payments.online` applies what they report,
in any order and as often as it comes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.registry import Registry


class ProviderError(Exception):
    """The provider could not be reached or gave an answer we cannot use. The message is
    for the log, never for the applicant."""


class WebhookRefused(Exception):
    """A webhook that is not from the provider (wrong or missing signature, bad body)."""


@dataclass(frozen=True)
class Checkout:
    """The provider's answer to :meth:`PaymentProvider.start`."""

    #: The provider's id of the payment.
    reference: str
    #: Where to send the applicant to pay.
    redirect_url: str


@dataclass(frozen=True)
class WebhookNotice:
    """What a verified webhook says: which payment, and its status when the provider
    sends it signed (None: ask the provider, as with Mollie)."""

    reference: str
    status: str | None = None


class PaymentProvider:
    """One payment provider. Subclasses set :attr:`id` and :attr:`label` and implement
    the four methods; register them with ``@providers.register``."""

    #: Stored on every online payment; never change it once used.
    id: str = ""
    #: The name the applicant and the officers read.
    label: str = ""
    #: Origins of the checkout page, added to the status page's form-action policy so
    #: the browser follows the redirect there (CSP form-action covers redirects).
    checkout_origins: tuple[str, ...] = ()

    def start(
        self,
        *,
        amount: Decimal,
        description: str,
        return_url: str,
        webhook_url: str,
        metadata: dict,
    ) -> Checkout:
        """Ask the provider to take ``amount`` (euro); raises :class:`ProviderError`."""
        raise NotImplementedError

    def parse_webhook(self, body: bytes, headers: dict, content_type: str) -> WebhookNotice:
        """Verify a webhook and say what it is about; raises :class:`WebhookRefused`."""
        raise NotImplementedError

    def status(self, reference: str) -> tuple[str, Decimal | None]:
        """Ask the provider how the payment stands now: an ``OnlinePaymentStatus`` value
        and the amount it took (None when it does not say). Raises ProviderError."""
        raise NotImplementedError

    def is_configured(self) -> bool:
        """Whether the keys it needs are set."""
        return True

    def for_site(self, site) -> PaymentProvider:
        """This provider with the keys of ``site`` (a Wagtail Site, or None for the
        installation's own): each municipality can have its own contract. Providers
        without keys return themselves; never stores a key anywhere."""
        return self


providers: Registry[PaymentProvider] = Registry("payment provider")
