"""The demo's money (issue #17): a road-works occupation paid by transfer and
reconciled from the demo CODA file, a payment left to match by hand, two start-up
premiums approved by a second person and in a payout batch, and a finance employee."""

from decimal import Decimal

import pytest

from dossiers.constants import EventType, PaymentStatus
from dossiers.models import BankStatement, Grant, GrantState, LineState, PayoutBatch
from dossiers.payments import payouts
from dossiers.payments.access import is_finance

pytestmark = pytest.mark.django_db


def test_the_road_works_are_paid_from_the_demo_statement(demo):
    statement = BankStatement.objects.get(filename="rekeninguittreksel.cod")
    lines = {line.state: line for line in statement.lines.all()}
    assert set(lines) == {LineState.MATCHED, LineState.UNMATCHED, LineState.OTHER}
    request = lines[LineState.MATCHED].payment_request
    assert request.status == PaymentStatus.PAID and request.amount == Decimal("85.00")
    dossier = request.dossier
    assert dossier.company_name == "Aannemer De Vos"
    assert dossier.events.filter(type=EventType.PAYMENT_RECEIVED).exists()
    assert dossier.notifications.filter(kind="payment_received").exists()


def test_two_premiums_are_in_a_payout_batch(demo):
    batch = PayoutBatch.objects.get()
    granted = Grant.objects.filter(batch=batch)
    assert granted.count() == 2
    assert {grant.state for grant in granted} == {GrantState.EXPORTED}
    assert all(grant.approved_by != grant.granted_by for grant in granted)
    assert batch.total == Decimal("11600.00")
    assert b"pain.001.001.09" in payouts.batch_file(batch)


def test_the_demo_has_a_finance_employee(demo):
    from django.contrib.auth import get_user_model

    assert is_finance(get_user_model().objects.get(username="financien"))
