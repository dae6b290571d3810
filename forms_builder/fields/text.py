"""Free text field types: short text, long text, e-mail address."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import FieldType
from .registry import register


class FreeTextField(FieldType):
    """Text typed freely, with an optional maximum length set by the editor."""

    #: The maximum length when the editor sets none.
    default_max_length = 255
    #: The highest maximum an editor may set.
    max_length_limit = 1000

    def option_blocks(self):
        return [
            (
                "max_length",
                blocks.IntegerBlock(
                    label=_("Maximum length"),
                    required=False,
                    min_value=1,
                    max_value=self.max_length_limit,
                ),
            )
        ]

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["max_length"] = field.get("options", {}).get("max_length") or self.default_max_length
        return kwargs


@register
class ShortTextField(FreeTextField):
    type_id = "short_text"
    label = _("Short text")
    icon = "pilcrow"


@register
class LongTextField(FreeTextField):
    type_id = "long_text"
    label = _("Long text")
    icon = "doc-full"
    widget_class = forms.Textarea
    default_max_length = 5000
    max_length_limit = 20000


@register
class EmailField(FieldType):
    type_id = "email"
    autocomplete = "email"
    label = _("E-mail address")
    icon = "mail"
    form_field_class = forms.EmailField

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["widget"] = forms.EmailInput(attrs={"autocomplete": "email"})
        return kwargs

    def to_json(self, value, field):
        return (value or "").strip().lower() or None

    def sample_value(self, field):
        return "naam@voorbeeld.be"
