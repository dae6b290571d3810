"""Fixtures of the reliability tests: what they need, their log book, the demo database.

These tests start real processes (tests/reliability/harness.py). When something they
need is missing (PostgreSQL as DATABASE_URL, redis-server, PostgreSQL's initdb, a test
package), they are skipped with the reason, unless ``LOKET_REQUIRE_RELIABILITY=1``
(set by CI): then they fail, so a broken CI machine never passes silently.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability import harness

# A line per request or per SMTP command would drown a failure report.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("mail.log").setLevel(logging.WARNING)


def require(ok: bool, what: str) -> None:
    """Skip the test (fail it on CI) unless ``ok``; ``what`` says what is missing."""
    if ok:
        return
    message = f"The reliability tests need {what}"
    if os.environ.get("LOKET_REQUIRE_RELIABILITY") == "1":
        pytest.fail(f"LOKET_REQUIRE_RELIABILITY=1 but {message}", pytrace=False)
    pytest.skip(message)


def importable(module: str) -> bool:
    try:
        __import__(module)
    except ImportError:
        return False
    return True


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def logbook(request, tmp_path):
    """The log files of the test's processes; printed (the end of each) when it fails."""
    book = harness.LogBook(tmp_path / "logs")
    yield book
    failed = any(
        getattr(getattr(request.node, f"report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    if failed:
        print(f"\n===== logs of the processes of {request.node.name} =====\n{book.report()}")


# --- what the tests need ----------------------------------------------------------------------


@pytest.fixture
def need_clients():
    require(importable("httpx"), "the httpx package (pip install -e '.[test]')")
    require(importable("aiosmtpd"), "the aiosmtpd package (pip install -e '.[test]')")
    require(importable("redis"), "the redis package")


@pytest.fixture
def need_redis(need_clients):
    require(harness.redis_binary() is not None, "redis-server (apt-get install redis-server)")


def machine_database_url() -> str | None:
    """The PostgreSQL server of the test run (DATABASE_URL), None when it is not one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return None


@pytest.fixture
def need_postgres(need_clients):
    """The test database of this run is PostgreSQL (gunicorn and the workers share it)."""
    from django.db import connection

    require(
        connection.vendor == "postgresql",
        "PostgreSQL: set DATABASE_URL=postgres://... (SQLite cannot take parallel writers)",
    )


@pytest.fixture
def need_initdb(need_clients):
    require(
        harness.postgres_bindir() is not None,
        "PostgreSQL's server binaries (initdb, pg_ctl under /usr/lib/postgresql/*/bin)",
    )
    require(shutil.which("runuser") is not None or os.geteuid() != 0, "runuser")


@pytest.fixture(scope="session")
def maintenance_url():
    """The ``postgres`` database of the machine's PostgreSQL server (from DATABASE_URL)."""
    url = machine_database_url()
    require(url is not None, "PostgreSQL: set DATABASE_URL=postgres://...")
    try:
        harness.psql(harness.server_url(url, "postgres"), "SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure: no usable server
        require(False, f"a PostgreSQL server answering at {url} ({error})")
    return harness.server_url(url, "postgres")


class DemoDatabase:
    """A database on the machine's server with the migrations and the demo applied,
    and the folders of the private files the demo made: copy it, never use it."""

    def __init__(self, name: str, folder: Path):
        self.name = name
        self.folder = folder

    def files_into(self, folder: Path) -> None:
        """Copy the demo's uploaded files into ``folder`` (an app_env folder)."""
        for name in ("media", "private"):
            source = self.folder / name
            if source.exists():
                shutil.copytree(source, folder / name, dirs_exist_ok=True)


def drop_leftovers(maintenance_url: str) -> None:
    """Drop the databases of earlier runs that were killed before they could clean up
    (their names end with the id of a test process that is gone)."""
    names = harness.psql(
        maintenance_url,
        "SELECT datname FROM pg_database "
        "WHERE datname LIKE 'loket\\_reliab\\_demo\\_%' OR datname LIKE 'loket\\_topology\\_%'",
    )
    for name in names.split():
        pid = name.rsplit("_", 1)[-1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            harness.drop_database(maintenance_url, name)


@pytest.fixture(scope="session")
def demo_database(maintenance_url):
    """``manage.py migrate`` and ``load_demo`` with production settings, once per run,
    into a database of its own (dropped at the end); tests copy it."""
    require(importable("httpx"), "the httpx package (pip install -e '.[test]')")
    drop_leftovers(maintenance_url)
    name = f"loket_reliab_demo_{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="loket-demo-"))
    logbook = harness.LogBook(folder / "logs")
    harness.drop_database(maintenance_url, name)
    harness.psql(maintenance_url, f'CREATE DATABASE "{name}"')
    env = harness.app_env(
        database_url=harness.server_url(maintenance_url, name),
        folder=folder,
        LOKET_TEST_STATIC_MANIFEST="0",
    )
    try:
        try:
            harness.manage(env, "migrate", "--noinput", logbook=logbook)
            harness.manage(env, "load_demo", logbook=logbook)
        except harness.HarnessError as error:
            raise harness.HarnessError(f"{error}\n{logbook.report()}") from error
        yield DemoDatabase(name, folder)
    finally:
        harness.drop_database(maintenance_url, name)
        shutil.rmtree(folder, ignore_errors=True)


# --- gunicorn, worker and beat on the test database ----------------------------------------------


@dataclass
class LoadStack:
    """The form under load and the processes serving it."""

    form: object
    web: harness.WebServer
    worker: harness.Process
    beat: harness.Process
    redis: harness.RedisServer
    sink: harness.SmtpSink


@pytest.fixture
def load_stack(transactional_db, need_postgres, need_redis, home_page, team, logbook, tmp_path):
    """A 5-step form (tests/reliability/load.py) on the test database, served by gunicorn
    with LOKET_LOAD_WEB_WORKERS workers (default 4), with a private Redis as broker and
    cache, a Celery worker, beat sweeping the outbox every 3 s, and an SMTP sink.

    Depends on ``transactional_db``: the processes stop before the database is flushed.
    """
    from tests.reliability import load
    from tests.test_celery_worker import database_url_for_worker

    form = load.build_form(home_page, team)
    with ExitStack() as stack:
        redis = stack.enter_context(harness.redis_server(logbook))
        sink = stack.enter_context(harness.smtp_sink())
        port = harness.free_port()
        env = harness.app_env(
            database_url=database_url_for_worker(),
            folder=tmp_path / "app",
            broker_url=redis.url(0),
            cache_url=redis.url(1),
            smtp_port=sink.port,
            base_url=f"http://127.0.0.1:{port}",
            LOKET_TEST_STATIC_MANIFEST="0",
            LOKET_RATELIMIT_ENABLED="0",
            LOKET_TEST_SWEEP_SECONDS="3",
            LOKET_TEST_SWEEP_MIN_AGE="5",
        )
        workers = int(os.environ.get("LOKET_LOAD_WEB_WORKERS", "4"))
        web = stack.enter_context(harness.gunicorn(env, logbook, port=port, workers=workers))
        worker = stack.enter_context(harness.celery_worker(env, logbook))
        beat = stack.enter_context(harness.celery_beat(env, logbook, tmp_path))
        yield LoadStack(form, web, worker, beat, redis, sink)
