"""Files of a dossier: uploads, letters, receipts; always in the private storage."""

import secrets

from django.core.files.base import File
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.reconcile import FileReferences
from core.storage import private_storage


class AttachmentKind(models.TextChoices):
    UPLOAD = "upload", _("uploaded file")
    DECISION_LETTER = "decision_letter", _("decision letter")
    #: A document the applicant sent with the answer to an information request.
    INFORMATION = "information", _("requested document")
    #: A file sent with a message (by either side).
    MESSAGE = "message", _("file with a message")
    #: The receipt: a PDF of the answers as submitted.
    RECEIPT = "receipt", _("receipt")
    #: Sent by an advice party with its advice (dossiers.advice).
    ADVICE = "advice", _("file with an advice")


def attachment_path(instance, filename: str) -> str:
    return f"dossiers/{instance.dossier.public_id}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    """A file that came with a dossier, kept in private storage (never a public URL)."""

    dossier = models.ForeignKey("Dossier", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=500
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    #: The form step and field the file was uploaded with (empty for other sources).
    step_id = models.CharField(max_length=64, blank=True)
    field_name = models.CharField(_("field"), max_length=100, blank=True)
    #: What the file is: an upload of the applicant, or a letter the municipality made.
    kind = models.CharField(
        _("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.UPLOAD
    )
    #: The information request this file answers (kind INFORMATION).
    information_request = models.ForeignKey(
        "InformationRequest",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    #: The message this file came with (kind MESSAGE).
    message = models.ForeignKey(
        "Message", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    advice_request = models.ForeignKey(
        "AdviceRequest", null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.original_name

    @classmethod
    def from_upload(cls, uploaded, **fields) -> "Attachment":
        """Store a checked upload (a form's file, a document sent with an answer or a
        message) on a dossier for good: the one way an upload becomes an attachment.

        ``fields`` are the attachment's own (``dossier``, ``kind``, the message or
        request it came with, ...). Named and typed by :mod:`core.uploads`: the display
        name without any path, a safe storage name, and what the bytes are rather than
        what the browser said.
        """
        name = uploads.display_name(uploaded.name)
        attachment = cls(
            original_name=name,
            size=uploaded.size or 0,
            content_type=uploads.content_type_of(uploaded),
            **fields,
        )
        uploaded.seek(0)
        attachment.file.save(uploads.storage_name(name), File(uploaded), save=False)
        attachment.save()
        return attachment


class AttachmentFiles(FileReferences):
    """The files of every attachment (uploads, answers, messages, letters, receipts),
    for the nightly storage reconciliation (:mod:`core.reconcile`). Files held for an
    answer that is not sent yet are not listed: they are younger than a day, or deleted
    anyway by ``dossiers.information.forms.delete_stale_held_files``."""

    source_id = "attachments"

    def names(self):
        return Attachment.objects.exclude(file="").values_list("file", flat=True).iterator()
