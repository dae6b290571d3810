"""Money of several municipalities on one installation (issue #20): finance staff see
the payments, refunds, grants, statements and batches of their municipalities; a payout
batch is paid from the account of the dossiers' municipality, one batch each."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.municipalities import add_municipality
from dossiers.exceptions import ActionRefused
from dossiers.models import Grant, GrantState, PaymentSettings
from dossiers.payments import payouts
from dossiers.payments.access import FINANCE_GROUP
from tests.dossiers.finance.conftest import premium_dossier
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IBAN_A = "BE71096123456769"
IBAN_B = "BE43068999999501"


def municipality(name, host, code, iban):
    made = add_municipality(
        name=name, hostname=host, reference_code=code, creditor_name=name, iban=iban
    )
    account = PaymentSettings.for_site(made.site)
    account.bic = "GKCCBEBB"
    account.save()
    return made


@pytest.fixture
def two():
    a = municipality("Gemeente Aanzee", "aanzee.localhost", "AAN", IBAN_A)
    b = municipality("Gemeente Bzonder", "bzonder.localhost", "BZO", IBAN_B)
    for each, reference in ((a, "AAN-STP-2026-00001"), (b, "BZO-STP-2026-00001")):
        dossier = premium_dossier(each.team, reference)
        dossier.site = each.site
        dossier.save(update_fields=["site"])
        Grant.objects.create(
            dossier=dossier,
            amount=Decimal("500.00"),
            iban="BE68539007547034",
            account_holder="Het Leesteken",
            state=GrantState.APPROVED,
            granted_at=timezone.now(),
        )
    return a, b


def finance_of(municipality_, username):
    user = UserFactory(username=username)
    user.groups.add(municipality_.team.group, Group.objects.get(name=FINANCE_GROUP))
    return user


def test_one_batch_per_municipality_from_its_own_account(two, admin):
    a, b = two
    made = payouts.create_batches(admin)
    assert [batch.site for batch in made] == sorted([a.site, b.site], key=lambda s: s.pk)
    for batch in made:
        xml = bytes(batch.xml).decode()
        own, other = (IBAN_A, IBAN_B) if batch.site == a.site else (IBAN_B, IBAN_A)
        assert own in xml and other not in xml
        assert batch.count == 1
    with pytest.raises(ActionRefused):
        payouts.create_batch(admin)  # nothing left


def test_create_batch_refuses_grants_of_several_municipalities(two, admin):
    with pytest.raises(ActionRefused):
        payouts.create_batch(admin)
    assert not Grant.objects.filter(batch__isnull=False).exists()


def test_finance_staff_of_a_pay_out_and_see_only_as_money(two, client):
    a, b = two
    finance = finance_of(a, "fien")
    [batch] = payouts.create_batches(finance)
    assert batch.site == a.site
    assert Grant.objects.get(dossier__site=b.site).state == GrantState.APPROVED

    client.force_login(finance)
    text = client.get("/admin/financien/uitbetalingen/").content.decode()
    assert "BZO-STP-2026-00001" not in text
    other_batch = payouts.create_batches(finance_of(b, "bert"))[0]
    assert client.get(f"/admin/financien/uitbetalingen/{other_batch.pk}/").status_code == 404


def test_finance_staff_in_no_team_see_nothing_once_there_are_several(two):
    loner = UserFactory(username="los")
    loner.groups.add(Group.objects.get(name=FINANCE_GROUP))
    with pytest.raises(ActionRefused):
        payouts.create_batches(loner)
