"""Checks of the calculations editors build, run when a form page is saved.

A calculation must have a usable machine name and a formula that reads, uses only
questions and other calculations, and is not part of a circle. Where a calculation
becomes known (:func:`positions`) lets :mod:`forms_builder.conditions` refuse a
condition on a calculation whose answers come later, and :func:`validate_formula_options`
does the same for formulas in a question's options (a lead time).
"""

from __future__ import annotations

import keyword
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from . import logic, repeatable
from .calculations import (
    END_OF_STEP,
    LATE,
    NAME_PATTERN,
    PLACEHOLDER,
    calculations_of,
    dependency_order,
    formula_names,
    input_fields_at,
)
from .fields import get_field_type


def positions(schema: dict) -> dict[str, tuple[int, int, dict, dict]]:
    """Where each calculation becomes known: after the step of its last answer.

    ``{name: (step_index, END_OF_STEP, step, calculation)}``; a calculation that uses
    no answers is known from the start (step -1). Calculations in a cycle or with an
    error are left out (:func:`validate_calculations` names them).
    """
    steps = schema.get("steps") or []
    field_steps = {
        field["name"]: step_index for step_index, _index, _step, field in input_fields_at(schema)
    }
    found: dict[str, tuple[int, int, dict, dict]] = {}
    for item in dependency_order(schema):
        step_index = -1
        for name in logic.names_in(item["formula"]):
            if name in field_steps:
                step_index = max(step_index, field_steps[name])
            elif name in found:
                step_index = max(step_index, found[name][0])
        step = steps[step_index] if step_index >= 0 else {"title": ""}
        found[item["name"]] = (step_index, END_OF_STEP, step, item)
    return found


def validate_calculations(schema: dict) -> list[str]:
    """Messages for every calculation that cannot work, naming it; [] when all is fine.

    Checked: the machine name (valid, unique, not a question's name), the formula's
    syntax, that every name it uses is a question or another calculation, cycles
    between calculations, at most one fee, and the names in the breakdown text.
    """
    calculations = calculations_of(schema)
    raw = schema.get("calculations") if isinstance(schema, dict) else None
    errors: list[str] = []
    if len(raw or []) != len(calculations):
        errors.append(gettext("A calculation has no machine name."))
    field_names = {field["name"]: step for _s, _f, step, field in input_fields_at(schema)}
    calculation_names = [item["name"] for item in calculations]
    known = set(field_names) | set(calculation_names) | {LATE}
    fees = [item for item in calculations if item.get("is_fee")]
    if len(fees) > 1:
        errors.append(
            gettext("Only one calculation can be the fee; now these are: %(names)s.")
            % {"names": ", ".join(f"“{item['label']}”" for item in fees)}
        )
    parsed: dict[str, set[str]] = {}
    for item in calculations:
        params = {"label": item["label"] or item["name"], "name": item["name"]}
        where = gettext("Calculation “%(label)s”") % params
        if not NAME_PATTERN.match(item["name"]) or keyword.iskeyword(item["name"]):
            errors.append(
                gettext(
                    "%(where)s: the machine name “%(name)s” can only have small letters, "
                    "digits and underscores, and cannot start with a digit."
                )
                % {**params, "where": where}
            )
        if item["name"] in logic.FUNCTIONS or item["name"] in logic.BUILTIN_NAMES | {LATE}:
            errors.append(
                gettext("%(where)s: “%(name)s” is a word formulas already use; choose another.")
                % {**params, "where": where}
            )
        if calculation_names.count(item["name"]) > 1:
            errors.append(
                gettext("%(where)s: another calculation has the machine name “%(name)s”.")
                % {**params, "where": where}
            )
        if item["name"] in field_names:
            errors.append(
                gettext(
                    "%(where)s: the machine name “%(name)s” is also the name of a question "
                    "(step “%(step)s”). Give the calculation another name."
                )
                % {**params, "where": where, "step": field_names[item["name"]].get("title", "")}
            )
        try:
            used = logic.names_in(item["formula"])
        except logic.EvaluationError as error:
            errors.append(f"{where}: {error.message}")
            continue
        parsed[item["name"]] = used & set(calculation_names)
        for name in sorted(used - known):
            errors.append(
                gettext(
                    "%(where)s: the formula uses “%(unknown)s”, but the form has no question "
                    "or calculation with that machine name."
                )
                % {"where": where, "unknown": name}
            )
        errors += repeatable.reference_errors(schema, item["formula"], where)
        for name in sorted(set(PLACEHOLDER.findall(item.get("breakdown") or "")) - known):
            errors.append(
                gettext(
                    "%(where)s: the explanation uses {%(unknown)s}, but the form has no "
                    "question or calculation with that machine name."
                )
                % {"where": where, "unknown": name}
            )
    ordered = {item["name"] for item in dependency_order(schema)}
    in_cycle = sorted(
        name for name in parsed if name not in ordered and parsed[name] <= parsed.keys()
    )
    if in_cycle:
        errors.append(
            gettext(
                "These calculations use each other in a circle, so none of them can be "
                "computed: %(names)s."
            )
            % {"names": ", ".join(in_cycle)}
        )
    if not errors:
        errors += tried_errors(schema)
    return errors


def tried_errors(schema: dict) -> list[str]:
    """Each calculation worked out with example answers (those of the editor's preview),
    then with every number at its lowest (0, or the question's minimum): a formula that
    calculates with a text or a choice, or that can divide by 0, is refused here rather
    than leaving the applicant's fee empty. Other failures (an example answer missing
    from a table) depend on the answers and are left alone."""
    examples = {
        field["name"]: get_field_type(field["type"]).sample_value(field)
        for _s, _f, _step, field in input_fields_at(schema)
    }
    names = {**formula_names(schema, examples), LATE: False}
    lowest = {
        field["name"]: _lowest(field)
        for _s, _f, _step, field in input_fields_at(schema)
        if isinstance(names.get(field["name"]), Decimal)
    }
    today = timezone.localdate()
    errors: list[str] = []
    for values in (names, {**names, **lowest}):
        for item in dependency_order(schema):
            where = gettext("Calculation “%(label)s”") % {"label": item["label"] or item["name"]}
            try:
                values[item["name"]] = logic.evaluate(item["formula"], values, today=today)
            except logic.WrongType as error:
                errors.append(
                    gettext(
                        "%(where)s: the formula calculates with an answer that is no number "
                        "or date (%(reason)s)"
                    )
                    % {"where": where, "reason": error.message}
                )
            except logic.DivisionByZero:
                errors.append(
                    gettext(
                        "%(where)s: the formula divides by an answer that can be 0. Use "
                        "max(1, …) or “… if … > 0 else …”, or give the question a minimum."
                    )
                    % {"where": where}
                )
            except logic.EvaluationError:
                values[item["name"]] = None
        if errors:
            return errors
    return errors


def _lowest(field: dict) -> Decimal:
    minimum = (field.get("options") or {}).get("min_value")
    try:
        return max(Decimal(str(minimum)), Decimal(0)) if minimum is not None else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def validate_formula_options(schema: dict) -> list[str]:
    """Messages for every formula in a question's options (a lead time) that cannot
    work: a syntax error, an unknown name, or an answer or calculation that is not known
    before the question's step."""
    field_steps = {
        field["name"]: (step_index, step)
        for step_index, _index, step, field in input_fields_at(schema)
    }
    known_at = {name: (index, step) for name, (index, _f, step, _c) in positions(schema).items()}
    known_at.update(field_steps)
    calculation_names = {item["name"] for item in calculations_of(schema)}
    errors: list[str] = []
    for step_index, _field_index, step, field in input_fields_at(schema):
        for option in get_field_type(field["type"]).formula_options:
            formula = (field.get("options") or {}).get(option)
            if not formula:
                continue
            where = gettext("Step “%(step)s”, question “%(question)s”") % {
                "step": step.get("title", ""),
                "question": field.get("label") or field["name"],
            }
            try:
                used = logic.names_in(formula)
            except logic.EvaluationError as error:
                errors.append(f"{where}: {error.message}")
                continue
            errors += repeatable.reference_errors(schema, formula, where)
            for name in sorted(used):
                if name not in known_at:
                    reason = (
                        gettext("it cannot be computed (see the calculation's error)")
                        if name in calculation_names
                        else gettext("the form has no question or calculation with that name")
                    )
                    errors.append(
                        gettext("%(where)s: the formula uses “%(name)s”, but %(reason)s.")
                        % {"where": where, "name": name, "reason": reason}
                    )
                elif known_at[name][0] >= step_index:
                    errors.append(
                        gettext(
                            "%(where)s: the formula uses “%(name)s”, which is only known "
                            "after step “%(other)s”. It can only use answers from earlier steps."
                        )
                        % {"where": where, "name": name, "other": known_at[name][1].get("title")}
                    )
    return errors
