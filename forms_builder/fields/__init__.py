"""Field types. Importing this package registers every type module listed here."""

from . import choice, date, number, text  # noqa: F401
from .base import FieldType
from .registry import all_field_types, get_field_type, register

__all__ = ["FieldType", "all_field_types", "get_field_type", "register"]
