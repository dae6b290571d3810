"""Colour contrast as WCAG 2.1 defines it, to check a municipality's brand colours.

White text sits on the brand colours (header, buttons, status tags), and the brand
colour is the link colour on white, so each brand colour needs a contrast ratio of at
least 4.5:1 with white (success criterion 1.4.3, normal text).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The lowest contrast ratio WCAG 2.1 AA allows for normal text.
AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
HEX_COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """The relative luminance of a ``#rrggbb`` colour, from 0 (black) to 1 (white)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """The contrast ratio of two ``#rrggbb`` colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def brand_version(branding) -> str:
    """Part of the brand stylesheet's address that changes with the colours, so that
    browsers may keep the stylesheet for long (cms.views.brand_stylesheet)."""
    return f"{branding.brand_colour}{branding.brand_colour_dark}".replace("#", "").lower()


def safe_colour(value: str | None, default: str) -> str:
    """``value`` when it is ``#rrggbb``, else ``default``: for CSS that is written out
    unescaped (the brand stylesheet, the letters), also when a value reached the database
    without the form's validation."""
    return value if value and HEX_COLOUR_RE.match(value) else default


def validate_hex_colour(value: str) -> None:
    """Accept ``#rrggbb`` only: the value is written into the page's style sheet."""
    if not HEX_COLOUR_RE.match(value or ""):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, e.g. #1d4e89."),
            code="invalid_colour",
        )


def validate_contrast_with_white(value: str) -> None:
    """Refuse a colour on which white text is too hard to read (below 4.5:1)."""
    if not HEX_COLOUR_RE.match(value or ""):
        return  # validate_hex_colour reports this one
    ratio = contrast_ratio(value, WHITE)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "White text on this colour has a contrast of %(ratio).2f:1; it needs at "
                "least %(minimum).1f:1 to be readable (WCAG 2.1 AA). Choose a darker colour."
            ),
            code="low_contrast",
            params={"ratio": ratio, "minimum": AA_NORMAL_TEXT},
        )
