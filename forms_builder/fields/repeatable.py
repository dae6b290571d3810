"""The repeatable part ("Add another"): a group of questions the applicant fills in
once per item (the days of an event, contact persons, locations of signs).

Its schema is a field like any other, with the item's questions under ``options``::

    {"type": "repeatable", "name": "dagen", "label": "Dagen van het evenement", ...,
     "options": {"item_name": "dag", "min_items": 1, "max_items": 10,
                 "fields": [{"type": "date", "name": "datum", ...}, ...]}}

and its answer is a list with one dict per item (question name → that type's stored
answer). This class is what the registry needs (the editor's block, storage, display,
export, formulas); filling it in, adding and removing items without JavaScript, is
:mod:`forms_builder.repeatable`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..condition_blocks import ConditionBlock
from ..logic import Items
from . import names
from .base import FieldType, QuestionBlock
from .registry import all_field_types, get_field_type, register

#: Most items an editor may allow.
MAX_ITEMS = 50
#: Settings of a question that a question inside a repeatable part does not have: it
#: has no condition of its own (nor options on a condition), fills no dossier detail and
#: is not filled from a link.
LEFT_OUT_OF_ITEMS = ("condition", "maps_to", "prefill", "option_conditions")


def item_field_types() -> list[FieldType]:
    """The types a repeatable part's questions can have: every question type except
    uploads (files are kept per step), repeatable parts themselves and sensitive types
    (a national register number is masked per answer, not inside an item)."""
    return [
        field_type
        for field_type in all_field_types()
        if field_type.has_input
        and not getattr(field_type, "takes_files", False)
        and not getattr(field_type, "repeats", False)
        and not getattr(field_type, "sensitive", False)
    ]


class ItemFieldsBlock(blocks.StreamBlock):
    """The questions of one item, of the types :func:`item_field_types` allows."""

    class Meta:
        #: A saved part's questions open as headings; a question added now opens.
        collapsed = True

    def __init__(self, local_blocks=None, **kwargs):
        local_blocks = []
        for field_type in item_field_types():
            block = field_type.get_block()
            children = [
                (name, child)
                for name, child in block.child_blocks.items()
                if name not in LEFT_OUT_OF_ITEMS
            ]
            local_blocks.append(
                (
                    field_type.type_id,
                    QuestionBlock(children, label=field_type.label, icon=field_type.icon),
                )
            )
        super().__init__(local_blocks, **kwargs)


@register
class RepeatableField(FieldType):
    """A group of questions answered once per item, between a minimum and a maximum."""

    type_id = "repeatable"
    label = _("Repeatable part (add another)")
    icon = "list-ol"
    #: The StepForm gives this type a group of item forms instead of one input.
    repeats = True
    #: A part starts with its minimum of empty items; it has no default answer.
    takes_default = False
    #: The option holding the item's questions as StreamField children; the schema
    #: turns each into a field definition like a step's (see schema.field_to_schema).
    child_fields_option = "fields"

    def get_block(self):
        return QuestionBlock(
            [
                ("label", blocks.CharBlock(label=_("Title"), max_length=255)),
                (
                    "name",
                    blocks.CharBlock(
                        label=_("Machine name"),
                        required=False,
                        max_length=names.MAX_LENGTH,
                        validators=[names.validate_machine_name],
                        help_text=_(
                            "Used in formulas (count(dagen), sum(dagen.uren)) and exports. "
                            "Leave empty to derive it from the title."
                        ),
                    ),
                ),
                ("help_text", blocks.TextBlock(label=_("Help text"), required=False)),
                *self.option_blocks(),
                ("condition", ConditionBlock(label=_("Show this part only when"))),
                # The part's title and help text in English (forms_builder.translation).
                *[
                    (name, block)
                    for name, block in self.english_blocks()
                    if name in ("label_en", "help_text_en")
                ],
            ],
            label=self.label,
            icon=self.icon,
        )

    def option_blocks(self):
        return [
            (
                "item_name",
                blocks.CharBlock(
                    label=_("Name of one item"),
                    max_length=60,
                    help_text=_(
                        "In small letters, e.g. dag or periode: “Dag 2”, “Nog een dag toevoegen”."
                    ),
                ),
            ),
            (
                "min_items",
                blocks.IntegerBlock(
                    label=_("At least this many items"), min_value=0, max_value=MAX_ITEMS, default=1
                ),
            ),
            (
                "max_items",
                blocks.IntegerBlock(
                    label=_("At most this many items"), min_value=1, max_value=MAX_ITEMS, default=10
                ),
            ),
            ("fields", ItemFieldsBlock(label=_("Questions of each item"))),
        ]

    # --- applicants ------------------------------------------------------------------

    def get_form_field(self, field, earlier_values=None):
        """The hidden number of items; the items themselves are item forms
        (:class:`forms_builder.repeatable.ItemGroup`)."""
        return forms.CharField(required=False, widget=forms.HiddenInput, label=field["label"])

    # --- storage, display and export -------------------------------------------------

    def to_json(self, value, field):
        return [dict(item) for item in value or [] if isinstance(item, dict)]

    def formula_value(self, value, field):
        items = []
        for item in value or []:
            if not isinstance(item, dict):
                continue
            items.append(
                {
                    child["name"]: get_field_type(child["type"]).formula_value(
                        item.get(child["name"]), child
                    )
                    for child in item_fields(field)
                }
            )
        return Items(items)

    def sample_value(self, field):
        return [
            {
                child["name"]: get_field_type(child["type"]).sample_value(child)
                for child in item_fields(field)
            }
        ]

    def display(self, value, field):
        """One line per item: "Dag 1: Datum: 12/06/2026, Van: 10:00, Tot: 18:00"."""
        lines = []
        for number, item in enumerate(value or [], start=1):
            if not isinstance(item, dict):
                continue
            parts = [
                f"{child['label']}: {shown}"
                for child in item_fields(field)
                if (shown := get_field_type(child["type"]).display(item.get(child["name"]), child))
            ]
            lines.append(f"{item_title(field, number)}: " + ", ".join(parts))
        return "\n".join(lines)

    def export_columns(self, field) -> list[tuple[str, Any]]:
        """The CSV columns of this part, up to its maximum number of items: a heading
        (``dagen_1_datum``) and a function from the stored answer to the cell."""
        columns = []
        for index in range(max_items(field)):
            for child in item_fields(field):
                columns.append(
                    (
                        f"{field['name']}_{index + 1}_{child['name']}",
                        _item_cell(index, child),
                    )
                )
        return columns


def _item_cell(index: int, child: dict):
    def cell(value: Any) -> str:
        if not isinstance(value, list) or index >= len(value) or not isinstance(value[index], dict):
            return ""
        answer = value[index].get(child["name"])
        return get_field_type(child["type"]).export(answer, child) if answer is not None else ""

    return cell


def item_fields(field: dict) -> list[dict]:
    """The question definitions of one item of a repeatable part."""
    children = (field.get("options") or {}).get("fields") or []
    return [child for child in children if isinstance(child, dict) and child.get("name")]


def min_items(field: dict) -> int:
    value = (field.get("options") or {}).get("min_items")
    return max(0, min(int(value), MAX_ITEMS)) if isinstance(value, int) else 0


def max_items(field: dict) -> int:
    value = (field.get("options") or {}).get("max_items")
    return max(1, min(int(value), MAX_ITEMS)) if isinstance(value, int) else MAX_ITEMS


def item_name(field: dict) -> str:
    return ((field.get("options") or {}).get("item_name") or "").strip() or gettext("item")


def item_title(field: dict, number: int) -> str:
    """The heading of an item: "Dag 2"."""
    name = item_name(field)
    return f"{name[:1].upper()}{name[1:]} {number}"
