"""Load: 50 applicants at once fill in and submit a 5-step form for two minutes.

gunicorn (production settings, LOKET_LOAD_WEB_WORKERS sync workers, default 4) on
PostgreSQL, with a private Redis as broker and cache, a Celery worker, beat and an SMTP
sink. ``LOKET_LOAD_APPLICANTS`` simulated applicants (default 50) go through the form
again and again for ``LOKET_LOAD_SECONDS`` (default 120). Then: not one server error
or failed request, as many dossiers as confirmation pages, no reference number twice,
and every e-mail of those dossiers sent exactly once. The p95 latency of a step POST is
printed and merged into ``var/bench/results.json`` as ``load_step_post_p95_ms``
(docs/PERFORMANCE.md, "Under load").
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

from dossiers.models import Dossier
from tests.bench.results import merge
from tests.reliability import load

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LOAD_SECONDS = float(os.environ.get("LOKET_LOAD_SECONDS", "120"))
APPLICANTS = int(os.environ.get("LOKET_LOAD_APPLICANTS", "50"))
#: How long the worker may take to send the e-mails of the whole run afterwards.
OUTBOX_TIMEOUT = 180


def test_fifty_applicants_submit_for_two_minutes(load_stack):
    form = load_stack.form

    result = load.run_load(load_stack.web.url, form, applicants=APPLICANTS, seconds=LOAD_SECONDS)
    print(f"\nUnder load ({APPLICANTS} applicants): {result.summary()}")

    assert result.server_errors == 0, result.failures[:20]
    assert result.failures == [], result.failures[:20]
    assert result.submissions, "nobody got through the form"

    # As many dossiers as confirmation pages, each with its own reference number.
    references = [submission.reference for submission in result.submissions]
    assert len(set(references)) == len(references), "a reference number was given twice"
    stored = list(Dossier.objects.filter(form_page=form.page).values_list("reference", flat=True))
    assert sorted(stored) == sorted(references)

    figures = {
        "load_step_post_p95_ms": round(result.percentile_ms(95), 1),
        "load_step_post_p50_ms": round(result.percentile_ms(50), 1),
        "load_submissions_per_minute": round(len(references) / result.seconds * 60, 1),
    }
    merge(Path(settings.VAR_DIR) / "bench" / "results.json", figures)
    print(f"Merged into var/bench/results.json: {figures}")

    # Every e-mail of every dossier went out, exactly once.
    load.wait_until_sent(references, OUTBOX_TIMEOUT, load_stack.worker)
    outbox, at_sink = load.outbox_and_sink(references, load_stack.sink)
    # The applicant (received, and the link to prove the address) and the team.
    assert sum(outbox.values()) == 3 * len(references)
    assert at_sink == outbox
