"""Dutch as people type it: lower case, no accents, a light stemmer, and masking of
personal data (e-mail addresses, numbers, names) before a question is stored.

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


#: A word as written, with capitals and accents ("Peeters", "D'Hondt", "Van-Dyck").
_WRITTEN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
#: What ends a sentence: a capital after it is no sign of a name.
_SENTENCE_END = ".!?:;\n"
#: Words after which people type their name, also without capitals ("mijn naam is jan").
NAME_INTRODUCTIONS = (("naam", "is"), ("ik", "heet"), ("heet", "ik"), ("naam",), ("groeten",))
#: How many words after such an introduction count as the name at most.
MAX_NAME_WORDS = 3
#: Short words in capitals are abbreviations (KBO, BTW), not names.
MAX_ABBREVIATION_LENGTH = 4


def _masks_names(text: str, known_terms: frozenset[str] | set[str]) -> str:
    """``text`` with the words that look like a name replaced by ``[naam]``: a word
    with a capital that does not start a sentence and that the site does not use (its
    stem is not in ``known_terms``), two or more such words in a row also at the start
    of a sentence ("Jan Peeters hier"), and up to :data:`MAX_NAME_WORDS` words after
    "mijn naam is", "ik heet" and the like, whatever their case."""
    found = list(_WRITTEN_WORD.finditer(text))
    folded = [fold(match.group()) for match in found]

    def capitalised_unknown(number: int) -> bool:
        word = found[number].group()
        if not word[0].isupper() or (word.isupper() and len(word) <= MAX_ABBREVIATION_LENGTH):
            return False
        parts = _WORD.findall(folded[number])
        return not all(part in STOPWORDS or stem(part) in known_terms for part in parts)

    def starts_sentence(number: int) -> bool:
        before = text[: found[number].start()].rstrip()
        return not before or before[-1] in _SENTENCE_END

    masked = [False] * len(found)
    for number in range(len(found)):
        if capitalised_unknown(number) and (
            not starts_sentence(number)
            or (number + 1 < len(found) and capitalised_unknown(number + 1))
        ):
            masked[number] = True
        for introduction in NAME_INTRODUCTIONS:
            start = number - len(introduction)
            if start >= 0 and tuple(folded[start:number]) == introduction:
                for following in range(number, min(number + MAX_NAME_WORDS, len(found))):
                    if folded[following] in STOPWORDS:
                        break
                    masked[following] = True
    # "Café De Zwaan", "Jan Van Damme": a capitalised small word between two masked ones.
    for number in range(1, len(found) - 1):
        if masked[number - 1] and masked[number + 1] and found[number].group()[0].isupper():
            masked[number] = True
    pieces, position, previous_masked_end = [], 0, None
    for match, is_masked in zip(found, masked, strict=True):
        if not is_masked:
            continue
        between = text[position : match.start()]
        if previous_masked_end == position and not between.strip():
            # "Jan Peeters" becomes one [naam].
            position = match.end()
            previous_masked_end = position
            continue
        pieces.append(between)
        pieces.append("[naam]")
        position = previous_masked_end = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def mask_personal_data(text: str, known_terms: frozenset[str] | set[str] = frozenset()) -> str:
    """``text`` with e-mail addresses, every number and what looks like a name replaced
    by a placeholder, so that a question can be stored for editors without a phone,
    national register or enterprise number, a house number, an address or a person's
    name in it. ``known_terms`` are the stems the site uses (:func:`terms`): a word with a
    capital that the site uses ("Markt", "Horeca") is no name."""
    text = _EMAIL.sub("[e-mail]", text)
    text = _DIGITS.sub("[getal]", text)
    return _masks_names(text, known_terms)
