"""Requests to the applicant for more information."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InformationRequest(models.Model):
    """A question of the municipality to the applicant (status "waiting for the
    applicant"): a text, documents to upload and answers of the form to correct.

    Open while :attr:`closed_at` is empty. The applicant's answer closes it
    (:attr:`answered_at`); an officer may also close it without an answer (e.g. the
    information came by phone).
    """

    dossier = models.ForeignKey(
        "Dossier", on_delete=models.CASCADE, related_name="information_requests"
    )
    question = models.TextField(_("question"))
    #: Documents asked for: ``[{"key": "doc-1", "label": "...", "required": true}]``.
    documents = models.JSONField(_("documents asked for"), default=list, blank=True)
    #: Answers of the form to correct: ``[{"step": "<step id>", "name": "<field name>"}]``.
    fields = models.JSONField(_("answers to correct"), default=list, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    #: What the answer changed in the form's answers, for the officer's before/after:
    #: ``[{"step", "name", "label", "before", "after"}]`` (stored values, JSON).
    changes = models.JSONField(_("changed answers"), default=list, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["asked_at", "pk"]

    def __str__(self):
        return f"{self.dossier}: {self.question[:50]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
