"""A real Celery worker process sends the journey's e-mails.

The rest of the suite runs tasks eagerly in-process. This test starts ``celery worker``
as a subprocess against Redis, sharing the test database, and checks that the
confirmation e-mail and a status-change e-mail are sent by that worker: the test process
publishes to Redis (eager off), the worker writes the mail files and marks the outbox rows
sent.

Redis: ``CELERY_BROKER_URL`` or ``redis://127.0.0.1:6379/15``. Without Redis the test is
skipped, unless ``LOKET_REQUIRE_WORKER=1`` (CI), then it fails.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core import mail
from django.db import connection, transaction
from kombu import Connection, pools

from cms.celery import app as celery_app
from dossiers import services, workflow
from dossiers.constants import NotificationStatus
from dossiers.models import Notification

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
READY_TIMEOUT = 30
DELIVERY_TIMEOUT = 30

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


# --- helpers ---------------------------------------------------------------------------


def redis_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or DEFAULT_REDIS_URL


def redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def require_redis(url: str) -> None:
    """Skip (or fail, when LOKET_REQUIRE_WORKER=1) unless Redis answers at ``url``."""
    try:
        redis_client(url).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means: no usable Redis
        message = f"No Redis reachable at {url}: the real-worker test needs Redis ({exc})"
        if os.environ.get("LOKET_REQUIRE_WORKER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def database_url_for_worker() -> str:
    """A dj-database-url URL for the database this test process is using right now."""
    settings = connection.settings_dict
    engine = settings["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(settings["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            pytest.fail(f"The worker cannot share an in-memory SQLite database ({name})")
        return "sqlite:///" + str(Path(name).resolve())
    if engine.startswith("django.db.backends.postgresql"):
        user = quote(settings.get("USER") or "", safe="")
        password = quote(settings.get("PASSWORD") or "", safe="")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{quote(settings['NAME'], safe='')}"
    pytest.fail(f"No DATABASE_URL for the worker for engine {engine}")


def reset_producer(app) -> None:
    """Drop the cached broker connections and AMQP helpers, so that the next publish
    uses the current ``app.conf`` (broker URL, default queue)."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.__dict__.pop("amqp", None)
    # kombu also keeps process-wide producer pools keyed by connection; one closed by an
    # earlier test would be handed out again ("Acquire on closed pool").
    pools.reset()


def read_mails(folder: Path) -> list[email.message.EmailMessage]:
    """The messages Django's file-based backend wrote into ``folder``."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        separator = b"\n" + b"-" * 79 + b"\n"
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def applicant_mails(folder: Path, address: str = "an@example.org"):
    """The mails in ``folder`` sent to the applicant (not to the team's mailbox)."""
    return [message for message in read_mails(folder) if message["to"] == address]


def wait_for(predicate, timeout: float, what: str, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        if worker is not None and worker.process.poll() is not None:
            pytest.fail(f"The worker exited (code {worker.process.returncode}) while {what}")
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout} s {what}")


class Worker:
    def __init__(self, process: subprocess.Popen, log_path: Path, mail_dir: Path, queue: str):
        self.process = process
        self.log_path = log_path
        self.mail_dir = mail_dir
        self.queue = queue

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""


@contextmanager
def publishing_to(broker_url: str, prefix: str = "loket-test-worker"):
    """This process publishes tasks to ``broker_url``, on a queue of its own (yielded),
    instead of running them eagerly. Restores the eager configuration afterwards."""
    queue = f"{prefix}-{uuid.uuid4().hex[:12]}"
    conf = celery_app.conf
    keys = ("task_always_eager", "broker_url", "broker_write_url", "task_default_queue")
    saved = {key: conf[key] for key in keys}
    conf.update(
        task_always_eager=False,
        broker_url=broker_url,
        broker_write_url=broker_url,
        task_default_queue=queue,
    )
    reset_producer(celery_app)
    try:
        yield queue
    finally:
        conf.update(saved)
        reset_producer(celery_app)


def stop_process(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def start_worker(broker_url: str, queue: str, folder: Path) -> Worker:
    """A real ``celery worker`` subprocess on the test database and ``queue``, writing
    its e-mails into ``folder/mail`` (file backend); returns once it is ready."""
    mail_dir = folder / "mail"
    mail_dir.mkdir()
    log_path = folder / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": broker_url,
        "LOKET_TEST_WORKER": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cms",
        "worker",
        "--pool=solo",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "info",
        "--concurrency=1",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
    ]
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    worker = Worker(process, log_path, mail_dir, queue)
    try:
        wait_for(
            lambda: " ready." in worker.log(),
            READY_TIMEOUT,
            "waiting for the worker to be ready",
            worker=worker,
        )
    except BaseException:
        stop_worker(worker)
        raise
    return worker


def stop_worker(worker: Worker) -> None:
    stop_process(worker.process)
    # pytest shows captured output only when the test fails.
    print(f"--- celery worker log ({worker.log_path}) ---\n{worker.log()}")


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture
def broker_url():
    url = redis_url()
    require_redis(url)
    return url


@pytest.fixture
def publish_to_broker(broker_url):
    with publishing_to(broker_url) as queue:
        # The producer now targets the test broker (the worker receiving the tasks proves it).
        with celery_app.connection_for_write() as producer_connection:
            assert producer_connection.as_uri() == Connection(broker_url).as_uri()
        yield queue
    try:
        redis_client(broker_url).delete(queue, f"_kombu.binding.{queue}")
    except Exception:  # noqa: BLE001 - cleanup only
        pass


@pytest.fixture
def celery_worker(transactional_db, broker_url, publish_to_broker, tmp_path):
    """A real ``celery worker`` subprocess on the test database and the test's queue.

    Depends on ``transactional_db`` so it is stopped before the database is flushed."""
    worker = start_worker(broker_url, publish_to_broker, tmp_path)
    try:
        yield worker
    finally:
        stop_worker(worker)


# --- the test --------------------------------------------------------------------------


def test_worker_sends_journey_emails(celery_worker, form_page):
    assert celery_app.conf.task_always_eager is False

    schema = form_page.get_schema()
    step1, step2 = (step["id"] for step in schema["steps"])
    answers = {
        step1: {"bedrijfsnaam": "Café De Hoek", "naam": "An Peeters", "email": "an@example.org"},
        step2: {
            "adres": "Markt 1, 9999 Voorbeeld",
            "oppervlakte": 24,
            "startdatum": "2026-04-01",
            "soort": "Open terras",
            "opmerkingen": "",
        },
    }
    with transaction.atomic():
        # Sent signed in with that address: no extra e-mail to prove it (that one is
        # tested in tests/dossiers/test_portal.py); the journey's e-mails are counted here.
        dossier = services.submit_application(
            form_page=form_page, schema=schema, answers=answers, proven_email="an@example.org"
        )
    # Committed: the on_commit hook has published the task to Redis.

    received = Notification.objects.get(dossier=dossier, kind="application_received")
    wait_for(
        lambda: Notification.objects.filter(
            pk=received.pk, status=NotificationStatus.SENT
        ).exists(),
        DELIVERY_TIMEOUT,
        "waiting for the worker to send the confirmation",
        worker=celery_worker,
    )
    messages = wait_for(
        lambda: [
            m for m in applicant_mails(celery_worker.mail_dir) if dossier.reference in m["subject"]
        ],
        DELIVERY_TIMEOUT,
        "waiting for the confirmation mail file",
        worker=celery_worker,
    )
    assert len(messages) == 1
    assert messages[0]["to"] == "an@example.org"

    dossier = workflow.transition(dossier, "start_review")
    changed = Notification.objects.get(dossier=dossier, kind="status_changed")
    wait_for(
        lambda: Notification.objects.filter(pk=changed.pk, status=NotificationStatus.SENT).exists(),
        DELIVERY_TIMEOUT,
        "waiting for the worker to send the status change",
        worker=celery_worker,
    )

    def two_mails():
        found = applicant_mails(celery_worker.mail_dir)
        return found if len(found) >= 2 else None

    messages = wait_for(
        two_mails,
        DELIVERY_TIMEOUT,
        "waiting for the status-change mail file",
        worker=celery_worker,
    )
    subjects = [m["subject"] for m in messages]
    assert len(messages) == 2, subjects
    assert all(dossier.reference in subject for subject in subjects), subjects
    assert changed.subject in subjects

    # The team's mailbox heard of the new dossier once, from the worker too.
    team_mails = [m for m in read_mails(celery_worker.mail_dir) if m["to"] == form_page.team.email]
    assert len(team_mails) == 1 and dossier.reference in team_mails[0]["subject"]

    # The worker sent them, not this process: nothing went through this process's
    # (locmem) mail backend, and the worker logged the three tasks as done.
    assert mail.outbox == []
    log = celery_worker.log()
    done = re.findall(
        r"Task dossiers\.tasks\.send_notification\[[^\]]+\] succeeded in \S+: True", log
    )
    assert len(done) == 3, log
    received.refresh_from_db()
    changed.refresh_from_db()
    assert received.attempts == 1 and changed.attempts == 1
