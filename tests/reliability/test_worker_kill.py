"""A worker killed (SIGKILL) in the middle of sending an e-mail: the task runs again, the
e-mail goes out once.

The SMTP sink holds the worker's connection at ``RCPT TO``, before any message is
accepted, so the kill always lands in the same place: inside
``notifications.deliver``, with the outbox row locked and nothing committed. Then the
worker is killed with SIGKILL and the sink lets go.

- ``worker``: the whole worker (solo pool) dies. Its task was never acknowledged
  (``CELERY_TASK_ACKS_LATE``), so Redis hands it to the next worker once the
  visibility timeout has passed (5 s here; in production an hour, and the outbox sweep
  sends a pending e-mail within minutes anyway). A new worker starts and sends it.
- ``pool process``: the process of a prefork pool that runs the task dies; the worker
  gives the task back to the broker (``CELERY_TASK_REJECT_ON_WORKER_LOST``), starts a
  new pool process, and the task runs again at once.

No beat runs here: the task itself runs again, not a sweep. Each time the e-mail
reaches the sink once, the row is sent after one counted attempt (the killed attempt
was rolled back with its transaction), and the same task id is received twice.
"""

from __future__ import annotations

import re
import signal
import time

import pytest
from django.db import DatabaseError, transaction

from cms.demo import ensure_team
from dossiers import services
from dossiers.constants import NotificationStatus
from dossiers.models import Notification
from tests.conftest import make_form_page
from tests.reliability import harness
from tests.test_celery_worker import database_url_for_worker, publishing_to

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

APPLICANT = "an@cafedehoek.be"
VISIBILITY_TIMEOUT = 5
TIMEOUT = 60
RECEIVED_RE = re.compile(r"Task dossiers\.tasks\.send_notification\[([0-9a-f-]+)\] received")


def submit(form_page):
    schema = form_page.get_schema()
    step1, step2 = (step["id"] for step in schema["steps"])
    answers = {
        step1: {"bedrijfsnaam": "Café De Hoek", "naam": "An Peeters", "email": APPLICANT},
        step2: {
            "adres": "Markt 1, 9999 Voorbeeld",
            "oppervlakte": 24,
            "startdatum": "2030-04-01",
            "soort": "Open terras",
            "opmerkingen": "",
        },
    }
    # Sent signed in with that address, so no second e-mail asks to prove it.
    with transaction.atomic():
        return services.submit_application(
            form_page=form_page, schema=schema, answers=answers, proven_email=APPLICANT
        )


def row_is_locked(notification_id: int) -> bool:
    """Whether another transaction holds the outbox row (PostgreSQL: NOWAIT fails)."""
    try:
        with transaction.atomic():
            Notification.objects.select_for_update(nowait=True).get(pk=notification_id)
    except DatabaseError:
        return True
    return False


@pytest.fixture
def form_page(home_page):
    # A team without a shared mailbox: the confirmation is the dossier's only e-mail.
    return make_form_page(home_page, team=ensure_team("Zonder mailbox"))


@pytest.mark.parametrize("killed", ["worker", "pool process"])
def test_a_task_killed_mid_way_runs_again_and_mails_once(
    killed, need_postgres, need_redis, form_page, logbook, tmp_path
):
    pool = "solo" if killed == "worker" else "prefork"
    with (
        harness.redis_server(logbook) as redis,
        harness.smtp_sink() as sink,
        publishing_to(redis.url(0), prefix="loket-test-kill") as queue,
    ):
        env = harness.app_env(
            database_url=database_url_for_worker(),
            folder=tmp_path / "app",
            broker_url=redis.url(0),
            smtp_port=sink.port,
            LOKET_TEST_STATIC_MANIFEST="0",
            LOKET_TEST_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        )
        sink.hold()
        workers = [harness.start_worker(env, logbook, pool=pool, queue=queue)]
        try:
            dossier = submit(form_page)
            notification = Notification.objects.get(dossier=dossier)

            # The worker is sending: connected to the sink, the row locked, nothing saved.
            harness.wait_until(
                lambda: sink.held, TIMEOUT, "waiting for the worker to send", process=workers[0]
            )
            assert row_is_locked(notification.pk)
            notification.refresh_from_db()
            assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 0)

            if killed == "worker":
                workers[0].kill(signal.SIGKILL)
                assert redis.client().hlen("unacked") == 1, "the task was never acknowledged"
                sink.release()
                workers.append(harness.start_worker(env, logbook, queue=queue, name="worker-2"))
            else:
                [pool_process] = workers[0].children()
                harness.kill_pid(pool_process)
                sink.release()

            harness.wait_until(
                lambda: Notification.objects.filter(
                    pk=notification.pk, status=NotificationStatus.SENT
                ).exists(),
                TIMEOUT,
                "waiting for the task to run again and send the e-mail",
                process=workers[-1],
            )
            time.sleep(VISIBILITY_TIMEOUT + 2)  # long enough for a wrong redelivery
        finally:
            for worker in workers:
                worker.stop()

    assert len(sink.to(APPLICANT)) == 1
    [message] = sink.received()
    assert dossier.reference in message.subject
    notification.refresh_from_db()
    assert notification.attempts == 1
    # The same task (by id) was received by the killed process and again afterwards.
    received = [RECEIVED_RE.findall(worker.log()) for worker in workers]
    task_ids = [task_id for found in received for task_id in found]
    assert len(task_ids) == 2 and len(set(task_ids)) == 1, received
