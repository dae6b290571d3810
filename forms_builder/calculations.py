"""Calculations of a form: values computed on the server from the answers.

Editors add calculations to an ApplicationFormPage (its ``calculations`` StreamField of
:class:`CalculationBlock`). The schema keeps them as::

    "calculations": [{"name": "retributie", "label": "Retributie",
                      "formula": "max(25, 0.30 * m2 * dagen)",
                      "show": true, "is_fee": true,
                      "breakdown": "€ 0,30 per m² per dag, minimum € 25: ..."}]

so a calculation is part of the frozen form version like every question. Formulas are
evaluated by :mod:`forms_builder.logic` over the answers (each field type says how its
answer looks in a formula, :meth:`FieldType.formula_value`) and the other
calculations, in dependency order. A calculation that cannot be computed (an empty
answer, a division by zero) has the value None: it is not shown, counts as empty in
conditions and gives no amount due.

Calculated values are never taken from what a browser posts. Conditions use them
(:mod:`forms_builder.conditions`), the check page shows those marked ``show`` and the
fee with its breakdown, and the submission carries them to the dossier
(:func:`forms_builder.submission.calculated`).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from core.translation import wants_english

from . import logic, workdays
from .fields import get_field_type

#: A machine name usable in a formula: letters, digits and underscores, not a digit first.
NAME_PATTERN = re.compile(r"^[a-z_][a-z0-9_]{0,99}$")
#: ``{name}`` in a breakdown text.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: A position after every question of a step: a calculation is known only once the
#: whole step that gives its last answer is sent.
END_OF_STEP = 10**6
#: The name formulas know the "late" flag by: true when a lead time was not met and the
#: form accepts the application marked late (:mod:`forms_builder.procedure`), e.g.
#: ``retributie * (1.5 if te_laat else 1)``. False while the form is filled in.
LATE = "te_laat"


class CalculationBlock(blocks.StructBlock):
    """One calculated value: a formula over earlier answers and other calculations."""

    label = blocks.CharBlock(label=_("Name"), max_length=255)
    name = blocks.RegexBlock(
        label=_("Machine name"),
        regex=NAME_PATTERN.pattern,
        max_length=100,
        error_messages={
            "invalid": _("Use small letters, digits and underscores, e.g. retributie.")
        },
        help_text=_("Used in other formulas, conditions and exports, e.g. retributie."),
    )
    formula = blocks.TextBlock(
        label=_("Formula"),
        rows=2,
        help_text=_(
            "Use the machine names of questions, e.g. max(25, 0.30 * m2 * dagen). "
            "See the editors' guide for all possibilities."
        ),
    )
    show = blocks.BooleanBlock(
        label=_("Show to the applicant on the check page"), required=False, default=False
    )
    is_fee = blocks.BooleanBlock(
        label=_("This is the fee"),
        required=False,
        help_text=_("The amount becomes the amount due of the dossier."),
    )
    breakdown = blocks.TextBlock(
        label=_("Explanation of the amount"),
        required=False,
        rows=2,
        help_text=_(
            "Shown under the amount. Write {machine_name} for a value, e.g. "
            "“€ 0,30 per m² per dag, minimum € 25: {m2} m² × {dagen} dagen = {retributie}”."
        ),
    )

    class Meta:
        icon = "calculator"
        label = _("Calculation")
        label_format = "{label} = {formula}"


def calculation_to_schema(value: Any) -> dict:
    """The plain JSON of a CalculationBlock value."""
    return {
        "name": (value.get("name") or "").strip(),
        "label": value.get("label") or "",
        "formula": (value.get("formula") or "").strip(),
        "show": bool(value.get("show")),
        "is_fee": bool(value.get("is_fee")),
        "breakdown": (value.get("breakdown") or "").strip(),
    }


def calculations_of(schema: Any) -> list[dict]:
    """The calculations of a schema (none for schemas frozen before they existed)."""
    found = schema.get("calculations") if isinstance(schema, dict) else None
    return [item for item in found or [] if isinstance(item, dict) and item.get("name")]


def input_fields_at(schema: dict) -> Iterator[tuple[int, int, dict, dict]]:
    """Every question of the schema with its step's and its own index: (step index,
    field index, step, field)."""
    for step_index, step in enumerate(schema.get("steps") or []):
        for field_index, field in enumerate(step.get("fields") or []):
            if get_field_type(field["type"]).has_input and field.get("name"):
                yield step_index, field_index, step, field


# --- computing ---------------------------------------------------------------------------


def formula_names(schema: dict, answers_by_name: Mapping[str, Any]) -> dict[str, Any]:
    """Every question's answer as formulas see it; None for questions not answered."""
    names: dict[str, Any] = {}
    for _step_index, _field_index, _step, field in input_fields_at(schema):
        answer = answers_by_name.get(field["name"])
        try:
            value = get_field_type(field["type"]).formula_value(answer, field)
        except (TypeError, ValueError, ArithmeticError):
            value = None  # a stored answer of another shape (an older form version)
        names.setdefault(field["name"], value)
    return names


def dependency_order(schema: dict) -> list[dict]:
    """The calculations, each after the calculations it uses; those in a cycle or
    with a formula that does not parse are left out."""
    calculations = {item["name"]: item for item in calculations_of(schema)}
    uses: dict[str, set[str]] = {}
    for name, item in calculations.items():
        try:
            uses[name] = logic.names_in(item["formula"]) & calculations.keys()
        except logic.EvaluationError:
            continue
    ordered: list[dict] = []
    done: set[str] = set()
    while True:
        ready = [name for name in uses if name not in done and uses[name] <= done]
        if not ready:
            return ordered
        for name in ready:
            done.add(name)
            ordered.append(calculations[name])


#: compute()'s results within :func:`remembered` (None outside): (schema, answers key,
#: ...) → (the schema, kept so its id stays its own, the values).
_remembered: ContextVar[dict | None] = ContextVar("loket_calculations", default=None)


@contextlib.contextmanager
def remembered():
    """Within this block, :func:`compute` works each result out once per schema object
    and answers. One wizard request computes the same values several times (the visible
    steps, the conditions, the step's limits); with 20 items and 10 calculations that
    was most of a step's time. Only for one request: the schema object must not change
    inside the block."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def compute(
    schema: dict,
    answers_by_name: Mapping[str, Any],
    *,
    today: datetime.date | None = None,
    closing_days: frozenset[datetime.date] | None = None,
    late: bool = False,
) -> dict[str, Any]:
    """Every calculation's value (None when it cannot be computed) for these answers.

    ``answers_by_name`` are stored JSON answers by machine name (visible questions
    only). The municipality's closing days are read only when a formula counts
    working days. ``late`` is what formulas read as :data:`LATE`.
    """
    calculations = calculations_of(schema)
    if not calculations:
        return {}
    memo = _remembered.get()
    if memo is None:
        return _compute(schema, calculations, answers_by_name, today, closing_days, late)
    try:
        answers_key = json.dumps(answers_by_name, sort_keys=True, default=_typed)
    except (TypeError, ValueError):  # keys of mixed types: not worth remembering
        return _compute(schema, calculations, answers_by_name, today, closing_days, late)
    key = (id(schema), answers_key, today, closing_days, late)
    if key not in memo:
        values = _compute(schema, calculations, answers_by_name, today, closing_days, late)
        memo[key] = (schema, values)
    return dict(memo[key][1])


def _typed(value: Any) -> str:
    """A value JSON cannot hold, with its type: Decimal("1") is not the text "1"."""
    return f"{type(value).__name__}:{value}"


def _compute(schema, calculations, answers_by_name, today, closing_days, late) -> dict:
    if today is None:
        today = timezone.localdate()
    if closing_days is None:
        counts_working_days = any("working_days" in item["formula"] for item in calculations)
        closing_days = workdays.closing_days() if counts_working_days else frozenset()
    names = {**formula_names(schema, answers_by_name), LATE: bool(late)}
    values: dict[str, Any] = {item["name"]: None for item in calculations}
    for item in dependency_order(schema):
        try:
            values[item["name"]] = logic.evaluate(
                item["formula"], {**names, **values}, today=today, closing_days=closing_days
            )
        except logic.EvaluationError:
            values[item["name"]] = None
    return values


def formula_values(schema: dict, answers_by_name: Mapping[str, Any]) -> dict[str, Any]:
    """The answers and every calculation on them, as formulas see them (Decimal, date)."""
    return {**formula_names(schema, answers_by_name), **compute(schema, answers_by_name)}


def with_calculations(schema: dict, answers_by_name: dict) -> dict:
    """``answers_by_name`` plus every calculation's value (JSON-like, for conditions)."""
    if not calculations_of(schema):
        return answers_by_name
    computed = compute(schema, answers_by_name)
    return {**answers_by_name, **{name: logic.to_json(value) for name, value in computed.items()}}


def fee_of(schema: dict, values: Mapping[str, Any]) -> Decimal | None:
    """The amount the application costs (the calculation marked as the fee), rounded to
    cents; None when the form has no fee or it cannot be computed."""
    for item in calculations_of(schema):
        if item.get("is_fee"):
            value = values.get(item["name"])
            if isinstance(value, Decimal):
                return value.quantize(Decimal("0.01"))
            if isinstance(value, str):
                try:
                    return Decimal(value).quantize(Decimal("0.01"))
                except ArithmeticError:
                    return None
            return None
    return None


def as_json(schema: dict, values: Mapping[str, Any]) -> dict[str, Any]:
    """Computed values as JSON to store (amounts as decimal strings, the fee in cents)."""
    fees = {item["name"] for item in calculations_of(schema) if item.get("is_fee")}
    stored = {}
    for name, value in values.items():
        if name in fees and isinstance(value, Decimal):
            value = value.quantize(Decimal("0.01"))
        stored[name] = logic.to_json(value)
    return stored


# --- showing -----------------------------------------------------------------------------


def breakdown_text(template: str, schema: dict, values: Mapping[str, Any], answers: Mapping) -> str:
    """``template`` with every ``{name}`` replaced by that answer or calculation, shown
    as people read it (the fee as "€ 50,40"). Unknown names stay as written."""
    fees = {item["name"] for item in calculations_of(schema) if item.get("is_fee")}
    names = formula_names(schema, answers)

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name in values:
            value = values[name]
            if name in fees and isinstance(value, Decimal):
                value = value.quantize(Decimal("0.01"))
            return logic.display(value, money=name in fees)
        if name in names:
            return logic.display(names[name])
        return match.group(0)

    return PLACEHOLDER.sub(replace, template)


def display_calculations(schema: dict, values: Mapping[str, Any], answers: Mapping) -> list[dict]:
    """The rows the check page shows: every calculation marked ``show`` and the fee, with
    the fee's breakdown; calculations without a value are left out."""
    rows = []
    for item in calculations_of(schema):
        value = values.get(item["name"])
        if value is None or not (item.get("show") or item.get("is_fee")):
            continue
        if item.get("is_fee") and isinstance(value, Decimal):
            value = value.quantize(Decimal("0.01"))
        text = logic.display(value, money=bool(item.get("is_fee")))
        if item.get("breakdown"):
            text += "\n" + breakdown_text(item["breakdown"], schema, values, answers)
        rows.append(
            marked_dutch({"name": item["name"], "label": item["label"], "value": text}, item)
        )
    return rows


def marked_dutch(row: dict, item: dict) -> dict:
    """``row`` with its Dutch texts marked for a visitor who reads English: the editor's
    label (calculations have no English version) and a breakdown the editor wrote."""
    if wants_english():
        row["label_lang"] = settings.LANGUAGE_CODE
        if item.get("breakdown"):
            row["value_lang"] = settings.LANGUAGE_CODE
    return row


def applicant_rows(schema: dict, stored: Mapping[str, Any], answers: Mapping) -> list[dict]:
    """The calculations stored on a dossier that the applicant sees (those marked
    ``show`` and the fee, with its breakdown), as the check page showed them; for the
    receipt and the status page. ``answers`` are the answers by machine name, for the
    breakdown."""
    values: dict[str, Any] = {}
    for name, value in stored.items():
        try:
            values[name] = Decimal(value) if isinstance(value, str) else value
        except ArithmeticError:
            values[name] = value
    rows = []
    for row in stored_rows(schema, stored):
        item = next(each for each in calculations_of(schema) if each["name"] == row["name"])
        if not (item.get("show") or item.get("is_fee")):
            continue
        if item.get("breakdown"):
            row["value"] += "\n" + breakdown_text(item["breakdown"], schema, values, answers)
        rows.append(marked_dutch(row, item))
    return rows


def stored_rows(schema: dict, stored: Mapping[str, Any]) -> list[dict]:
    """The calculations stored on a dossier (JSON values), labelled, for officers."""
    rows = []
    for item in calculations_of(schema):
        if item["name"] in stored and stored[item["name"]] not in (None, ""):
            value = stored[item["name"]]
            try:
                shown = logic.display(Decimal(value), money=bool(item.get("is_fee")))
            except (ArithmeticError, TypeError, ValueError):
                shown = logic.display(value)
            rows.append({"name": item["name"], "label": item["label"], "value": shown})
    return rows
