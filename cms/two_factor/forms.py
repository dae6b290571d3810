"""The one field of every step: a code. Checking it is the form's validation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services

#: The one answer to every refused code: it says nothing about which kind of code was
#: tried, whether a backup code existed once, or anything else about the account.
WRONG_CODE = _("This code is not right. Check the code and try again.")


def wait_message(seconds: int) -> str:
    return ngettext(
        "Too many wrong codes. Wait %(seconds)d second and try again.",
        "Too many wrong codes. Wait %(seconds)d seconds and try again.",
        seconds,
    ) % {"seconds": seconds}


class CodeForm(forms.Form):
    """A code of the person's app or one of their backup codes (``user``'s devices)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6 digits in your authenticator app, or one of your backup codes."),
        error_messages={"required": _("Enter the code.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )
    #: What :meth:`clean_code` found: the device that accepted the code.
    outcome: services.CodeCheck | None = None

    def __init__(self, user, *args, autofocus: bool = False, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if autofocus:
            # The code is all a sign-in step asks: the cursor starts there.
            self.fields["code"].widget.attrs["autofocus"] = True

    def check(self, code: str) -> services.CodeCheck:
        return services.check_code(self.user, code)

    def clean_code(self) -> str:
        code = services.normalise_code(self.cleaned_data["code"])
        if not services.looks_like_code(code):
            raise forms.ValidationError(
                _("Enter the 6 digits in your app, or a backup code of 8 letters and digits.")
            )
        self.outcome = self.check(code)
        if self.outcome.wait_seconds:
            raise forms.ValidationError(wait_message(self.outcome.wait_seconds))
        if not self.outcome.accepted:
            raise forms.ValidationError(WRONG_CODE)
        return code


class AppCodeForm(CodeForm):
    """A code of the app being set up (``device``): six digits, no backup codes."""

    def __init__(self, user, device, *args, **kwargs):
        self.device = device
        super().__init__(user, *args, **kwargs)
        field = self.fields["code"]
        field.help_text = _("The 6 digits that the app shows now.")
        field.widget.attrs.update(inputmode="numeric")

    def check(self, code: str) -> services.CodeCheck:
        return services.check_code_on(self.device, code)

    def clean_code(self) -> str:
        code = services.normalise_code(self.cleaned_data["code"])
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits that the app shows."))
        return super().clean_code()
