"""What changed between two versions of a template, and merging them with local changes.

The unit is an :class:`~cms.library.kinds.Item` (a setting, a step, a question, a
calculation, a rule, an outcome, a text): :func:`compare` lists the items a newer
version added, removed or changed, each with readable lines ("Help text: old → new");
:func:`three_way` sets the library's changes against the municipality's own changes to
its copy, item by item:

========================  ===================================  =====================
library changed it        municipality changed it              result
========================  ===================================  =====================
no                        no or yes                            the municipality's
yes                       no                                   the library's
yes                       yes, to the same                     the same
yes                       yes, otherwise                       a conflict: the editor
                                                               chooses
========================  ===================================  =====================

Whether the library changed an item is read between its two versions' documents; whether
the municipality changed it, between its page right after it took the older version and
its page now, so that neither side's storage details count as a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from html import unescape as unescape_entities
from typing import Any

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .kinds import Item

#: Readable names of the keys inside blocks (the rest are shown as they are).
KEY_NAMES = {
    "title": gettext_lazy("Title"),
    "intro": gettext_lazy("Introduction"),
    "label": gettext_lazy("Question"),
    "help_text": gettext_lazy("Help text"),
    "required": gettext_lazy("Required"),
    "required_message": gettext_lazy("Message when empty"),
    "choices": gettext_lazy("Options"),
    "condition": gettext_lazy("Condition"),
    "formula": gettext_lazy("Formula"),
    "message": gettext_lazy("Message"),
    "text": gettext_lazy("Text"),
    "name": gettext_lazy("Machine name"),
    "question": gettext_lazy("Question"),
    "answer": gettext_lazy("Answer"),
    "show": gettext_lazy("Shown to the applicant"),
    "is_fee": gettext_lazy("Is the fee"),
}


class Outcome(StrEnum):
    SAME = "same"
    LIBRARY = "library"
    LOCAL = "local"
    CONFLICT = "conflict"


@dataclass
class Line:
    """One changed value inside an item."""

    what: str
    before: str
    after: str


@dataclass
class Change:
    """An item a newer version added, removed or changed."""

    key: str
    label: str
    status: str  # "added", "removed" or "changed"
    lines: list[Line] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return {"added": _("added"), "removed": _("removed"), "changed": _("changed")}[self.status]


def readable(value: Any) -> str:
    """A leaf value as editors read it: text without tags, yes/no, a dash for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return ", ".join(readable(v) for v in value)
    return " ".join(unescape_entities(strip_tags(str(value))).split())


def _leaves(value: Any, path: tuple = ()) -> dict[tuple, Any]:
    """The leaf values of a block's JSON by path; block ids and types are left out."""
    if isinstance(value, dict):
        found = {}
        for key, child in value.items():
            if key in ("id", "type") and path and not isinstance(child, dict | list):
                continue
            found.update(_leaves(child, (*path, key)))
        return found
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        found = {}
        for index, child in enumerate(value):
            found.update(_leaves(child, (*path, index)))
        return found
    return {path: value}


def _path_name(path: tuple) -> str:
    names = []
    for part in path:
        if part == "value":
            continue
        if isinstance(part, int):
            names.append(str(part + 1))
        else:
            names.append(str(KEY_NAMES.get(part, part)))
    return " › ".join(names)


def _lines(before: Any, after: Any) -> list[Line]:
    old, new = _leaves(before), _leaves(after)
    lines = []
    for path in list(old) + [path for path in new if path not in old]:
        if old.get(path) != new.get(path):
            lines.append(Line(_path_name(path), readable(old.get(path)), readable(new.get(path))))
    return lines


def compare(old: list[Item], new: list[Item]) -> list[Change]:
    """The items ``new`` added, removed or changed against ``old``, in ``new``'s order
    (removed ones last)."""
    old_by_key = {item.key: item for item in old}
    new_keys = {item.key for item in new}
    changes = []
    for item in new:
        before = old_by_key.get(item.key)
        if before is None:
            changes.append(Change(item.key, item.label, "added", _lines(None, item.value)))
        elif before.value != item.value:
            changes.append(
                Change(item.key, item.label, "changed", _lines(before.value, item.value))
            )
    changes += [Change(item.key, item.label, "removed") for item in old if item.key not in new_keys]
    return changes


@dataclass
class MergeItem:
    """One item set against both sides (see the module docstring's table)."""

    key: str
    label: str
    outcome: Outcome
    local: Item | None
    library: Item | None
    library_lines: list[Line] = field(default_factory=list)
    local_lines: list[Line] = field(default_factory=list)


def three_way(
    base: list[Item], local: list[Item], old_library: list[Item], new_library: list[Item]
) -> list[MergeItem]:
    """Every item of either side with its outcome, in the merged document's order."""
    base_by, local_by = _by_key(base), _by_key(local)
    old_by, new_by = _by_key(old_library), _by_key(new_library)
    merged = []
    for key in _merged_order(local, new_library):
        local_item, library_item = local_by.get(key), new_by.get(key)
        library_changed = _value(old_by.get(key)) != _value(library_item)
        local_changed = _value(base_by.get(key)) != _value(local_item)
        if not library_changed:
            outcome = Outcome.LOCAL if local_changed else Outcome.SAME
        elif not local_changed:
            outcome = Outcome.LIBRARY
        elif _value(local_item) == _value(library_item):
            outcome = Outcome.SAME
        else:
            outcome = Outcome.CONFLICT
        label = (library_item or local_item or old_by.get(key)).label
        merged.append(
            MergeItem(
                key,
                label,
                outcome,
                local_item,
                library_item,
                library_lines=_lines(_value(old_by.get(key)), _value(library_item)),
                local_lines=_lines(_value(base_by.get(key)), _value(local_item)),
            )
        )
    return merged


def resolve(merged: list[MergeItem], choices: dict[str, str]) -> list[Item]:
    """The merged document's items; ``choices`` says per conflict's key "local" or
    "library" (a conflict without a choice raises ``KeyError``).

    A question kept in a step the other side removed brings its step back (as the side
    that kept the question has it), so no question is lost without the editor seeing it.
    """
    chosen: list[Item | None] = []
    for item in merged:
        if item.outcome == Outcome.CONFLICT:
            side = choices[item.key]
            chosen.append(item.local if side == "local" else item.library)
        elif item.outcome == Outcome.LIBRARY:
            chosen.append(item.library)
        else:
            chosen.append(item.local)
    kept = [item for item in chosen if item is not None]
    present = {item.key for item in kept}
    by_key = {m.key: (m.local or m.library) for m in merged}
    result = []
    for item in kept:
        if item.parent and item.parent not in present and by_key.get(item.parent):
            result.append(by_key[item.parent])
            present.add(item.parent)
        result.append(item)
    return result


def _by_key(items: list[Item]) -> dict[str, Item]:
    return {item.key: item for item in items}


def _value(item: Item | None) -> Any:
    return item.value if item is not None else None


def _merged_order(local: list[Item], library: list[Item]) -> list[str]:
    """The library's order, with what only the municipality has after the item it
    follows in the municipality's page."""
    order = [item.key for item in library]
    placed = set(order)
    previous = None
    for item in local:
        if item.key not in placed:
            position = order.index(previous) + 1 if previous is not None else 0
            order.insert(position, item.key)
            placed.add(item.key)
        previous = item.key
    return order
