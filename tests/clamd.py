"""A real clamd for the virus-scan tests, with a tiny signature database of our own.

No freshclam (there is no internet): the database holds two signatures, written into a
temporary ``DatabaseDirectory``:

- ``Loket.Test.Marker`` (a ``.ndb`` body signature): any file that contains
  :data:`MARKER`, so a real PDF can be "infected" and still pass the type checks;
- ``Loket.Test.EICAR`` (a ``.hdb`` hash signature): the standard EICAR test file.

clamd loads them in well under a second. It is skipped when clamd is not installed
(Debian: ``apt-get install clamav-daemon``), unless ``LOKET_REQUIRE_SERVICES=1`` (CI).
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.core.conftest import require

CLAMD = shutil.which("clamd") or "/usr/sbin/clamd"
#: A string that makes any file "infected" for the test database.
MARKER = b"LOKET-VIRUS-TEST-MARKER-0d9e4c"
#: The signature name clamd reports for it (it adds .UNOFFICIAL to signatures of its own
#: databases).
MARKER_SIGNATURE = "Loket.Test.Marker.UNOFFICIAL"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
#: How long clamd may take to load the tiny database and listen.
START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_database(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "loket-test.ndb").write_text(f"Loket.Test.Marker:0:*:{MARKER.hex()}\n")
    (folder / "loket-test.hdb").write_text(
        f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Loket.Test.EICAR\n"  # noqa: S324
    )


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"zPING\0")
            return sock.recv(16).startswith(b"PONG")
    except OSError:
        return False


def start_clamd(folder: Path) -> tuple[subprocess.Popen, int]:
    """Start clamd in the foreground on a free loopback port; (process, port)."""
    write_database(folder / "db")
    port = free_port()
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"DatabaseDirectory {folder / 'db'}",
                f"LogFile {folder / 'clamd.log'}",
                "TCPAddr 127.0.0.1",
                f"TCPSocket {port}",
                f"LocalSocket {folder / 'clamd.sock'}",
                "Foreground yes",
                # Small, so that the test of a file clamd will not take stays small.
                "StreamMaxLength 1M",
                "",
            ]
        )
    )
    process = subprocess.Popen(  # noqa: S603 - our own binary and config
        [CLAMD, "--config-file", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_SECONDS
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log = folder / "clamd.log"
            pytest.fail(
                "clamd did not start:\n" + (log.read_text() if log.exists() else "(no log)")
            )
        time.sleep(0.05)
    return process, port


@dataclass(frozen=True)
class RunningClamd:
    """Where the test clamd listens, as LOKET_CLAMAV_ADDRESS values."""

    tcp_address: str
    unix_address: str


@pytest.fixture(scope="session")
def clamd(tmp_path_factory) -> Iterator[RunningClamd]:
    """A clamd running for this session, on a loopback port and on a Unix socket."""
    require(
        Path(CLAMD).exists(), f"clamd is not installed ({CLAMD}; apt-get install clamav-daemon)"
    )
    folder = tmp_path_factory.mktemp("clamd")
    process, port = start_clamd(folder)
    try:
        yield RunningClamd(f"tcp://127.0.0.1:{port}", f"unix://{folder / 'clamd.sock'}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def virus_scanning(settings, clamd) -> str:
    """Scanning on, against the session's clamd (TCP), failing closed; the address."""
    settings.LOKET_CLAMAV = True
    settings.LOKET_CLAMAV_ADDRESS = clamd.tcp_address
    settings.LOKET_CLAMAV_TIMEOUT = 10
    settings.LOKET_CLAMAV_FAIL_MODE = "closed"
    return clamd.tcp_address
