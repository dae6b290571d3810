"""Virus scanning of uploads with ClamAV, through the clamd daemon (optional).

Every file an applicant or an officer uploads passes the upload field of the form
builder (:class:`forms_builder.fields.upload.UploadFormField`): the wizard's file
fields, the documents of an answer to a question and the files of a message. That field
calls :func:`scan_upload` for each new file once its type, size and content checks
passed, so one switch covers every place a file comes in.

- ``LOKET_CLAMAV`` turns scanning on (off by default);
- ``LOKET_CLAMAV_ADDRESS`` is where clamd listens: ``tcp://host:port`` or
  ``unix:///path/to/clamd.ctl``;
- ``LOKET_CLAMAV_TIMEOUT``: seconds for each step of talking to clamd (connecting,
  sending, waiting for the verdict);
- ``LOKET_CLAMAV_FAIL_MODE``: what happens when clamd cannot be reached or gives no
  verdict. ``closed`` (the default) refuses the file (the applicant is asked to try
  again in a few minutes); ``open`` accepts it unscanned and logs an error.

The protocol is clamd's own and small enough to speak here with the ``socket`` module
(no extra dependency; the Python clamd libraries on PyPI are unmaintained):
``zINSTREAM\\0``, then the file in chunks, each preceded by its length as 4 bytes
big-endian, then a chunk of length 0. clamd answers ``stream: OK\\0`` or
``stream: <signature> FOUND\\0`` (or ``... ERROR\\0``, e.g. when the file is larger than
its ``StreamMaxLength``).

Logs name the signature, the size and the detected type of the file, never the file's
name (it often holds a person's name) or anything else about who sent it.
"""

from __future__ import annotations

import logging
import socket
import struct
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

logger = logging.getLogger(__name__)

#: Bytes sent to clamd per chunk (well under clamd's default StreamMaxLength of 25 MB).
CHUNK_BYTES = 64 * 1024
#: Connecting never waits longer than this, whatever LOKET_CLAMAV_TIMEOUT says: a clamd
#: that does not even accept the connection should not hold a request for long.
MAX_CONNECT_SECONDS = 5.0
#: The values LOKET_CLAMAV_FAIL_MODE may take.
FAIL_CLOSED = "closed"
FAIL_OPEN = "open"
FAIL_MODES = (FAIL_CLOSED, FAIL_OPEN)


class ScannerUnavailable(Exception):
    """clamd could not be reached or gave no verdict (the reason is in the message)."""


@dataclass(frozen=True)
class ClamdAddress:
    """Where clamd listens: a TCP host and port, or a Unix socket path."""

    family: int
    target: tuple[str, int] | str

    @classmethod
    def parse(cls, address: str) -> ClamdAddress:
        """``tcp://host:port`` or ``unix:///path``; ``ValueError`` for anything else."""
        parts = urlsplit(address.strip())
        if parts.scheme == "tcp":
            try:
                port = parts.port
            except ValueError:
                port = None
            if not parts.hostname or port is None:
                raise ValueError(f"{address!r}: use tcp://host:port, e.g. tcp://127.0.0.1:3310")
            return cls(
                socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET, (parts.hostname, port)
            )
        if parts.scheme == "unix":
            path = parts.path
            if parts.netloc or not path.startswith("/"):
                raise ValueError(
                    f"{address!r}: use unix:///absolute/path, e.g. unix:///run/clamav/clamd.ctl"
                )
            return cls(socket.AF_UNIX, path)
        raise ValueError(f"{address!r}: the address must start with tcp:// or unix://")


class ClamdClient:
    """Talks to one clamd: :meth:`ping` and :meth:`scan` (one connection per call)."""

    def __init__(self, address: str, timeout: float):
        self.address = ClamdAddress.parse(address)
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        connect_timeout = min(self.timeout, MAX_CONNECT_SECONDS)
        if self.address.family == socket.AF_UNIX:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(connect_timeout)
                sock.connect(self.address.target)
            except OSError:
                sock.close()
                raise
        else:
            # Resolves the host name to IPv4 or IPv6, whichever answers.
            sock = socket.create_connection(self.address.target, timeout=connect_timeout)
        sock.settimeout(self.timeout)
        return sock

    @staticmethod
    def _reply(sock: socket.socket) -> str:
        """clamd's answer up to its closing NUL (the z-commands end replies with one)."""
        received = b""
        while not received.endswith(b"\0"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            received += chunk
        return received.rstrip(b"\0").decode("utf-8", "replace").strip()

    def ping(self) -> bool:
        """Whether clamd answers PONG."""
        try:
            with self._connect() as sock:
                sock.sendall(b"zPING\0")
                return self._reply(sock) == "PONG"
        except OSError:
            return False

    def scan(self, stream: BinaryIO) -> str | None:
        """Send ``stream`` (from its start) to clamd; the signature name when clamd finds
        something, None when the file is clean. ``ScannerUnavailable`` when there is no
        verdict. The stream's position is put back afterwards."""
        position = stream.tell()
        stream.seek(0)
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK_BYTES):
                    sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                sock.sendall(struct.pack(">I", 0))
                reply = self._reply(sock)
        except OSError as exc:
            # A clamd that stops reading (its size limit) resets the connection while
            # the file is still being sent: that, too, is "no verdict".
            raise ScannerUnavailable(f"{type(exc).__name__}: {exc}") from exc
        finally:
            stream.seek(position)
        if reply.endswith(" FOUND"):
            return reply.removeprefix("stream:").removesuffix(" FOUND").strip() or "unknown"
        if reply == "stream: OK":
            return None
        raise ScannerUnavailable(f"clamd answered {reply[:200]!r}")


def is_enabled() -> bool:
    return bool(getattr(settings, "LOKET_CLAMAV", False))


def client() -> ClamdClient:
    """A client for the clamd of the settings (``ScannerUnavailable`` when the address
    is not valid: ``manage.py check`` reports that, but a request must not fail on it)."""
    try:
        return ClamdClient(settings.LOKET_CLAMAV_ADDRESS, settings.LOKET_CLAMAV_TIMEOUT)
    except ValueError as exc:
        raise ScannerUnavailable(f"LOKET_CLAMAV_ADDRESS is not valid: {exc}") from exc


def scan_upload(uploaded, detected_type: str | None = None) -> str | None:
    """The hook of the upload field: the signature when ``uploaded`` carries a virus,
    else None. Does nothing (None) while scanning is off.

    When clamd gives no verdict, fail closed (the default) raises
    :class:`ScannerUnavailable`; fail open logs an error and returns None, so the file
    is accepted unscanned.
    """
    if not is_enabled():
        return None
    details = {"size": getattr(uploaded, "size", None), "type": detected_type or "unknown"}
    try:
        signature = client().scan(uploaded)
    except ScannerUnavailable as exc:
        if settings.LOKET_CLAMAV_FAIL_MODE == FAIL_OPEN:
            logger.error(
                "Virus scanner unavailable (%s); upload of %s bytes (%s) accepted unscanned "
                "because LOKET_CLAMAV_FAIL_MODE=open",
                exc,
                details["size"],
                details["type"],
            )
            return None
        logger.error(
            "Virus scanner unavailable (%s); upload of %s bytes (%s) refused",
            exc,
            details["size"],
            details["type"],
        )
        raise
    if signature is not None:
        logger.warning(
            "Virus found in an upload: %s; upload of %s bytes (%s) refused",
            signature,
            details["size"],
            details["type"],
        )
    return signature


@register()
def check_settings(app_configs=None, **kwargs) -> list[Error]:
    """``manage.py check``: the ClamAV settings make sense (only while scanning is on)."""
    if not is_enabled():
        return []
    errors = []
    try:
        ClamdAddress.parse(settings.LOKET_CLAMAV_ADDRESS)
    except ValueError as exc:
        errors.append(Error(f"LOKET_CLAMAV_ADDRESS: {exc}", id="loket.E101"))
    if settings.LOKET_CLAMAV_FAIL_MODE not in FAIL_MODES:
        errors.append(
            Error(
                f"LOKET_CLAMAV_FAIL_MODE is {settings.LOKET_CLAMAV_FAIL_MODE!r}; "
                "use 'closed' (refuse uploads while clamd is unreachable) or 'open'.",
                id="loket.E102",
            )
        )
    if not settings.LOKET_CLAMAV_TIMEOUT > 0:
        errors.append(Error("LOKET_CLAMAV_TIMEOUT must be more than 0 seconds.", id="loket.E103"))
    return errors
