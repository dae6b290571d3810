"""Number field types."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import FieldType
from .registry import register
from .widgets import UnitNumberInput, label_with_unit, unit_of, with_unit


def unit_block() -> blocks.CharBlock:
    """The editor's setting for the unit of a number question."""
    return blocks.CharBlock(
        label=_("Unit"),
        required=False,
        default="",
        max_length=20,
        help_text=_(
            "Shown after the input, on the check page, in the dossier and in exports, "
            "e.g. m² or dagen. Leave empty for a plain number."
        ),
    )


@register
class IntegerField(FieldType):
    type_id = "integer"
    #: A number cell in typed exports (XLSX).
    export_kind = "number"
    label = _("Whole number")
    icon = "order"
    form_field_class = forms.IntegerField

    def option_blocks(self):
        return [
            ("min_value", blocks.IntegerBlock(label=_("Minimum"), required=False)),
            ("max_value", blocks.IntegerBlock(label=_("Maximum"), required=False)),
            ("unit", unit_block()),
        ]

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        options = field.get("options", {})
        kwargs["widget"] = UnitNumberInput()
        kwargs["widget"].unit = unit_of(field)
        for bound in ("min_value", "max_value"):
            if options.get(bound) is not None:
                kwargs[bound] = options[bound]
        return kwargs

    def display(self, value, field):
        if value is None:
            return ""
        return with_unit(f"{value:n}" if isinstance(value, int) else str(value), field)

    def export(self, value, field):
        # The unit is in the column's heading; the cell holds the number only.
        return "" if value is None else str(value)

    def export_heading(self, field):
        return label_with_unit(super().export_heading(field), field)

    def sample_value(self, field):
        options = field.get("options", {})
        sample = 12
        if options.get("min_value") is not None:
            sample = max(sample, options["min_value"])
        if options.get("max_value") is not None:
            sample = min(sample, options["max_value"])
        return sample
