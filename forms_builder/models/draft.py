"""A draft: an application being filled in, kept server side (see :mod:`forms_builder.drafts`)."""

import datetime
import secrets
import uuid

from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .snapshot import FormSnapshot


def new_resume_key() -> str:
    """The secret half of a resume link: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


class Draft(models.Model):
    """An application being filled in: the wizard's state, kept server side.

    A draft is bound to the form version (snapshot) it was started on, so editing the
    live form never changes a running draft. It can be resumed on another device
    through its secret link, and it is deleted after the form's retention period.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The secret of the draft's resume link. A link works once: opening it, and asking
    #: for a new link, replace it (see :func:`forms_builder.drafts.open_resume_link`).
    resume_key = models.CharField(max_length=64, default=new_resume_key, editable=False)
    #: The secret the browser session that holds the draft keeps beside its id. Opening
    #: a resume link replaces it, so the draft moves to the opener and leaves every
    #: other session (see :func:`forms_builder.drafts.current_draft`).
    holder_key = models.CharField(max_length=64, default=new_resume_key, editable=False)
    #: When a resume link of the draft was last used.
    resume_link_used_at = models.DateTimeField(_("resume link used at"), null=True, blank=True)
    page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="drafts",
    )
    snapshot = models.ForeignKey(
        FormSnapshot,
        verbose_name=_("form version"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    #: The wizard storage (formtools' step data, file metadata and extra data).
    data = models.JSONField(default=dict)
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    #: Set once the draft was submitted, in the transaction that stored the submission:
    #: any later request for the draft (a second submit, a retry after a crash, its
    #: resume link) shows the confirmation of this submission again.
    submitted_dossier_id = models.BigIntegerField(null=True, blank=True)
    #: The number (1-based) of the furthest step the applicant completed; 0 when they
    #: saved before completing one. Written with the step data, so the form's
    #: statistics show where applicants leave without storing anything about them.
    furthest_step = models.PositiveSmallIntegerField(_("furthest step completed"), default=0)

    class Meta:
        verbose_name = _("unfinished application")
        verbose_name_plural = _("unfinished applications")
        indexes = [
            # "Mijn loket" lists an applicant's drafts by e-mail address, in any case.
            models.Index(Upper("email"), name="draft_email_upper"),
        ]

    def __str__(self):
        return f"{self.page_id}: {self.id}"

    def save(self, *args, **kwargs):
        if self.expires_at is None:
            days = self.page.draft_retention_days if self.page_id else 30
            self.expires_at = timezone.now() + datetime.timedelta(days=days)
        super().save(*args, **kwargs)
