"""Reusable decision texts."""

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from dossiers.constants import Outcome


class DecisionTemplate(models.Model):
    """A ready-made decision text an officer can pick when approving or rejecting
    (a Wagtail snippet). Without forms it is offered for every form."""

    name = models.CharField(_("name"), max_length=100)
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    form_pages = models.ManyToManyField(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("forms"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty to offer this text for every form."),
    )
    body = models.TextField(_("decision text"))

    panels = [
        FieldPanel("name"),
        FieldPanel("outcome"),
        FieldPanel("form_pages", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]

    class Meta:
        verbose_name = _("decision text template")
        verbose_name_plural = _("decision text templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @classmethod
    def for_dossier(cls, dossier, outcome: str):
        """The templates offered on this dossier for this outcome: those of its form and
        those for every form."""
        query = Q(form_pages__isnull=True)
        if dossier.form_page_id:
            query |= Q(form_pages=dossier.form_page_id)
        return cls.objects.filter(query, outcome=outcome).distinct().order_by("name")
