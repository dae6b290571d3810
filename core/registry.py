"""One registry for every pluggable kind of thing in Loket.

Field types, notification kinds, export formats, prefill sources, sign-in methods and
submit handlers are each "one class per kind, registered by a decorator". They all use
:class:`Registry`, so they behave alike:

- registering a second thing under an id that is taken raises :class:`AlreadyRegistered`
  (two modules claiming one id is a programming error, found at start-up);
- an id without a value raises ``ValueError``;
- :meth:`Registry.get` raises :class:`NotRegistered` (a ``KeyError``) for an unknown id;
  :meth:`Registry.find` returns ``None`` instead, for callers that handle "unknown"
  themselves (an old id stored in the database, a tampered URL);
- :meth:`Registry.all` lists the registered things in registration order.

A registry holds one *instance* per registered class (``register`` is a class decorator
and instantiates the class), or any object via :meth:`Registry.add`::

    field_types: Registry[FieldType] = Registry("field type", id_attribute="type_id")

    @field_types.register
    class TextField(FieldType):
        type_id = "text"
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class AlreadyRegistered(ValueError):
    """Something is already registered under this id."""


class NotRegistered(KeyError):
    """Nothing is registered under this id."""


class Registry(Generic[T]):
    """Things of one kind, by id, in registration order."""

    def __init__(self, name: str, *, id_attribute: str = "id") -> None:
        #: What is registered, for error messages ("field type", "notification kind").
        self.name = name
        #: The class attribute that holds a registered class's id.
        self.id_attribute = id_attribute
        self._items: dict[str, T] = {}

    def add(self, item_id: str, item: T) -> T:
        """Register ``item`` under ``item_id``; refuses an empty or a taken id."""
        if not item_id:
            raise ValueError(f"A {self.name} needs a non-empty {self.id_attribute}")
        if item_id in self._items:
            raise AlreadyRegistered(f"{self.name} {item_id!r} is registered twice")
        self._items[item_id] = item
        return item

    def register(self, cls: type) -> type:
        """Class decorator: register one instance of ``cls`` under its id attribute."""
        self.add(getattr(cls, self.id_attribute, ""), cls())
        return cls

    def get(self, item_id: str) -> T:
        """The thing registered under ``item_id``; :class:`NotRegistered` if none."""
        try:
            return self._items[item_id]
        except KeyError:
            raise NotRegistered(f"no {self.name} {item_id!r}") from None

    def find(self, item_id: str | None) -> T | None:
        """The thing registered under ``item_id``, or ``None``."""
        return self._items.get(item_id) if item_id else None

    def all(self) -> list[T]:
        """Everything registered, in registration order."""
        return list(self._items.values())

    def ids(self) -> list[str]:
        return list(self._items)

    def unregister(self, item_id: str) -> None:
        """Remove an entry (tests that register a thing of their own clean up with it)."""
        self._items.pop(item_id, None)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Registry of {len(self)} {self.name}(s)>"
