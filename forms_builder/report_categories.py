"""Report categories: where the question "category of the report" finds its options.

The form builder does not know where categories come from; the app that handles reports
registers a :class:`CategorySource` (``dossiers.reports.categories``). The field type
(:mod:`forms_builder.fields.report_category`) offers the source's categories, grouped by
main category, and stores the chosen one as ``{"id": "12", "label": "Main › Sub"}`` so
the answer reads the same after the category is renamed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ClassVar

from core.registry import Registry

#: The id of the Site (municipality) whose form is being filled in; None outside a form.
_serving_site: ContextVar[int | None] = ContextVar("loket_report_category_site", default=None)


@contextmanager
def serving_site(site_id: int | None) -> Iterator[None]:
    """While a form of the Site ``site_id`` is served: the sources offer that
    municipality's categories and the shared ones (not another municipality's)."""
    token = _serving_site.set(site_id)
    try:
        yield
    finally:
        _serving_site.reset(token)


def current_site_id() -> int | None:
    """The Site whose form is being served (:func:`serving_site`), or None."""
    return _serving_site.get()


class CategorySource:
    """One place report categories come from."""

    #: Identifier of the source.
    source_id: ClassVar[str] = ""

    def grouped_choices(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """``[(main category, [(id, label), ...]), ...]``: the categories that can be
        chosen (in the municipality of :func:`current_site_id`); a main category
        without subcategories is its own only choice."""
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
