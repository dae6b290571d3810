"""The types of file an administrator adds to the ones editors can allow in uploads."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.uploads import CONTAINER_CHECKS, CONTENT_TYPES

#: The types an administrator can add: every type core.uploads can check whose use is
#: not built in (forms_builder.fields.upload.FILE_TYPES offers those to every editor).
ADDABLE_EXTENSIONS = ("gif", "doc", "xls")


class UploadFileType(models.Model):
    """One type of file editors can allow in an upload question, besides the built-in
    ones (PDF, JPEG, PNG, HEIC, docx, xlsx, odt, ods).

    Only types whose content Loket can check (``core.uploads.CONTAINER_CHECKS``) can be
    added: every uploaded file is opened the way its program would, so a renamed file
    is refused. Removing a type stops editors from choosing it; forms that allow it
    already keep accepting it until an editor changes them.
    """

    extension = models.CharField(
        _("extension"),
        max_length=10,
        unique=True,
        choices=[(ext, f".{ext}") for ext in ADDABLE_EXTENSIONS],
    )
    label = models.CharField(
        _("name editors see"), max_length=100, help_text=_("E.g. Word 97-2003.")
    )
    content_type = models.CharField(
        _("content type"),
        max_length=100,
        blank=True,
        help_text=_(
            "What the file is stored and downloaded as, e.g. application/msword. Leave "
            "empty for the usual type of the extension."
        ),
    )

    class Meta:
        verbose_name = _("type of file for uploads")
        verbose_name_plural = _("types of file for uploads")
        ordering = ["extension"]

    def __str__(self):
        return f"{self.label} (.{self.extension})"

    def save(self, *args, **kwargs):
        if not self.content_type:
            self.content_type = CONTENT_TYPES.get(self.extension, "")
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.extension and self.extension not in CONTAINER_CHECKS:
            raise ValidationError(
                {"extension": _("Loket cannot check the content of this type of file.")}
            )
