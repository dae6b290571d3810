"""The Standard Webhooks signature (https://www.standardwebhooks.com/).

Every request carries ``webhook-id`` (the message id, the same on every retry),
``webhook-timestamp`` (seconds since the epoch, of this attempt) and
``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256 of ``"{id}.{timestamp}.{body}"``
with the key that the ``whsec_`` secret holds in base64. :func:`verify` is what a
receiver does (our tests do it too), timestamp tolerance included, which stops a
captured request from being replayed later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Mapping

from dossiers.models.webhook import SECRET_PREFIX

#: Seconds a receiver accepts between the timestamp and its own clock (both ways).
TOLERANCE_SECONDS = 5 * 60


class InvalidSignature(Exception):
    """The request is not signed with the secret, or its timestamp is too far off."""


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value of ``body``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of a signed request."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }


def verify(
    secret: str,
    request_headers: Mapping[str, str],
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> None:
    """Check a received request; raises :class:`InvalidSignature` when it is not ours or
    too old (or too far in the future)."""
    lowered = {key.lower(): value for key, value in request_headers.items()}
    try:
        message_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        signatures = lowered["webhook-signature"].split()
    except (KeyError, ValueError):
        raise InvalidSignature("missing or malformed webhook headers") from None
    now = time.time() if now is None else now
    if abs(now - timestamp) > tolerance:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = sign(secret, message_id, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise InvalidSignature("no matching signature")
