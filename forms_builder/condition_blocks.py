"""The condition editors build on a step or a field: its blocks and operators.

Kept apart from :mod:`forms_builder.conditions` (which evaluates and checks conditions)
because every field type's block holds a ConditionBlock, while evaluating a condition
needs the field types (a condition can use a calculated value, see
:mod:`forms_builder.calculations`). ``conditions`` re-exports these names.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

ALL = "all"
ANY = "any"

EQUALS = "equals"
NOT_EQUALS = "not_equals"
ONE_OF = "one_of"
IS_FILLED = "is_filled"
IS_EMPTY = "is_empty"
GREATER_THAN = "greater_than"
LESS_THAN = "less_than"
BEFORE = "before"
AFTER = "after"

OPERATOR_CHOICES = [
    (EQUALS, _("is")),
    (NOT_EQUALS, _("is not")),
    (ONE_OF, _("is one of")),
    (IS_FILLED, _("is answered")),
    (IS_EMPTY, _("is not answered")),
    (GREATER_THAN, _("is more than")),
    (LESS_THAN, _("is less than")),
    (BEFORE, _("is before (date)")),
    (AFTER, _("is after (date)")),
]
#: Operators that ignore the rule's value.
VALUELESS_OPERATORS = frozenset({IS_FILLED, IS_EMPTY})


class ConditionRuleBlock(blocks.StructBlock):
    """One rule: an earlier question, how to compare its answer, and with what."""

    field = blocks.CharBlock(
        label=_("Question"),
        max_length=100,
        help_text=_("The machine name of an earlier question."),
        # condition-editor.js turns this input into a list of the earlier questions.
        form_attrs={
            "data-loket-condition-field": "",
            "data-placeholder": _("Choose an earlier question"),
            "data-missing": _("not found"),
            "data-calculations": _("Calculations"),
        },
    )
    operator = blocks.ChoiceBlock(label=_("Answer"), choices=OPERATOR_CHOICES, default=EQUALS)
    value = blocks.TextBlock(
        label=_("Value"),
        required=False,
        rows=1,
        help_text=_(
            "For “is one of”: one option per line. Dates as 2025-06-30 or 30/06/2025, "
            "yes/no questions as yes or no. Not needed for “is answered”."
        ),
    )

    class Meta:
        icon = "help"
        label = _("Rule")
        label_format = "{field} {operator} {value}"


class ConditionBlock(blocks.StructBlock):
    """When a step or field is shown; no rules means always."""

    combinator = blocks.ChoiceBlock(
        label=_("Show when"),
        choices=[(ALL, _("all rules hold")), (ANY, _("at least one rule holds"))],
        default=ALL,
    )
    rules = blocks.ListBlock(ConditionRuleBlock(), label=_("Rules"), default=[])

    class Meta:
        icon = "view"
        label = _("Condition")
        help_text = _(
            "Leave without rules to always show this. Rules can only use earlier answers."
        )
        collapsed = True
