"""Address registers: where an address question "only in this municipality" finds the
municipality's streets and house numbers.

The form builder does not know where addresses come from; an app registers an
:class:`AddressRegister` (``dossiers.places.register`` registers the imported Flemish
address register). The address field (:mod:`forms_builder.fields.local_address`) asks
:func:`current_register` for the streets that match what the applicant typed, checks the
house number, and fills in the postcode and municipality; the suggestions endpoint
(:func:`forms_builder.views.street_suggestions`) asks the same register.

With no register, or an empty one (nothing imported yet), the question works as an
ordinary address question: refusing every address would be worse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from core.registry import Registry

#: How many streets a search returns at most.
SEARCH_LIMIT = 10


def comparable(text: str) -> str:
    """``text`` without case, accents or punctuation, spaces collapsed: "Sint-Jansplein"
    and "sint jansplein" compare equal."""
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.casefold()).split())


@dataclass(frozen=True)
class RegisteredStreet:
    """A street of the register."""

    street_id: str
    name: str
    nis_code: str
    municipality: str


@dataclass(frozen=True)
class RegisteredAddress:
    """An address of the register, in the shape an answer stores it."""

    address_id: str
    street: RegisteredStreet
    number: str
    box: str
    postcode: str


@dataclass(frozen=True)
class LocatedAddress:
    """An address with its place (WGS84), for the address search of the map."""

    label: str
    latitude: float
    longitude: float


def split_house_number(query: str) -> tuple[str, str]:
    """ "Kerkstraat 12b" → ("Kerkstraat", "12b"); without a number, (query, "")."""
    found = re.match(r"^\s*(.*?)[\s,]+(\d+[a-zA-Z]?)\s*$", query or "")
    return (found.group(1), found.group(2)) if found else ((query or "").strip(), "")


class AddressRegister:
    """One place streets and addresses come from."""

    #: Identifier of the register.
    register_id: ClassVar[str] = ""

    def municipality(self, nis_code: str = "") -> tuple[str, str] | None:
        """(NIS code, name) of the municipality ``nis_code``, or of the register's own
        municipality when ``nis_code`` is empty; None when the register has none."""
        raise NotImplementedError

    def search_streets(self, query: str, nis_code: str, limit: int) -> list[RegisteredStreet]:
        """Streets in use of municipality ``nis_code`` whose name contains ``query``
        (compared with :func:`comparable`), names starting with it first."""
        raise NotImplementedError

    def street_named(self, name: str, nis_code: str) -> RegisteredStreet | None:
        """The street in use of ``nis_code`` with exactly this name (as :func:`comparable`
        sees it), or None."""
        raise NotImplementedError

    def find_address(
        self, street: RegisteredStreet, number: str, box: str
    ) -> RegisteredAddress | None:
        """The address in use with this house number and box number in ``street``."""
        raise NotImplementedError

    def postcode_near(self, street: RegisteredStreet, number: str) -> str:
        """The postcode of the street's address whose number is closest to ``number``
        (a street can cross a postcode border); "" when the street has no address."""
        raise NotImplementedError

    def locate(self, query: str, limit: int) -> list[LocatedAddress]:
        """Addresses in use whose street contains the street part of ``query`` (and
        whose house number starts with its number, when it has one), with their place:
        what the map's address search shows. A register without places finds none."""
        return []


#: Every address register; the first one is used.
registers: Registry[AddressRegister] = Registry("address register", id_attribute="register_id")

#: Class decorator that registers a register (refuses a ``register_id`` that is taken).
register = registers.register


def current_register() -> AddressRegister | None:
    """The address register in use, or None when no app registered one."""
    found = registers.all()
    return found[0] if found else None


def municipality_of(field: dict) -> tuple[AddressRegister, str, str] | None:
    """For an address question limited to one municipality: (register, NIS code, name).

    None when the question is not limited, or when there is no register or it knows no
    such municipality (nothing imported yet): the question then takes any address.
    """
    options = field.get("options") or {}
    if not options.get("local_only"):
        return None
    address_register = current_register()
    if address_register is None:
        return None
    nis_code = str(options.get("municipality_nis") or "").strip()
    # Not a NIS code (5 digits): the register's own municipality.
    found = address_register.municipality(nis_code if re.fullmatch(r"\d{5}", nis_code) else "")
    if found is None:
        return None
    return address_register, found[0], found[1]
