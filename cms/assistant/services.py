"""The assistant's use cases: answering a question, and keeping the questions it could
not answer for editors. Keep it small: ranking is in :mod:`cms.assistant.retrieval`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page, Revision, Site
from wagtail.rich_text import RichText

from ..models.services import ServicePage
from .indexes import site_index
from .models import AssistantBestBet, AssistantSynonym, UnansweredQuestion
from .retrieval import (
    PageMatch,
    fold_key,
    put_best_bets_first,
    question_groups,
    site_of,
)
from .text import STOPWORDS, mask_personal_data, words

#: The share of the question (weighted by how rare its words are) the best passage must
#: cover before the assistant answers. Below it, it says it does not know. Measured on
#: the golden set (tests/cms/assistant_golden.py).
CONFIDENCE_THRESHOLD = 0.45

#: How many pages an answer shows at most, and how many passages of the best page.
MAX_PAGES = 3
MAX_PASSAGES_OF_BEST_PAGE = 2


@dataclass
class Answer:
    """What the assistant says to a question: pages with quoted passages, or nothing
    (``known`` is False) and the ways to a person."""

    question: str
    pages: list[PageMatch]
    confidence: float

    @property
    def known(self) -> bool:
        return bool(self.pages)


def answer_question(*, question: str, root: Page | None) -> Answer:
    """Answer ``question`` from the live pages under ``root`` (a Site's root page): the
    pages that cover at least :data:`CONFIDENCE_THRESHOLD` of it, best first, with the
    passages to quote.

    Side effect: a question that gets no answer is kept, masked, for editors
    (:func:`record_unanswered`).
    """
    index = site_index(root)
    site = site_of(root)
    found = put_best_bets_first(index.rank(question_groups(question, site)), question, site, root)
    pages = [page for page in found if page.coverage >= CONFIDENCE_THRESHOLD][:MAX_PAGES]
    confidence = pages[0].coverage if pages else max((page.coverage for page in found), default=0.0)
    if not pages:
        record_unanswered(question, known_terms=index.known_terms(question), site=site)
        return Answer(question, [], confidence)
    pages[0].passages = pages[0].passages[:MAX_PASSAGES_OF_BEST_PAGE]
    for page in pages[1:]:
        page.passages = page.passages[:1]
    index.materialize(pages)
    return Answer(question, pages, confidence)


def record_unanswered(question: str, known_terms=frozenset(), site: Site | None = None) -> None:
    """Count ``question`` in the report of ``site``'s editors, with e-mail addresses,
    numbers and names masked first (``known_terms``: the stems the site uses, which are
    no names): nothing personal is stored. The same words in another order count as the
    same question on the same website. Safe under concurrent requests (the key is
    unique per website)."""
    masked = mask_personal_data(" ".join(question.split()), known_terms)[:255]
    if not masked:
        return
    key = fold_key(masked)
    same = UnansweredQuestion.objects.filter(key=key, site=site)
    if same.update(times_asked=F("times_asked") + 1, last_asked=Now()):
        return
    try:
        with transaction.atomic():
            UnansweredQuestion.objects.create(key=key, question=masked, site=site)
    except IntegrityError:
        same.update(times_asked=F("times_asked") + 1, last_asked=Now())


def delete_old_unanswered_questions() -> int:
    """Delete the unanswered questions nobody asked for
    ``LOKET_ASSISTANT_RETENTION_DAYS`` days; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.LOKET_ASSISTANT_RETENTION_DAYS)
    deleted, _by_model = UnansweredQuestion.objects.filter(last_asked__lt=cutoff).delete()
    return deleted


#: The placeholders of :func:`~cms.assistant.text.mask_personal_data`: no words of a synonym.
_PLACEHOLDER = re.compile(r"\[[^\]]*\]")


def suggested_term(question: str, max_length: int | None = None) -> str:
    """The words of an unanswered question that say something (no stop words, no
    placeholders), as the start of a synonym or a best bet: "Waar mag mijn reclamebord
    hangen?" → "reclamebord hangen". Cut to ``max_length`` (a synonym's length)."""
    if max_length is None:
        max_length = AssistantSynonym._meta.get_field("term").max_length
    kept = [word for word in words(_PLACEHOLDER.sub(" ", question)) if word not in STOPWORDS]
    term = ""
    for word in kept:
        if len(term) + len(word) + 1 > max_length:
            break
        term = f"{term} {word}".strip()
    return term


@transaction.atomic
def add_synonym_for_question(
    question: UnansweredQuestion, *, term: str, meaning: str, site: Site | None
) -> AssistantSynonym:
    """Add the synonym ``term`` → ``meaning`` (for ``site``, or every website) that an
    editor wrote for an unanswered question, and mark the question handled. The caller
    checked the editor may (cms.assistant.admin)."""
    synonym = AssistantSynonym.objects.create(term=term, meaning=meaning, site=site)
    UnansweredQuestion.objects.filter(pk=question.pk).update(handled=True)
    return synonym


def _paragraphs(text: str) -> str:
    """Plain text as rich text: a paragraph per block of lines, line breaks kept."""
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return "".join(f"<p>{escape(block).replace(chr(10), '<br/>')}</p>" for block in blocks)


@transaction.atomic
def add_faq_item_for_question(
    question: UnansweredQuestion,
    *,
    service: ServicePage,
    faq_question: str,
    answer: str,
    user,
) -> Revision:
    """Add the FAQ item ``faq_question`` / ``answer`` (plain text) an editor wrote for an
    unanswered question to the end of ``service``'s FAQ, in a new draft revision built on
    the page's latest revision (a newer draft is kept), and mark the question handled.
    Never publishes: the live page and the assistant stay as they are until an editor
    publishes the draft. The caller checked the editor may edit the page
    (cms.assistant.admin)."""
    draft = service.get_latest_revision_as_object()
    draft.faq.append(("item", {"question": faq_question, "answer": RichText(_paragraphs(answer))}))
    revision = draft.save_revision(user=user, log_action=True)
    UnansweredQuestion.objects.filter(pk=question.pk).update(handled=True)
    return revision


@transaction.atomic
def add_best_bet_for_question(
    question: UnansweredQuestion, *, words: str, page: Page, site: Site | None, user
) -> AssistantBestBet:
    """Add the best bet ``words`` → ``page`` (for ``site``, or every website) an editor
    chose for an unanswered question, and mark the question handled. The caller checked
    the editor may (cms.assistant.admin)."""
    bet = AssistantBestBet(words=words, page=page, site=site, created_by=user)
    bet.full_clean()
    bet.save()
    UnansweredQuestion.objects.filter(pk=question.pk).update(handled=True)
    return bet
