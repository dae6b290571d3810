"""Choice field types: single choice and yes/no."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..condition_blocks import OPTION_CONDITIONS, ConditionBlock
from .base import FieldType
from .registry import register


def choices_block() -> blocks.ListBlock:
    """The editor's list of options, shared by the choice field types."""
    return blocks.ListBlock(
        blocks.CharBlock(label=_("Option"), max_length=255),
        label=_("Options"),
        min_num=1,
    )


def option_conditions_block() -> blocks.ListBlock:
    """Options shown only on a condition ("Zondag" only when the event is in summer);
    the other options are always shown. Evaluated on the server
    (:func:`forms_builder.conditions.hidden_options`)."""
    return blocks.ListBlock(
        blocks.StructBlock(
            [
                (
                    "option",
                    blocks.CharBlock(
                        label=_("Option"),
                        max_length=255,
                        help_text=_("Exactly as in the list of options above."),
                    ),
                ),
                ("condition", ConditionBlock(label=_("Show this option only when"))),
            ],
            label=_("Option on a condition"),
            icon="view",
        ),
        label=_("Options shown only on a condition"),
        default=[],
        required=False,
    )


def option_choices(field: dict) -> list[tuple[str, str]]:
    """The (value, label) pairs of a choice question. The value is always the editor's
    Dutch option, so answers and conditions do not depend on the visitor's language;
    the label is its English text in an English step
    (``options["choice_labels"]``, :func:`forms_builder.translation.translated_field`)."""
    options = field.get("options") or {}
    values = list(options.get("choices") or [])
    labels = list(options.get("choice_labels") or values)
    if len(labels) != len(values):
        labels = values
    return list(zip(values, labels, strict=True))


def option_label(value, field: dict) -> str:
    """The label of the option ``value`` as ``field`` shows it (see :func:`option_choices`)."""
    if value in (None, ""):
        return ""
    return dict(option_choices(field)).get(value, str(value))


class OptionLanguageSelect(forms.Select):
    """A dropdown list whose options an English step shows in Dutch carry
    ``lang="nl"`` (``option_lang``), like the radio buttons' ``<div class="choices">``;
    the empty "Choose an option" is interface text and is not marked."""

    def __init__(self, attrs=None, choices=(), option_lang: str = ""):
        super().__init__(attrs, choices)
        self.option_lang = option_lang

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if self.option_lang and value not in (None, ""):
            option["attrs"] = {**option["attrs"], "lang": self.option_lang}
        return option


@register
class SingleChoiceField(FieldType):
    type_id = "single_choice"
    answer_kind = "choose"
    label = _("Single choice")
    icon = "radio-full"
    form_field_class = forms.ChoiceField
    translatable_options = ("choices",)

    def option_blocks(self):
        return [
            ("choices", choices_block()),
            (
                "widget",
                blocks.ChoiceBlock(
                    label=_("Show as"),
                    choices=[("radio", _("Radio buttons")), ("select", _("Dropdown list"))],
                    default="radio",
                ),
            ),
            (OPTION_CONDITIONS, option_conditions_block()),
        ]

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        options = field.get("options", {})
        choices = option_choices(field)
        if options.get("widget") == "select":
            kwargs["widget"] = OptionLanguageSelect(option_lang=field.get("choices_lang", ""))
            choices = [("", gettext("Choose an option"))] + choices
        else:
            kwargs["widget"] = forms.RadioSelect()
        kwargs["choices"] = choices
        return kwargs

    def display(self, value, field):
        return option_label(value, field)

    def sample_value(self, field):
        choices = field.get("options", {}).get("choices") or [""]
        return choices[0]


@register
class YesNoField(FieldType):
    type_id = "yes_no"
    answer_kind = "choose"
    label = _("Yes/no")
    icon = "tick-inverse"
    form_field_class = forms.TypedChoiceField

    def get_form_field_kwargs(self, field):
        kwargs = super().get_form_field_kwargs(field)
        kwargs["choices"] = [("yes", gettext("Yes")), ("no", gettext("No"))]
        kwargs["widget"] = forms.RadioSelect()
        kwargs["coerce"] = lambda value: value == "yes"
        kwargs["empty_value"] = None
        return kwargs

    def from_json(self, value, field):
        return {True: "yes", False: "no"}.get(value)

    def display(self, value, field):
        return {True: gettext("Yes"), False: gettext("No")}.get(value, "")

    def export(self, value, field):
        return {True: "yes", False: "no"}.get(value, "")

    def sample_value(self, field):
        return True
