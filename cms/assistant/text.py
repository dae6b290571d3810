"""Dutch as people type it: lower case, no accents, a light stemmer, and masking of
personal data before a question is stored.

Kept deliberately small: the stemmer only strips common plural and verb endings so
that "terrassen", "terras" and "terrasje" meet; compounds ("terrasvergunning") and typos
are handled by the matching in :mod:`cms.assistant.retrieval`.
"""

from __future__ import annotations

import re
import unicodedata

#: Words that say nothing about which service someone needs. Besides the usual Dutch
#: function words, the words every question to a desk has ("aanvragen", "nodig") are
#: here: they would otherwise match every service page equally.
STOPWORDS = frozenset(
    """
    aan al alle als alleen alles andere ben bij daar dan dat de den der deze die dit doe
    doen door dus een eens en er ga gaan gaat geen had heb hebben hebt heeft het hier hij
    hoe hoeveel hun ik in is ja je jij jou jullie kan kun kunnen kunt maar me mag meer
    men met mij mijn moet moeten mogen na naar nee niet nog nu of om onder ons onze ook
    op over te tot u uit uw van veel voor waar waarom wanneer wat we wel welk welke wie
    wij wil willen wilt word worden wordt ze zij zijn zo zonder zou zouden
    laat laten staan staat blijven blijft maken doen naast onze ons zelf toch heel erg
    echt ergens soms altijd nooit
    iets iemand graag even eigenlijk precies beetje hallo dag goeiedag bedankt alstublieft
    aanvragen aanvraag vraag vragen krijgen krijg nodig regelen zetten plaatsen
    gemeente voorbeeld loket
    """.split()
)

#: Endings stripped by :func:`stem`, longest first.
SUFFIXES = ("heden", "tjes", "etje", "tje", "jes", "ens", "en", "je", "s", "e")

#: The letters after which a final "s" is a plural ending.
PLURAL_S_AFTER = "elrn"

#: Stems shorter than this are left alone: "kan", "bus" are words, not stems.
MIN_STEM = 4

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_DIGITS = re.compile(r"\d[\d\s./-]*\d|\d")
_WORD = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: "Privéfeest" → "privefeest"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """A light Dutch stem, so that singular and plural meet: "terrassen" and "terras" →
    "terras", "premies" and "premie" → "premi", "kosten" → "kost"."""
    for _ in range(2):
        for suffix in SUFFIXES:
            if not word.endswith(suffix) or len(word) - len(suffix) < MIN_STEM:
                continue
            # A plural -s follows e, l, r or n ("premies", "gevels"); "terras" keeps its s.
            if suffix == "s" and word[-2] not in PLURAL_S_AFTER:
                continue
            word = word[: -len(suffix)]
            break
        else:
            break
    # "terrass" (from "terrassen") → "terras": doubled consonants after stripping.
    if len(word) > MIN_STEM and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The folded words of ``text``, stop words included (phrases need them)."""
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """The stems of the words of ``text`` that say something: what is matched."""
    return [stem(word) for word in words(text) if word not in STOPWORDS and len(word) > 1]


def mask_personal_data(text: str) -> str:
    """``text`` with e-mail addresses and every number replaced by a placeholder, so that
    a question can be stored for editors without a phone, national register or
    enterprise number, a house number or an address in it."""
    text = _EMAIL.sub("[e-mail]", text)
    return _DIGITS.sub("[getal]", text)
