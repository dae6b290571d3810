"""The delivery history of a dossier's messages (issue #22).

Every step a message takes is a new :class:`~dossiers.models.DeliveryRecord` row, never
an update, so the history never goes backwards: sent by e-mail, bounced, handed to the
eBox, confirmed or not in time, waiting to be printed (and why), in print batch X,
printed and posted. :func:`record` writes a step; :func:`history_of` reads them per
message for the dossier view and :func:`public_history_of` for the applicant's status
page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dossiers.models import (
    DeliveryRecord,
    DeliveryResult,
    Dossier,
    LetterChannel,
    Notification,
    PostedLetter,
    PrintBatch,
)


def record(
    *,
    dossier_id: int,
    channel: str,
    result: str,
    notification: Notification | None = None,
    letter: PostedLetter | None = None,
    detail: str = "",
    batch: PrintBatch | None = None,
) -> DeliveryRecord:
    """Add one step to the history of a message (an e-mail, a posted letter or both)."""
    return DeliveryRecord.objects.create(
        dossier_id=dossier_id,
        notification=notification or (letter.notification if letter else None),
        letter=letter,
        channel=channel,
        result=result,
        detail=str(detail)[:500],
        batch=batch,
    )


def record_letters(letters, *, result: str, detail: str = "", batch=None) -> None:
    """The same step for several posted letters (a print batch made or posted)."""
    DeliveryRecord.objects.bulk_create(
        DeliveryRecord(
            dossier_id=letter.dossier_id,
            notification_id=letter.notification_id,
            letter=letter,
            channel=letter.channel,
            result=result,
            detail=str(detail)[:500],
            batch=batch,
        )
        for letter in letters
    )


@dataclass
class MessageHistory:
    """The steps of one message, oldest first; ``title`` names the message."""

    title: str
    steps: list[DeliveryRecord] = field(default_factory=list)

    @property
    def current(self) -> DeliveryRecord:
        return self.steps[-1]


def _title(step: DeliveryRecord, letter_titles: dict[int, str]) -> str:
    if step.notification_id is not None:
        return step.notification.subject
    return letter_titles.get(step.letter_id, "")


def history_of(dossier: Dossier) -> list[MessageHistory]:
    """Per message (an e-mail and the letters made of it, or a decision letter) its
    steps, the messages in the order of their first step. Two queries."""
    steps = list(
        DeliveryRecord.objects.filter(dossier=dossier)
        .select_related("notification", "letter__attachment", "batch")
        .order_by("at", "pk")
    )
    letter_titles = {
        step.letter_id: step.letter.attachment.original_name
        for step in steps
        if step.letter_id and step.letter.attachment_id
    }
    messages: dict[tuple, MessageHistory] = {}
    for step in steps:
        if step.notification_id is not None:
            key = ("notification", step.notification_id)
        elif step.letter_id and step.letter.attachment_id:
            key = ("attachment", step.letter.attachment_id)
        else:
            key = ("letter", step.letter_id)
        messages.setdefault(key, MessageHistory(title=_title(step, letter_titles)))
        messages[key].steps.append(step)
    return list(messages.values())


#: What the applicant sees of the history: how a message went, not the officers' detail.
PUBLIC_RESULTS = (
    DeliveryResult.SENT,
    DeliveryResult.DELIVERED,
    DeliveryResult.BOUNCED,
    DeliveryResult.FAILED,
    DeliveryResult.UNCONFIRMED,
    DeliveryResult.WAITING_FOR_PRINT,
    DeliveryResult.POSTED,
)


def public_history_of(dossier: Dossier) -> list[MessageHistory]:
    """For the status page: the letters to the applicant that went (or go) on paper or
    into the eBox, or whose e-mail did not arrive, with the steps in
    :data:`PUBLIC_RESULTS` and without the officers' details. An e-mail that simply
    arrived is not listed (the page itself shows the messages)."""
    applicant = (dossier.applicant_email or "").lower()
    public = []
    for message in history_of(dossier):
        steps = [
            step
            for step in message.steps
            if step.result in PUBLIC_RESULTS
            and (step.notification_id is None or step.notification.recipient.lower() == applicant)
        ]
        if any(
            step.channel != LetterChannel.EMAIL
            or step.result in (DeliveryResult.BOUNCED, DeliveryResult.FAILED)
            for step in steps
        ):
            public.append(MessageHistory(title=message.title, steps=steps))
    return public
