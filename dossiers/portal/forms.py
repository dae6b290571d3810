"""Forms of Mijn loket."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SignInForm(forms.Form):
    """Ask for a sign-in link: one e-mail address."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Use the address you gave when you applied."),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter an e-mail address like name@example.be."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
