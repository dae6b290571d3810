"""Shared behaviour of Wagtail pages that every visitor request passes through."""

from __future__ import annotations

import functools

from django.db.models.expressions import RawSQL
from wagtail.models import Page, PageViewRestriction


class ViewRestrictionsInOneQueryMixin:
    """Wagtail's privacy check (``get_view_restrictions``) in one query instead of two,
    for pages that are served very often (application form steps, cached public pages
    on a cold cache)."""

    def get_view_restrictions(self):
        """The privacy settings that apply to this page, in one query.

        The same restrictions as Wagtail's version (those of the page and its ancestors;
        for an alias, those of its source page), which takes two queries. The
        ancestors' paths follow from the page's own tree path; an alias's own
        restrictions (Wagtail copies them when it makes the alias) do not count, those
        of the page it is an alias of do.

        The condition is written in SQL because this runs on every request of every
        form step: the ORM took twice as long to build the same query from lookups
        across the page tree (``page__path__in`` or ``page__aliases__path__in``, with
        DISTINCT). It stays a QuerySet: Wagtail's privacy views order it.
        """
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        ids = RawSQL(_restrictions_sql(len(paths)), paths * 2)
        return PageViewRestriction.objects.filter(pk__in=ids)


@functools.cache
def _restrictions_sql(depth: int) -> str:
    """The ids of the view restrictions on the pages at ``depth`` tree paths (the page
    and its ancestors) that are not aliases, and on the pages those paths are aliases
    of; parameters: the paths, twice."""
    restrictions = PageViewRestriction._meta.db_table
    pages = Page._meta.db_table
    placeholders = ", ".join(["%s"] * depth)
    return (
        f"SELECT restriction.id FROM {restrictions} restriction "
        f"JOIN {pages} page ON restriction.page_id = page.id "
        f"WHERE (page.path IN ({placeholders}) AND page.alias_of_id IS NULL) "
        f"OR restriction.page_id IN "
        f"(SELECT alias_of_id FROM {pages} WHERE path IN ({placeholders}))"
    )


class SitePathUrlMixin:
    """``page.url`` as the page's path within its own site ("/starten/terras/"), as it
    was when an installation served one site.

    With several sites (municipalities, the province's library) Wagtail's ``page.url``
    names the host of the page's Site whenever it has no request, so code that builds a
    redirect or a link from ``page.url`` (the wizard's steps, resume links, the finder)
    would send the visitor to the Site's configured host name instead of the one they
    are on. Visitors always move within the site they are on, so the path is what that
    code needs; templates use ``{% pageurl %}`` (with the request) and e-mails use
    ``LOKET_BASE_URL``, unaffected by this. Wagtail's own ``get_url(request)`` and
    ``full_url`` are unchanged.
    """

    @property
    def url(self):
        parts = self.get_url_parts()
        return None if parts is None else parts[2]
