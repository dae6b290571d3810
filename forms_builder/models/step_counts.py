"""Counts per form, day and step that outlive the drafts they were counted from.

Drafts are deleted after the form's retention period; these rows are not, so the form's
statistics (:mod:`forms_builder.statistics`) still count the applications of older
periods. They hold numbers only: nothing about who applied.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepCount(models.Model):
    """Applications of ``page`` started on ``day`` whose furthest completed step is
    ``step`` (0: saved before completing one): ``left`` of them not sent (yet), ``sent``
    of them sent. A draft moves from one row to another as the applicant gets further
    (:mod:`forms_builder.statistics.counts`)."""

    page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    step = models.PositiveSmallIntegerField(_("furthest step completed"))
    left = models.IntegerField(_("not sent"), default=0)
    sent = models.IntegerField(_("sent"), default=0)

    class Meta:
        verbose_name = _("applications per step")
        verbose_name_plural = _("applications per step")
        constraints = [
            models.UniqueConstraint(fields=["page", "day", "step"], name="step_count_unique")
        ]

    def __str__(self):
        return f"{self.page_id} {self.day} {self.step}: {self.left}/{self.sent}"


class CompletionTime(models.Model):
    """How many applications of ``page`` started on ``day`` were sent ``minutes`` after
    they were started (whole minutes): enough for the median time to complete."""

    page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day"))
    minutes = models.PositiveIntegerField(_("minutes"))
    count = models.IntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("time to complete")
        verbose_name_plural = _("times to complete")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "day", "minutes"], name="completion_time_unique"
            )
        ]

    def __str__(self):
        return f"{self.page_id} {self.day} {self.minutes} min: {self.count}"
