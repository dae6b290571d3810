"""Letters that go by paper or eBox, and the print batches of paper letters.

:func:`post_letter` is called when a decision letter is made
(:func:`dossiers.outbox.letters.ensure_decision_letter`): by the preference of the
dossier's enterprise (or applicant), the letter is queued for paper, or handed to the
eBox adapter once the transaction commits; e-mail needs nothing here (the notification
with the letter goes as always). A paper letter is also e-mailed when the applicant gave
an address: paper is added, never instead of the e-mail the notification already sends.

Officers with the permission "Can print paper letters" make a print batch of every
waiting paper letter (:func:`make_batch`), download it as one tagged PDF
(:func:`dossiers.correspondence.batch_pdf.batch_pdf`: per letter an address sheet for a
window envelope, then the letter)
and mark it sent after posting (:func:`mark_sent`). The PDF is made in
:mod:`.batch_pdf` (it uses the letters' rendering, which calls :func:`post_letter`).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from dossiers.models import Attachment, Dossier, LetterChannel, PostedLetter, PrintBatch

from . import ebox
from .preferences import preference_for_dossier

logger = logging.getLogger(__name__)


def post_letter(dossier: Dossier, attachment: Attachment) -> PostedLetter | None:
    """Queue ``attachment`` (a letter of ``dossier``) for paper or the eBox, as the
    preference says; None for e-mail. Safe twice: one posted letter per attachment."""
    preference = preference_for_dossier(dossier)
    if preference is None or preference.channel == LetterChannel.EMAIL:
        return None
    if preference.channel == LetterChannel.EBOX and not ebox.is_configured():
        return None
    letter, created = PostedLetter.objects.get_or_create(
        attachment=attachment,
        defaults={
            "dossier": dossier,
            "channel": preference.channel,
            "recipient": preference.postal_address,
        },
    )
    if created and letter.channel == LetterChannel.EBOX:
        transaction.on_commit(lambda: deliver_to_ebox(letter.pk))
    return letter


def deliver_to_ebox(letter_id: int) -> None:
    """Hand a posted letter to the eBox adapter; safe twice (a sent letter is skipped).
    A refusal is logged and the letter stays unsent, visible in the print screen."""
    letter = PostedLetter.objects.select_related("dossier", "attachment").get(pk=letter_id)
    if letter.sent_at is not None:
        return
    with letter.attachment.file.open("rb") as handle:
        pdf = handle.read()
    try:
        reference = ebox.get_adapter().deliver(
            enterprise_number=letter.dossier.enterprise_number,
            subject=letter.dossier.form_title,
            pdf=pdf,
            filename=letter.attachment.original_name,
        )
    except ebox.EboxRefused as exc:
        logger.warning("eBox refused the letter of %s: %s", letter.dossier.reference, exc)
        return
    PostedLetter.objects.filter(pk=letter.pk, sent_at=None).update(
        sent_at=timezone.now(), ebox_reference=reference[:200]
    )


def waiting_paper_letters():
    return PostedLetter.objects.filter(
        channel=LetterChannel.PAPER, batch=None, sent_at=None
    ).select_related("dossier", "attachment")


@transaction.atomic
def make_batch(user) -> PrintBatch | None:
    """A batch of every paper letter waiting now; None when none waits. Locks the
    letters, so two officers at once never put a letter in two batches."""
    letters = list(
        PostedLetter.objects.select_for_update()
        .filter(channel=LetterChannel.PAPER, batch=None, sent_at=None)
        .values_list("pk", flat=True)
    )
    if not letters:
        return None
    batch = PrintBatch.objects.create(created_by=user)
    PostedLetter.objects.filter(pk__in=letters).update(batch=batch)
    return batch


@transaction.atomic
def mark_sent(batch: PrintBatch, user) -> bool:
    """Mark the batch and its letters sent; False when it was already."""
    updated = PrintBatch.objects.filter(pk=batch.pk, sent_at=None).update(
        sent_at=timezone.now(), sent_by=user
    )
    if updated:
        PostedLetter.objects.filter(batch=batch, sent_at=None).update(sent_at=timezone.now())
    return bool(updated)
