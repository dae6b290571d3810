"""Prefill: initial values for fields, from pluggable sources.

A source is a class registered with ``@register``; for a field it returns a value or
:data:`NO_VALUE`. The wizard asks every source, in registration order, for the fields
of a step that has no answers yet. Prefilled values are shown, editable, and validated
like typed values. The applicant account (later) adds a source that offers the company
details of the applicant's last dossier.
"""

from __future__ import annotations

from typing import Any, ClassVar

from core.registry import Registry

NO_VALUE = object()


class PrefillSource:
    """One place prefill values come from."""

    #: Identifier of the source.
    source_id: ClassVar[str] = ""

    def get_value(self, request, field: dict) -> Any:
        """The value for ``field`` (a schema field definition), or NO_VALUE."""
        raise NotImplementedError


#: Every prefill source, by ``source_id``, in registration order (the order they are
#: asked in).
sources: Registry[PrefillSource] = Registry("prefill source", id_attribute="source_id")

#: Class decorator that registers a source (refuses a ``source_id`` that is taken).
register = sources.register


@register
class QueryStringSource(PrefillSource):
    """``?<machine name>=value`` on the form's address, for fields the editor marked
    as prefillable. Multiple values (``?x=a&x=b``) give a list."""

    source_id = "query_string"

    def get_value(self, request, field):
        if not field.get("prefill") or field["name"] not in request.GET:
            return NO_VALUE
        values = request.GET.getlist(field["name"])
        return values if len(values) > 1 else values[0][:1000]


def initial_for_step(request, step: dict) -> dict[str, Any]:
    """Initial values for the fields of ``step`` from every registered source."""
    initial: dict[str, Any] = {}
    for field in step["fields"]:
        if "name" not in field:
            continue
        for source in sources.all():
            value = source.get_value(request, field)
            if value is not NO_VALUE:
                initial[field["name"]] = value
                break
    return initial
