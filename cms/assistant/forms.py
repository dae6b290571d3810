"""The assistant's one question field."""

from django import forms
from django.utils.translation import gettext_lazy as _

#: Long enough for a question in a few sentences, short enough to rank quickly.
MAX_QUESTION_LENGTH = 200


class QuestionForm(forms.Form):
    vraag = forms.CharField(
        label=_("Your question"),
        max_length=MAX_QUESTION_LENGTH,
        required=False,
        strip=True,
        error_messages={
            "max_length": _("Your question is too long. Use at most %(limit_value)d characters."),
        },
    )
