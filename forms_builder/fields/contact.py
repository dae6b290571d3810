"""Contact field types: phone number.

Phone numbers are read as Belgian numbers unless they start with a country code, and
stored in E.164 notation ("+32470123456").
"""

from __future__ import annotations

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .base import FieldType
from .registry import register

#: The country of numbers typed without a country code.
DEFAULT_REGION = "BE"


def parse_phone_number(value: str) -> phonenumbers.PhoneNumber | None:
    """The phone number ``value`` holds, or None if it is not a number that exists."""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


class PhoneNumberFormField(forms.CharField):
    """A phone number, cleaned to E.164 notation."""

    default_error_messages = {
        "invalid": _("Enter a phone number like 0470 12 34 56 or +32 470 12 34 56."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return self.empty_value
        number = parse_phone_number(value)
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@register
class PhoneField(FieldType):
    type_id = "phone"
    autocomplete = "tel"
    label = _("Phone number")
    icon = "mobile-alt"
    form_field_class = PhoneNumberFormField

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["widget"] = forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}
        )
        return kwargs

    def to_json(self, value, field):
        return value or None

    def from_json(self, value, field):
        return self.display(value, field)

    def display(self, value, field):
        """In international notation: "+32 470 12 34 56"."""
        if not value:
            return ""
        number = parse_phone_number(value)
        if number is None:
            return value
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def export(self, value, field):
        return value or ""

    def sample_value(self, field):
        return "+32470123456"
