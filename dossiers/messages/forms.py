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
    """A new message: text, files and the form's token.

    ``files_allowed=False`` (the applicant's form while a question of the municipality
    that asks for documents is open): no files here, so the answer to the question is
    the one way to send documents; files posted anyway (a page opened before the
    question was asked) are refused with a message that points to the answer, never
    dropped silently.
    """

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

    def __init__(self, *args, files_allowed: bool = True, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("token", new_token())
        super().__init__(*args, **kwargs)
        self.files_allowed = files_allowed
        if files_allowed:
            self.fields["files"] = files_form_field()

    def clean(self):
        cleaned = super().clean()
        if not self.files_allowed:
            if self.files and self.files.getlist(self.add_prefix("files")):
                raise forms.ValidationError(
                    gettext_lazy(
                        "We asked you a question. Send your files with your answer: "
                        "use the button “Answer the question” at the top of this page."
                    ),
                    code="files_with_answer",
                )
            cleaned["files"] = []
        return cleaned
