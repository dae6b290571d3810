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


class ContactPreferenceForm(forms.Form):
    """How the company (or person) wants our letters: e-mail, paper or the eBox."""

    channel = forms.ChoiceField(
        label=_("How do you want to receive our letters?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how you want to receive our letters.")},
    )
    postal_address = forms.CharField(
        label=_("Name and postal address for letters on paper"),
        help_text=_("As it must be on the envelope: one line per line."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = channels

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("channel") == "paper" and not cleaned.get("postal_address", "").strip():
            self.add_error("postal_address", _("Give the postal address for letters on paper."))
        return cleaned
