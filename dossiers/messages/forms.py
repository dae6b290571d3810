"""The forms of messages: a new message with its files, checked like a form's uploads."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy

from forms_builder.fields import get_field_type

#: The longest message, in characters.
MAX_BODY_LENGTH = 5000

#: The files a message may carry, as a definition of the form builder's upload field.
FILES_FIELD = {
    "label": gettext_lazy("Files"),
    "help_text": gettext_lazy("You can add up to 5 files."),
    "required": False,
    "options": {
        "multiple": True,
        "allowed_types": ["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "odt", "ods"],
        "max_file_mb": 10,
        "max_total_mb": 20,
        "max_files": 5,
    },
}


def new_token() -> str:
    """A fresh token for a message form (see the module docstring)."""
    return secrets.token_urlsafe(16)


def files_form_field() -> forms.Field:
    """The form field for a message's files: the form builder's upload field."""
    return get_field_type("file_upload").get_form_field(FILES_FIELD)


class MessageForm(forms.Form):
    """A new message: text, files and the form's token."""

    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": gettext_lazy("Write your message."),
            "max_length": gettext_lazy(
                "Your message is too long: use at most %(limit_value)d characters."
            ),
        },
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", new_token())
        super().__init__(*args, **kwargs)
        self.fields["files"] = files_form_field()
