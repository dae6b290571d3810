"""Broker down under load: Redis stops in the middle of the rush and comes back.

The stack of test_load.py (gunicorn on PostgreSQL, a private Redis as broker and as
cache, as the README's production set-up has it, a Celery worker, beat, an SMTP sink).
``LOKET_LOAD_APPLICANTS`` applicants (default 50) fill in the 5-step form for
``LOKET_BROKER_DOWN_SECONDS`` (default 45). Once the first of them got through, Redis
is stopped; it is started again, empty (no persistence: every queued task is gone),
when 20 more submissions were saved, or after two thirds of the time (8 s at least).

While it is down every submission is still saved and confirmed, without a server
error. Once it is back, beat's sweep (every 3 s here) queues what is still pending and
the worker sends every e-mail of every dossier exactly once.
"""

from __future__ import annotations

import os
import time

import pytest
from django.db import connection

from dossiers.constants import NotificationStatus
from dossiers.models import Dossier, Notification
from tests.reliability import harness, load

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECONDS = float(os.environ.get("LOKET_BROKER_DOWN_SECONDS", "45"))
APPLICANTS = int(os.environ.get("LOKET_LOAD_APPLICANTS", "50"))
OUTBOX_TIMEOUT = 180
#: Redis comes back once this many submissions were saved while it was down, or at two
#: thirds of the run, but not before it was down this many seconds.
SAVED_DURING_OUTAGE = 20
MIN_OUTAGE_SECONDS = 8


def test_submissions_during_a_redis_outage_are_saved_and_mailed_once(load_stack):
    form, redis = load_stack.form, load_stack.redis
    outage = {}

    def stop_and_start_redis(started: float, result: load.LoadResult) -> None:
        # Down once the first applicants got through (so journeys are under way at
        # every step); back when enough were saved meanwhile (see SAVED_DURING_OUTAGE).
        harness.wait_until(lambda: result.submissions, SECONDS, "waiting for a submission")
        redis.stop()
        outage["down"] = time.monotonic()
        earliest = outage["down"] + MIN_OUTAGE_SECONDS
        latest = max(started + 2 * SECONDS / 3, earliest)

        def back_now() -> bool:
            now = time.monotonic()
            saved = sum(1 for s in result.submissions if s.started > outage["down"])
            return now >= latest or (now >= earliest and saved >= SAVED_DURING_OUTAGE)

        while not back_now():
            time.sleep(0.2)
        # Submissions saved before this moment, as the outbox holds them (still down).
        outage["up"] = time.monotonic()
        outage["pending"] = set(
            Notification.objects.filter(
                dossier__form_page=form.page, status=NotificationStatus.PENDING
            ).values_list("dossier__reference", flat=True)
        )
        connection.close()  # this thread's own
        redis.start()

    result = load.run_load(
        load_stack.web.url,
        form,
        applicants=APPLICANTS,
        seconds=SECONDS,
        during=stop_and_start_redis,
    )
    print(f"\nRedis down for {outage['up'] - outage['down']:.0f} s: {result.summary()}")

    assert result.server_errors == 0, result.failures[:20]
    assert result.failures == [], result.failures[:20]
    during_outage = [
        s for s in result.submissions if outage["down"] < s.started and s.submitted < outage["up"]
    ]
    assert len(during_outage) >= 5, "the outage did not last long enough to prove anything"
    print(f"{len(during_outage)} submissions were saved while Redis was down")

    # Every submission is saved, once.
    references = [submission.reference for submission in result.submissions]
    assert len(set(references)) == len(references)
    stored = list(Dossier.objects.filter(form_page=form.page).values_list("reference", flat=True))
    assert sorted(stored) == sorted(references)
    # Their e-mails could not be queued: they waited in the outbox.
    assert {s.reference for s in during_outage} <= outage["pending"]

    # Back: the sweep queues what is pending, the worker sends each e-mail once.
    load.wait_until_sent(references, OUTBOX_TIMEOUT, load_stack.worker)
    time.sleep(5)  # a sweep or two more: nothing goes out again
    outbox, at_sink = load.outbox_and_sink(references, load_stack.sink)
    # The applicant (received, and the link to prove the address) and the team.
    assert sum(outbox.values()) == 3 * len(references)
    assert at_sink == outbox
    assert load_stack.worker.alive() and load_stack.beat.alive()
