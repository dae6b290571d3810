"""The adapters that deliver an ongoing affair to the Flemish portals.

An adapter is a class with :meth:`OngoingAffairsAdapter.publish`; the setting
``LOKET_ONGOING_AFFAIRS_ADAPTER`` names it (a dotted path). :class:`HttpOngoingAffairs`
posts the affair as JSON to ``LOKET_ONGOING_AFFAIRS_URL`` with the bearer token read
from the environment variable named by ``LOKET_ONGOING_AFFAIRS_TOKEN_ENV`` (the token
itself is never a setting in a file).
"""

from __future__ import annotations

import os

import httpx
from django.conf import settings
from django.utils.module_loading import import_string


class AffairNotDelivered(Exception):
    """The portal did not take the affair (no answer, an answer other than 2xx)."""


class OngoingAffairsAdapter:
    """One way to reach the portals' ongoing affairs. Subclass it and name it in
    ``LOKET_ONGOING_AFFAIRS_ADAPTER``."""

    def publish(self, affair: dict) -> None:
        """Hand the affair over, or raise :class:`AffairNotDelivered`."""
        raise NotImplementedError


class HttpOngoingAffairs(OngoingAffairsAdapter):
    """POST the affair as JSON to ``LOKET_ONGOING_AFFAIRS_URL``. Redirects are not
    followed; a timeout (``LOKET_ONGOING_AFFAIRS_TIMEOUT``) counts as a failure."""

    def publish(self, affair: dict) -> None:
        url = settings.LOKET_ONGOING_AFFAIRS_URL
        if not url:
            raise AffairNotDelivered("LOKET_ONGOING_AFFAIRS_URL is not set")
        headers = {"User-Agent": "Loket-OngoingAffairs/1"}
        token_env = settings.LOKET_ONGOING_AFFAIRS_TOKEN_ENV
        token = os.environ.get(token_env, "").strip() if token_env else ""
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = httpx.post(
                url,
                json=affair,
                headers=headers,
                timeout=float(settings.LOKET_ONGOING_AFFAIRS_TIMEOUT),
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            raise AffairNotDelivered(f"{type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise AffairNotDelivered(f"HTTP {response.status_code}")


def is_configured() -> bool:
    return bool(getattr(settings, "LOKET_ONGOING_AFFAIRS_ADAPTER", ""))


def get_adapter() -> OngoingAffairsAdapter:
    return import_string(settings.LOKET_ONGOING_AFFAIRS_ADAPTER)()
