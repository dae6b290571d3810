"""A frozen version of a form's schema (see :func:`forms_builder.schema.freeze_schema`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSnapshot(models.Model):
    """One distinct version of a form's schema, shared by every dossier filled against it."""

    hash = models.CharField(_("hash"), max_length=64, unique=True)
    schema = models.JSONField(_("schema"))
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("form page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")

    def __str__(self):
        return f"{self.schema.get('title', '')} ({self.hash[:8]})"
