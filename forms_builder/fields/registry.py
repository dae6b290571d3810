"""The field-type registry: every kind of form field is one registered class.

Adding a field type means adding one module in this package that defines a
:class:`~forms_builder.fields.base.FieldType` subclass decorated with ``@register``.
Nothing else in the code base may branch on a field's type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.registry import Registry

if TYPE_CHECKING:
    from .base import FieldType

#: Every field type, by ``type_id``, in registration order (the order editors see).
field_types: Registry[FieldType] = Registry("field type", id_attribute="type_id")

#: Class decorator: register one instance of the class under its ``type_id`` (refuses
#: an empty or a taken ``type_id``).
register = field_types.register


def get_field_type(type_id: str) -> FieldType:
    """The registered field type with this id; ``NotRegistered`` (a ``KeyError``) if
    unknown."""
    return field_types.get(type_id)


def all_field_types() -> list[FieldType]:
    """Every registered field type, in registration order (the order editors see)."""
    return field_types.all()
