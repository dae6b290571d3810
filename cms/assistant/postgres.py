"""Finding passages with PostgreSQL: full-text search with the Dutch configuration, and
pg_trgm for typos and compounds. Used instead of the in-process index of
:mod:`cms.assistant.retrieval` when the database is PostgreSQL with pg_trgm
(``LOKET_ASSISTANT_FULL_TEXT``, on by default); SQLite keeps the in-process index.

The passages of live service and topic pages are rows of
:class:`~cms.assistant.models.AssistantPassage`, each with a ``tsvector`` (GIN index):
the page's title and search words weighted A, a summary or a section's heading B, a
section's text C, accents removed with ``unaccent`` when the server has it. The first
question after a publish writes the passages of the pages published since
(:meth:`PostgresIndex.sync`), under an advisory lock so that two processes do not both
write them. Every lexeme goes into :class:`~cms.assistant.models.AssistantLexeme`
(trigram index), where a question's words are looked up:

- the same lexeme (weight 1);
- a longer lexeme that contains it, "terras" in "terrasvergunn", or one the word starts
  with when the site does not have the word itself (:data:`~.retrieval.PART_WEIGHT`);
- a close spelling with the same first letter, by trigram similarity
  (:data:`TYPO_SIMILARITY`, :data:`~.retrieval.TYPO_WEIGHT`).

One query then finds every passage under the site's root with any of those lexemes
(``search @@ tsquery``), with the lexemes it has and their weights, and ``ts_rank``.
How much of the question each page covers, and so whether the assistant answers, is
computed with the same formula as on SQLite (:meth:`~.retrieval.PassageIndex.rank`),
so that both databases refuse the same questions; ``ts_rank`` decides between pages
that score the same. Only the pages shown are read as pages (:meth:`materialize`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from ..models import ServicePage, TopicPage
from .models import AssistantPassage
from .retrieval import (
    CONTEXT_WEIGHT,
    MIN_PART_LENGTH,
    PART_WEIGHT,
    TYPO_WEIGHT,
    PageMatch,
    Passage,
    PassageIndex,
    service_passages,
    topic_passages,
)
from .text import stem, words

#: pg_trgm's similarity from which a word of the site counts as the question's word
#: typed differently (measured on the golden set, tests/cms/assistant_golden.py).
TYPO_SIMILARITY = 0.45
#: How many close spellings one word of a question may match.
MAX_TYPOS = 3
#: The key of the advisory lock under which passages are written (one writer at a time).
LOCK_KEY = 240024

_extensions: dict[str, frozenset[str]] = {}


def extensions() -> frozenset[str]:
    """The extensions installed in the database (asked once per process)."""
    name = connection.settings_dict["NAME"]
    if name not in _extensions:
        with connection.cursor() as cursor:
            cursor.execute("SELECT extname FROM pg_extension")
            _extensions[name] = frozenset(row[0] for row in cursor.fetchall())
    return _extensions[name]


def available() -> bool:
    """Whether the assistant searches with PostgreSQL: a PostgreSQL database with
    pg_trgm (added by migration cms 0013), and ``LOKET_ASSISTANT_FULL_TEXT`` on."""
    return (
        connection.vendor == "postgresql"
        and settings.LOKET_ASSISTANT_FULL_TEXT
        and "pg_trgm" in extensions()
    )


def _folded(sql: str) -> str:
    """``sql`` without accents when the database has unaccent."""
    return f"unaccent({sql})" if "unaccent" in extensions() else sql


def _vector(sql: str) -> str:
    return f"to_tsvector('dutch', {_folded(sql)})"


#: A passage's search vector: title and search words A, summary or heading B, text C.
SEARCH_SQL = """
UPDATE cms_assistantpassage SET search =
    setweight({context}, 'A')
    || setweight({summary_or_heading}, 'B')
    || setweight({section_text}, 'C')
WHERE search IS NULL
"""

#: The new passages' lexemes into the vocabulary where typos are looked up.
LEXEMES_SQL = """
INSERT INTO cms_assistantlexeme (lexeme)
SELECT word FROM ts_stat('SELECT search FROM cms_assistantpassage WHERE id >= {first}')
WHERE length(word) <= 255
ON CONFLICT (lexeme) DO NOTHING
"""

#: The lexemes a question's terms match: (term, lexeme, how).
EXPAND_SQL = """
WITH q AS (
    SELECT t.term, coalesce((tsvector_to_array({vector}))[1], t.term) AS lex
    FROM unnest(%(terms)s::text[]) AS t(term)
)
SELECT q.term, v.lexeme, 'exact' FROM q
    JOIN cms_assistantlexeme v ON v.lexeme = q.term OR v.lexeme = q.lex
UNION ALL
SELECT q.term, v.lexeme, 'part' FROM q
    JOIN cms_assistantlexeme v
    ON length(q.term) >= %(min)s AND length(v.lexeme) >= %(min)s
    AND v.lexeme <> q.term AND v.lexeme <> q.lex
    AND (v.lexeme LIKE '%%' || q.term || '%%' OR v.lexeme LIKE '%%' || q.lex || '%%')
UNION ALL
SELECT q.term, v.lexeme, 'prefix' FROM q
    JOIN cms_assistantlexeme v
    ON length(q.term) >= %(min)s AND length(v.lexeme) >= %(min)s
    AND v.lexeme <> q.term AND q.term LIKE v.lexeme || '%%'
UNION ALL
SELECT q.term, s.lexeme, 'typo' FROM q CROSS JOIN LATERAL (
    SELECT v.lexeme FROM cms_assistantlexeme v
    WHERE length(q.term) >= %(min)s AND v.lexeme %% q.term
    AND left(v.lexeme, 1) = left(q.term, 1)
    AND similarity(v.lexeme, q.term) >= %(similarity)s
    ORDER BY similarity(v.lexeme, q.term) DESC, v.lexeme
    LIMIT %(typos)s
) s
"""

#: Every passage of a live page under the root with any of the lexemes: one row per
#: lexeme it has, with that lexeme's weights (A, B, C) and the passage's ts_rank.
CANDIDATES_SQL = """
WITH query AS (
    SELECT string_agg(quote_literal(l), ' | ')::tsquery AS q FROM unnest(%(lexemes)s::text[]) l
)
SELECT p.id, p.page_id, p.is_part, m.lexeme, m.weights::text[], ts_rank(p.search, query.q)
FROM cms_assistantpassage p
    CROSS JOIN query
    JOIN wagtailcore_page pg ON pg.id = p.page_id
    CROSS JOIN LATERAL unnest(p.search) AS m(lexeme, positions, weights)
WHERE p.search @@ query.q AND pg.live AND pg.path LIKE %(root)s
    AND NOT pg.path LIKE ANY(%(restricted)s::text[])
    AND m.lexeme = ANY(%(lexemes)s::text[])
"""

#: Which of the question's stems the site's vocabulary has (names are not in it).
KNOWN_SQL = """
SELECT t FROM unnest(%(stems)s::text[]) AS t
WHERE EXISTS (
    SELECT 1 FROM cms_assistantlexeme v
    WHERE v.lexeme = t OR v.lexeme = coalesce((tsvector_to_array({vector}))[1], t)
)
"""


@dataclass
class PageReference:
    """A page known by its id only, until :meth:`PostgresIndex.materialize` reads it."""

    pk: int


@dataclass
class StoredPassage(Passage):
    """A passage found in the database, known by its row until it is shown."""

    pk: int = 0
    ts_rank: float = 0.0


class _Candidates(PassageIndex):
    """The passages PostgreSQL found, ranked by :meth:`PassageIndex.rank`: how rare a
    lexeme is is counted among them (they are all passages that have it), the number of
    pages is the site's."""

    def __init__(self, passages, page_count: int, expansions: dict[str, dict[str, float]]):
        super().__init__(passages)
        self.page_count = page_count
        self._expansions = expansions

    def expand(self, term: str) -> dict[str, float]:
        return self._expansions.get(term, {})

    def qidf(self, expansion: dict[str, float], term: str) -> float:
        exact = [lexeme for lexeme, quality in expansion.items() if quality == 1.0]
        on_site = [lexeme for lexeme in expansion if lexeme in self.document_frequency]
        if exact and any(lexeme in self.document_frequency for lexeme in exact):
            return max(self.idf(lexeme) for lexeme in exact)
        if on_site:
            return max(self.idf(lexeme) for lexeme in on_site)
        return math.log(1 + (self.page_count + 1) / 0.5)


class PostgresIndex:
    """The passages of the site under ``root`` as PostgreSQL finds them; the same
    methods as :class:`~cms.assistant.retrieval.PassageIndex`."""

    def __init__(self, root: Page | None):
        self.root = root
        self.root_pattern = f"{root.path}%" if root is not None else "%"
        self.restricted = [
            f"{path}%" for path in PageViewRestriction.objects.values_list("page__path", flat=True)
        ]
        self.page_count = 0

    # --- writing the passages ---------------------------------------------------------

    def _stale(self, model):
        """The live, public pages of ``model`` under the root whose passages are missing
        or older than their last publication."""
        oldest = (
            AssistantPassage.objects.filter(page=OuterRef("pk"))
            .order_by()
            .values("page")
            .annotate(at=Min("indexed_at"))
            .values("at")
        )
        pages = model.objects.live().public()
        if self.root is not None:
            pages = pages.descendant_of(self.root, inclusive=True)
        return pages.annotate(indexed=Subquery(oldest)).filter(
            Q(indexed__isnull=True) | Q(last_published_at__gt=F("indexed"))
        )

    def sync(self) -> int:
        """Write the passages of the pages published since they were last written;
        returns how many pages. Safe in several processes at once: the writing is done
        under an advisory lock, and what another process wrote meanwhile is not
        written again."""
        written = 0
        if self._stale(ServicePage).exists() or self._stale(TopicPage).exists():
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
                written = self._write(
                    list(self._stale(ServicePage).select_related("form_page"))
                    + list(self._stale(TopicPage))
                )
        self.page_count = self._count_pages()
        return written

    def _write(self, pages: list[Page]) -> int:
        if not pages:
            return 0
        read_at = timezone.now()
        AssistantPassage.objects.filter(page__in=[page.pk for page in pages]).delete()
        rows = []
        for page in pages:
            passages = (
                service_passages(page) if isinstance(page, ServicePage) else topic_passages(page)
            )
            rows.extend(
                AssistantPassage(
                    page_id=page.pk,
                    position=position,
                    heading=passage.heading,
                    text=passage.text,
                    anchor=passage.anchor,
                    context=passage.context,
                    is_part=passage.is_part,
                    indexed_at=read_at,
                )
                for position, passage in enumerate(passages)
            )
        created = AssistantPassage.objects.bulk_create(rows, batch_size=500)
        with connection.cursor() as cursor:
            cursor.execute(
                SEARCH_SQL.format(
                    context=_vector("context"),
                    summary_or_heading=_vector("CASE WHEN is_part THEN heading ELSE text END"),
                    section_text=_vector("CASE WHEN is_part THEN text ELSE '' END"),
                )
            )
            cursor.execute(LEXEMES_SQL.format(first=int(min(row.pk for row in created))))
        return len(pages)

    def _count_pages(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT p.page_id) FROM cms_assistantpassage p "
                "JOIN wagtailcore_page pg ON pg.id = p.page_id "
                "WHERE pg.live AND pg.path LIKE %s AND NOT pg.path LIKE ANY(%s::text[])",
                [self.root_pattern, self.restricted],
            )
            return cursor.fetchone()[0]

    # --- answering --------------------------------------------------------------------

    def expand_all(self, terms: list[str]) -> dict[str, dict[str, float]]:
        """The lexemes of the site each of ``terms`` matches, with how well."""
        with connection.cursor() as cursor:
            cursor.execute(
                EXPAND_SQL.format(vector=_vector("t.term")),
                {
                    "terms": terms,
                    "min": MIN_PART_LENGTH,
                    "similarity": TYPO_SIMILARITY,
                    "typos": MAX_TYPOS,
                },
            )
            rows = cursor.fetchall()
        quality = {"exact": 1.0, "part": PART_WEIGHT, "prefix": PART_WEIGHT, "typo": TYPO_WEIGHT}
        exact = {term for term, _lexeme, how in rows if how == "exact"}
        expansions: dict[str, dict[str, float]] = {term: {} for term in terms}
        for term, lexeme, how in rows:
            if how == "prefix" and term in exact:
                continue  # as on SQLite: only when the site does not have the word itself
            found = expansions[term]
            found[lexeme] = max(found.get(lexeme, 0.0), quality[how])
        return expansions

    def rank(self, question: list[list[list[str]]]) -> list[PageMatch]:
        """Pages best first, as :meth:`~cms.assistant.retrieval.PassageIndex.rank`."""
        all_terms = sorted({term for group in question for alt in group for term in alt})
        if not all_terms:
            return []
        expansions = self.expand_all(all_terms)
        lexemes = sorted({lexeme for found in expansions.values() for lexeme in found})
        if not lexemes:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                CANDIDATES_SQL,
                {"lexemes": lexemes, "root": self.root_pattern, "restricted": self.restricted},
            )
            rows = cursor.fetchall()
        passages: dict[int, StoredPassage] = {}
        for pk, page_id, is_part, lexeme, weights, ts_rank in rows:
            passage = passages.get(pk)
            if passage is None:
                passage = passages[pk] = StoredPassage(
                    PageReference(page_id), "", "", pk=pk, ts_rank=ts_rank
                )
            # The page's title in a section counts half, as on SQLite.
            own = not is_part or any(weight != "A" for weight in weights)
            passage.weights[lexeme] = 1.0 if own else CONTEXT_WEIGHT
        found = _Candidates(list(passages.values()), self.page_count, expansions).rank(question)
        for page in found:
            page.ts_rank = max(passage.ts_rank for _score, passage in page.passages)
        # Stable: equal scores (rounded) are put in ts_rank's order.
        return sorted(
            found,
            key=lambda page: (round(page.score * page.coverage, 6), page.ts_rank),
            reverse=True,
        )

    def materialize(self, pages: list[PageMatch]) -> None:
        """Read the pages and passages about to be shown (the rest stay ids)."""
        if not pages:
            return
        ids = [match.page.pk for match in pages]
        specific = {page.pk: page for page in Page.objects.filter(pk__in=ids).specific()}
        wanted = [passage.pk for match in pages for _score, passage in match.passages]
        stored = AssistantPassage.objects.in_bulk(wanted)
        for match in pages:
            match.page = specific[match.page.pk]
            for _score, passage in match.passages:
                row = stored[passage.pk]
                passage.page = match.page
                passage.heading, passage.text, passage.anchor = row.heading, row.text, row.anchor

    def known_terms(self, question: str) -> set[str]:
        """The stems of the question's words that the site's vocabulary has: those are
        no names (:func:`cms.assistant.text.mask_personal_data`)."""
        stems = sorted({stem(word) for word in words(question)})
        if not stems:
            return set()
        with connection.cursor() as cursor:
            cursor.execute(KNOWN_SQL.format(vector=_vector("t")), {"stems": stems})
            return {row[0] for row in cursor.fetchall()}
