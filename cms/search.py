"""Searching the desk: services first (with their call to action), then topics.

Uses Wagtail search, so the backend is whatever ``WAGTAILSEARCH_BACKENDS`` says: the
database backend by default, PostgreSQL full-text search with the Dutch configuration
in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from wagtail.models import Page

from .models import ServicePage, TopicPage

#: Words shorter than this do not select FAQ items to show under a result.
MIN_WORD_LENGTH = 3


@dataclass
class ServiceHit:
    """A service found, with the FAQ items that mention the words searched for."""

    page: ServicePage
    faq_questions: list[str] = field(default_factory=list)


def query_words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", query.lower()) if len(w) >= MIN_WORD_LENGTH]


def matching_faq_questions(service: ServicePage, words: list[str], limit: int = 2) -> list[str]:
    """The questions of the service's FAQ whose question or answer has one of ``words``."""
    found = []
    for block in service.faq:
        question = block.value["question"]
        text = f"{question} {strip_tags(block.value['answer'].source)}".lower()
        if any(word in text for word in words):
            found.append(question)
        if len(found) == limit:
            break
    return found


def search_services(root: Page | None, query: str):
    """Live, public services under ``root`` matching ``query``, best first.

    Returns Wagtail search results (lazy; slice or paginate them). When the words match
    nothing, the query is tried as the start of words, so that "terras" still finds
    "terrasvergunning" (Dutch glues words together).
    """
    services = ServicePage.objects.live().public()
    if root is not None:
        services = services.descendant_of(root, inclusive=True)
    results = services.search(query)
    if not results.count():
        results = services.autocomplete(query)
    return results


def search_topics(root: Page | None, query: str) -> list[TopicPage]:
    topics = TopicPage.objects.live().public()
    if root is not None:
        topics = topics.descendant_of(root, inclusive=True)
    return list(topics.search(query)[:10])


def service_hits(services, query: str) -> list[ServiceHit]:
    """Wrap a page of found services with the FAQ questions to show under each."""
    words = query_words(query)
    return [ServiceHit(page, matching_faq_questions(page, words)) for page in services]
