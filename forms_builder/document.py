"""Reading an uploaded form document (forms_builder.transfer) without trusting it.

The file comes from anywhere. Its size and how deep it nests are checked before the
JSON parser sees it (the parser recurses once per level), and the parser refuses
``NaN``, ``Infinity`` and numbers out of range, so every bad file ends in one
``ValidationError`` with a plain message, never in another exception.
"""

from __future__ import annotations

import json
import math
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Larger uploads are refused before they are parsed.
MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
#: Deeper nesting of lists and objects is refused before parsing. An exported form
#: nests about a dozen levels (steps, fields, conditions, rules); the JSON parser and
#: the blocks recurse once per level.
MAX_NESTING_DEPTH = 40
#: A JSON string (its escapes included): skipped when counting brackets.
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """How deep lists and objects nest in ``text``, brackets inside strings not counted.

    A cheap scan, so that a hostile file is refused before the parser recurses into it.
    """
    depth = deepest = 0
    for bracket in _BRACKETS.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400
        raise ValueError("number out of range")
    return number


def read_document(data: bytes | str) -> dict:
    """Parse an uploaded or read file into a document.

    Raises ``ValidationError`` with a plain message, and nothing else, when the file is
    too large, nests too deeply, is no JSON, holds ``NaN``, ``Infinity`` or a number
    out of range, or is no object.
    """
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("The file is too large for a form (at most 2 MB)."))
    try:
        text = data.decode(json.detect_encoding(data)) if isinstance(data, bytes) else data
    except (UnicodeDecodeError, LookupError) as error:
        raise ValidationError(_("The file is not a valid JSON file.")) from error
    if nesting_depth(text) > MAX_NESTING_DEPTH:
        raise ValidationError(
            _("The file nests lists too deeply to be a form (at most %(depth)s levels).")
            % {"depth": MAX_NESTING_DEPTH}
        )
    try:
        document = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    except (RecursionError, ValueError) as error:
        raise ValidationError(_("The file is not a valid JSON file.")) from error
    if not isinstance(document, dict):
        raise ValidationError(_("The file is not a form exported from Loket."))
    return document
