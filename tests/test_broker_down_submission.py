"""Redis down at the moment of submission: nothing is lost and nothing is sent twice.

A private ``redis-server`` is started and stopped again, so the broker is really down
when the applicant submits through the wizard (this process publishes to it, eager
off). The dossier is saved, the confirmation page shows, the e-mails wait in the outbox.
Then Redis comes back; the periodic sweep queues the pending e-mails (twice, as a sweep
running again before the worker caught up would), a real ``celery worker`` process
sends them, and each e-mail goes out exactly once; a later sweep sends nothing more.

Needs the ``redis-server`` binary and Redis' Python client. Without them the test is
skipped, unless ``LOKET_REQUIRE_WORKER=1`` (CI), then it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core import mail

from dossiers.constants import NotificationStatus
from dossiers.models import Dossier, Notification
from dossiers.tasks import send_pending_notifications
from tests.forms_builder.test_wizard import Applicant
from tests.test_celery_worker import (
    DELIVERY_TIMEOUT,
    publishing_to,
    read_mails,
    redis_client,
    start_worker,
    stop_process,
    stop_worker,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

APPLICANT = "an@cafedemarkt.be"
SENT_RE = r"Task dossiers\.tasks\.send_notification\[[^\]]+\] succeeded in \S+: {}"


def missing(what: str) -> None:
    message = f"The broker-down test needs {what}"
    if os.environ.get("LOKET_REQUIRE_WORKER") == "1":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A private ``redis-server`` on one port, started and stopped by the test."""

    def __init__(self, binary: str, port: int, folder: Path):
        self.binary = binary
        self.port = port
        self.folder = folder
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def answers(self) -> bool:
        try:
            return bool(redis_client(self.url).ping())
        except Exception:  # noqa: BLE001 - any failure means: not up
            return False

    def start(self) -> None:
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        with open(self.folder / "redis.log", "ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_for(self.answers, 10, f"waiting for redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is None:
            return
        stop_process(self.process)
        self.process = None
        assert not self.answers()


@pytest.fixture
def redis_server(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        missing("the redis-server binary")
    try:
        import redis  # noqa: F401
    except ImportError:
        missing("the redis Python package")
    folder = tmp_path / "redis"
    folder.mkdir()
    server = RedisServer(binary, free_port(), folder)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def publish_to(redis_server):
    """This process publishes to the private Redis (eager off), as production does."""
    with publishing_to(redis_server.url, prefix="loket-test-broker-down") as queue:
        yield queue


def test_submission_with_redis_down_is_mailed_exactly_once_when_it_is_back(
    client, form_page, redis_server, publish_to, tmp_path, caplog
):
    redis_server.start()
    redis_server.stop()  # Redis is down now.

    # --- the applicant submits --------------------------------------------------------------
    applicant = Applicant(client, form_page)
    applicant.fill_in_everything()
    started = time.monotonic()
    response = applicant.submit()
    took = time.monotonic() - started

    assert response.status_code == 200
    assert response.wsgi_request.path == form_page.url + "bevestiging/"
    dossier = Dossier.objects.get()
    html = response.content.decode()
    assert f'<strong class="reference">{dossier.reference}</strong>' in html
    assert dossier.get_status_url() in html
    assert took < 10, f"the broker outage held the applicant up for {took:.1f} s"
    assert "Could not queue dossiers.tasks.send_notification" in caplog.text
    outbox = list(Notification.objects.filter(dossier=dossier).order_by("kind"))
    assert [(n.kind, n.status, n.attempts) for n in outbox] == [
        ("application_received", NotificationStatus.PENDING, 0),
        # Not signed in: a link to prove the e-mail address (issue #13).
        ("confirm_email_address", NotificationStatus.PENDING, 0),
        ("new_dossier_for_team", NotificationStatus.PENDING, 0),
    ]
    assert mail.outbox == []

    # --- Redis is back; the sweep runs (twice) before any worker does ------------------------
    redis_server.start()
    assert send_pending_notifications(min_age_seconds=0) == 3
    assert send_pending_notifications(min_age_seconds=0) == 3  # still pending: queued again
    assert redis_client(redis_server.url).llen(publish_to) == 6

    worker = start_worker(redis_server.url, publish_to, tmp_path)
    try:
        # Six tasks for three e-mails: three send, three find them sent and do nothing.
        wait_for(
            lambda: (
                len(re.findall(SENT_RE.format("True"), worker.log())) == 3
                and len(re.findall(SENT_RE.format("False"), worker.log())) == 3
            ),
            DELIVERY_TIMEOUT,
            "waiting for the worker to run the six queued tasks",
            worker,
        )
        for notification in outbox:
            notification.refresh_from_db()
            assert notification.status == NotificationStatus.SENT
            assert notification.attempts == 1

        mails = read_mails(worker.mail_dir)
        to_applicant = [m for m in mails if m["to"] == APPLICANT]
        to_team = [m for m in mails if m["to"] == form_page.team.email]
        assert len(to_applicant) == 2, [m["subject"] for m in mails]
        assert len(to_team) == 1, [m["subject"] for m in mails]
        assert len(mails) == 3
        [received] = [m for m in to_applicant if "/bevestigen/" not in m.get_content()]
        assert dossier.reference in received["subject"]
        assert dossier.get_absolute_status_url() in received.get_content()

        # --- a later sweep sends nothing more ----------------------------------------------
        assert send_pending_notifications(min_age_seconds=0) == 0
        time.sleep(1)
        assert len(read_mails(worker.mail_dir)) == 3
        assert len(re.findall(SENT_RE.format(r"\w+"), worker.log())) == 6
        assert redis_client(redis_server.url).llen(publish_to) == 0
    finally:
        stop_worker(worker)
    assert mail.outbox == []  # all of it went out from the worker process
