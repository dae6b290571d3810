"""Tick-box field types: multiple choice, and a consent box that must be ticked."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base import FieldType
from .choice import choices_block, option_choices, option_label
from .registry import register


class MultipleChoiceFormField(forms.MultipleChoiceField):
    """Tick boxes with an optional minimum and maximum number of ticked options."""

    def __init__(
        self, *, min_selected: int | None = None, max_selected: int | None = None, **kwargs
    ):
        self.min_selected = min_selected
        self.max_selected = max_selected
        super().__init__(**kwargs)
        self.error_messages["required"] = self.too_few_message(self.minimum())

    def minimum(self) -> int:
        return max(self.min_selected or 1, 1)

    def too_few_message(self, count: int) -> str:
        return ngettext(
            "Choose at least one option.", "Choose at least %(count)d options.", count
        ) % {"count": count}

    def validate(self, value):
        # Nothing ticked on an optional question is fine; once the applicant ticks
        # something, the editor's minimum counts.
        if value and len(value) < self.minimum():
            raise ValidationError(self.too_few_message(self.minimum()), code="too_few")
        if self.max_selected and len(value) > self.max_selected:
            raise ValidationError(
                ngettext(
                    "Choose at most one option.",
                    "Choose at most %(count)d options.",
                    self.max_selected,
                )
                % {"count": self.max_selected},
                code="too_many",
            )
        super().validate(value)


@register
class MultipleChoiceField(FieldType):
    type_id = "multiple_choice"
    answer_kind = "choose"
    label = _("Multiple choice (tick boxes)")
    icon = "list-ul"
    form_field_class = MultipleChoiceFormField
    many_values = True
    translatable_options = ("choices",)

    def option_blocks(self):
        return [
            ("choices", choices_block()),
            (
                "min_selected",
                blocks.IntegerBlock(
                    label=_("Tick at least"),
                    required=False,
                    min_value=1,
                    help_text=_("The smallest number of options an applicant must tick."),
                ),
            ),
            (
                "max_selected",
                blocks.IntegerBlock(
                    label=_("Tick at most"),
                    required=False,
                    min_value=1,
                    help_text=_("The largest number of options an applicant may tick."),
                ),
            ),
        ]

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        options = field.get("options", {})
        kwargs["choices"] = option_choices(field)
        kwargs["widget"] = forms.CheckboxSelectMultiple()
        kwargs["min_selected"] = options.get("min_selected")
        kwargs["max_selected"] = options.get("max_selected")
        return kwargs

    def to_json(self, value, field):
        return list(value or [])

    def from_json(self, value, field):
        return list(value or [])

    def display(self, value, field):
        return ", ".join(option_label(item, field) for item in value or [])

    def export(self, value, field):
        return "; ".join(value or [])

    def sample_value(self, field):
        return list((field.get("options", {}).get("choices") or [])[:1])


@register
class ConsentField(FieldType):
    type_id = "consent"
    answer_kind = "tick"
    label = _("Consent (one tick box)")
    icon = "tick-inverse"
    form_field_class = forms.BooleanField
    widget_class = forms.CheckboxInput
    #: Consent is given by the applicant, never ticked in advance.
    takes_default = False

    def common_blocks(self):
        settings = dict(super().common_blocks())
        settings["label"] = blocks.TextBlock(
            label=_("Text next to the tick box"),
            max_length=500,
            help_text=_("For example: I agree that the municipality checks my details."),
        )
        settings["required"] = blocks.BooleanBlock(
            label=_("Must be ticked"),
            required=False,
            default=True,
            help_text=_("The applicant cannot go on without ticking the box."),
        )
        return list(settings.items())

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["error_messages"] = {"required": _("Tick the box to agree.")}
        return kwargs

    def to_json(self, value, field):
        return bool(value)

    def from_json(self, value, field):
        return bool(value)

    def display(self, value, field):
        return gettext("Yes") if value else gettext("No")

    def export(self, value, field):
        return "yes" if value else "no"

    def sample_value(self, field):
        return True
