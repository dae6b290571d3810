"""The field-type registry: every kind of form field is one registered class.

Adding a field type means adding one module in this package that defines a
:class:`~forms_builder.fields.base.FieldType` subclass decorated with ``@register``.
Nothing else in the code base may branch on a field's type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import FieldType

_registry: dict[str, FieldType] = {}


def register(cls: type[FieldType]) -> type[FieldType]:
    """Class decorator: register one instance of ``cls`` under ``cls.type_id``."""
    if not cls.type_id:
        raise ValueError(f"{cls.__name__} needs a type_id")
    if cls.type_id in _registry:
        raise ValueError(f"Field type {cls.type_id!r} is registered twice")
    _registry[cls.type_id] = cls()
    return cls


def get_field_type(type_id: str) -> FieldType:
    """The registered field type with this id; ``KeyError`` if unknown."""
    return _registry[type_id]


def all_field_types() -> list[FieldType]:
    """Every registered field type, in registration order (the order editors see)."""
    return list(_registry.values())
