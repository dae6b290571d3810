"""Filling in a repeatable part ("Add another") without JavaScript.
This module is longer than 400 lines because the step form's item groups, the add and
remove buttons and where a rule's message goes are one mechanism.

A repeatable part (:class:`forms_builder.fields.repeatable.RepeatableField`) is one
field of a step. In the step form (:class:`forms_builder.forms.StepForm`) it is an
:class:`ItemGroup`: a hidden input holding the number of items (posted as
``<step>-<name>``) and one small :class:`ItemForm` per item, whose inputs are posted as
``<step>-<name>-<n>-<question>`` (n from 0).

Adding and removing are plain submit buttons (``<step>-<name>-add``,
``<step>-<name>-remove`` with the item's index). The wizard sees them before anything is
validated (:func:`posted_action`), rewrites the posted step with :func:`apply_action`
(removing an item moves the later items up), keeps it in the draft and shows the step
again at the new or next item; nothing typed is lost and no error is shown for an item
just added.

Rules over a repeatable part (``all(dagen.uren <= 12)``, ``no_overlap(...)``) put their
message next to a question of the first item at which they break
(:func:`breaking_item`). :func:`validate_groups` and :func:`reference_errors` check what
editors built when the form is saved.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.translation import wants_english

from . import logic
from .fields import get_field_type
from .fields.repeatable import (  # noqa: F401  (item_fields: used by rules)
    item_fields,
    item_name,
    item_title,
    max_items,
    min_items,
)
from .translation import language_marks

#: The posted suffix of the "add an item" and "remove this item" buttons.
ADD = "add"
REMOVE = "remove"


def is_repeatable(field: dict) -> bool:
    """Whether a field definition is a repeatable part."""
    return bool(getattr(get_field_type(field["type"]), "repeats", False))


def groups_of(step: dict) -> list[dict]:
    """The repeatable parts of a step."""
    return [
        field
        for field in step.get("fields") or []
        if isinstance(field, dict) and field.get("name") and is_repeatable(field)
    ]


# --- the step form's side ---------------------------------------------------------------


class ItemForm(forms.Form):
    """The questions of one item, built from the item's field definitions."""

    def __init__(self, *args, children: list[dict], earlier_values=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {child["name"]: child for child in children}
        for child in children:
            form_field = get_field_type(child["type"]).get_form_field(child, earlier_values)
            # "nl" on the texts an English step shows in Dutch (forms_builder.translation).
            form_field.loket_lang = language_marks(child)
            self.fields[child["name"]] = form_field

    def answers(self) -> dict:
        return {
            name: get_field_type(child["type"]).to_json(self.cleaned_data.get(name), child)
            for name, child in self.children.items()
        }


class ItemGroup:
    """The items of one repeatable part on a step, as the applicant fills them in."""

    def __init__(self, form: forms.Form, field: dict, earlier_values=None):
        self.field = field
        self.name = field["name"]
        self.prefix = form.add_prefix(self.name)
        self.label = field.get("label") or self.name
        self.help_text = field.get("help_text") or ""
        #: "nl" on the part's title and help text when an English step shows them in
        #: Dutch (forms_builder.translation).
        self.lang = language_marks(field)
        #: "nl" on the items' headings ("Dag 1") for an English visitor: the editor's
        #: name of one item has no English version.
        self.item_lang = (
            settings.LANGUAGE_CODE
            if wants_english() and ((field.get("options") or {}).get("item_name") or "").strip()
            else ""
        )
        self.min_items = min_items(field)
        self.max_items = max(max_items(field), self.min_items)
        self.errors: list[str] = []
        children = item_fields(field)
        initial_items = form.initial.get(self.name) if isinstance(form.initial, dict) else None
        if form.is_bound:
            count = posted_count(form.data, self.prefix)
            initial_items = []
        else:
            initial_items = [item for item in initial_items or [] if isinstance(item, dict)]
            count = len(initial_items) or max(self.min_items, 1)
        #: What was posted, so a number above the maximum is refused, not dropped.
        self.posted = count
        count = max(0, min(count, self.max_items))
        self.forms = [
            ItemForm(
                form.data if form.is_bound else None,
                prefix=f"{self.prefix}-{index}",
                initial=_initial(children, initial_items[index])
                if index < len(initial_items)
                else None,
                children=children,
                earlier_values=earlier_values,
            )
            for index in range(count)
        ]
        self.count = count

    # rendering

    @property
    def id(self) -> str:
        """The part's fieldset id (the hidden count input has ``id_<prefix>``)."""
        return anchor(self.prefix)

    def items(self) -> list[dict]:
        """What the template shows per item: its form, heading and anchor."""
        return [
            {
                "form": item_form,
                "index": index,
                "number": index + 1,
                "title": item_title(self.field, index + 1),
                "id": anchor(self.prefix, index),
            }
            for index, item_form in enumerate(self.forms)
        ]

    @property
    def can_add(self) -> bool:
        return self.count < self.max_items

    @property
    def can_remove(self) -> bool:
        return self.count > self.min_items

    @property
    def add_label(self) -> str:
        name = item_name(self.field)
        if self.item_lang:
            # "Add another <span lang="nl">dag</span>": the editor's Dutch name inside
            # the English button text.
            name = format_html('<span lang="{}">{}</span>', self.item_lang, name)
            return mark_safe(conditional_escape(gettext("Add another %(item)s")) % {"item": name})
        return gettext("Add another %(item)s") % {"item": name}

    def error_links(self) -> list[dict]:
        """The error summary's entries: the part's own messages, then each item's."""
        links = [{"id": self.id, "text": f"{self.label}: {error}"} for error in self.errors]
        for item in self.items():
            for bound in item["form"]:
                for error in bound.errors:
                    links.append(
                        {
                            "id": bound.id_for_label or bound.auto_id,
                            "text": f"{item['title']}, {bound.label}: {error}",
                        }
                    )
        return links

    # validating

    def clean(self) -> list[dict] | None:
        """The items' answers, or None when an item or the number of items is wrong."""
        valid = all(item_form.is_valid() for item_form in self.forms)
        if self.count < self.min_items:
            self.errors.append(
                gettext("Add at least %(min)s of “%(item)s”.")
                % {"min": self.min_items, "item": item_name(self.field)}
            )
        if self.posted > self.max_items:
            self.errors.append(
                gettext("You can add at most %(max)s of “%(item)s”.")
                % {"max": self.max_items, "item": item_name(self.field)}
            )
        if not valid or self.errors:
            return None
        return [item_form.answers() for item_form in self.forms]

    def has_errors(self) -> bool:
        return bool(self.errors) or any(item_form.errors for item_form in self.forms)

    def quiet(self) -> None:
        """Show the typed values without any error (just after adding or removing)."""
        self.errors = []
        for item_form in self.forms:
            item_form._errors = ErrorDict()
            item_form.cleaned_data = {}


def anchor(prefix: str, index: int | None = None) -> str:
    """The id of a repeatable part's fieldset, or of the heading of its item ``index``."""
    return f"id_{prefix}-items" + ("" if index is None else f"-{index}")


def _initial(children: list[dict], item: dict) -> dict:
    return {
        child["name"]: get_field_type(child["type"]).from_json(item.get(child["name"]), child)
        for child in children
        if child["name"] in item
    }


def posted_count(data: Mapping, prefix: str) -> int:
    """The number of items posted for the part at ``prefix``; when the hidden count is
    missing or not a number, the items whose inputs were posted."""
    raw = data.get(prefix)
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    try:
        return max(0, int(str(raw).strip()))
    except (TypeError, ValueError):
        pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-")
        indexes = [int(match[1]) for key in data.keys() if (match := pattern.match(key))]
        return max(indexes, default=-1) + 1


# --- adding and removing (the wizard's side) --------------------------------------------


def posted_action(data: Mapping, step_prefix: str, step: dict) -> tuple[dict, str, int] | None:
    """The add or remove button pressed on this step: (part, ADD or REMOVE, index), or
    None when the applicant sent the step as a whole."""
    for field in groups_of(step):
        prefix = f"{step_prefix}-{field['name']}"
        if f"{prefix}-{ADD}" in data:
            return field, ADD, posted_count(data, prefix)
        if f"{prefix}-{REMOVE}" in data:
            raw = data.get(f"{prefix}-{REMOVE}")
            try:
                return field, REMOVE, int(raw)
            except (TypeError, ValueError):
                return None
    return None


def apply_action(
    data: dict[str, list[str]], step_prefix: str, field: dict, action: str, index: int
) -> tuple[dict[str, list[str]], int]:
    """The step's posted values (key → list of values) after the action, without the
    buttons; and the index of the item to show (the new one, or the one after the
    removed one). Never more than the maximum or fewer than the minimum of items."""
    prefix = f"{step_prefix}-{field['name']}"
    buttons = {f"{prefix}-{ADD}", f"{prefix}-{REMOVE}"}
    data = {key: values for key, values in data.items() if key not in buttons}
    count = posted_count(data, prefix)
    largest = max(max_items(field), min_items(field))
    if action == ADD:
        count = min(count + 1, largest)
        data[prefix] = [str(count)]
        return data, count - 1
    if not (0 <= index < count) or count <= min_items(field):
        return data, max(0, min(index, count - 1))
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-(.+)$")
    moved: dict[str, list[str]] = {}
    for key, values in data.items():
        match = pattern.match(key)
        if not match:
            moved[key] = values
            continue
        position = int(match[1])
        if position == index:
            continue
        if position > index:
            position -= 1
        moved[f"{prefix}-{position}-{match[2]}"] = values
    moved[prefix] = [str(count - 1)]
    return moved, max(0, min(index, count - 2))


# --- rules on an item --------------------------------------------------------------------


def breaking_item(
    rule: dict, values: Mapping[str, Any], group: str, *, today, closing_days=frozenset()
) -> int | None:
    """The index of the first item of ``group`` at which ``rule`` breaks: the rule is
    checked on the first item, the first two, ... and the item that makes it fail is
    the one to point at (the second of two overlapping periods, the day that goes over
    a total). None when it holds on every prefix or cannot be computed."""
    items = values.get(group)
    if not isinstance(items, logic.Items):
        return None
    for length in range(1, len(items) + 1):
        try:
            holds = logic.evaluate(
                rule["formula"],
                {**values, group: logic.Items(items[:length])},
                today=today,
                closing_days=closing_days,
            )
        except logic.EvaluationError:
            continue
        if not (holds.strip() if isinstance(holds, str) else holds):
            return length - 1
    return None


def split_target(target: str) -> tuple[str, str]:
    """A rule's "show the message next to" as (part, question); ("", target) for a
    question that is not in a repeatable part."""
    group, dot, question = target.partition(".")
    return (group, question) if dot else ("", target)


# --- checking what editors built ---------------------------------------------------------


def groups_in(schema: dict) -> dict[str, tuple[dict, dict]]:
    """Every repeatable part of the schema by name: (step, field)."""
    return {
        field["name"]: (step, field)
        for step in schema.get("steps") or []
        for field in groups_of(step)
    }


def reference_errors(schema: dict, formula: str, where: str) -> list[str]:
    """Messages for every ``part.question`` in ``formula`` that the form does not have,
    naming the step and the part."""
    try:
        used = logic.item_names_in(formula)
    except logic.EvaluationError:
        return []  # the formula's own check names the syntax error
    groups = groups_in(schema)
    errors = []
    for group, question in sorted(used):
        if group not in groups:
            errors.append(
                gettext(
                    "%(where)s: the formula uses “%(group)s.%(question)s”, but the form has no "
                    "repeatable part with the machine name “%(group)s”."
                )
                % {"where": where, "group": group, "question": question}
            )
            continue
        step, field = groups[group]
        if question not in {child["name"] for child in item_fields(field)}:
            errors.append(
                gettext(
                    "%(where)s: the formula uses “%(group)s.%(question)s”, but the repeatable "
                    "part “%(label)s” (step “%(step)s”) has no question “%(question)s”."
                )
                % {
                    "where": where,
                    "group": group,
                    "question": question,
                    "label": field.get("label") or group,
                    "step": step.get("title", ""),
                }
            )
    return errors


def validate_groups(schema: dict) -> list[str]:
    """Messages for every repeatable part that cannot work: no questions, two questions
    with one machine name, or a minimum above the maximum."""
    errors = []
    for step in schema.get("steps") or []:
        for field in groups_of(step):
            where = gettext("Step “%(step)s”, repeatable part “%(label)s”") % {
                "step": step.get("title", ""),
                "label": field.get("label") or field["name"],
            }
            children = item_fields(field)
            if not children:
                errors.append(gettext("%(where)s: add at least one question.") % {"where": where})
            seen: set[str] = set()
            for child in children:
                if child["name"] in seen:
                    errors.append(
                        gettext("%(where)s: two questions have the machine name “%(name)s”.")
                        % {"where": where, "name": child["name"]}
                    )
                seen.add(child["name"])
            options = field.get("options") or {}
            low, high = options.get("min_items"), options.get("max_items")
            if isinstance(low, int) and isinstance(high, int) and low > high:
                errors.append(
                    gettext("%(where)s: the minimum (%(low)s) is more than the maximum (%(high)s).")
                    % {"where": where, "low": low, "high": high}
                )
    return errors
