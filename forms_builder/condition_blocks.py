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
TIME_BEFORE = "time_before"
TIME_AFTER = "time_after"
COUNT_AT_LEAST = "count_at_least"
COUNT_AT_MOST = "count_at_most"

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
    (TIME_BEFORE, _("is before (time of day)")),
    (TIME_AFTER, _("is after (time of day)")),
    (COUNT_AT_LEAST, _("has at least this many ticked or added")),
    (COUNT_AT_MOST, _("has at most this many ticked or added")),
]
#: The option of a choice question that holds its options shown only on a condition:
#: ``[{"option": "...", "condition": {...}}]`` in the schema.
OPTION_CONDITIONS = "option_conditions"

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
            "times of day as 14:30, yes/no questions as yes or no. Not needed for "
            "“is answered”."
        ),
    )

    class Meta:
        icon = "help"
        label = _("Rule")
        label_format = "{field} {operator} {value}"


COMBINATOR_CHOICES = [(ALL, _("all rules hold")), (ANY, _("at least one rule holds"))]


class ConditionGroupBlock(blocks.StructBlock):
    """Rules that count as one rule of the condition around them: "A, and B or C"."""

    combinator = blocks.ChoiceBlock(
        label=_("The group holds when"), choices=COMBINATOR_CHOICES, default=ANY
    )
    rules = blocks.ListBlock(ConditionRuleBlock(), label=_("Rules"), default=[])

    class Meta:
        icon = "list-ul"
        label = _("Group of rules")


class ConditionBlock(blocks.StructBlock):
    """When a step or field is shown; no rules means always."""

    combinator = blocks.ChoiceBlock(label=_("Show when"), choices=COMBINATOR_CHOICES, default=ALL)
    rules = blocks.ListBlock(ConditionRuleBlock(), label=_("Rules"), default=[])
    #: Nested groups: each counts as one more rule next to ``rules``.
    groups = blocks.ListBlock(
        ConditionGroupBlock(),
        label=_("Groups of rules"),
        default=[],
        help_text=_(
            "A group counts as one rule. For example: show when the terrace is covered, "
            "and (it is larger than 50 m² or it has heating)."
        ),
    )

    class Meta:
        icon = "view"
        label = _("Condition")
        help_text = _(
            "Leave without rules to always show this. Rules can only use earlier answers."
        )
        collapsed = True
