"""The forms of reports: the reporter reopens, the outside party marks it resolved,
an officer merges."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Tell us what is still wrong.")},
    )


class PartyResolveForm(forms.Form):
    message = forms.CharField(
        label=_("What did you do? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The reporter reads this."),
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Reference of the report to merge into"),
        max_length=32,
        error_messages={"required": _("Give the reference of the other report.")},
    )
