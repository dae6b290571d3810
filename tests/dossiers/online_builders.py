"""Builders for the tests of paying online: the municipality's account, a dossier with
an open payment request, and the test provider's signed webhooks."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import Site

from dossiers.models import OnlinePayment, PaymentRequest, PaymentSettings
from dossiers.payments import references
from dossiers.payments.providers.test import SIGNATURE_HEADER, TestProvider
from tests.factories import DossierFactory

FEE = Decimal("150.00")


def set_account() -> PaymentSettings:
    account = PaymentSettings.for_site(Site.objects.get(is_default_site=True))
    account.creditor_name = "Gemeente Voorbeeld"
    account.iban = "BE71096123456769"
    account.bic = "GKCCBEBB"
    account.save()
    return account


def open_request(dossier=None, amount: Decimal = FEE, **dossier_fields) -> PaymentRequest:
    """An open payment request on ``dossier`` (a new one when None)."""
    dossier = dossier or DossierFactory(**dossier_fields)
    return PaymentRequest.objects.create(
        dossier=dossier,
        amount=amount,
        due_date=timezone.localdate() + datetime.timedelta(days=30),
        structured_reference=references.new_reference(),
    )


def started_payment(payment_request: PaymentRequest) -> OnlinePayment:
    """An attempt started with the test provider, as online.start_payment leaves it."""
    checkout = TestProvider().start(
        amount=payment_request.amount,
        description="Test",
        return_url="http://testserver/terug/",
        webhook_url="http://testserver/betalen/webhook/test/",
        metadata={},
    )
    return OnlinePayment.objects.create(
        payment_request=payment_request,
        provider="test",
        provider_reference=checkout.reference,
        checkout_url=checkout.redirect_url,
        amount=payment_request.amount,
    )


def signed_webhook(payment: OnlinePayment, status: str) -> tuple[bytes, dict]:
    """The body and headers of the test provider's webhook saying ``status``."""
    callback = TestProvider().callback(payment.provider_reference, status)
    return callback.body, {SIGNATURE_HEADER: callback.signature}


@pytest.fixture
def test_provider(settings):
    """Paying online through the built-in test provider, callbacks as they come."""
    settings.LOKET_PAYMENT_PROVIDER = "test"
    settings.LOKET_TEST_PAYMENTS = {"secret": "test-webhook-secret"}
    return settings
