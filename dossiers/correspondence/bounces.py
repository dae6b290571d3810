"""Bounced e-mails: the fallback to paper (issue #22).

Every e-mail Loket sends carries a Message-ID that names its notification
(:func:`message_id_for`). A mail server returns an e-mail it cannot deliver as a
delivery status notification (a bounce, RFC 3464) that quotes the original headers.
The operator has the server drop those bounces, one file each, into
``LOKET_BOUNCE_DIR``; ``manage.py process_bounces`` (and the periodic task) reads them
(:func:`process_bounce_folder`): a permanent failure (status 5.x.x) of a letter puts it
on paper (:func:`dossiers.correspondence.printing.fall_back_for_notification`), a
temporary one (4.x.x) is only written in the history. Every bounce is in the delivery
history. A read file moves to ``done/`` (or ``unknown/`` when it names no notification
of ours), so a file is read once. Nothing here talks to a mail server.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.models import DeliveryResult, LetterChannel, Notification, PaperReason

from . import history, printing

logger = logging.getLogger(__name__)

#: The left part of our Message-IDs: ``<loket-notification-42@host>``.
MESSAGE_ID = re.compile(r"<loket-notification-(\d+)@[^>\s]+>")
#: An RFC 3464 status: 5.x.x is permanent, 4.x.x temporary.
STATUS = re.compile(r"^Status:\s*([245])\.(\d{1,3})\.(\d{1,3})", re.MULTILINE | re.IGNORECASE)


def message_id_for(notification: Notification) -> str:
    """The Message-ID of the e-mail of ``notification`` (its bounce names it)."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "loket.invalid"
    return f"<loket-notification-{notification.pk}@{domain}>"


@dataclass(frozen=True)
class Bounce:
    notification_id: int
    permanent: bool
    status: str


def parse_bounce(raw: bytes) -> Bounce | None:
    """The notification a bounce is about and whether it failed for good; None when
    the message names no notification of ours. Without a status line a bounce counts
    as permanent (as mail servers' plain bounces mean)."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    text = message.as_string()
    found = MESSAGE_ID.search(text)
    if found is None:
        return None
    status = STATUS.search(text)
    code = ".".join(status.groups()) if status else ""
    return Bounce(
        notification_id=int(found.group(1)),
        permanent=not code.startswith(("2", "4")),
        status=code,
    )


def record_bounce(bounce: Bounce) -> bool:
    """Write the bounce in the history and, when it is permanent and the e-mail is a
    letter, put the letter on paper. False when the notification does not exist.
    Safe twice: the letter goes on paper once."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_related("dossier", "event")
            .filter(pk=bounce.notification_id)
            .first()
        )
        if notification is None:
            return False
        detail = _("Mail server status %(status)s") % {"status": bounce.status or "?"}
        history.record(
            dossier_id=notification.dossier_id,
            channel=LetterChannel.EMAIL,
            result=DeliveryResult.BOUNCED
            if bounce.permanent
            else DeliveryResult.FAILED_TEMPORARILY,
            notification=notification,
            detail=detail,
        )
        if bounce.permanent:
            printing.fall_back_for_notification(notification, PaperReason.BOUNCED)
    return True


def process_bounce_folder(folder: str | Path | None = None) -> tuple[int, int]:
    """Read every bounce file in ``folder`` (default ``LOKET_BOUNCE_DIR``); returns
    (recorded, not ours). Each file moves to ``done/`` or ``unknown/``."""
    folder = Path(folder or settings.LOKET_BOUNCE_DIR)
    if not folder.is_dir():
        return 0, 0
    recorded = unknown = 0
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        bounce = parse_bounce(path.read_bytes())
        ours = bounce is not None and record_bounce(bounce)
        target = folder / ("done" if ours else "unknown")
        target.mkdir(exist_ok=True)
        path.replace(target / path.name)
        if ours:
            recorded += 1
        else:
            unknown += 1
            logger.warning("Bounce file %s names no notification of Loket", path.name)
    return recorded, unknown
