"""Date field types."""

import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .base import FieldType
from .registry import register


@register
class DateField(FieldType):
    type_id = "date"
    label = _("Date")
    icon = "date"
    form_field_class = forms.DateField

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["widget"] = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        kwargs["input_formats"] = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
        return kwargs

    def to_json(self, value, field):
        return value.isoformat() if value else None

    def from_json(self, value, field):
        return datetime.date.fromisoformat(value) if value else None

    def display(self, value, field):
        if not value:
            return ""
        return formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")

    def export(self, value, field):
        return value or ""
