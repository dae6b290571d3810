"""Conditions: a step or a field is shown only when rules on earlier answers hold.

Editors build a condition with :class:`ConditionBlock` (on every step and every input
field). :mod:`forms_builder.schema` stores it as plain JSON::

    {"combinator": "all" | "any",
     "rules": [{"field": "<machine name>", "operator": "equals", "value": "..."},
               {"combinator": "any", "rules": [...]}]}

A rule with its own ``rules`` is a group (a nested all-of/any-of) and counts as one
rule of the condition around it; editors build one level of groups, the evaluator
takes up to :data:`MAX_DEPTH` levels.

and this module evaluates that JSON against stored answers (the JSON values each field
type's ``to_json`` produces: ISO date strings, booleans for yes/no, numbers, lists for
multiple choice). Evaluation never raises: a rule whose answer and value cannot be
compared is simply false. An unanswered question, or one on a skipped step, counts as
empty.

The same rules run in the applicant's browser (``js/conditions.js``) for fields that
depend on answers in their own step; keep the two in step when changing an operator.

This module is longer than 400 lines because each operator lives in three places that
change together: how editors' values are normalised, how it is evaluated and how a rule
using it is checked. Splitting them would spread one operator over three modules.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from . import calculation_checks, calculations
from .condition_blocks import (  # noqa: F401  (re-exported: the one place to import from)
    AFTER,
    ALL,
    ANY,
    BEFORE,
    COUNT_AT_LEAST,
    COUNT_AT_MOST,
    EQUALS,
    GREATER_THAN,
    IS_EMPTY,
    IS_FILLED,
    LESS_THAN,
    NOT_EQUALS,
    ONE_OF,
    OPERATOR_CHOICES,
    OPTION_CONDITIONS,
    TIME_AFTER,
    TIME_BEFORE,
    VALUELESS_OPERATORS,
    ConditionBlock,
    ConditionGroupBlock,
    ConditionRuleBlock,
)
from .fields.registry import field_types

_TRUE_WORDS = frozenset({"yes", "ja", "true", "1"})
_FALSE_WORDS = frozenset({"no", "nee", "false", "0"})
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:$|[T ])"),
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
)
_TIME_PATTERN = re.compile(
    r"^(?:\d{4}-\d{1,2}-\d{1,2}[T ])?(?P<h>\d{1,2})[:.hu](?P<m>\d{2})(?::\d{2})?$"
)
#: How deep groups of rules may nest; deeper ones (only a hostile import) do not hold.
MAX_DEPTH = 5


def condition_to_schema(value: Any) -> dict | None:
    """The plain JSON of a ConditionBlock value, or None when it has no rules.

    Values are normalised for their operator once, here: a list of lines for
    ``one_of``, a number for ``greater_than``/``less_than``, an ISO date for
    ``before``/``after``, a time (14:30) for ``time_before``/``time_after``, a whole
    number for the counts. A value that does not parse is kept as typed, so
    :func:`validate_conditions` can name it. Groups of rules follow the rules; a
    group without rules is left out.
    """
    if not value:
        return None
    rules = []
    for rule in value.get("rules") or []:
        operator = rule.get("operator") or EQUALS
        rules.append(
            {
                "field": (rule.get("field") or "").strip(),
                "operator": operator,
                "value": _normalised_value(operator, rule.get("value")),
            }
        )
    for group in value.get("groups") or []:
        nested = condition_to_schema(group)
        if nested:
            rules.append(nested)
    if not rules:
        return None
    combinator = value.get("combinator")
    return {"combinator": combinator if combinator in (ALL, ANY) else ALL, "rules": rules}


def option_conditions_to_schema(value: Any) -> list[dict]:
    """The options of a choice question shown only on a condition, as plain JSON:
    ``[{"option": "...", "condition": {...}}]``; entries without an option or without
    rules are left out (such an option is always shown)."""
    found = []
    for entry in value or []:
        option = str(entry.get("option") or "").strip()
        condition = condition_to_schema(entry.get("condition"))
        if option and condition:
            found.append({"option": option, "condition": condition})
    return found


def _normalised_value(operator: str, raw: Any) -> Any:
    text = raw.strip() if isinstance(raw, str) else raw
    if operator in VALUELESS_OPERATORS:
        return None
    if operator == ONE_OF:
        lines = text.splitlines() if isinstance(text, str) else (text or [])
        return [line.strip() for line in lines if str(line).strip()]
    if operator in (GREATER_THAN, LESS_THAN):
        number = _to_number(text)
        if number is None:
            return text
        return int(number) if float(number).is_integer() else number
    if operator in (BEFORE, AFTER):
        date = _to_date(text)
        return date.isoformat() if date else text
    if operator in (TIME_BEFORE, TIME_AFTER):
        time = _to_time(text)
        return time.isoformat(timespec="minutes") if time else text
    if operator in (COUNT_AT_LEAST, COUNT_AT_MOST):
        count = _to_count(text)
        return count if count is not None else text
    return text if text is not None else ""


# --- evaluating ------------------------------------------------------------------------


def evaluate(condition: dict | None, answers_by_name: dict, _depth: int = 0) -> bool:
    """Whether ``condition`` holds for these answers (field name → stored JSON value).

    No condition, or one without rules, always holds. A missing answer counts as empty.
    A group of rules inside it counts as one rule.
    """
    if not isinstance(condition, dict):
        return True
    rules = condition.get("rules")
    if not isinstance(rules, list) or not rules:
        return True
    if not isinstance(answers_by_name, dict):
        answers_by_name = {}
    results = (
        _depth < MAX_DEPTH and evaluate(rule, answers_by_name, _depth + 1)
        if _is_group(rule)
        else _rule_holds(rule, answers_by_name)
        for rule in rules
    )
    return any(results) if condition.get("combinator") == ANY else all(results)


def _is_group(rule: Any) -> bool:
    return isinstance(rule, dict) and "rules" in rule


def flat_rules(condition: Any, _depth: int = 0) -> list[dict]:
    """Every rule of ``condition``, those inside groups included."""
    if not isinstance(condition, dict) or not isinstance(condition.get("rules"), list):
        return []
    found: list[dict] = []
    for rule in condition["rules"]:
        if _is_group(rule):
            if _depth < MAX_DEPTH:
                found += flat_rules(rule, _depth + 1)
        elif isinstance(rule, dict):
            found.append(rule)
    return found


def visible_steps(schema: dict, answers: dict) -> list[str]:
    """The ids of the steps the applicant sees, in order.

    ``answers`` is ``{step_id: {name: json_value}}``. A step is visible when its
    condition holds on the answers of the visible steps before it; answers of hidden
    steps (and of hidden fields) are ignored, as if those questions were empty; so is
    an answer still stored for a field that a changed earlier answer has hidden since.

    This is the one definition: the wizard builds its list of steps with it
    (:meth:`forms_builder.wizard.ApplicationWizard.visible_step_keys`).
    """
    visible: list[str] = []
    known: dict[str, Any] = {}
    for step in _steps(schema):
        known_with_values = calculations.with_calculations(schema, known)
        if evaluate(step.get("condition"), known_with_values):
            visible.append(step.get("id"))
            known.update(_visible_step_answers(step, answers, known_with_values))
    return visible


def visible_fields(step: dict, answers_by_name: dict) -> set[str]:
    """The names of the input fields of ``step`` whose condition holds.

    ``answers_by_name`` holds the answers of earlier visible steps and of this step.
    Fields are checked in order, and a hidden field counts as empty for the fields
    after it.
    """
    known = dict(answers_by_name) if isinstance(answers_by_name, dict) else {}
    names: set[str] = set()
    for field in step.get("fields") or []:
        name = field.get("name") if isinstance(field, dict) else None
        if not name:
            continue
        if evaluate(field.get("condition"), known):
            names.add(name)
        else:
            known.pop(name, None)
    return names


def answers_by_name(schema: dict, answers: dict, visible_step_ids: Iterable[str]) -> dict:
    """The answers of the visible steps and their visible fields, by field name, and
    the value of every calculation on them (see :mod:`forms_builder.calculations`)."""
    visible_ids = set(visible_step_ids)
    known: dict[str, Any] = {}
    for step in _steps(schema):
        if step.get("id") in visible_ids:
            known_with_values = calculations.with_calculations(schema, known)
            known.update(_visible_step_answers(step, answers, known_with_values))
    return calculations.with_calculations(schema, known)


def referenced_fields(condition: dict | None) -> set[str]:
    """The machine names the rules of ``condition`` (and of its groups) look at."""
    return {
        rule["field"]
        for rule in flat_rules(condition)
        if isinstance(rule.get("field"), str) and rule["field"]
    }


def client_condition_json(condition: dict, earlier_answers: dict) -> str:
    """The ``data-condition`` attribute value for a field shown and hidden in the browser.

    The browser only sees this step's inputs, so the answers of earlier steps that the
    rules use travel along under ``"answers"``.
    """
    known = earlier_answers if isinstance(earlier_answers, dict) else {}
    payload = {
        "combinator": condition.get("combinator", ALL),
        "rules": condition.get("rules", []),
        "answers": {name: known[name] for name in referenced_fields(condition) if name in known},
    }
    return json.dumps(payload, ensure_ascii=False, default=str)


def _steps(schema: Any) -> list[dict]:
    steps = schema.get("steps") if isinstance(schema, dict) else None
    return [step for step in steps or [] if isinstance(step, dict)]


def _visible_step_answers(step: dict, answers: Any, known: dict) -> dict:
    step_answers = answers.get(step.get("id")) if isinstance(answers, dict) else None
    if not isinstance(step_answers, dict):
        return {}
    names = visible_fields(step, {**known, **step_answers})
    shown = {name: value for name, value in step_answers.items() if name in names}
    # An option whose condition no longer holds (an earlier answer changed) is no answer.
    for field in step.get("fields") or []:
        name = field.get("name") if isinstance(field, dict) else None
        value = shown.get(name) if isinstance(name, str) else None
        if isinstance(value, str) and value in hidden_options(field, {**known, **shown}):
            shown.pop(name)
    return shown


def option_conditions(field: Any) -> list[dict]:
    """The options of ``field`` shown only on a condition (see the schema)."""
    options = field.get("options") if isinstance(field, dict) else None
    found = options.get(OPTION_CONDITIONS) if isinstance(options, dict) else None
    return [
        entry
        for entry in found or []
        if isinstance(entry, dict) and isinstance(entry.get("option"), str)
    ]


def hidden_options(field: dict, answers_by_name: dict) -> set[str]:
    """The options of a choice question whose condition does not hold on these
    answers: the applicant cannot choose them (server side is the truth)."""
    return {
        entry["option"]
        for entry in option_conditions(field)
        if not evaluate(entry.get("condition"), answers_by_name)
    }


def _rule_holds(rule: Any, answers: dict) -> bool:
    if not isinstance(rule, dict):
        return False
    field = rule.get("field")
    answer = answers.get(field) if isinstance(field, str) else None
    operator, expected = rule.get("operator"), rule.get("value")
    if operator == IS_FILLED:
        return not _is_empty(answer)
    if operator == IS_EMPTY:
        return _is_empty(answer)
    if operator == EQUALS:
        return _equals(answer, expected)
    if operator == NOT_EQUALS:
        if _is_empty(answer):
            return True
        if isinstance(answer, list):
            return not _equals(answer, expected)
        return _comparable(answer, expected) and not _same(answer, expected)
    if operator == ONE_OF:
        options = expected.splitlines() if isinstance(expected, str) else expected
        if not isinstance(options, list):
            return False
        return any(_equals(answer, option) for option in options)
    if operator in (GREATER_THAN, LESS_THAN):
        left, right = _to_number(answer), _to_number(expected)
        if left is None or right is None:
            return False
        return left > right if operator == GREATER_THAN else left < right
    if operator in (BEFORE, AFTER):
        left, right = _to_date(answer), _to_date(expected)
        if left is None or right is None:
            return False
        return left < right if operator == BEFORE else left > right
    if operator in (TIME_BEFORE, TIME_AFTER):
        left, right = _to_time(answer), _to_time(expected)
        if left is None or right is None:
            return False
        return left < right if operator == TIME_BEFORE else left > right
    if operator in (COUNT_AT_LEAST, COUNT_AT_MOST):
        # Nothing ticked (or no answer) is a count of 0; text is not a count.
        count = len(answer) if isinstance(answer, list) else 0 if _is_empty(answer) else None
        wanted = _to_count(expected)
        if count is None or wanted is None:
            return False
        return count >= wanted if operator == COUNT_AT_LEAST else count <= wanted
    return False


def _is_empty(answer: Any) -> bool:
    if isinstance(answer, str):
        return not answer.strip()
    return answer is None or answer in ([], {})


def _equals(answer: Any, expected: Any) -> bool:
    """An answer equals a value; a list answer (multiple choice) when it contains it."""
    if isinstance(answer, list):
        return any(_same(item, expected) for item in answer)
    return _same(answer, expected)


def _comparable(answer: Any, expected: Any) -> bool:
    if isinstance(answer, bool):
        return _to_bool(expected) is not None
    if isinstance(answer, int | float | Decimal):
        return _to_number(expected) is not None
    return isinstance(answer, str) and _to_text(expected) is not None


def _same(answer: Any, expected: Any) -> bool:
    if isinstance(answer, bool):
        wanted = _to_bool(expected)
        return wanted is not None and answer is wanted
    if isinstance(answer, int | float | Decimal):
        number = _to_number(expected)
        return number is not None and _to_number(answer) == number
    if isinstance(answer, str):
        text = _to_text(expected)
        if text is None:
            return False
        if answer.strip().casefold() == text:
            return True
        # Amounts are stored as decimal strings ("12.50"); editors may type "12,5".
        left, right = _to_number(answer), _to_number(expected)
        return left is not None and left == right
    return False


def _to_text(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        return None
    return str(value).strip().casefold()


def _to_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(" ", "").replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _to_date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if not isinstance(value, str):
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value.strip())
        if match:
            try:
                return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                return None
    return None


def _to_time(value: Any) -> datetime.time | None:
    """A time of day from "14:30", "9.05", "14u30" or an ISO date and time."""
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if not isinstance(value, str):
        return None
    match = _TIME_PATTERN.match(value.strip())
    if not match:
        return None
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        return None
    return datetime.time(hour, minute)


def _to_count(value: Any) -> int | None:
    """A whole number of at least 0 ("3", 3, "3,0"), or None."""
    number = _to_number(value)
    if number is None or number < 0 or not float(number).is_integer():
        return None
    return int(number)


# --- checking what editors built -------------------------------------------------------


def validate_conditions(schema: dict) -> list[str]:
    """Messages for every condition that cannot work, naming its step and field.

    A rule must use a question that exists and comes earlier: on an earlier step, or
    earlier in the same step for a field's condition. Its value must suit the operator.
    An empty list means every condition is fine.
    """
    positions = _positions(schema)
    errors: list[str] = []
    for step_index, step in enumerate(_steps(schema)):
        where = gettext("Step “%(step)s”") % {"step": step.get("title", "")}
        errors += _rule_errors(step.get("condition"), where, (step_index, None), positions)
        for field_index, field in enumerate(step.get("fields") or []):
            if not isinstance(field, dict):
                continue
            where = gettext("Step “%(step)s”, question “%(question)s”") % {
                "step": step.get("title", ""),
                "question": field.get("label") or field.get("name") or _content_name(field),
            }
            errors += _rule_errors(
                field.get("condition"), where, (step_index, field_index), positions
            )
            errors += _option_condition_errors(field, where, (step_index, field_index), positions)
    return errors


def _option_condition_errors(
    field: dict, where: str, position: tuple[int, int], positions: dict
) -> list[str]:
    """An option shown on a condition must be one of the question's options, and its
    condition must use earlier answers (like the question's own)."""
    choices = (field.get("options") or {}).get("choices") or []
    errors = []
    for entry in option_conditions(field):
        params = {"where": where, "option": entry["option"]}
        if entry["option"] not in choices:
            errors.append(
                gettext(
                    "%(where)s: “%(option)s” is shown on a condition, but it is not one of the "
                    "options of the question (%(options)s)."
                )
                % {**params, "options": ", ".join(map(str, choices))}
            )
            continue
        option_where = gettext("%(where)s, option “%(option)s”") % params
        errors += _rule_errors(entry.get("condition"), option_where, position, positions)
    return errors


def _content_name(field: dict) -> str:
    """How a message names a block without a question: its kind ("heading")."""
    field_type = field_types.find(field.get("type")) if isinstance(field.get("type"), str) else None
    return str(field_type.label).lower() if field_type else gettext("information text")


def condition_errors_at_end(condition: Any, where: str, schema: dict) -> list[str]:
    """Messages for a condition checked after the whole form (an outcome): every rule
    must use a question or calculation of the form, with a value that suits it."""
    return _rule_errors(condition, where, (len(_steps(schema)), None), _positions(schema))


def _positions(schema: dict) -> dict[str, tuple[int, int, dict, dict]]:
    """Where each answer and calculation becomes known: (step index, field index, step,
    field or calculation)."""
    positions: dict[str, tuple[int, int, dict, dict]] = {}
    for step_index, step in enumerate(_steps(schema)):
        for field_index, field in enumerate(step.get("fields") or []):
            if isinstance(field, dict) and field.get("name"):
                positions.setdefault(field["name"], (step_index, field_index, step, field))
    # A condition can use a calculation once every answer it uses is known.
    for name, position in calculation_checks.positions(schema).items():
        positions.setdefault(name, position)
    return positions


def last_step_used(condition: Any, schema: dict) -> int:
    """The index of the step after which every answer ``condition`` uses is known (-1
    when it uses none that the form has)."""
    positions = _positions(schema)
    return max(
        (positions[name][0] for name in referenced_fields(condition) if name in positions),
        default=-1,
    )


def _rule_errors(
    condition: Any,
    where: str,
    position: tuple[int, int | None],
    positions: dict[str, tuple[int, int, dict, dict]],
) -> list[str]:
    if not isinstance(condition, dict):
        return []
    step_index, field_index = position
    errors = []
    for rule in flat_rules(condition):
        name = rule.get("field") or ""
        params = {"where": where, "field": name}
        if not name:
            errors.append(gettext("%(where)s: a rule of the condition has no question.") % params)
            continue
        if name not in positions:
            errors.append(
                gettext(
                    "%(where)s: the condition uses “%(field)s”, but the form has no question "
                    "with that machine name."
                )
                % params
            )
            continue
        other_step, other_field, step, field = positions[name]
        params.update(label=field.get("label") or name, other_step=step.get("title", ""))
        if (other_step, other_field) == (step_index, field_index):
            errors.append(
                gettext("%(where)s: the condition uses the answer to this same question.") % params
            )
        elif other_step == step_index and field_index is None:
            errors.append(
                gettext(
                    "%(where)s: the condition uses “%(label)s” (%(field)s), which is on this "
                    "same step. A step's condition can only use answers from earlier steps."
                )
                % params
            )
        elif (other_step, other_field) > (step_index, field_index or 0):
            errors.append(
                gettext(
                    "%(where)s: the condition uses “%(label)s” (%(field)s), which comes later "
                    "in the form (step “%(other_step)s”). A condition can only use answers "
                    "to earlier questions."
                )
                % params
            )
        errors += (
            _value_errors(rule, params)
            or _kind_errors(rule, field, params)
            or _option_errors(rule, field, params)
        )
    return errors


def _kind_errors(rule: dict, field: dict, params: dict) -> list[str]:
    """A time of day can only be compared on a question asking for one, a count only
    on tick boxes or a repeatable part (a calculation is neither)."""
    field_type = field_types.find(field.get("type")) if isinstance(field.get("type"), str) else None
    operator = rule.get("operator")
    if operator in (TIME_BEFORE, TIME_AFTER) and not getattr(field_type, "time_of_day", False):
        return [
            gettext(
                "%(where)s: the rule on “%(label)s” (%(field)s) compares a time of day, but "
                "that question does not ask for a time."
            )
            % params
        ]
    countable = getattr(field_type, "many_values", False) or getattr(field_type, "repeats", False)
    if operator in (COUNT_AT_LEAST, COUNT_AT_MOST) and not countable:
        return [
            gettext(
                "%(where)s: the rule on “%(label)s” (%(field)s) counts ticked options or added "
                "items, but that question has neither (use a multiple choice question or a "
                "repeatable part)."
            )
            % params
        ]
    return []


def _option_errors(rule: dict, field: dict, params: dict) -> list[str]:
    """A rule on a question with fixed options must name one of them: a typo ("grot
    werk") would otherwise save and the condition never hold (issue #14, item 3)."""
    options = (field.get("options") or {}).get("choices")
    if rule.get("operator") not in (EQUALS, NOT_EQUALS, ONE_OF) or not options:
        return []
    known = {_to_text(option) for option in options if _to_text(option) is not None}
    values = rule.get("value") if isinstance(rule.get("value"), list) else [rule.get("value")]
    stale = [str(value) for value in values if _to_text(value) not in known]
    if not stale:
        return []
    return [
        gettext(
            "%(where)s: the rule on “%(label)s” (%(field)s) uses “%(value)s”, which is not "
            "one of its options (%(options)s)."
        )
        % {**params, "value": "”, “".join(stale), "options": ", ".join(map(str, options))}
    ]


def _value_errors(rule: dict, params: dict) -> list[str]:
    operator, value = rule.get("operator"), rule.get("value")
    if operator not in dict(OPERATOR_CHOICES):
        return [gettext("%(where)s: the rule on “%(field)s” has an unknown comparison.") % params]
    if operator == ONE_OF and not (isinstance(value, list) and value):
        return [
            gettext("%(where)s: the rule on “%(field)s” needs at least one option, one per line.")
            % params
        ]
    if operator in (GREATER_THAN, LESS_THAN) and _to_number(value) is None:
        return [gettext("%(where)s: the rule on “%(field)s” needs a number.") % params]
    if operator in (BEFORE, AFTER) and _to_date(value) is None:
        return [
            gettext("%(where)s: the rule on “%(field)s” needs a date, e.g. 2025-06-30.") % params
        ]
    if operator in (TIME_BEFORE, TIME_AFTER) and _to_time(value) is None:
        return [
            gettext("%(where)s: the rule on “%(field)s” needs a time of day, e.g. 14:30.") % params
        ]
    if operator in (COUNT_AT_LEAST, COUNT_AT_MOST) and _to_count(value) is None:
        return [
            gettext("%(where)s: the rule on “%(field)s” needs a whole number, e.g. 2.") % params
        ]
    if operator in (EQUALS, NOT_EQUALS) and (value is None or value == ""):
        return [
            gettext(
                "%(where)s: the rule on “%(field)s” needs a value. To check for an empty "
                "answer, choose “is not answered”."
            )
            % params
        ]
    return []
