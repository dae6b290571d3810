"""How a question asks for its answer: the browser's autofill token and the message
when it is left unanswered.

Autofill (WCAG 2.1, 1.3.5 "Identify input purpose"): a question about the applicant's
name, organisation, address, e-mail address or phone number carries an
``autocomplete`` token, so browsers and assistive technology fill it in. The token is,
in this order, the editor's choice for the field (``autocomplete``: a token, or "off"),
the one the field's "use the answer as" implies (``maps_to``), or the one the field
type knows (:attr:`FieldType.autocomplete`, e.g. ``email``, ``tel``).

The message of an unanswered question is the editor's own (``required_message``) or
one phrased for the question, as the GOV.UK Design System asks: "Vul Naam in.",
"Kies een antwoord op Welk soort terras?", never a generic "This field is required".
"""

from __future__ import annotations

from django import forms
from django.forms.widgets import ChoiceWidget, Input
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

#: The tokens editors can choose (HTML's autofill field names), "" is "automatic".
AUTOCOMPLETE_CHOICES = [
    ("", _("Automatic (from the type of question)")),
    ("name", _("Full name")),
    ("given-name", _("First name")),
    ("family-name", _("Last name")),
    ("organization", _("Name of the organisation")),
    ("organization-title", _("Job title")),
    ("email", _("E-mail address")),
    ("tel", _("Phone number")),
    ("street-address", _("Address (street and number)")),
    ("address-line1", _("Address line 1")),
    ("address-line2", _("Address line 2")),
    ("postal-code", _("Postcode")),
    ("address-level2", _("Municipality")),
    ("country-name", _("Country")),
    ("bday", _("Date of birth")),
    ("url", _("Website")),
    ("off", _("No autofill")),
]
TOKENS = {token for token, _label in AUTOCOMPLETE_CHOICES if token}

#: The token the dossier attribute a field fills implies.
MAPS_TO_TOKENS = {
    "applicant_name": "name",
    "applicant_email": "email",
    "applicant_phone": "tel",
    "company_name": "organization",
}

#: What an unanswered question asks, by the field type's ``answer_kind``; the first
#: message for a label that is a statement, the second for a label that is a question.
REQUIRED_MESSAGES = {
    "enter": (_("Enter %(label)s."), _("Enter your answer to: %(label)s")),
    "choose": (_("Choose %(label)s."), _("Choose an answer to: %(label)s")),
    "upload": (_("Add %(label)s."), _("Add a file for: %(label)s")),
    "tick": (_("Tick the box to go on."), _("Tick the box to go on.")),
}


def autocomplete_token(field_type, field: dict) -> str:
    """The autofill token of ``field`` ("" for none)."""
    chosen = (field.get("autocomplete") or "").strip()
    if chosen in TOKENS:
        return chosen
    return MAPS_TO_TOKENS.get(field.get("maps_to") or "", "") or field_type.autocomplete


def required_message(field_type, field: dict) -> str:
    """The message when ``field`` is left unanswered."""
    own = (field.get("required_message") or "").strip()
    if own:
        return own
    label = " ".join((field.get("label") or "").split())
    statement, question = REQUIRED_MESSAGES.get(field_type.answer_kind, REQUIRED_MESSAGES["enter"])
    if label.endswith("?"):
        return gettext(question) % {"label": label}
    # "Naam van de zaak" reads as "Vul naam van de zaak in."; a label that starts with
    # an abbreviation (BTW-nummer, IBAN) keeps its capital.
    if label[:1].isupper() and not label[1:2].isupper():
        label = label[:1].lower() + label[1:]
    return gettext(statement) % {"label": label.rstrip(":").strip()}


def apply(form_field: forms.Field, field_type, field: dict) -> None:
    """Give ``form_field`` (built by ``field_type`` from ``field``) its autofill token and
    its message when unanswered."""
    form_field.error_messages["required"] = required_message(field_type, field)
    token = autocomplete_token(field_type, field)
    widget = form_field.widget
    if (
        token
        and not isinstance(widget, forms.MultiWidget | forms.FileInput | ChoiceWidget)
        and isinstance(widget, Input | forms.Textarea)
    ):
        widget.attrs["autocomplete"] = token
