"""Editors see only their own municipality's pages (docs/gemeenten.md).

Wagtail is multi-site but not multi-tenant: its explorer limits what an editor may
change, but its page chooser and page lists show every site's tree. The admin hooks in
cms/wagtail_hooks.py narrow those lists with :func:`limit_pages` to the trees in which
the user's groups have page permissions (GroupPagePermission), and their ancestors for
navigating down to them. Superusers see every page.

The roots are read with one query and kept on the user object for the request.
:class:`AdminScopeMiddleware` closes the rest: admin URLs about another tree's pages,
and the installation-wide reports (superusers only).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import GroupPagePermission, Page, Site
from wagtail.permission_policies import ModelPermissionPolicy

_CACHE_ATTRIBUTE = "_loket_page_roots"
ADMIN_PREFIX = "/admin/"


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


#: URL keyword arguments of admin views that name a page.
PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")

#: Admin screens that show every site at once (page lists across the installation):
#: for superusers only. Wagtail does not narrow them to the user's own trees.
INSTALLATION_WIDE = {
    "site_history",
    "site_history_results",
    "locked_pages",
    "locked_pages_results",
    "page_types_usage",
    "page_types_usage_results",
    "aging_pages",
    "aging_pages_results",
}

#: The admin API's image and document endpoints list every collection; Wagtail's own
#: screens do not use them (their choosers are views that follow the collections).
INSTALLATION_WIDE_API = ("wagtailadmin_api:images", "wagtailadmin_api:documents")


def page_in_reach(user, page_id: int) -> bool:
    """Whether the page lies in one of the user's trees, or above one (to navigate)."""
    return limit_pages(Page.objects.filter(pk=page_id), user).exists()


class AdminScopeMiddleware:
    """Closes what Wagtail leaves open between municipalities: an admin URL about a page
    outside the user's trees answers 404 (the page chooser's parent, moving, ...), and
    the installation-wide reports and the admin API's images and documents answer 403
    to everyone but superusers. The isolation walk (tests/cms/test_isolation.py) proves
    no admin screen shows another municipality's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or user.is_superuser:
            return None
        if not request.path.startswith(ADMIN_PREFIX):
            return None
        if match.url_name in INSTALLATION_WIDE or match.namespace in INSTALLATION_WIDE_API:
            raise PermissionDenied
        for name in PAGE_ARGUMENTS:
            value = view_kwargs.get(name)
            if value is not None and str(value).isdigit() and not page_in_reach(user, int(value)):
                raise Http404
        return None


# --- snippets of a municipality (docs/gemeenten.md, "Teksten per gemeente") -------------------

_SITES_ATTRIBUTE = "_loket_editor_sites"


def editor_site_ids(user) -> set[int] | None:
    """The Sites (municipalities) an editor works for: those whose tree holds one of the
    user's page trees or lies inside one; None for a superuser (every Site). For the
    records kept per municipality that are not pages (texts, letters, report
    categories, the assistant's questions and synonyms, proactive rules). One query,
    kept on the user for the request."""
    roots = page_roots(user)
    if roots is None:
        return None
    cached = getattr(user, _SITES_ATTRIBUTE, None)
    if cached is None:
        cached = set()
        if roots:
            for site_id, path in Site.objects.values_list("pk", "root_page__path"):
                if any(path.startswith(root) or root.startswith(path) for root in roots):
                    cached.add(site_id)
        setattr(user, _SITES_ATTRIBUTE, cached)
    return cached


def keeps_shared(user) -> bool:
    """Whether ``user`` changes the items shared by every municipality: superusers, and
    (as on an installation of one municipality) the editors of the default Site and
    editors of no municipality's tree who were given the rights."""
    ids = editor_site_ids(user)
    if ids is None or not ids:
        return True
    from wagtail.models import Site

    default = getattr(user, "_loket_default_site_id", False)
    if default is False:
        default = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
        user._loket_default_site_id = default
    return default in ids


class SitePermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions, and for anyone but a superuser only on the objects of
    the Sites they edit (:func:`editor_site_ids`). Objects without a Site are shared by
    every municipality: only those who :func:`keeps_shared` change them.

    For snippets with a ``site`` field (e-mail texts, decision letters, report
    categories): an editor of municipality A lists, opens, changes and deletes only A's
    items, and gets A as the only choice of municipality."""

    #: The lookup from the model to its Site's id.
    site_lookup = "site_id"

    def in_reach(self, user, instance) -> bool:
        """Whether ``instance`` is of one of the user's Sites (or shared, for those who
        :func:`keeps_shared`)."""
        ids = editor_site_ids(user)
        if ids is None:
            return True
        site_id = instance
        for part in self.site_lookup.split("__"):
            site_id = getattr(site_id, part, None) if site_id is not None else None
        if site_id is None:
            return keeps_shared(user)
        return site_id in ids

    def user_has_permission_for_instance(self, user, action, instance):
        return self.in_reach(user, instance) and super().user_has_permission_for_instance(
            user, action, instance
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.in_reach(user, instance) and super().user_has_any_permission_for_instance(
            user, actions, instance
        )

    def instances_user_has_permission_for(self, user, action):
        return self.scoped(super().instances_user_has_permission_for(user, action), user)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.scoped(super().instances_user_has_any_permission_for(user, actions), user)

    def scoped(self, queryset: QuerySet, user) -> QuerySet:
        ids = editor_site_ids(user)
        if ids is None:
            return queryset
        own = Q(**{f"{self.site_lookup}__in": sorted(ids)})
        if keeps_shared(user):
            own |= Q(**{f"{self.site_lookup}__isnull": True})
        return queryset.filter(own)
