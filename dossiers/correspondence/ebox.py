"""The eBox for enterprises (the federal digital mailbox), behind an adapter.

The real eBox needs an onboarding with the federal government (an integrator, a
certificate); Loket never calls it in tests or in the demo. An adapter is a class with
:meth:`EboxAdapter.deliver`; the setting ``LOKET_EBOX_ADAPTER`` names it (a dotted
path). Without the setting the eBox is not offered. :class:`LocalEbox` simulates the
mailbox on this machine: it writes each message into ``LOKET_EBOX_LOCAL_DIR``, one
folder per enterprise, for the demo and the tests.

A delivery counts once the eBox confirms it (:meth:`EboxAdapter.is_confirmed`); one not
confirmed within ``LOKET_EBOX_CONFIRMATION_DAYS`` days goes on paper
(:func:`dossiers.correspondence.printing.check_ebox_deliveries`). In the simulated eBox
a message is confirmed when a file ``<message id>.confirmed`` lies next to it
(:meth:`LocalEbox.confirm` writes it, as the enterprise opening the message would).
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

    def is_confirmed(self, *, enterprise_number: str, message_id: str) -> bool:
        """Whether the mailbox confirmed the delivery of ``message_id``."""
        raise NotImplementedError


class LocalEbox(EboxAdapter):
    """A simulated eBox: files under ``LOKET_EBOX_LOCAL_DIR/<enterprise number>/``."""

    def deliver(self, *, enterprise_number, subject, pdf, filename):
        folder = self._folder(enterprise_number)
        folder.mkdir(parents=True, exist_ok=True)
        message_id = f"local-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(4)}"
        (folder / f"{message_id}.pdf").write_bytes(pdf)
        (folder / f"{message_id}.json").write_text(
            json.dumps({"subject": subject, "filename": filename}, ensure_ascii=False)
        )
        return message_id

    def is_confirmed(self, *, enterprise_number, message_id):
        return self._folder(enterprise_number).joinpath(f"{message_id}.confirmed").exists()

    @classmethod
    def confirm(cls, *, enterprise_number: str, message_id: str) -> None:
        """Simulate the enterprise opening the message."""
        cls._folder(enterprise_number).joinpath(f"{message_id}.confirmed").touch()

    @staticmethod
    def _folder(enterprise_number: str) -> Path:
        return Path(settings.LOKET_EBOX_LOCAL_DIR) / enterprise_number


def is_configured() -> bool:
    return bool(getattr(settings, "LOKET_EBOX_ADAPTER", ""))


def get_adapter() -> EboxAdapter:
    return import_string(settings.LOKET_EBOX_ADAPTER)()
