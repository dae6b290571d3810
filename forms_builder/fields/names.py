"""The rules of a field's machine name, in one place.

A machine name is the key of an answer: in the wizard's POST (``<step>-<name>``), in
the stored answers, in conditions, exports and prefill links (``?<name>=...``). It is
``[a-z][a-z0-9_]*``, at most 100 characters, and does not end in a suffix the wizard
gives a meaning of its own: an upload field's "keep this file" checkbox is posted as
``<name>-keep`` and every POST key ending in ``-keep`` is dropped from a step's
answers. A hyphen is already outside the allowed characters; ``_keep`` is refused as
well, so a name never reads like one of those keys (a name ``x-keep`` of before these
rules would otherwise become ``x_keep``).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

MAX_LENGTH = 100
#: What a machine name may look like.
PATTERN = re.compile(r"[a-z][a-z0-9_]*")
#: Endings a machine name may not have (see the module docstring).
RESERVED_SUFFIXES = ("-keep", "_keep")
#: The name of a field whose label gives no usable characters.
FALLBACK = "field"


def is_valid(name: str) -> bool:
    """True when ``name`` follows the rules."""
    return (
        len(name) <= MAX_LENGTH
        and PATTERN.fullmatch(name) is not None
        and not name.endswith(RESERVED_SUFFIXES)
    )


def validate_machine_name(name: str) -> None:
    """Raise a ValidationError in plain Dutch when ``name`` breaks the rules."""
    if name and not is_valid(name):
        raise ValidationError(rules_message(), code="machine_name")


def rules_message() -> str:
    return _(
        "Use only small letters (a-z), digits and _, start with a letter and do not "
        "end in _keep, e.g. name_of_the_company."
    )


def from_label(label: str) -> str:
    """A machine name derived from a question's label."""
    return normalise(slugify(label or "").replace("-", "_"))


def normalise(name: str) -> str:
    """A valid machine name as close to ``name`` as possible.

    Lower case, accents dropped, every other character ``_``, a letter in front when it
    does not start with one, and ``_field`` after a reserved ending.
    """
    ascii_name = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9_]", "_", ascii_name.lower()) or FALLBACK
    if not name[0].isalpha():
        name = f"{FALLBACK}_{name}"
    # Room for a reserved ending's ``_field`` and a counter of ``unique``.
    name = name[: MAX_LENGTH - 10]
    if name.endswith(RESERVED_SUFFIXES):
        name = f"{name}_field"
    return name


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base_2``, ``base_3``... when taken."""
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}_{counter}", counter + 1
    return name
