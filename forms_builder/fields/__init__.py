"""Field types. Importing this package registers every type module listed here.

Editors see the types in registration order when they add a field, so the modules are
imported in the order that reads best in that list: everyday questions first.
"""

# isort: off
from . import (  # noqa: F401
    text,
    number,
    money,
    date,
    datetime_types,
    time_range,
    choice,
    choices_multi,
    contact,
    belgian,
    identity,
    location,
    report_category,
    upload,
    content,
    repeatable,
)

# isort: on
from .base import FieldType
from .registry import all_field_types, get_field_type, register

__all__ = ["FieldType", "all_field_types", "get_field_type", "register"]
