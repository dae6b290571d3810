"""Two people reading statements at the same moment (PostgreSQL): the same file is read
once, and a movement in two different files is booked once (the unique file hash and
line identity, the dossier row locked while a line is booked)."""

from __future__ import annotations

import pytest
from django.db import connection

from dossiers.constants import EventType
from dossiers.exceptions import ActionRefused
from dossiers.models import BankStatement, Event, StatementLine
from dossiers.payments.statements import services as statements
from tests.dossiers.finance.conftest import fixture_bytes
from tests.dossiers.test_concurrency import at_the_same_moment

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers; row locks are a PostgreSQL concern",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def reading(content: bytes, user):
    return lambda: statements.import_statement(content=content, filename="x.cod", user=user)


def test_the_same_file_read_twice_at_once(requests_of_fixtures, finance, second_finance):
    content = fixture_bytes("statement.cod")
    results, errors = at_the_same_moment(
        reading(content, finance), reading(content, second_finance)
    )
    assert len(results) == 1
    assert len(errors) == 1 and isinstance(errors[0], ActionRefused)
    assert BankStatement.objects.count() == 1
    assert StatementLine.objects.count() == 5


def test_one_movement_in_two_files_at_once(requests_of_fixtures, finance, second_finance):
    content = fixture_bytes("statement.cod")
    other = content.replace(b"LOKET00001", b"LOKET00002")
    results, errors = at_the_same_moment(reading(content, finance), reading(other, second_finance))
    assert not errors and len(results) == 2
    assert StatementLine.objects.count() == 5
    assert sorted(result.skipped for result in results) == [0, 5]
    assert Event.objects.filter(type=EventType.PAYMENT_RECEIVED).count() == 2
