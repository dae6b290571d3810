"""Number field types."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import FieldType
from .registry import register


@register
class IntegerField(FieldType):
    type_id = "integer"
    label = _("Whole number")
    icon = "order"
    form_field_class = forms.IntegerField

    def option_blocks(self):
        return [
            ("min_value", blocks.IntegerBlock(label=_("Minimum"), required=False)),
            ("max_value", blocks.IntegerBlock(label=_("Maximum"), required=False)),
        ]

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        options = field.get("options", {})
        for bound in ("min_value", "max_value"):
            if options.get(bound) is not None:
                kwargs[bound] = options[bound]
        return kwargs

    def display(self, value, field):
        if value is None:
            return ""
        return f"{value:n}" if isinstance(value, int) else str(value)

    def sample_value(self, field):
        options = field.get("options", {})
        sample = 12
        if options.get("min_value") is not None:
            sample = max(sample, options["min_value"])
        if options.get("max_value") is not None:
            sample = min(sample, options["max_value"])
        return sample
