"""Texts editors wrote in Dutch and, where they translated them, in English.

Pages keep an English version of a text beside the Dutch one, in a field named after it
with ``_en`` (``title_en``, ``intro_en``). A visitor who chose English reads the English
version where there is one and the Dutch text, marked ``lang="nl"``, where there is none
(WCAG 3.1.2). The Dutch text is what everything else uses (search, officers, exports).
See docs/ARCHITECTURE.md ("English beside Dutch") and the editors' guide,
docs/formulieren-bouwen.md ("Bezoekers die Engels kiezen").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

#: The language editors may translate into; the site's own is settings.LANGUAGE_CODE.
ENGLISH = "en"


def wants_english(language: str | None = None) -> bool:
    """Whether the visitor reads English (they chose it in the footer)."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return language.split("-")[0] == ENGLISH != settings.LANGUAGE_CODE


def filled(value: Any) -> bool:
    """Whether a text (plain, rich text or a StreamField value) holds something."""
    if value is None:
        return False
    if hasattr(value, "source"):
        value = value.source
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)


@dataclass(frozen=True)
class Translated:
    """A text as the visitor reads it: ``text`` and its ``lang`` ("" when it is in the
    visitor's language, "nl" for a Dutch text shown to an English visitor)."""

    text: Any
    lang: str = ""

    def __str__(self) -> str:
        return str(self.text or "")

    def __bool__(self) -> bool:
        return filled(self.text)

    @property
    def attr(self) -> str:
        """`` lang="nl"`` for a Dutch text among English, else ""."""
        return format_html(' lang="{}"', self.lang) if self.lang else ""


def translated(obj, name: str, language: str | None = None) -> Translated:
    """``obj.<name>`` as the visitor reads it: ``obj.<name>_en`` for an English
    visitor when it is filled in, else the Dutch text (marked Dutch for an English
    visitor when it holds something)."""
    dutch = getattr(obj, name, "")
    if not wants_english(language):
        return Translated(dutch)
    english = getattr(obj, f"{name}_en", None)
    if filled(english):
        return Translated(english)
    return Translated(dutch, settings.LANGUAGE_CODE if filled(dutch) else "")


def untranslated(obj, names, language: str | None = None) -> bool:
    """Whether an English visitor reads one of the filled-in texts ``names`` of ``obj``
    in Dutch (for the "only partly in English" notice)."""
    if not wants_english(language):
        return False
    return any(translated(obj, name, language).lang for name in names)


def english_status(obj, names, language: str | None = None) -> str:
    """For an English visitor: "" (``obj`` reads in English, or the visitor reads
    Dutch), "partly" (some of its filled-in texts ``names`` are only in Dutch) or "none"
    (not translated: no English title)."""
    if not wants_english(language):
        return ""
    if not filled(getattr(obj, "title_en", "")):
        return "none"
    return "partly" if untranslated(obj, names, language) else ""


class EnglishTextsMixin:
    """A page whose texts ``english_texts`` an editor can give in English
    (``<name>_en`` fields on its "English" tab); templates show the notice with
    ``{% language_notice page %}``."""

    english_texts: tuple[str, ...] = ("title",)

    def english_status(self) -> str:
        return english_status(self, self.english_texts)
