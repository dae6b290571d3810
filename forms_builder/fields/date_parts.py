"""A date typed in three boxes, day, month and year: the GOV.UK date input pattern.

For dates people know rather than pick (a date of birth, the date a business started):
a calendar is slow to reach 1978 and a single box invites many formats. Editors choose
it per date field (``date_style`` "known"); dates to pick keep the browser's date picker.
Every message says what is wrong with the date in plain Dutch.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .widgets import LabelledMultiWidget

#: The three parts, in the order people in Belgium write a date.
PARTS = ("day", "month", "year")


def _part_input(width: str, autocomplete: str) -> forms.TextInput:
    attrs = {"inputmode": "numeric", "class": f"input--width-{width}"}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    return forms.TextInput(attrs=attrs)


class DatePartsWidget(LabelledMultiWidget):
    def __init__(self, attrs=None, *, birthday: bool = False):
        super().__init__(
            {
                "day": (_("Day"), _part_input("2", "bday-day" if birthday else ""), False),
                "month": (_("Month"), _part_input("2", "bday-month" if birthday else ""), False),
                "year": (_("Year"), _part_input("4", "bday-year" if birthday else ""), False),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DatePartsFormField(forms.MultiValueField):
    """Three numbers that make one real date; cleans to a ``datetime.date``."""

    default_error_messages = {
        "required": _("Enter the date."),
        "incomplete_day": _("The date must include a day."),
        "incomplete_month": _("The date must include a month."),
        "incomplete_year": _("The date must include a year."),
        "not_a_number": _("Enter the date in numbers, like 27 3 1985."),
        "year": _("The year must have 4 digits, like 1985."),
        "invalid": _("The date must be a real date."),
    }

    def __init__(self, *, birthday: bool = False, **kwargs):
        fields = tuple(forms.CharField(required=False, max_length=10) for _part in PARTS)
        kwargs.setdefault("widget", DatePartsWidget(birthday=birthday))
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        parts = [str(part or "").strip() for part in (value or [None, None, None])]
        if not any(parts):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        for name, part in zip(PARTS, parts, strict=True):
            if not part:
                raise ValidationError(
                    self.error_messages[f"incomplete_{name}"], code=f"incomplete_{name}"
                )
        if not all(part.isdigit() for part in parts):
            raise ValidationError(self.error_messages["not_a_number"], code="not_a_number")
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            date = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        self.run_validators(date)
        return date

    def compress(self, data_list):  # clean() above does the work; kept for Django
        return data_list
