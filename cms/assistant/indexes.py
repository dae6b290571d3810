"""Which passage index answers a site's questions: the PostgreSQL full-text index
(:class:`cms.assistant.postgres.PostgresIndex`) where the server has it, else the
in-process :class:`cms.assistant.retrieval.PassageIndex`; kept per site root while its
published pages stay the same. Its own module, so that neither index imports the other.
"""

from __future__ import annotations

from django.db.models import Count, Max
from wagtail.models import Page

from . import postgres
from .retrieval import PassageIndex, site_passages

#: Indexes built per site root, kept while its published pages stay the same.
_INDEXES: dict[tuple, PassageIndex] = {}
#: How many indexes a process keeps (one per Site is the usual need).
MAX_INDEXES = 16


def site_index(root: Page | None) -> PassageIndex:
    """The :class:`PassageIndex` of the site under ``root``, built again when a page is
    published, unpublished, moved out or deleted (one cheap query tells). On PostgreSQL
    with pg_trgm a :class:`cms.assistant.postgres.PostgresIndex` (same methods), whose
    passages are written again then."""
    pages = Page.objects.live()
    if root is not None:
        pages = pages.descendant_of(root, inclusive=True)
    state = pages.aggregate(last=Max("last_published_at"), count=Count("pk"), paths=Max("path"))
    version = (root.pk if root else None, state["last"], state["count"], state["paths"])
    index = _INDEXES.get(version)
    if index is None:
        if len(_INDEXES) >= MAX_INDEXES:
            _INDEXES.clear()
        if postgres.available():
            index = postgres.PostgresIndex(root)
            index.sync()
        else:
            index = PassageIndex(site_passages(root))
        _INDEXES[version] = index
    return index


def forget_indexes() -> None:
    """Drop the indexes this process keeps (tests whose database rolls back use it)."""
    _INDEXES.clear()
