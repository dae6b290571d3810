"""Editors see only their own municipality's pages (docs/gemeenten.md).

Wagtail is multi-site but not multi-tenant: its explorer limits what an editor may
change, but its page chooser and page lists show every site's tree. The admin hooks in
cms/wagtail_hooks.py narrow those lists with :func:`limit_pages` to the trees in which
the user's groups have page permissions (GroupPagePermission), and their ancestors for
navigating down to them. Superusers see every page.

The roots are read with one query and kept on the user object for the request.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission

_CACHE_ATTRIBUTE = "_loket_page_roots"


def page_roots(user) -> list[str] | None:
    """The tree paths of the pages the user's groups have permissions on; None for a
    superuser (every page)."""
    if user.is_superuser:
        return None
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = sorted(
            set(
                GroupPagePermission.objects.filter(group__user=user).values_list(
                    "page__path", flat=True
                )
            )
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def limit_pages(pages: QuerySet, user) -> QuerySet:
    """``pages`` narrowed to the user's trees and the pages above them."""
    roots = page_roots(user)
    if roots is None:
        return pages
    step = 4  # treebeard's path: 4 characters per level
    ancestors = {root[:end] for root in roots for end in range(step, len(root), step)}
    condition = Q(path__in=sorted(ancestors))
    for root in roots:
        condition |= Q(path__startswith=root)
    return pages.filter(condition)
