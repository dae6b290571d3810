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


#: The start-up premium's frozen form, as much as a grant needs: the IBAN question and
#: the calculation that proposes the premium.
PREMIUM_SCHEMA = {
    "version": 1,
    "title": "Startpremie",
    "reference_prefix": "STP",
    "steps": [
        {
            "id": "step-1",
            "title": "Uw plan",
            "intro": "",
            "fields": [
                {
                    "id": "field-1",
                    "type": "iban",
                    "name": "iban",
                    "label": "Rekeningnummer (IBAN) voor de premie",
                    "help_text": "",
                    "required": True,
                    "options": {"belgian_only": True},
                }
            ],
        }
    ],
    "calculations": [
        {
            "name": "jaarhuur",
            "label": "Huur van een jaar",
            "formula": "huurprijs * 12",
            "show": False,
            "is_fee": False,
            "breakdown": "",
        },
        {
            "name": "voorgestelde_premie",
            "label": "Voorgestelde premie",
            "formula": "min(7500, jaarhuur / 2)",
            "show": False,
            "is_fee": False,
            "breakdown": "",
        },
    ],
}


def premium_dossier(team, reference: str, *, iban="BE68539007547034", proposed="6600.00"):
    """An approved start-up premium with the applicant's IBAN and the proposed amount."""
    from dossiers.constants import Outcome, Status
    from tests.factories import FormSnapshotFactory

    return DossierFactory(
        team=team,
        reference=reference,
        form_title="Startpremie",
        snapshot=FormSnapshotFactory(schema=PREMIUM_SCHEMA),
        answers={"step-1": {"iban": iban}},
        calculations={"jaarhuur": "13200.00", "voorgestelde_premie": proposed},
        company_name="Boekhandel Het Leesteken",
        status=Status.APPROVED,
        decision_outcome=Outcome.APPROVED,
    )


@pytest.fixture(autouse=True)
def in_english():
    """The messages are matched in English here (the Dutch texts are in the .po file)."""
    from django.utils import translation

    with translation.override("en"):
        yield
