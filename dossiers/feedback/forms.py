"""The forms of the end of a dossier: withdrawing with a reason, rating the service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

#: The longest reason or comment, in characters.
MAX_TEXT_LENGTH = 2000


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you withdraw your application?"),
        help_text=gettext_lazy("This helps us to improve our service."),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": gettext_lazy("Use at most %(limit_value)d characters."),
        },
    )


#: The scores, with what each means.
SCORE_CHOICES = [
    (1, gettext_lazy("1 – very dissatisfied")),
    (2, gettext_lazy("2 – dissatisfied")),
    (3, gettext_lazy("3 – neither satisfied nor dissatisfied")),
    (4, gettext_lazy("4 – satisfied")),
    (5, gettext_lazy("5 – very satisfied")),
]


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=gettext_lazy("How satisfied are you with our service?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose a score from 1 to 5."),
            "invalid_choice": gettext_lazy("Choose a score from 1 to 5."),
        },
    )
    comment = forms.CharField(
        label=gettext_lazy("What went well, and what can we do better?"),
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": gettext_lazy("Use at most %(limit_value)d characters."),
        },
    )
