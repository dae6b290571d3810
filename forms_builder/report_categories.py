"""Report categories: where the question "category of the report" finds its options.

The form builder does not know where categories come from; the app that handles reports
registers a :class:`CategorySource` (``dossiers.reports.categories``). The field type
(:mod:`forms_builder.fields.report_category`) offers the source's categories, grouped by
main category, and stores the chosen one as ``{"id": "12", "label": "Main › Sub"}`` so
the answer reads the same after the category is renamed.
"""

from __future__ import annotations

from typing import ClassVar

from core.registry import Registry


class CategorySource:
    """One place report categories come from."""

    #: Identifier of the source.
    source_id: ClassVar[str] = ""

    def grouped_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """``[(main category, [(id, label), ...]), ...]``: the categories that can be
        chosen; a main category without subcategories is its own only choice."""
        raise NotImplementedError

    def label(self, category_id: str) -> str:
        """The full name of the category ``category_id`` ("Main › Sub"); empty when
        there is none."""
        raise NotImplementedError


sources: Registry[CategorySource] = Registry("report category source", id_attribute="source_id")

#: Class decorator that registers a source.
register = sources.register


def current_source() -> CategorySource | None:
    """The registered source (the first), or None when no app offers categories."""
    found = sources.all()
    return found[0] if found else None
