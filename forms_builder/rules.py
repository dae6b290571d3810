"""Rules between answers: checks over several answers, with the editor's own message.

Editors add rules to an ApplicationFormPage (its ``rules`` StreamField). A rule is a
formula over answers and calculations (:mod:`forms_builder.logic`) that must hold, the
question the message is shown next to, and the message. Besides the free formula
there are a few ready-made kinds (an end after a start, a date some days before
another, an option that needs another, at least one of several answers, a minimum
age); each block says what formula it stands for (:meth:`RuleKindBlock.to_rule`), so
the schema holds only formulas::

    "rules": [{"formula": "einde > begin", "field": "einde",
               "message": "De einddatum moet na de begindatum liggen."}]

A rule is checked on the server, in the step form (:class:`forms_builder.forms.StepForm`),
on the step where the last answer it uses is given (:func:`step_of`). A rule that
cannot be computed (a question left empty, a question hidden by its condition) does
not stop the applicant: whether a question is required is the question's own setting.

A rule over a repeatable part (``no_overlap(dagen.datum, ...)``) names its question as
``dagen.van``: the step form shows it at that question of the item where it breaks
(:func:`forms_builder.repeatable.breaking_item`).

This module is longer than 400 lines because each ready-made rule kind is one block
that says which formula it stands for, next to the others and to the checks on save
that read those formulas: split up, a kind and its check would drift apart.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from . import calculation_checks, logic, repeatable, workdays
from .calculations import calculations_of, input_fields_at


def _name_block(label, help_text=None, required=True) -> blocks.CharBlock:
    return blocks.CharBlock(
        label=label,
        max_length=100,
        required=required,
        help_text=help_text or _("The machine name of a question."),
    )


def _message_block() -> blocks.CharBlock:
    return blocks.CharBlock(
        label=_("Message"),
        max_length=500,
        help_text=_("What the applicant reads when the rule does not hold. Say how to fix it."),
    )


def _quoted(text: str) -> str:
    """``text`` as a string literal in a formula."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


class RuleKindBlock(blocks.StructBlock):
    """One kind of rule; subclasses say which formula their settings stand for. Every
    kind has its message in English too, after its own settings
    (:func:`forms_builder.translation.translated_rules`)."""

    def __init__(self, local_blocks=None, **kwargs):
        english = blocks.CharBlock(label=_("Message in English"), required=False, max_length=500)
        super().__init__([*(local_blocks or []), ("message_en", english)], **kwargs)

    def to_rule(self, value: Any) -> dict:
        """The rule as schema JSON: ``{"formula", "field", "message"}``."""
        raise NotImplementedError


class FormulaRuleBlock(RuleKindBlock):
    """A free rule: any formula over the answers that must hold."""

    formula = blocks.TextBlock(
        label=_("Must hold"),
        rows=2,
        help_text=_(
            "A formula over machine names that must be true, e.g. einde > begin, "
            "working_days(today, datum) >= 5 or som <= 1000."
        ),
    )
    field = _name_block(
        _("Show the message next to"),
        _("The machine name of a question on the step where the rule is checked."),
    )
    message = _message_block()

    class Meta:
        icon = "code"
        label = _("Rule with a formula")
        label_format = "{formula}"

    def to_rule(self, value):
        return _rule(value.get("formula"), value.get("field"), value.get("message"))


class EndAfterStartRuleBlock(RuleKindBlock):
    """An end (date or number) must come after a start."""

    start = _name_block(_("Start"))
    end = _name_block(_("End"), _("The message is shown next to this question."))
    message = _message_block()

    class Meta:
        icon = "date"
        label = _("End after start")
        label_format = "{end} > {start}"

    def to_rule(self, value):
        end = _clean_name(value.get("end"))
        return _rule(f"{end} > {_clean_name(value.get('start'))}", end, value.get("message"))


class DaysBeforeRuleBlock(RuleKindBlock):
    """Date A at least N (working) days before date B; A can be today."""

    first = _name_block(
        _("Date A"), _("The machine name of a date question. Leave empty for today."), False
    )
    second = _name_block(_("Date B"), _("The message is shown next to this question."))
    days = blocks.IntegerBlock(label=_("At least this many days"), min_value=0, max_value=10000)
    working_days = blocks.BooleanBlock(
        label=_("Count working days only"),
        required=False,
        help_text=_("Without weekends, public holidays and the municipality's closing days."),
    )
    message = _message_block()

    class Meta:
        icon = "time"
        label = _("Date at least some days before another")
        label_format = "{first} … {second} ≥ {days}"

    def to_rule(self, value):
        first = _clean_name(value.get("first")) or "today"
        second = _clean_name(value.get("second"))
        function = "working_days" if value.get("working_days") else "days"
        days = int(value.get("days") or 0)
        return _rule(f"{function}({first}, {second}) >= {days}", second, value.get("message"))


class RequiresRuleBlock(RuleKindBlock):
    """Option X of one question needs option Y of another (or just an answer)."""

    question = _name_block(_("Question"))
    option = blocks.CharBlock(label=_("When this option is chosen"), max_length=255)
    other_question = _name_block(
        _("Then this question"), _("The message is shown next to this question.")
    )
    other_option = blocks.CharBlock(
        label=_("Must have this option"),
        max_length=255,
        required=False,
        help_text=_("Leave empty when any answer is enough."),
    )
    message = _message_block()

    class Meta:
        icon = "link"
        label = _("Option requires another answer")
        label_format = "{question}: {option} → {other_question}"

    def to_rule(self, value):
        question = _clean_name(value.get("question"))
        other = _clean_name(value.get("other_question"))
        needed = (
            f"chosen({other}, {_quoted(value['other_option'])})"
            if (value.get("other_option") or "").strip()
            else f"answered({other})"
        )
        formula = f"not chosen({question}, {_quoted(value.get('option') or '')}) or {needed}"
        return _rule(formula, other, value.get("message"))


class AtLeastOneRuleBlock(RuleKindBlock):
    """At least one of several questions is answered."""

    questions = blocks.ListBlock(_name_block(_("Question")), label=_("Questions"), min_num=2)
    message = _message_block()

    class Meta:
        icon = "list-ul"
        label = _("At least one of")

    def to_rule(self, value):
        names = [_clean_name(name) for name in value.get("questions") or [] if name]
        formula = " or ".join(f"answered({name})" for name in names)
        return _rule(formula, names[0] if names else "", value.get("message"))


class MinimumAgeRuleBlock(RuleKindBlock):
    """An age of at least N years on a date (or today), from a birth date."""

    birth_date = _name_block(_("Date of birth"), _("The message is shown next to this question."))
    on_date = _name_block(
        _("On the date"), _("The machine name of a date question. Leave empty for today."), False
    )
    age = blocks.IntegerBlock(label=_("At least this age"), min_value=0, max_value=150)
    message = _message_block()

    class Meta:
        icon = "user"
        label = _("Minimum age")
        label_format = "{birth_date} ≥ {age}"

    def to_rule(self, value):
        birth_date = _clean_name(value.get("birth_date"))
        on_date = _clean_name(value.get("on_date")) or "today"
        age = int(value.get("age") or 0)
        return _rule(f"age({birth_date}, {on_date}) >= {age}", birth_date, value.get("message"))


class NoOverlapRuleBlock(RuleKindBlock):
    """The periods of a repeatable part do not overlap (dates, maybe with times)."""

    group = _name_block(_("Repeatable part"), _("The machine name of the repeatable part."))
    start = _name_block(_("Start date"), _("The machine name of a date question in each item."))
    end = _name_block(
        _("End date"),
        _("Leave empty when each item is one day (the start date)."),
        False,
    )
    start_time = _name_block(
        _("Start time"), _("Leave empty to compare whole days. Needs an end time."), False
    )
    end_time = _name_block(_("End time"), _("Needed with a start time."), False)
    message = _message_block()

    class Meta:
        icon = "date"
        label = _("Periods do not overlap")
        label_format = "{group}: {start} – {end}"

    def to_rule(self, value):
        group = _clean_name(value.get("group"))
        start = _clean_name(value.get("start"))
        end = _clean_name(value.get("end")) or start
        columns = [f"{group}.{start}", f"{group}.{end}"]
        start_time, end_time = (
            _clean_name(value.get("start_time")),
            _clean_name(value.get("end_time")),
        )
        if start_time or end_time:
            columns += [f"{group}.{start_time}", f"{group}.{end_time}"]
        # The message goes next to the start of the item that overlaps an earlier one.
        target = f"{group}.{start_time or start}"
        return _rule(f"no_overlap({', '.join(columns)})", target, value.get("message"))


#: The rule kinds of the ``rules`` StreamField of a form page.
RULE_BLOCKS = [
    ("rule", FormulaRuleBlock()),
    ("end_after_start", EndAfterStartRuleBlock()),
    ("days_before", DaysBeforeRuleBlock()),
    ("requires", RequiresRuleBlock()),
    ("at_least_one", AtLeastOneRuleBlock()),
    ("minimum_age", MinimumAgeRuleBlock()),
    ("no_overlap", NoOverlapRuleBlock()),
]


def _clean_name(name: Any) -> str:
    return name.strip() if isinstance(name, str) else ""


def _rule(formula: Any, field: Any, message: Any) -> dict:
    return {
        "formula": (formula or "").strip() if isinstance(formula, str) else "",
        "field": _clean_name(field),
        "message": (message or "").strip() if isinstance(message, str) else "",
    }


def rule_to_schema(child) -> dict:
    """The plain JSON of one child of the ``rules`` StreamField; its English message
    under ``"en"`` when it has one (so rules without keep their schema)."""
    rule = child.block.to_rule(child.value)
    english = (child.value.get("message_en") or "").strip()
    if english:
        rule["en"] = {"message": english}
    return rule


def rules_of(schema: Any) -> list[dict]:
    """The rules of a schema (none for schemas frozen before they existed)."""
    found = schema.get("rules") if isinstance(schema, dict) else None
    return [item for item in found or [] if isinstance(item, dict) and item.get("formula")]


# --- where a rule is checked -----------------------------------------------------------------


def _known_at(schema: dict) -> dict[str, int]:
    """The index of the step after which each answer and calculation is known."""
    known = {
        name: index for name, (index, _f, _s, _c) in calculation_checks.positions(schema).items()
    }
    for step_index, _field_index, _step, field in input_fields_at(schema):
        known.setdefault(field["name"], step_index)
    return known


def step_of(schema: dict, rule: dict) -> int | None:
    """The index of the step where ``rule`` is checked: that of its last answer.

    None when it cannot be checked (a formula that does not read, an unknown name, no
    answer used); :func:`validate_rules` names those when the form is saved.
    """
    known = _known_at(schema)
    try:
        used = logic.names_in(rule["formula"])
    except logic.EvaluationError:
        return None
    if not used or not used <= known.keys():
        return None
    return max(known[name] for name in used)


def rules_for_step(schema: dict, step_index: int) -> list[dict]:
    """The rules checked on the step at ``step_index``."""
    return [rule for rule in rules_of(schema) if step_of(schema, rule) == step_index]


def broken_rules(
    rules: list[dict],
    values: Mapping[str, Any],
    *,
    today: datetime.date | None = None,
) -> list[dict]:
    """The rules that do not hold for these values (answers and calculations as formulas
    see them). A rule that cannot be computed, e.g. over an empty answer, holds."""
    if today is None:
        today = timezone.localdate()
    counts_working_days = any("working_days" in rule["formula"] for rule in rules)
    closing_days = workdays.closing_days() if counts_working_days else frozenset()
    broken = []
    for rule in rules:
        try:
            holds = logic.evaluate(rule["formula"], values, today=today, closing_days=closing_days)
        except logic.EvaluationError:
            continue
        if not _truthy(holds):
            broken.append(rule)
    return broken


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


# --- checking what editors built ---------------------------------------------------------


def validate_rules(schema: dict) -> list[str]:
    """Messages for every rule that cannot work, naming it; [] when all is fine.

    Checked: the formula's syntax, that every name is a question or a calculation,
    that it uses at least one answer, that there is a message, and that the message's
    question is on the step where the rule is checked.
    """
    steps = schema.get("steps") or []
    fields = {
        field["name"]: (index, step, field) for index, _f, step, field in input_fields_at(schema)
    }
    known = set(fields) | {item["name"] for item in calculations_of(schema)}
    errors: list[str] = []
    for number, rule in enumerate(schema.get("rules") or [], start=1):
        where = gettext("Rule %(number)s (“%(formula)s”)") % {
            "number": number,
            "formula": rule.get("formula", ""),
        }
        try:
            used = logic.names_in(rule.get("formula", ""))
        except logic.EvaluationError as error:
            errors.append(f"{where}: {error.message}")
            continue
        unknown = sorted(used - known)
        for name in unknown:
            errors.append(
                gettext(
                    "%(where)s: the rule uses “%(name)s”, but the form has no question or "
                    "calculation with that machine name."
                )
                % {"where": where, "name": name}
            )
        errors += repeatable.reference_errors(schema, rule.get("formula", ""), where)
        step_index = step_of(schema, rule)
        if not used or (step_index is not None and step_index < 0):
            errors.append(gettext("%(where)s: the rule uses no answer.") % {"where": where})
        if not rule.get("message"):
            errors.append(gettext("%(where)s: the rule has no message.") % {"where": where})
        if unknown or step_index is None or step_index < 0:
            continue
        field = rule.get("field") or ""
        group, question = repeatable.split_target(field)
        if group:
            errors += _item_target_errors(schema, where, group, question)
            field = group
        if field not in fields:
            errors.append(
                gettext(
                    "%(where)s: the message is shown next to “%(name)s”, but the form has no "
                    "question with that machine name."
                )
                % {"where": where, "name": field}
            )
        elif fields[field][0] != step_index:
            field_index, field_step, definition = fields[field]
            errors.append(
                gettext(
                    "%(where)s: the rule is checked on step “%(step)s”, where its last answer is "
                    "given, but its message is shown next to “%(label)s” on step “%(other)s”. "
                    "Choose a question of step “%(step)s”."
                )
                % {
                    "where": where,
                    "step": steps[step_index].get("title", ""),
                    "label": definition.get("label") or field,
                    "other": field_step.get("title", ""),
                }
            )
    return errors


def _item_target_errors(schema: dict, where: str, group: str, question: str) -> list[str]:
    """A message shown next to ``part.question``: the part must be a repeatable part
    with that question (whether it is on the right step is checked as for others)."""
    groups = repeatable.groups_in(schema)
    if group in groups and question in {
        child["name"] for child in repeatable.item_fields(groups[group][1])
    }:
        return []
    return [
        gettext(
            "%(where)s: the message is shown next to “%(name)s”, but the form has no "
            "repeatable part with that question."
        )
        % {"where": where, "name": f"{group}.{question}"}
    ]
