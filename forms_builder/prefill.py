"""Prefill: initial values for fields, from pluggable sources.

A source is a class registered with ``@register``; for a field it returns a value or
:data:`NO_VALUE`. The wizard asks every source, in registration order, for the fields
of a step that has no answers yet. Prefilled values are shown, editable, and validated
like typed values. The applicant account (later) adds a source that offers the company
details of the applicant's last dossier.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.utils import timezone

from core.registry import Registry

from .fields.registry import field_types

NO_VALUE = object()


class PrefillSource:
    """One place prefill values come from."""

    #: Identifier of the source.
    source_id: ClassVar[str] = ""

    def get_value(self, request, field: dict) -> Any:
        """The value for ``field`` (a schema field definition), or NO_VALUE."""
        raise NotImplementedError

    def default_choices(self) -> list[tuple[str, str]]:
        """The details an editor can choose as a question's default answer from this
        source, as (key, what editors see); none by default."""
        return []

    def default_value(self, request, field: dict, key: str) -> Any:
        """The detail ``key`` (one of :meth:`default_choices`) for ``field``, or
        NO_VALUE."""
        return NO_VALUE


#: Every prefill source, by ``source_id``, in registration order (the order they are
#: asked in).
sources: Registry[PrefillSource] = Registry("prefill source", id_attribute="source_id")

#: Class decorator that registers a source (refuses a ``source_id`` that is taken).
register = sources.register


#: The longest value a prefill link can put into a field.
MAX_VALUE_LENGTH = 1000
#: The most values a link can tick in a field that holds several (checkboxes).
MAX_VALUES = 50
#: Control characters (C0 except tab, line feed and carriage return; DEL; C1): nothing
#: an applicant types, and a NUL cannot be stored by PostgreSQL.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_value(value: str) -> str:
    """A value from a link as a field may show it: no control characters, capped."""
    return _CONTROL_CHARACTERS.sub("", value)[:MAX_VALUE_LENGTH]


@register
class QueryStringSource(PrefillSource):
    """``?<machine name>=value`` on the form's address, for fields the editor marked
    as prefillable.

    A repeated parameter (``?x=a&x=b``) gives its first value, except to a field type
    whose answer holds several values (``FieldType.many_values``, checkboxes): that gets
    the list, at most :data:`MAX_VALUES` long. Every value is cleaned by
    :func:`clean_value`.
    """

    source_id = "query_string"

    def get_value(self, request, field):
        if not field.get("prefill") or field["name"] not in request.GET:
            return NO_VALUE
        values = request.GET.getlist(field["name"])
        field_type = field_types.find(field.get("type"))
        if field_type is not None and field_type.many_values:
            return [clean_value(value) for value in values[:MAX_VALUES]]
        return clean_value(values[0])


#: Separates a source's id from the detail in a default answer's kind ("source:key").
SOURCE_SEPARATOR = ":"


def source_default_choices() -> list[tuple[str, str]]:
    """Every detail a registered source offers as a default answer, keyed
    ``<source id>:<key>`` (what a question's ``default_kind`` holds)."""
    return [
        (f"{source.source_id}{SOURCE_SEPARATOR}{key}", label)
        for source in sources.all()
        for key, label in source.default_choices()
    ]


def source_default(request, field: dict) -> Any:
    """The default answer a question takes from a prefill source, or NO_VALUE."""
    kind = str((field.get("options") or {}).get("default_kind") or "")
    source_id, separator, key = kind.partition(SOURCE_SEPARATOR)
    source = sources.find(source_id) if separator else None
    return NO_VALUE if source is None else source.default_value(request, field, key)


def initial_for_step(request, step: dict) -> dict[str, Any]:
    """Initial values for the fields of ``step`` from every registered source, else
    the editor's default answer: a detail of the source the editor chose
    (:func:`source_default`), or today or a fixed answer
    (:meth:`FieldType.default_initial`)."""
    initial: dict[str, Any] = {}
    today = timezone.localdate()
    for field in step["fields"]:
        if "name" not in field:
            continue
        for source in sources.all():
            value = source.get_value(request, field)
            if value is not NO_VALUE:
                initial[field["name"]] = value
                break
        else:
            value = source_default(request, field)
            if value is not NO_VALUE:
                initial[field["name"]] = value
                continue
            field_type = field_types.find(field.get("type"))
            default = field_type.default_initial(field, today) if field_type else None
            if default is not None:
                initial[field["name"]] = default
    return initial
