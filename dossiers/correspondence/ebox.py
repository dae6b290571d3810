"""The eBox for enterprises (the federal digital mailbox), behind an adapter.

The real eBox needs an onboarding with the federal government (an integrator, a
certificate); Loket never calls it in tests or in the demo. An adapter is a class with
:meth:`EboxAdapter.deliver`; the setting ``LOKET_EBOX_ADAPTER`` names it (a dotted
path). Without the setting the eBox is not offered. :class:`LocalEbox` simulates the
mailbox on this machine: it writes each message into ``LOKET_EBOX_LOCAL_DIR``, one
folder per enterprise, for the demo and the tests.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class EboxRefused(Exception):
    """The mailbox did not take the message (the enterprise has no eBox, an outage)."""


class EboxAdapter:
    """One way to reach the eBox. Subclass it and name it in ``LOKET_EBOX_ADAPTER``."""

    def deliver(self, *, enterprise_number: str, subject: str, pdf: bytes, filename: str) -> str:
        """Hand the message over; return the mailbox's id for it, or raise
        :class:`EboxRefused`."""
        raise NotImplementedError


class LocalEbox(EboxAdapter):
    """A simulated eBox: files under ``LOKET_EBOX_LOCAL_DIR/<enterprise number>/``."""

    def deliver(self, *, enterprise_number, subject, pdf, filename):
        folder = Path(settings.LOKET_EBOX_LOCAL_DIR) / enterprise_number
        folder.mkdir(parents=True, exist_ok=True)
        message_id = f"local-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
        (folder / f"{message_id}.pdf").write_bytes(pdf)
        (folder / f"{message_id}.json").write_text(
            json.dumps({"subject": subject, "filename": filename}, ensure_ascii=False)
        )
        return message_id


def is_configured() -> bool:
    return bool(getattr(settings, "LOKET_EBOX_ADAPTER", ""))


def get_adapter() -> EboxAdapter:
    return import_string(settings.LOKET_EBOX_ADAPTER)()
