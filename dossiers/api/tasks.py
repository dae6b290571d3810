"""Keeping the API call log small: calls older than ``LOKET_API_LOG_DAYS`` are deleted
nightly. The log names clients and paths (which hold dossier ids), not people, but it
grows with every call a back-office system makes, so it is kept only as long as it helps
to find out what a system did."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from dossiers.models import ApiCall

#: Rows deleted per statement: short transactions on a busy log.
BATCH = 5000


def delete_old_calls(now: datetime.datetime | None = None) -> int:
    """Delete logged calls older than ``LOKET_API_LOG_DAYS`` days (0 keeps them all), in
    batches. Returns how many were deleted."""
    days = int(getattr(settings, "LOKET_API_LOG_DAYS", 90))
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted = 0
    while True:
        batch = list(ApiCall.objects.filter(at__lt=cutoff).values_list("pk", flat=True)[:BATCH])
        if not batch:
            return deleted
        deleted += ApiCall.objects.filter(pk__in=batch).delete()[0]


@shared_task(name="dossiers.api.tasks.delete_old_api_calls", acks_late=True)
def delete_old_api_calls() -> int:
    """The nightly clean-up of the API call log (beat); safe twice."""
    return delete_old_calls()
