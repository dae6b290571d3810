"""The party's answer form: its advice, conditions and files (checked like a form's
uploads, through the form builder's upload field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from dossiers.advice.services import MAX_TEXT
from dossiers.messages.forms import files_form_field
from dossiers.models import Verdict


class AdviceAnswerForm(forms.Form):
    verdict = forms.ChoiceField(
        label=gettext_lazy("Your advice"),
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose your advice.")},
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions and remarks"),
        help_text=gettext_lazy("Required when your advice is favourable with conditions."),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "max_length": gettext_lazy(
                "Your text is too long: use at most %(limit_value)d characters."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="advice", **kwargs)
        self.fields["files"] = files_form_field()

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("verdict") == Verdict.CONDITIONAL
            and not cleaned.get("conditions", "").strip()
        ):
            self.add_error("conditions", gettext_lazy("Write the conditions of your advice."))
        return cleaned

    def uploaded_files(self) -> list:
        value = self.cleaned_data.get("files") or []
        return list(value) if isinstance(value, (list, tuple)) else [value]
