"""Reusable decision texts."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import PreviewableMixin

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


class DecisionLetterTemplate(PreviewableMixin, models.Model):
    """The fixed parts of a decision letter, for one form or for every form, in one
    language (a Wagtail snippet): the legal basis, an opening, the standard conditions
    of an approval and how to appeal (the "rechtsmiddelen" a Flemish administrative
    decision must state). The officer's decision text is the letter's own part between
    them (:mod:`dossiers.outbox.letters`).

    Plain text with placeholders in braces (``{referentienummer}``), filled in as plain
    text by :mod:`dossiers.outbox.letter_texts` and checked when the template is saved.
    Without a template, the letter has the built-in text on how to appeal. The admin
    edit view previews the whole letter for an example decision.
    """

    form_page = models.ForeignKey(
        "forms_builder.ApplicationFormPage",
        verbose_name=_("form"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty to use this letter for every form."),
    )
    #: The municipality whose letter this is; empty: shared by every municipality. A
    #: letter for one form belongs to that form's municipality (set when saved).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Leave empty to share this letter with every municipality."),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    opening = models.TextField(
        _("opening"),
        blank=True,
        help_text=_("The first paragraph of the letter, above the legal basis."),
    )
    legal_basis = models.TextField(
        _("legal basis"),
        help_text=_("The regulations the decision is based on, one per line."),
    )
    conditions = models.TextField(
        _("standard conditions"),
        blank=True,
        help_text=_(
            "Conditions every approval of this form carries. The conditions of the "
            "permit and of the advice follow below them."
        ),
    )
    appeal = models.TextField(
        _("how to appeal"),
        help_text=_(
            "Where, how and within which term the applicant (or someone else) can "
            "appeal against the decision."
        ),
    )

    class Meta:
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")
        ordering = ["form_page", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_page", "language"], name="unique_decision_letter_template"
            ),
            models.UniqueConstraint(
                fields=["language"],
                condition=Q(form_page__isnull=True, site__isnull=True),
                name="unique_default_decision_letter_template",
            ),
            models.UniqueConstraint(
                fields=["site", "language"],
                condition=Q(form_page__isnull=True, site__isnull=False),
                name="unique_site_decision_letter_template",
            ),
        ]

    def __str__(self):
        form = self.form_page.title if self.form_page_id else _("every form")
        return f"{form} ({self.language})"

    def clean(self):
        from dossiers.outbox.kinds import TextError
        from dossiers.outbox.letter_texts import check

        super().clean()
        if self.form_page_id:
            from .municipality import site_of_form

            self.site = site_of_form(self.form_page)
        errors = {}
        for name in ("opening", "legal_basis", "conditions", "appeal"):
            try:
                check(getattr(self, name))
            except TextError as exc:
                errors[name] = str(exc)
        if errors:
            raise ValidationError(errors)

    def validate_constraints(self, exclude=None):
        # Said in the editors' words instead of the constraint's name.
        others = DecisionLetterTemplate.objects.filter(
            language=self.language, form_page=self.form_page_id
        ).exclude(pk=self.pk)
        if not self.form_page_id:
            others = others.filter(site=self.site_id)
        if self.language and others.exists():
            raise ValidationError(
                _(
                    "There is already a decision letter for this form in this language. "
                    "Change that one."
                ),
                code="unique",
            )
        super().validate_constraints(exclude=exclude)

    def get_preview_template(self, request, mode_name):
        # The letter is drawn by a template tag (outbox_tags.letter_preview), so this
        # model does not import the outbox that imports it.
        return "dossiers/admin/letter_template_preview.html"

    @property
    def site_name(self) -> str:
        return self.site.site_name if self.site_id else str(_("every municipality"))

    @classmethod
    def for_dossier(cls, dossier, language: str):
        """The most specific template: the dossier's form's, else its municipality's
        for every form, else the shared one (None when there is none)."""
        every_form = Q(form_page__isnull=True)
        forms = every_form & (Q(site__isnull=True) | Q(site=dossier.site_id))
        if dossier.form_page_id:
            forms |= Q(form_page=dossier.form_page_id)
        candidates = cls.objects.filter(forms, language=language)
        return min(candidates, key=specificity, default=None)


def specificity(item) -> int:
    """How general a text is (lowest first): for one form, for the municipality's forms,
    for every municipality."""
    if item.form_page_id:
        return 0
    return 1 if item.site_id else 2
