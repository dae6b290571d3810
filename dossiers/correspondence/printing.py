"""Letters that go by paper or eBox, the fallback to paper, and the print batches.

Queued by the recipient's choice (:mod:`.preferences`):

- :func:`post_letter`: a decision letter, when it is made
  (:func:`dossiers.outbox.letters.ensure_decision_letter` sends ``decision_letter_made``);
- :func:`post_message`: every other letter to the applicant (an information request, a
  message from the officer, a payment request: the kinds with ``is_letter``), when its
  e-mail is written (:func:`dossiers.outbox.notify.queue_for_event`).

Paper is added, never instead of the e-mail the notification already sends. An eBox
letter is handed to the adapter once the transaction commits (:func:`deliver_to_ebox`).

The fallback (:func:`fall_back_to_paper`): a letter whose e-mail bounced permanently
(:mod:`.bounces`) or failed for good, whose eBox refused it, or whose eBox delivery was
not confirmed within ``LOKET_EBOX_CONFIRMATION_DAYS`` days
(:func:`check_ebox_deliveries`) goes into the next print batch, with the reason for the
officer. Its address: the recipient's newest choice that had one, else the company's
seat in the register; without either it waits until an officer types one.

The print batches of the waiting paper letters are in :mod:`.batches`. Every step is
written to the delivery history (:mod:`.history`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import Status
from dossiers.models import (
    Attachment,
    ContactPreference,
    DeliveryRecord,
    DeliveryResult,
    Dossier,
    LetterChannel,
    Notification,
    PaperReason,
    PostedLetter,
)

from . import ebox, history
from .preferences import preference_for_dossier

logger = logging.getLogger(__name__)

#: The kind of the status-change e-mail, which carries the decision letter on a decision.
STATUS_CHANGED = "status_changed"
DECISION_STATUSES = (Status.APPROVED, Status.REJECTED)


# --- Queueing by the recipient's choice -----------------------------------------------


def post_letter(dossier: Dossier, attachment: Attachment) -> PostedLetter | None:
    """Queue the decision letter ``attachment`` for paper or the eBox, as the
    preference says; None for e-mail. Safe twice: one posted letter per channel."""
    return _post_by_preference(dossier, attachment=attachment)


def on_decision_letter_made(sender, *, dossier: Dossier, letter: Attachment, **kwargs) -> None:
    """The receiver of :data:`dossiers.outbox.letters.decision_letter_made`."""
    post_letter(dossier, letter)


def post_message(notification: Notification) -> PostedLetter | None:
    """Queue the letter of ``notification`` (a kind with ``is_letter``, to the
    applicant) for paper or the eBox, as the preference says; None for e-mail."""
    if not _is_to_applicant(notification):
        return None
    return _post_by_preference(notification.dossier, notification=notification)


def _is_to_applicant(notification: Notification) -> bool:
    applicant = (notification.dossier.applicant_email or "").lower()
    return bool(applicant) and notification.recipient.lower() == applicant


def _post_by_preference(dossier, *, attachment=None, notification=None) -> PostedLetter | None:
    preference = preference_for_dossier(dossier)
    if preference is None or preference.channel == LetterChannel.EMAIL:
        return None
    if preference.channel == LetterChannel.EBOX:
        if not ebox.is_configured() or not dossier.enterprise_number:
            return None
        return _queue(dossier, LetterChannel.EBOX, attachment=attachment, notification=notification)
    return _queue(
        dossier,
        LetterChannel.PAPER,
        attachment=attachment,
        notification=notification,
        recipient=preference.postal_address,
        reason=PaperReason.PREFERENCE,
    )


def _queue(
    dossier, channel, *, attachment=None, notification=None, recipient="", reason=""
) -> PostedLetter:
    """The posted letter of this content on ``channel``, made (and its first history
    step written) unless it exists."""
    content = {"attachment": attachment} if attachment is not None else {}
    content = content or {"notification": notification}
    letter, created = PostedLetter.objects.get_or_create(
        channel=channel,
        **content,
        defaults={
            "dossier": dossier,
            "recipient": recipient,
            "reason": reason,
            "notification": notification,
        },
    )
    if not created:
        return letter
    if channel == LetterChannel.EBOX:
        transaction.on_commit(lambda: deliver_to_ebox(letter.pk))
    else:
        history.record(
            dossier_id=dossier.pk,
            channel=channel,
            result=DeliveryResult.WAITING_FOR_PRINT,
            letter=letter,
            detail=str(PaperReason(reason).label)
            + ("" if recipient.strip() else " " + _("No postal address known yet.")),
        )
    return letter


# --- The fallback to paper ------------------------------------------------------------


def fallback_address(dossier: Dossier) -> str:
    """Where a letter goes on paper when the recipient did not choose paper: the
    newest choice with an address (of the company, else of the applicant's e-mail
    address), else the company's name and seat in the register; "" when none is
    known."""
    with_address = ContactPreference.objects.exclude(postal_address="")
    found = None
    if dossier.enterprise_number:
        found = with_address.filter(enterprise_number=dossier.enterprise_number).first()
    if found is None and dossier.applicant_email:
        found = with_address.filter(
            enterprise_number="", email=dossier.applicant_email.lower()
        ).first()
    if found is not None:
        return found.postal_address
    if dossier.enterprise_number:
        # Imported here: the register's package is not needed for anything else here.
        from dossiers.companies.profile import company_profile

        profile = company_profile(dossier.enterprise_number)
        if profile is not None and profile.seat:
            return "\n".join(filter(None, [profile.name, *profile.seat.split(", ")]))
    return ""


def is_letter(notification: Notification) -> bool:
    """Whether ``notification`` to the applicant is a letter that must reach them."""
    from dossiers.outbox.kinds import get_kind

    if not _is_to_applicant(notification):
        return False
    if notification.kind == STATUS_CHANGED:
        event = notification.event
        return event is not None and event.to_status in DECISION_STATUSES
    kind = get_kind(notification.kind)
    return bool(kind and kind.is_letter)


def fall_back_to_paper(
    *, dossier: Dossier, reason: str, attachment=None, notification=None
) -> PostedLetter:
    """Put a letter into the next print batch because its other channel failed
    (``reason``: a :class:`~dossiers.models.PaperReason`). Safe twice: a letter already
    on paper is returned as it is."""
    return _queue(
        dossier,
        LetterChannel.PAPER,
        attachment=attachment,
        notification=notification,
        recipient=fallback_address(dossier),
        reason=reason,
    )


def fall_back_for_notification(notification: Notification, reason: str) -> PostedLetter | None:
    """The fallback for an e-mail that did not arrive: its letter on paper (for a
    decision, the decision letter it carried); None when the e-mail is no letter."""
    if not is_letter(notification):
        return None
    attachment = None
    if notification.kind == STATUS_CHANGED:
        from dossiers.outbox.letters import current_letter

        attachment = current_letter(notification.dossier)
    if attachment is not None:
        return fall_back_to_paper(
            dossier=notification.dossier, reason=reason, attachment=attachment
        )
    return fall_back_to_paper(
        dossier=notification.dossier, reason=reason, notification=notification
    )


# --- The eBox ------------------------------------------------------------------------


def letter_pdf(letter: PostedLetter) -> bytes:
    """The PDF of a posted letter: the stored decision letter, or the message as a
    letter with the letterhead."""
    if letter.attachment_id is not None:
        with letter.attachment.file.open("rb") as handle:
            return handle.read()
    from dossiers.outbox.letters import html_to_pdf, render_message_letter_html

    return html_to_pdf(render_message_letter_html(letter.notification))


def _filename(letter: PostedLetter) -> str:
    if letter.attachment_id is not None:
        return letter.attachment.original_name
    return f"{letter.dossier.reference}-{letter.pk}.pdf"


def deliver_to_ebox(letter_id: int) -> None:
    """Hand a posted letter to the eBox adapter; safe twice (a sent letter is skipped).
    A refusal puts the letter on paper (with the reason, in the history)."""
    letter = (
        PostedLetter.objects.select_related("dossier", "attachment", "notification__dossier")
        .filter(pk=letter_id)
        .first()
    )
    if letter is None or letter.sent_at is not None:
        return
    try:
        reference = ebox.get_adapter().deliver(
            enterprise_number=letter.dossier.enterprise_number,
            subject=letter.notification.subject
            if letter.notification_id
            else letter.dossier.form_title,
            pdf=letter_pdf(letter),
            filename=_filename(letter),
        )
    except ebox.EboxRefused as exc:
        logger.warning("eBox refused the letter of %s: %s", letter.dossier.reference, exc)
        with transaction.atomic():
            history.record(
                dossier_id=letter.dossier_id,
                channel=LetterChannel.EBOX,
                result=DeliveryResult.FAILED,
                letter=letter,
                detail=str(exc),
            )
            fall_back_to_paper(
                dossier=letter.dossier,
                reason=PaperReason.EBOX_REFUSED,
                attachment=letter.attachment,
                notification=letter.notification,
            )
        return
    with transaction.atomic():
        updated = PostedLetter.objects.filter(pk=letter.pk, sent_at=None).update(
            sent_at=timezone.now(), ebox_reference=reference[:200]
        )
        if updated:
            history.record(
                dossier_id=letter.dossier_id,
                channel=LetterChannel.EBOX,
                result=DeliveryResult.SENT,
                letter=letter,
                detail=_("Waiting for the eBox to confirm delivery."),
            )


def confirmation_days() -> int:
    return int(getattr(settings, "LOKET_EBOX_CONFIRMATION_DAYS", 7))


def check_ebox_deliveries(now=None) -> tuple[int, int]:
    """Ask the eBox about every letter handed over and not yet confirmed: a confirmed
    one is marked delivered; one not confirmed within :func:`confirmation_days` days
    goes on paper. Returns (confirmed, put on paper). Safe twice: a letter is
    confirmed once and put on paper once."""
    if not ebox.is_configured():
        return 0, 0
    now = now or timezone.now()
    adapter = ebox.get_adapter()
    given_up = DeliveryRecord.objects.filter(result=DeliveryResult.UNCONFIRMED).values("letter_id")
    pending = (
        PostedLetter.objects.filter(
            channel=LetterChannel.EBOX, sent_at__isnull=False, confirmed_at=None
        )
        .exclude(pk__in=given_up)
        .select_related("dossier", "attachment", "notification")
    )
    confirmed = fallen_back = 0
    deadline = now - timedelta(days=confirmation_days())
    for letter in pending:
        if adapter.is_confirmed(
            enterprise_number=letter.dossier.enterprise_number, message_id=letter.ebox_reference
        ):
            with transaction.atomic():
                if PostedLetter.objects.filter(pk=letter.pk, confirmed_at=None).update(
                    confirmed_at=now
                ):
                    history.record(
                        dossier_id=letter.dossier_id,
                        channel=LetterChannel.EBOX,
                        result=DeliveryResult.DELIVERED,
                        letter=letter,
                    )
                    confirmed += 1
        elif letter.sent_at <= deadline:
            with transaction.atomic():
                history.record(
                    dossier_id=letter.dossier_id,
                    channel=LetterChannel.EBOX,
                    result=DeliveryResult.UNCONFIRMED,
                    letter=letter,
                    detail=_("Not confirmed within %(days)s days.") % {"days": confirmation_days()},
                )
                fall_back_to_paper(
                    dossier=letter.dossier,
                    reason=PaperReason.UNCONFIRMED,
                    attachment=letter.attachment,
                    notification=letter.notification,
                )
                fallen_back += 1
    return confirmed, fallen_back
