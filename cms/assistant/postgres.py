"""Finding passages with PostgreSQL: full-text search with the Dutch configuration, and
This module is longer than 400 lines because writing the passages, the word list and
the ranking query are one unit that must keep the in-process index's formula.
pg_trgm for typos and compounds. Used instead of the in-process index of
:mod:`cms.assistant.retrieval` when the database is PostgreSQL with pg_trgm
(``LOKET_ASSISTANT_FULL_TEXT``, on by default); SQLite keeps the in-process index.

The passages of live service and topic pages are rows of
:class:`~cms.assistant.models.AssistantPassage`, each with a ``tsvector`` (GIN index):
the page's title and search words weighted A, a summary or a section's heading B, a
section's text C, accents removed with ``unaccent`` when the server has it. A page's
passages are written when it is published and removed when it is unpublished
(:func:`write_page`, :func:`connect_signals`); the first question after a publish writes
those of any page published since they were last written (:meth:`PostgresIndex.sync`),
the safety net. Both under an advisory lock so that two processes do not both write
them. Every word of the passages goes into
:class:`~cms.assistant.models.AssistantLexeme` with its stem (:func:`~.text.stem`, trigram
index) and its Dutch lexeme. A question's terms are matched against the stems as on
SQLite (so that Dutch is read the same way on both databases):

- the same stem (weight 1);
- a longer stem that contains it, "terras" in "terrasvergunning", or one the term starts
  with when the site does not have the term itself (:data:`~.retrieval.PART_WEIGHT`);
- a close spelling with the same first letter, by trigram similarity
  (:data:`TYPO_SIMILARITY`, :data:`~.retrieval.TYPO_WEIGHT`);

and the matched words' lexemes are what the full-text search looks for.

One query then finds every passage under the site's root with any of those lexemes
(``search @@ tsquery``), with the lexemes it has and their weights, and ``ts_rank``.
How much of the question each page covers, and so whether the assistant answers, is
computed with the same formula as on SQLite (:meth:`~.retrieval.PassageIndex.rank`),
so that both databases refuse the same questions; ``ts_rank`` decides between pages
that score the same. Only the pages shown are read as pages (:meth:`materialize`).
"""

from __future__ import annotations

import difflib
import json
import logging
import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from ..models import FinderPage, ServicePage, TopicPage
from .models import AssistantLexeme, AssistantPassage
from .retrieval import (
    MIN_PART_LENGTH,
    PART_WEIGHT,
    TYPO_CUTOFF,
    TYPO_WEIGHT,
    PageMatch,
    Passage,
    PassageIndex,
    page_passages,
)
from .text import stem, words

#: pg_trgm's similarity from which a stem of the site may be the question's word typed
#: differently; difflib then decides (:data:`~.retrieval.TYPO_CUTOFF`), as on SQLite.
TYPO_SIMILARITY = 0.15
#: How many close spellings one word of a question may match.
MAX_TYPOS = 3
#: How many passages (best ts_rank first) are scored at most. The demo has fewer than
#: this for any question, so its answers are those of SQLite; on a large site with a
#: small vocabulary (the benchmark's 1,000 services) it keeps a question from scoring
#: thousands of passages in Python, and how rare a word is is counted among these.
MAX_CANDIDATES = 400
#: The key of the advisory lock under which passages are written (one writer at a time).
LOCK_KEY = 240024
#: The pages whose passages the assistant quotes.
INDEXED_MODELS = (ServicePage, TopicPage, FinderPage)

logger = logging.getLogger(__name__)

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

#: The lexemes of the new words (the Dutch configuration's stop words get none).
LEXEMES_SQL = """
UPDATE cms_assistantlexeme
SET lexeme = coalesce((tsvector_to_array(to_tsvector('dutch', word)))[1], '')
WHERE lexeme = ''
"""

#: The site's stems a question's terms match, with their lexemes: (term, stem, lexeme, how).
#: Close spellings are only candidates here (same first letter, about as long, some
#: trigrams in common); :func:`difflib.get_close_matches` chooses among them, as on SQLite.
EXPAND_SQL = """
WITH q AS (SELECT t.term FROM unnest(%(terms)s::text[]) AS t(term))
SELECT q.term, v.stem, v.lexeme, 'exact' FROM q
    JOIN cms_assistantlexeme v ON v.stem = q.term
UNION ALL
SELECT q.term, v.stem, v.lexeme, 'part' FROM q
    JOIN cms_assistantlexeme v
    ON length(q.term) >= %(min)s AND length(v.stem) >= %(min)s
    AND v.stem <> q.term AND v.stem LIKE '%%' || q.term || '%%'
UNION ALL
SELECT q.term, v.stem, v.lexeme, 'prefix' FROM q
    JOIN cms_assistantlexeme v
    ON length(q.term) >= %(min)s AND length(v.stem) >= %(min)s
    AND v.stem <> q.term AND q.term LIKE v.stem || '%%'
UNION ALL
SELECT q.term, v.stem, v.lexeme, 'typo' FROM q
    JOIN cms_assistantlexeme v
    ON length(q.term) >= %(min)s AND v.stem <> q.term
    AND left(v.stem, 1) = left(q.term, 1)
    AND abs(length(v.stem) - length(q.term)) <= 2
    AND similarity(v.stem, q.term) >= %(similarity)s
"""

#: Every passage of a live page under the root with any of the lexemes, with its
#: ts_rank (weights A 1.0, B 0.4, C 0.2: PostgreSQL's default) and those of its stems
#: that were asked for.
CANDIDATES_SQL = """
WITH query AS (
    SELECT string_agg(quote_literal(l), ' | ')::tsquery AS q FROM unnest(%(lexemes)s::text[]) l
)
SELECT p.id, p.page_id, ts_rank(p.search, query.q), (
    SELECT jsonb_object_agg(w.key, w.value) FROM jsonb_each(p.weights) w
    WHERE w.key = ANY(%(stems)s::text[])
)
FROM cms_assistantpassage p
    CROSS JOIN query
    JOIN wagtailcore_page pg ON pg.id = p.page_id
WHERE p.search @@ query.q AND pg.live AND pg.path LIKE %(root)s
    AND NOT pg.path LIKE ANY(%(restricted)s::text[])
ORDER BY 3 DESC, p.id
LIMIT %(limit)s
"""

#: Which of the question's stems the sites' vocabulary has (names are not in it).
KNOWN_SQL = "SELECT DISTINCT stem FROM cms_assistantlexeme WHERE stem = ANY(%(stems)s::text[])"


def _words(row: AssistantPassage) -> set[str]:
    """The folded words of a passage (as short as the vocabulary's column)."""
    return {word for word in words(f"{row.context} {row.heading} {row.text}") if len(word) <= 255}


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
        if any(self._stale(model).exists() for model in INDEXED_MODELS):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
                written = self._write(
                    list(self._stale(ServicePage).select_related("form_page"))
                    + list(self._stale(TopicPage))
                    + list(self._stale(FinderPage))
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
            passages = page_passages(page)
            rows.extend(
                AssistantPassage(
                    page_id=page.pk,
                    position=position,
                    heading=passage.heading,
                    text=passage.text,
                    anchor=passage.anchor,
                    context=passage.context,
                    is_part=passage.is_part,
                    weights=passage.weights,
                    indexed_at=read_at,
                )
                for position, passage in enumerate(passages)
            )
        AssistantPassage.objects.bulk_create(rows, batch_size=500)
        known = set(
            AssistantLexeme.objects.filter(
                word__in={word for row in rows for word in _words(row)}
            ).values_list("word", flat=True)
        )
        new_words = {word for row in rows for word in _words(row)} - known
        created = AssistantLexeme.objects.bulk_create(
            [AssistantLexeme(word=word, stem=stem(word)) for word in sorted(new_words)],
            batch_size=1000,
            ignore_conflicts=True,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                SEARCH_SQL.format(
                    context=_vector("context"),
                    summary_or_heading=_vector("CASE WHEN is_part THEN heading ELSE text END"),
                    section_text=_vector("CASE WHEN is_part THEN text ELSE '' END"),
                )
            )
            if created:
                cursor.execute(LEXEMES_SQL)
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

    def expand_all(self, terms: list[str]) -> tuple[dict[str, dict[str, float]], set[str]]:
        """The stems of the site each of ``terms`` matches, with how well, and the
        lexemes of those stems' words (what the full-text search looks for)."""
        with connection.cursor() as cursor:
            cursor.execute(
                EXPAND_SQL,
                {"terms": terms, "min": MIN_PART_LENGTH, "similarity": TYPO_SIMILARITY},
            )
            rows = cursor.fetchall()
        exact = {term for term, _stem, _lexeme, how in rows if how == "exact"}
        typos: dict[str, set[str]] = {}
        for term, found_stem, _lexeme, how in rows:
            if how == "typo":
                typos.setdefault(term, set()).add(found_stem)
        close = {
            term: set(difflib.get_close_matches(term, sorted(stems), MAX_TYPOS, TYPO_CUTOFF))
            for term, stems in typos.items()
        }
        quality = {"exact": 1.0, "part": PART_WEIGHT, "prefix": PART_WEIGHT, "typo": TYPO_WEIGHT}
        expansions: dict[str, dict[str, float]] = {term: {} for term in terms}
        lexemes: set[str] = set()
        for term, found_stem, lexeme, how in rows:
            if how == "prefix" and term in exact:
                continue  # as on SQLite: only when the site does not have the word itself
            if how == "typo" and found_stem not in close[term]:
                continue
            found = expansions[term]
            found[found_stem] = max(found.get(found_stem, 0.0), quality[how])
            if lexeme:  # a stop word of the Dutch configuration has none
                lexemes.add(lexeme)
        return expansions, lexemes

    def rank(self, question: list[list[list[str]]]) -> list[PageMatch]:
        """Pages best first, as :meth:`~cms.assistant.retrieval.PassageIndex.rank`."""
        all_terms = sorted({term for group in question for alt in group for term in alt})
        if not all_terms:
            return []
        expansions, lexemes = self.expand_all(all_terms)
        if not lexemes:
            return []
        wanted = sorted({found for matches in expansions.values() for found in matches})
        with connection.cursor() as cursor:
            cursor.execute(
                CANDIDATES_SQL,
                {
                    "lexemes": sorted(lexemes),
                    "stems": wanted,
                    "root": self.root_pattern,
                    "restricted": self.restricted,
                    "limit": MAX_CANDIDATES,
                },
            )
            rows = cursor.fetchall()
        passages = []
        for pk, page_id, ts_rank, weights in rows:
            # A Dutch lexeme stands for more words than a stem ("open" for "opening"):
            # a passage counts with the stems asked for only, as on SQLite (PostgreSQL
            # returns only those; Django reads jsonb as text on a raw cursor).
            weights = json.loads(weights) if weights else None
            if weights:
                passages.append(
                    StoredPassage(
                        PageReference(page_id), "", "", weights=weights, pk=pk, ts_rank=ts_rank
                    )
                )
        found = _Candidates(passages, self.page_count, expansions).rank(question)
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
        # A best bet's summary (retrieval.put_best_bets_first) is read already.
        wanted = [
            passage.pk
            for match in pages
            for _score, passage in match.passages
            if isinstance(passage, StoredPassage)
        ]
        stored = AssistantPassage.objects.in_bulk(wanted)
        for match in pages:
            match.page = specific[match.page.pk]
            for _score, passage in match.passages:
                if not isinstance(passage, StoredPassage):
                    continue
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
            cursor.execute(KNOWN_SQL, {"stems": stems})
            return {row[0] for row in cursor.fetchall()}


# --- writing at publish -------------------------------------------------------------------


def _write_now(page_id: int, *, with_descendants: bool = False, remove: bool = False) -> None:
    """Write the passages of the page ``page_id`` (and of the pages under it) if it is a
    live, public service or topic page, and remove them otherwise (or when ``remove``)."""
    page = Page.objects.filter(pk=page_id).first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    if page is None or remove:
        AssistantPassage.objects.filter(page_id=page_id).delete()
        return
    pages = Page.objects.filter(pk=page_id)
    if with_descendants:
        pages = Page.objects.descendant_of(page, inclusive=True)
    indexable = set()
    for model in INDEXED_MODELS:
        indexable |= set(
            model.objects.live()
            .public()
            .filter(pk__in=pages.values("pk"))
            .values_list("pk", flat=True)
        )
    AssistantPassage.objects.filter(page__in=pages.values("pk")).exclude(
        page__in=indexable
    ).delete()
    PostgresIndex(None)._write(
        list(ServicePage.objects.filter(pk__in=indexable).select_related("form_page"))
        + list(TopicPage.objects.filter(pk__in=indexable))
        + list(FinderPage.objects.filter(pk__in=indexable))
    )


def write_page(page: Page, *, with_descendants: bool = False, remove: bool = False) -> bool:
    """Write the passages of ``page`` now, when it is published, unpublished or moved
    (:func:`connect_signals`), so that the first question after it need not. Never
    raises: a failure is logged and undone (a savepoint), the publication goes on, and
    :meth:`PostgresIndex.sync` writes the passages at the next question. Returns
    whether the passages were written. ``remove``: the page is unpublished (perhaps
    before it is deleted, when the database still has it live)."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic():
            if not available():
                return False
            _write_now(page.pk, with_descendants=with_descendants, remove=remove)
    except Exception:
        logger.exception("The assistant could not index page %s; the next question will.", page.pk)
        return False
    return True


def _published(sender, instance=None, **_kwargs) -> None:
    if isinstance(instance, Page):
        write_page(instance)


def _unpublished(sender, instance=None, **_kwargs) -> None:
    if isinstance(instance, Page):
        write_page(instance, remove=True)


def _moved(sender, instance=None, **_kwargs) -> None:
    if isinstance(instance, Page):
        write_page(instance, with_descendants=True)


def connect_signals() -> None:
    """Write a page's passages at publish, unpublish and move. A deleted page's passages
    go with it (the foreign key cascades)."""
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(_published, dispatch_uid="loket-assistant-publish")
    page_unpublished.connect(_unpublished, dispatch_uid="loket-assistant-unpublish")
    post_page_move.connect(_moved, dispatch_uid="loket-assistant-move")
