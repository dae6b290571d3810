"""Builders for the finance tests: the municipality's account, a finance employee (in
the "Financiën" group the data migration made), payment requests with the structured
communications of the fixture statements in files/."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Site

from dossiers.models import PaymentRequest, PaymentSettings
from dossiers.payments import services as payments
from dossiers.payments.access import FINANCE_GROUP
from tests.dossiers.conftest import make_user
from tests.factories import DossierFactory

FILES = Path(__file__).parent / "files"
IBAN = "BE71096123456769"


def fixture_bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


@pytest.fixture
def account(db) -> PaymentSettings:
    account = PaymentSettings.for_site(Site.objects.get(is_default_site=True))
    account.creditor_name = "Gemeente Voorbeeld"
    account.iban = IBAN
    account.bic = "GKCCBEBB"
    account.save()
    return account


@pytest.fixture
def finance(db):
    """Someone of the finance department: only in the "Financiën" group."""
    return make_user("fien", Group.objects.get(name=FINANCE_GROUP))


@pytest.fixture
def second_finance(db):
    return make_user("frank", Group.objects.get(name=FINANCE_GROUP))


def ask(dossier, officer, amount: str, reference: str) -> PaymentRequest:
    """A payment request of ``amount`` with the structured communication ``reference``
    (the one the fixture statements carry)."""
    dossier.amount_due = Decimal(amount)
    dossier.save(update_fields=["amount_due"])
    request = payments.request_payment(dossier, officer)
    PaymentRequest.objects.filter(pk=request.pk).update(structured_reference=reference)
    request.refresh_from_db()
    return request


@pytest.fixture
def requests_of_fixtures(economy, officer, account):
    """The payment requests the fixture statements pay: A 150 (paid in full by CODA),
    B 120 (50 by CODA, 70 by camt.053), C 180 (200 by CODA: 20 too much), D 100 (90 by
    camt.053)."""
    made = {}
    for key, amount, reference in [
        ("A", "150.00", "090000000151"),
        ("B", "120.00", "090000000252"),
        ("C", "180.00", "090000000353"),
        ("D", "100.00", "090000000454"),
    ]:
        made[key] = ask(DossierFactory(team=economy), officer, amount, reference)
    return made
