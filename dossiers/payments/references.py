"""The Belgian structured communication (OGM/VCS, ``+++123/4567/89012+++``).

Twelve digits: ten that identify the payment and two check digits, the first ten
modulo 97 (a remainder of 0 gives 97). python-stdnum's ``be.ogm_vcs`` is the judge of
what is valid; this module only makes new ones.
"""

from __future__ import annotations

import secrets

from stdnum.be import ogm_vcs
from stdnum.exceptions import ValidationError as NumberError

#: The ten digits are random, so a reference says nothing about how many requests the
#: municipality made and cannot be guessed from another one.
BASE_DIGITS = 10


def check_digits(base: str) -> str:
    """The two check digits of ten digits: ``base mod 97``, with 97 for 0."""
    if len(base) != BASE_DIGITS or not base.isdigit():
        raise ValueError("The base of a structured communication is ten digits.")
    return f"{int(base) % 97 or 97:02d}"


def new_reference(random_number=secrets.randbelow) -> str:
    """A new valid structured communication as 12 digits (not checked for uniqueness:
    the database's unique constraint and :func:`services.request_payment` do that)."""
    base = f"{random_number(10**BASE_DIGITS - 1) + 1:010d}"
    reference = base + check_digits(base)
    return ogm_vcs.validate(reference)


def compact(text: str) -> str | None:
    """The 12 digits of a structured communication as people write it
    (``+++123/4567/89012+++``, ``123/4567/89012``, with spaces), or None when it is not
    a valid one."""
    try:
        return ogm_vcs.validate(text or "")
    except NumberError:
        return None


def display(reference: str) -> str:
    """``+++123/4567/89012+++``."""
    return f"+++{ogm_vcs.format(reference)}+++"
