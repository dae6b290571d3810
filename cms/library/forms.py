"""The library's admin forms: publishing a version, adopting a template."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from forms_builder.admin_views import ParentPageChoiceField
from forms_builder.models import ApplicationFormPage


class PublishVersionForm(forms.Form):
    change_note = forms.CharField(
        label=_("What changed?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The municipalities read this before they take the new version."),
    )


class AdoptForm(forms.Form):
    parent = ParentPageChoiceField(
        label=_("Place the page under"), queryset=Page.objects.none(), empty_label=None
    )

    def __init__(self, *args, parents, asks_prefix: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        if asks_prefix:
            self.fields["reference_prefix"] = forms.CharField(
                label=_("Reference prefix"),
                max_length=10,
                help_text=_("Letters at the start of every reference number, e.g. TER."),
            )

    def clean_reference_prefix(self):
        """The municipality's copy numbers its own dossiers: a prefix another form uses
        is refused, with that form named (as when editing a form)."""
        prefix = self.cleaned_data["reference_prefix"].strip().upper()
        if not prefix.isalnum():
            raise ValidationError(gettext("Use only letters and digits, e.g. TER."))
        other = ApplicationFormPage.objects.filter(reference_prefix__iexact=prefix).first()
        if other is not None:
            raise ValidationError(
                gettext(
                    "The form “%(title)s” already uses %(prefix)s. Choose another prefix: "
                    "every form has its own numbering."
                )
                % {"title": other.title, "prefix": prefix}
            )
        return prefix


class ImportTemplateForm(forms.Form):
    file = forms.FileField(
        label=_("File of a library template"),
        help_text=_("A .json file that another installation's library exported."),
    )
