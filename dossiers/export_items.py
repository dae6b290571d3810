"""The extra sheets of an XLSX export: one per repeatable part of the form, a row per
item (reference, item number, an answer per question of the item)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dossiers.models import Dossier
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields

#: Dossiers read from the database at a time.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Sheet:
    """An extra sheet of a workbook: its title, header and rows."""

    title: str
    header: list[str]
    rows: Iterable[list[str]]


def item_sheets(queryset: QuerySet[Dossier]) -> list[Sheet]:
    """One sheet per repeatable part of the newest form version in ``queryset``: a row
    per item (reference, item number, an answer per question)."""
    snapshot_model = Dossier._meta.get_field("snapshot").related_model
    snapshot_ids = queryset.order_by().values("snapshot_id").distinct()
    newest = (
        snapshot_model.objects.filter(pk__in=snapshot_ids).order_by("-created_at", "-pk").first()
    )
    if newest is None:
        return []
    sheets = []
    titles: set[str] = set()
    for step, field in input_fields(newest.schema):
        if not getattr(get_field_type(field["type"]), "repeats", False):
            continue
        children = [
            child
            for child in (field.get("options") or {}).get("fields") or []
            if isinstance(child, dict) and child.get("name")
        ]
        title = _sheet_title(field.get("label") or field["name"], titles)
        header = [str(_("Reference")), str(_("Number"))] + [
            child.get("label") or child["name"] for child in children
        ]
        sheets.append(
            Sheet(title, header, _item_rows(queryset, step["id"], field["name"], children))
        )
    return sheets


def _sheet_title(label: str, taken: set[str]) -> str:
    """A worksheet name: at most 31 characters, no [ ] : * ? / or backslash, unique."""
    title = "".join(" " if char in "[]:*?/\\" else char for char in label).strip()[:28] or "Items"
    candidate, number = title, 2
    while candidate.casefold() in taken or candidate.casefold() == "dossiers":
        candidate, number = f"{title} {number}", number + 1
    taken.add(candidate.casefold())
    return candidate


def _item_rows(queryset, step_id: str, name: str, children: list[dict]) -> Iterator[list[str]]:
    only = queryset.select_related(None).only("reference", "answers")
    for dossier in only.iterator(chunk_size=CHUNK_SIZE):
        step_answers = dossier.answers.get(step_id) if isinstance(dossier.answers, dict) else None
        items = step_answers.get(name) if isinstance(step_answers, dict) else None
        for number, item in enumerate(items if isinstance(items, list) else [], start=1):
            if not isinstance(item, dict):
                continue
            yield [dossier.reference, str(number)] + [
                get_field_type(child["type"]).export(item.get(child["name"]), child)
                if item.get(child["name"]) is not None
                else ""
                for child in children
            ]
