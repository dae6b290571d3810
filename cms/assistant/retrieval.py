"""Finding the passages of the site that answer a question.
This module is longer than 400 lines because the passages of each page type and the
in-process ranking (the reference the PostgreSQL index must match) belong together.

A passage is one part of a published page that can be quoted on its own: a service's
summary, one of its sections (:data:`cms.models.SERVICE_SECTIONS`), one FAQ item, or a
topic's introduction. Each passage carries the words of its page's title, so that
"wat kost een terras" finds the cost section of the terrace service.

Ranking is a small BM25-like sum over the question's terms (:func:`cms.assistant.text.terms`)
where a term matches a passage's term exactly (weight 1), as part of a compound
("terras" in "terrasvergunning", :data:`PART_WEIGHT`) or as a close spelling
("terasvergunning", :data:`TYPO_WEIGHT`, :mod:`difflib`). Synonyms editors manage
(:class:`~cms.assistant.models.AssistantSynonym`) add the site's words to the question.

The *confidence* of an answer is how much of the question the best passage covers,
weighted by how rare each term is on the site: a question about "identiteitskaart"
that only shares "kost" with the site is not covered, and is refused.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils.html import strip_tags
from wagtail.models import Page, Site

from ..models import SERVICE_SECTIONS, FinderPage, ServicePage, TopicPage
from .models import AssistantBestBet, AssistantSynonym
from .text import fold, terms, words

#: Sections quoted by the assistant; contact details are offered on every answer anyway.
QUOTED_SECTIONS = [section for section in SERVICE_SECTIONS if section.field_name != "contact"]

#: How much a term counts when it is part of a longer word, or the other way round.
PART_WEIGHT = 0.7
#: How much a term counts when it is a close spelling of a word on the site.
TYPO_WEIGHT = 0.6
#: difflib's ratio from which two words count as the same word typed differently.
TYPO_CUTOFF = 0.8
#: Shorter terms are only matched exactly: "kost" must not match "kostuum".
MIN_PART_LENGTH = 5
#: How many question terms an index remembers the matches of (visitors choose them).
MAX_REMEMBERED_TERMS = 10_000
#: How much the title's and search words' terms weigh in a passage (they say what the
#: page is about); the passage's own text weighs 1.
CONTEXT_WEIGHT = 0.5


@dataclass
class Passage:
    """One quotable part of a published page."""

    page: Page
    heading: str
    text: str
    anchor: str = ""
    #: The passage's terms with their weight (own text 1, page context less).
    weights: dict[str, float] = field(default_factory=dict)
    #: The page's title and search words (what PostgreSQL weighs most, :mod:`.postgres`).
    context: str = ""
    #: A section or FAQ item, whose page title counts half; not the page's summary.
    is_part: bool = False

    @property
    def url(self) -> str:
        return f"{self.page.url}#{self.anchor}" if self.anchor else self.page.url

    @property
    def service(self) -> ServicePage | None:
        return self.page if isinstance(self.page, ServicePage) else None


@dataclass
class PageMatch:
    """A page found for a question: its passages with their scores (best first), its
    score, and the share of the question its passages cover together (0 to 1)."""

    page: Page
    passages: list[tuple[float, Passage]] = field(default_factory=list)
    score: float = 0.0
    coverage: float = 0.0

    @property
    def service(self) -> ServicePage | None:
        return self.page if isinstance(self.page, ServicePage) else None


def _weigh(own: str, context: str) -> dict[str, float]:
    weights = dict.fromkeys(terms(context), CONTEXT_WEIGHT)
    weights.update(dict.fromkeys(terms(own), 1.0))
    return weights


def _plain(html: str) -> str:
    return " ".join(strip_tags(html.replace("</", " </")).split())


def service_passages(service: ServicePage) -> list[Passage]:
    """The summary, the filled-in sections and the FAQ items of ``service``."""
    context = f"{service.title} {service.keywords}"
    passages = [
        Passage(
            service,
            service.title,
            service.intro,
            "",
            _weigh(f"{service.title} {service.intro} {service.keywords}", ""),
            context,
        )
    ]
    for section in QUOTED_SECTIONS:
        html = getattr(service, section.field_name)
        if html:
            text = _plain(html)
            heading = str(section.heading)
            passages.append(
                Passage(
                    service,
                    heading,
                    text,
                    section.field_name.replace("_", "-"),
                    _weigh(f"{heading} {text}", context),
                    context,
                    is_part=True,
                )
            )
    for block in service.faq:
        question = block.value["question"]
        answer = _plain(block.value["answer"].source)
        passages.append(
            Passage(
                service,
                question,
                answer,
                "faq",
                _weigh(f"{question} {answer}", context),
                context,
                is_part=True,
            )
        )
    return passages


def topic_passages(topic: TopicPage) -> list[Passage]:
    """A topic's introduction, with its title."""
    text = _plain(topic.intro)
    return [Passage(topic, topic.title, text, "", _weigh(f"{topic.title} {text}", ""), topic.title)]


def finder_passages(finder: FinderPage) -> list[Passage]:
    """A finder's introduction, and each answer that gives advice or recommends
    services: the question and the answer, with the advice and the services' titles
    (the assistant links to the finder, where the visitor answers the questions)."""
    context = finder.title
    intro = _plain(finder.intro)
    passages = [
        Passage(finder, finder.title, intro, "", _weigh(f"{finder.title} {intro}", ""), context)
    ]
    for block in finder.questions:
        question = block.value["question"]
        for answer in block.value["answers"]:
            advice = _plain(answer["advice"].source) if answer.get("advice") else ""
            services = [page for page in answer.get("services") or [] if page and page.live]
            if not advice and not services:
                continue
            text = " ".join(
                part
                for part in [answer["label"] + ".", advice, *(s.title for s in services)]
                if part
            )
            passages.append(
                Passage(
                    finder,
                    question,
                    text,
                    "",
                    _weigh(f"{question} {text}", context),
                    context,
                    is_part=True,
                )
            )
    return passages


def page_passages(page: Page) -> list[Passage]:
    """The passages of a service, topic or finder page."""
    if isinstance(page, ServicePage):
        return service_passages(page)
    if isinstance(page, FinderPage):
        return finder_passages(page)
    return topic_passages(page)


def site_passages(root: Page | None) -> list[Passage]:
    """Every passage of the live, public services, topics and finders under ``root``."""
    services = ServicePage.objects.live().public().select_related("form_page")
    topics = TopicPage.objects.live().public()
    finders = FinderPage.objects.live().public()
    if root is not None:
        services = services.descendant_of(root, inclusive=True)
        topics = topics.descendant_of(root, inclusive=True)
        finders = finders.descendant_of(root, inclusive=True)
    passages = []
    for page in [*services, *topics, *finders]:
        passages.extend(page_passages(page))
    return passages


class PassageIndex:
    """The passages of a site with what ranking needs: how many pages have each term."""

    def __init__(self, passages: list[Passage]):
        self.passages = passages
        # Counted per page, not per passage: a service's search words are in all its
        # passages, and must not look common because of that.
        terms_per_page: dict[int, set[str]] = {}
        for passage in passages:
            terms_per_page.setdefault(passage.page.pk, set()).update(passage.weights)
        self.page_count = len(terms_per_page)
        self.document_frequency = Counter(t for page in terms_per_page.values() for t in page)
        self.vocabulary = sorted(self.document_frequency)
        #: Which passages have a term, so that ranking only looks at those.
        self.postings: dict[str, list[int]] = {}
        for number, passage in enumerate(passages):
            for term in passage.weights:
                self.postings.setdefault(term, []).append(number)
        #: The vocabulary by first letter: typos are looked for among these only.
        self.by_initial: dict[str, list[str]] = {}
        for term in self.vocabulary:
            self.by_initial.setdefault(term[0], []).append(term)
        self._expansions: dict[str, dict[str, float]] = {}

    def known_terms(self, question: str) -> set[str] | dict.keys:
        """The stems the site uses (no names, for masking ``question``)."""
        return self.document_frequency.keys()

    def materialize(self, pages: list[PageMatch]) -> None:
        """Read what is about to be shown: here every page is read already."""

    def idf(self, term: str) -> float:
        """Rare terms weigh more; a term the site never uses weighs most."""
        count = self.document_frequency.get(term, 0)
        return math.log(1 + (self.page_count + 1) / (count + 0.5))

    def expand(self, term: str) -> dict[str, float]:
        """The site's terms that ``term`` matches, with how well: 1 for the same term,
        less for a longer word that contains it ("terras" in "terrasvergunning"), for a
        word it starts with (only when the site does not use the term itself) or for a
        close spelling with the same first letter (remembered per index)."""
        if term in self._expansions:
            return self._expansions[term]
        matches: dict[str, float] = {}
        exact = term in self.document_frequency
        if exact:
            matches[term] = 1.0
        if len(term) >= MIN_PART_LENGTH:
            for other in self.vocabulary:
                if other == term or len(other) < MIN_PART_LENGTH:
                    continue
                if term in other or (not exact and term.startswith(other)):
                    matches.setdefault(other, PART_WEIGHT)
            similar = [
                other
                for other in self.by_initial.get(term[0], ())
                if abs(len(other) - len(term)) <= 2
            ]
            for other in difflib.get_close_matches(term, similar, n=3, cutoff=TYPO_CUTOFF):
                matches.setdefault(other, TYPO_WEIGHT)
        if len(self._expansions) >= MAX_REMEMBERED_TERMS:
            self._expansions.clear()
        self._expansions[term] = matches
        return matches

    def qidf(self, expansion: dict[str, float], term: str) -> float:
        """How much a question's term weighs: as rare as on the site; a term the site
        only has as part of other words weighs like the rarest of those; a term the site
        does not use at all weighs most."""
        if term in self.document_frequency or not expansion:
            return self.idf(term)
        return max(self.idf(other) for other in expansion)

    def rank(self, question: list[list[list[str]]]) -> list[PageMatch]:
        """Pages best first, each with its passages best first, for a question given as
        groups of alternatives (:func:`question_groups`): a plain word is one group with
        one alternative; a synonym is a group with the everyday words and the site's
        words as alternatives, the best of which counts.

        A page covers a term when any of its passages has it; its score is the sum over
        the question's groups of its best passage for that group.
        """
        all_terms = {term for group in question for alt in group for term in alt}
        if not all_terms:
            return []
        expansions = {term: self.expand(term) for term in all_terms}
        weights = {term: self.qidf(expansions[term], term) for term in all_terms}
        group_weights = [
            sum(sum(weights[t] for t in alt) for alt in group) / len(group) for group in question
        ]
        total = sum(group_weights)
        pages: dict[int, PageMatch] = {}
        best_per_page: dict[int, list[list[float]]] = {}
        candidates = sorted(
            {
                number
                for expansion in expansions.values()
                for other in expansion
                for number in self.postings.get(other, ())
            }
        )
        for passage in (self.passages[number] for number in candidates):
            found = [
                [[self._best(passage, expansions[t]) for t in alt] for alt in group]
                for group in question
            ]
            score = sum(max(sum(s for s, _ in alt) for alt in alts) for alts in found)
            if not score:
                continue
            key = passage.page.pk
            page = pages.setdefault(key, PageMatch(passage.page))
            page.passages.append((score, passage))
            if key in best_per_page:
                best_per_page[key] = [
                    [
                        [max(a, b) for a, b in zip(old_alt, new_alt, strict=True)]
                        for old_alt, new_alt in zip(old, new, strict=True)
                    ]
                    for old, new in zip(best_per_page[key], found, strict=True)
                ]
            else:
                best_per_page[key] = found
        for key, page in pages.items():
            covered = 0.0
            page.score = 0.0
            for group, found, group_weight in zip(
                question, best_per_page[key], group_weights, strict=True
            ):
                share = max(
                    sum(
                        weights[t] * quality for t, (_, quality) in zip(alt, alt_found, strict=True)
                    )
                    / (sum(weights[t] for t in alt) or 1)
                    for alt, alt_found in zip(group, found, strict=True)
                )
                covered += group_weight * share
                page.score += max(sum(s for s, _ in alt_found) for alt_found in found)
            page.coverage = min(1.0, covered / total)
            page.passages.sort(key=lambda item: item[0], reverse=True)
        return sorted(pages.values(), key=lambda page: page.score * page.coverage, reverse=True)

    def _best(self, passage: Passage, expansion: dict[str, float]) -> tuple[float, float]:
        """How well ``passage`` has a term: ``(score, quality)``, where the score weighs
        the match by how rare the site's term is and the quality (0 to 1) says how
        close it is to what was asked (exact in the passage's own text is 1)."""
        best_score, best_quality = 0.0, 0.0
        for term, quality in expansion.items():
            weight = passage.weights.get(term)
            if weight:
                best_score = max(best_score, quality * weight * self.idf(term))
                best_quality = max(best_quality, quality * weight)
        return best_score, best_quality


def site_of(root: Page | None) -> Site | None:
    """The Site whose root page is ``root`` (for its own synonyms), or None."""
    if root is None:
        return None
    return Site.objects.filter(root_page=root).order_by("-is_default_site", "pk").first()


def site_synonyms(site: Site | None) -> list[AssistantSynonym]:
    """The synonyms of every website and those of ``site``; where both have the same
    word, the site's own wins."""
    rows = AssistantSynonym.objects.filter(Q(site__isnull=True) | Q(site=site))
    by_term: dict[str, AssistantSynonym] = {}
    for synonym in rows.order_by(F("site").asc(nulls_first=True), "pk"):
        by_term[synonym.term] = synonym
    return list(by_term.values())


def question_groups(question: str, site: Site | None = None) -> list[list[list[str]]]:
    """The question as :meth:`PassageIndex.rank` takes it: one group per term, and for
    each synonym of :class:`~cms.assistant.models.AssistantSynonym` (of every website or
    of ``site``) found in the question one group with its everyday words and the site's
    words as alternatives."""
    padded = f" {' '.join(words(question))} "
    groups: list[list[list[str]]] = []
    replaced: set[str] = set()
    for synonym in site_synonyms(site):
        phrase = " ".join(words(synonym.term))
        if phrase and f" {phrase} " in padded:
            everyday = terms(phrase)
            groups.append(
                [everyday, terms(synonym.meaning)] if everyday else [terms(synonym.meaning)]
            )
            replaced.update(everyday)
    for term in dict.fromkeys(terms(question)):
        if term not in replaced:
            groups.append([[term]])
    return [group for group in groups if any(group)]


def best_bet_pages(question: str, site: Site | None, root: Page | None) -> list[Page]:
    """The live, public pages under ``root`` of the best bets
    (:class:`~cms.assistant.models.AssistantBestBet`, of every website or of ``site``)
    whose words are all in ``question``, the bet with the most words first."""
    rows = AssistantBestBet.objects.filter(Q(site__isnull=True) | Q(site=site)).select_related(
        "page"
    )
    asked = set(terms(question))
    matching = []
    for bet in rows.order_by("pk"):
        wanted = set(terms(bet.words))
        if wanted and wanted <= asked:
            matching.append((len(wanted), bet.page_id))
    if not matching:
        return []
    pages = Page.objects.live().public().filter(pk__in=[pk for _n, pk in matching])
    if root is not None:
        pages = pages.descendant_of(root, inclusive=True)
    by_pk = {page.pk: page for page in pages.specific()}
    ordered = sorted(matching, key=lambda item: -item[0])
    return list({pk: by_pk[pk] for _n, pk in ordered if pk in by_pk}.values())


def _summary_passage(page: Page) -> Passage:
    """What is quoted of a best bet's page that the question's words did not find."""
    if isinstance(page, ServicePage | TopicPage | FinderPage):
        return page_passages(page)[0]
    text = page.search_description or ""
    return Passage(page, page.title, text, "", _weigh(f"{page.title} {text}", ""), page.title)


def put_best_bets_first(
    found: list[PageMatch], question: str, site: Site | None, root: Page | None
) -> list[PageMatch]:
    """``found`` (ranked, :meth:`PassageIndex.rank`) with the pages of the best bets the
    question has all words of first, each with its best passage (its summary when the
    question's words are on none) and full coverage: an editor chose it as the answer.
    The one place both databases' rankings pass; without best bets ``found`` is as it was."""
    pages = best_bet_pages(question, site, root)
    if not pages:
        return found
    by_pk = {match.page.pk: match for match in found}
    first = []
    for page in pages:
        match = by_pk.pop(page.pk, None)
        if match is None:
            match = PageMatch(page, [(0.0, _summary_passage(page))])
        match.coverage = 1.0
        first.append(match)
    return first + [match for match in found if match.page.pk in by_pk]


def fold_key(question: str) -> str:
    """What groups the same question asked in other words order or case."""
    return " ".join(sorted(set(words(question))))[:255] or fold(question)[:255]
