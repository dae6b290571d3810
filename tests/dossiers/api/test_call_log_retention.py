"""The API call log is kept LOKET_API_LOG_DAYS days, then deleted by a nightly task."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dossiers.api import tasks
from dossiers.models import ApiCall

from .conftest import make_client

pytestmark = pytest.mark.django_db


def log_call(client, days_ago: int) -> ApiCall:
    call = ApiCall.objects.create(client=client, method="GET", path="/api/v1/dossiers/", status=200)
    ApiCall.objects.filter(pk=call.pk).update(at=timezone.now() - datetime.timedelta(days=days_ago))
    return call


def test_calls_older_than_the_retention_are_deleted_in_batches(monkeypatch, settings):
    settings.LOKET_API_LOG_DAYS = 90
    monkeypatch.setattr(tasks, "BATCH", 2)
    client, _token = make_client()
    old = [log_call(client, 91) for _each in range(5)]
    recent = [log_call(client, 89), log_call(None, 1)]

    assert tasks.delete_old_api_calls() == 5

    left = set(ApiCall.objects.values_list("pk", flat=True))
    assert left == {call.pk for call in recent}
    assert not left & {call.pk for call in old}
    # Twice deletes nothing more.
    assert tasks.delete_old_api_calls() == 0


def test_zero_days_keeps_every_call(settings):
    settings.LOKET_API_LOG_DAYS = 0
    client, _token = make_client()
    log_call(client, 4000)
    assert tasks.delete_old_api_calls() == 0
    assert ApiCall.objects.count() == 1
