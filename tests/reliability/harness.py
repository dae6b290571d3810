"""Start and always stop the processes of the production topology, on loopback ports.

Each piece is a context manager that starts one thing on a free port of 127.0.0.1,
waits until it answers, and stops it when the block ends, also when the test fails:

- :func:`redis_server`: a private ``redis-server`` without persistence, which a test
  may stop and start again on the same port (a broker outage);
- :func:`postgres_cluster`: a private PostgreSQL cluster (``initdb`` into a temporary
  folder, run as the ``postgres`` user, ``fsync=off``), which a test may stop and
  start (a database restart);
- :func:`database_copy`: a fresh database on a PostgreSQL server, copied from a
  template database and dropped afterwards;
- :func:`gunicorn`, :func:`celery_worker`, :func:`celery_beat`: the web, worker and
  beat processes, with the settings of ``tests/reliability/settings.py`` and the
  environment of :func:`app_env`;
- :func:`smtp_sink`: an SMTP server in a thread of the test process (aiosmtpd) that
  keeps every message it receives, and can hold a connection on purpose.

Every process writes its output to a file of a :class:`LogBook`; the ``logbook``
fixture (conftest.py) prints those files when a test fails.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[2]
#: The settings module of every process the harness starts.
SETTINGS_MODULE = "tests.reliability.settings"
#: How long a process may take to answer after it was started.
START_TIMEOUT = 60
#: How long a process may take to stop before it is killed.
STOP_TIMEOUT = 15
#: How much of each log the failure report shows (the end of it).
LOG_TAIL_CHARS = 20_000


class HarnessError(RuntimeError):
    """A process did not start, or did not answer in time."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate: Callable[[], object], timeout: float, what: str, *, process=None):
    """Call ``predicate`` until it returns something true, and return that. Raises
    :class:`HarnessError` after ``timeout`` seconds, or as soon as ``process`` (a
    :class:`Process`) has exited."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if process is not None and not process.alive():
            raise HarnessError(f"{process.name} exited (code {process.returncode}) while {what}")
        if time.monotonic() > deadline:
            raise HarnessError(f"timed out after {timeout} s {what}")
        time.sleep(0.1)


# --- logs and processes ------------------------------------------------------------------


class LogBook:
    """The log files of one test's processes, printed when the test fails."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.paths: dict[str, Path] = {}

    def path(self, name: str) -> Path:
        """A new log file for ``name`` (``name-2``, ... when the name was used)."""
        key, number = name, 1
        while key in self.paths:
            number += 1
            key = f"{name}-{number}"
        self.paths[key] = self.folder / f"{key}.log"
        return self.paths[key]

    def add(self, name: str, path: Path) -> None:
        """Show the file ``path`` (written by something else) in the report too."""
        self.paths[name] = Path(path)

    def report(self) -> str:
        parts = []
        for name, path in self.paths.items():
            try:
                text = path.read_text(errors="replace")
            except OSError as error:
                text = f"(cannot read {path}: {error})"
            if len(text) > LOG_TAIL_CHARS:
                text = "[...]\n" + text[-LOG_TAIL_CHARS:]
            parts.append(f"----- {name} ({path}) -----\n{text}")
        return "\n".join(parts)


class Process:
    """One started process (in a session of its own, so that its children, such as
    gunicorn's workers, are stopped with it), its output in a log file."""

    def __init__(self, name: str, command: list[str], env: dict, logbook: LogBook, cwd=REPO_ROOT):
        self.name = name
        self.command = command
        self.env = env
        self.cwd = cwd
        self.log_path = logbook.path(name)
        self.popen: subprocess.Popen | None = None

    def start(self) -> Process:
        with open(self.log_path, "ab") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    @property
    def returncode(self) -> int | None:
        return None if self.popen is None else self.popen.poll()

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_for_log(self, text: str, timeout: float = START_TIMEOUT) -> None:
        wait_until(
            lambda: text in self.log(),
            timeout,
            f"waiting for {text!r} in the log of {self.name}",
            process=self,
        )

    def children(self) -> list[int]:
        """The ids of the process's direct children (e.g. gunicorn's workers)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return sorted(int(pid) for pid in path.read_text().split())
        except OSError:
            return []

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to the process alone (not to its children)."""
        if self.alive():
            os.kill(self.pid, sig)
            if sig == signal.SIGKILL:
                self.popen.wait(timeout=STOP_TIMEOUT)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM to the process's group, SIGKILL after ``timeout`` seconds."""
        if self.popen is None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.popen.wait(timeout=timeout)
        # Children that outlived their parent (a killed worker's pool) go too.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: int) -> None:
        try:
            os.killpg(self.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def kill_pid(pid: int) -> None:
    """SIGKILL to ``pid``, a child of a process the harness started (a pool process)."""
    os.kill(pid, signal.SIGKILL)


@contextmanager
def running(process: Process, ready: Callable[[], object], what: str) -> Iterator[Process]:
    """Start ``process``, wait until ``ready()`` holds, and stop it afterwards."""
    process.start()
    try:
        wait_until(ready, START_TIMEOUT, f"waiting for {what}", process=process)
        yield process
    finally:
        process.stop()


# --- Redis ---------------------------------------------------------------------------------


def redis_binary() -> str | None:
    return shutil.which("redis-server")


class RedisServer:
    """A private ``redis-server`` on one port, which a test may stop and start again."""

    def __init__(self, logbook: LogBook, port: int | None = None):
        self.logbook = logbook
        self.port = port or free_port()
        self.process: Process | None = None
        self.folder = Path(tempfile.mkdtemp(prefix="loket-redis-"))

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0):
        import redis

        return redis.Redis(port=self.port, db=db, socket_connect_timeout=0.5, socket_timeout=0.5)

    def answers(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        binary = redis_binary()
        if binary is None:
            raise HarnessError("redis-server is not installed")
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = Process("redis", command, dict(os.environ), self.logbook).start()
        wait_until(
            self.answers,
            START_TIMEOUT,
            f"waiting for Redis on port {self.port}",
            process=self.process,
        )

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None
        wait_until(lambda: not port_answers(self.port), STOP_TIMEOUT, "waiting for Redis to stop")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def redis_server(logbook: LogBook) -> Iterator[RedisServer]:
    server = RedisServer(logbook)
    try:
        server.start()
        yield server
    finally:
        server.close()


# --- PostgreSQL ------------------------------------------------------------------------------


def postgres_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl."""
    found = [Path(path).parent for path in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found = [path for path in found if (path / "pg_ctl").exists()]
    if not found:
        return None
    return max(found, key=lambda path: [int(p) for p in path.parent.name.split(".") if p.isdigit()])


def as_postgres(command: list[str]) -> subprocess.CompletedProcess:
    """Run ``command`` as the ``postgres`` OS user (initdb and postgres refuse root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    try:
        return subprocess.run(
            command, check=True, capture_output=True, text=True, timeout=START_TIMEOUT * 2
        )
    except subprocess.CalledProcessError as error:
        error.add_note(f"output: {error.stdout}{error.stderr}")
        raise


class PostgresCluster:
    """A private PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1
    (its unix socket in that folder), trusting local connections of user postgres."""

    def __init__(self, logbook: LogBook):
        bindir = postgres_bindir()
        if bindir is None:
            raise HarnessError("PostgreSQL's initdb and pg_ctl are not installed")
        self.bindir = bindir
        self.port = free_port()
        # Not under pytest's tmp_path: that folder is private to root, and the server
        # runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="loket-pg-"))
        self.data = self.folder / "data"
        self.log_path = self.folder / "postgres.log"
        logbook.add("postgres", self.log_path)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    def url(self, dbname: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def init(self) -> None:
        as_postgres(
            [str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres"]
            + ["--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        options += " -c synchronous_commit=off -c full_page_writes=off"
        as_postgres(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log_path)]
            + ["-o", options, "-w", "-t", str(START_TIMEOUT), "start"]
        )

    def stop(self, mode: str = "fast") -> None:
        as_postgres(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode]
            + ["-w", "-t", str(STOP_TIMEOUT), "stop"]
        )

    def running(self) -> bool:
        try:
            as_postgres([str(self.bindir / "pg_ctl"), "-D", str(self.data), "status"])
        except subprocess.CalledProcessError:
            return False
        return True

    def close(self) -> None:
        try:
            if self.data.exists() and self.running():
                self.stop(mode="immediate")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def postgres_cluster(logbook: LogBook) -> Iterator[PostgresCluster]:
    cluster = PostgresCluster(logbook)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.close()


def server_url(database_url: str, dbname: str) -> str:
    """``database_url`` with the database name replaced by ``dbname``."""
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/" + dbname))


def psql(url: str, sql: str) -> str:
    """Run ``sql`` through psycopg in autocommit mode; the first column of the rows."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        cursor = conn.execute(sql)
        rows = cursor.fetchall() if cursor.description else []
    return "\n".join(str(row[0]) for row in rows)


def drop_database(maintenance_url: str, name: str) -> None:
    psql(
        maintenance_url,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )
    psql(maintenance_url, f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def database_copy(maintenance_url: str, template: str, name: str) -> Iterator[str]:
    """A fresh database ``name`` copied from ``template`` on the server of
    ``maintenance_url``; yields its URL and drops it afterwards."""
    drop_database(maintenance_url, name)
    psql(maintenance_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield server_url(maintenance_url, name)
    finally:
        drop_database(maintenance_url, name)


# --- the application's processes ------------------------------------------------------------


def app_env(
    *,
    database_url: str,
    folder: Path,
    broker_url: str = "",
    cache_url: str = "",
    smtp_port: int | None = None,
    base_url: str = "http://127.0.0.1:8000",
    **extra: str,
) -> dict[str, str]:
    """The environment of a web, worker or beat process: production settings
    (``tests/reliability/settings.py``) on loopback, files under ``folder``."""
    folder = Path(folder)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "LOKET_TEST", "PYTEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CACHE_URL=cache_url,
        LOKET_BASE_URL=base_url,
        WAGTAILADMIN_BASE_URL=base_url,
        LOKET_VAR_DIR=str(folder / "var"),
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        PRIVATE_MEDIA_ROOT=str(folder / "private"),
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port or 1),
        DEFAULT_FROM_EMAIL="Loket <loket@voorbeeld.be>",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(REPO_ROOT),
    )
    env.update(extra)
    for name in ("var", "static", "media", "private"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    return env


def manage(env: dict, *args: str, logbook: LogBook, timeout: float = 600) -> None:
    """Run ``manage.py <args>`` with ``env``; its output goes to the log book."""
    log_path = logbook.path("manage-" + args[0])
    with open(log_path, "ab") as log:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=timeout,
        )
    if result.returncode != 0:
        raise HarnessError(f"manage.py {' '.join(args)} failed (see {log_path})")


def http_answers(url: str) -> bool:
    import httpx

    try:
        httpx.get(url, timeout=2)
        return True
    except httpx.HTTPError:
        return False


@dataclass
class WebServer:
    process: Process
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def gunicorn(
    env: dict,
    logbook: LogBook,
    *,
    port: int | None = None,
    workers: int = 2,
    timeout: int = 30,
    access_log: bool = False,
) -> Iterator[WebServer]:
    """``gunicorn cms.wsgi`` with ``workers`` sync workers on ``port`` (default: a free
    one); yields once it answers and every worker is up. ``access_log``: a line per
    request in the log (too many under load)."""
    port = port or free_port()
    command = [sys.executable, "-m", "gunicorn", "cms.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--backlog", "512"]
    command += ["--timeout", str(timeout), "--graceful-timeout", "5"]
    if access_log:
        command += ["--access-logfile", "-"]
    process = Process("gunicorn", command, env, logbook)
    server = WebServer(process, port)

    def ready():
        return len(process.children()) >= workers and http_answers(server.url + "/static/")

    with running(process, ready, f"gunicorn on port {port}"):
        yield server


def celery_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "cms", *args]


def start_worker(
    env: dict,
    logbook: LogBook,
    *,
    pool: str = "solo",
    concurrency: int = 1,
    name: str = "worker",
    queue: str | None = None,
) -> Process:
    """A ``celery worker`` on ``queue`` (default: the default queue), started and ready.
    The caller stops it (``process.stop()``); :func:`celery_worker` does that for a
    ``with`` block."""
    command = celery_command(
        "worker",
        f"--pool={pool}",
        f"--concurrency={concurrency}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "info",
        "-n",
        f"{name}-{os.getpid()}-{free_port()}@%h",
    )
    if queue:
        command += ["-Q", queue]
    process = Process(name, command, env, logbook).start()
    try:
        process.wait_for_log(" ready.")
    except BaseException:
        process.stop()
        raise
    return process


@contextmanager
def celery_worker(env: dict, logbook: LogBook, **options) -> Iterator[Process]:
    """:func:`start_worker` for the length of a ``with`` block."""
    process = start_worker(env, logbook, **options)
    try:
        yield process
    finally:
        process.stop()


@contextmanager
def celery_beat(env: dict, logbook: LogBook, folder: Path) -> Iterator[Process]:
    """``celery beat`` with its schedule file in ``folder``; yields once it started."""
    command = celery_command(
        "beat",
        "-l",
        "info",
        "-s",
        str(Path(folder) / "celerybeat-schedule"),
        "--pidfile",
        str(Path(folder) / "celerybeat.pid"),
    )
    process = Process("beat", command, env, logbook)
    with running(process, lambda: "beat: Starting..." in process.log(), "Celery beat"):
        yield process


# --- the SMTP sink -----------------------------------------------------------------------------


@dataclass
class Received:
    """One message the sink accepted."""

    sender: str
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["subject"] or "")

    def text(self) -> str:
        """The plain-text body."""
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    def attachments(self) -> list[tuple[str, str]]:
        """(file name, content type) of each attachment."""
        return [(p.get_filename(), p.get_content_type()) for p in self.message.iter_attachments()]


@dataclass
class SmtpSink:
    """Keeps every message it accepts. :meth:`hold` makes it keep new connections
    waiting at ``RCPT TO`` (before any message is accepted) until :meth:`release`."""

    port: int = 0
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    holding: threading.Event = field(default_factory=threading.Event)
    held: int = 0

    def hold(self) -> None:
        self.holding.set()

    def release(self) -> None:
        self.holding.clear()

    def received(self) -> list[Received]:
        with self.lock:
            return list(self.messages)

    def to(self, address: str) -> list[Received]:
        return [m for m in self.received() if address in m.recipients]

    # aiosmtpd handler hooks (run in the sink's event loop thread)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.holding.is_set():
            with self.lock:
                self.held += 1
            while self.holding.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@contextmanager
def smtp_sink() -> Iterator[SmtpSink]:
    """An SMTP server on a free port of 127.0.0.1, in a thread of this process."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port(), ready_timeout=10)
    controller.start()
    sink.port = controller.port
    try:
        yield sink
    finally:
        sink.release()
        controller.stop()
