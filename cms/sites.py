"""Which Wagtail Site answers a request, without a query on every request.

Wagtail looks the Site up with one large query per request (``Site.find_for_request``)
and then loads the site's home page (``root_page.specific``) to route from it: every
page view and every step of every form pays for both. :class:`SiteCacheMiddleware`
answers the lookup from Django's cache instead, with the home page already loaded, and
hands it to Wagtail through ``request._wagtail_site``, the attribute Wagtail itself
caches the lookup in. Everything downstream (routing, ``{% pageurl %}``, site settings)
is Wagtail's own code.

The cached lookups are forgotten (a new cache version) whenever a Site or any page is
saved, deleted or moved; they also expire after :data:`TIMEOUT` seconds, so several web
processes that do not share a cache agree again within a minute. Use a shared cache
(``CACHE_URL``, Redis) in production.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.signals import post_page_move

#: Seconds a lookup is kept at most.
TIMEOUT = 60
VERSION_KEY = "loket:site-lookup-version"
#: Where Wagtail's ``Page._get_site_root_paths(request)`` keeps the site root paths.
ROOT_PATHS_ATTRIBUTE = "_wagtail_cached_site_root_paths"


def forget_lookups(**_kwargs) -> None:
    """Make every cached lookup stale (signal receiver)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        # No version yet: entries stored so far hold the implicit 0.
        cache.set(VERSION_KEY, 1, timeout=None)


def find_site(request) -> Site | None:
    """The Site for ``request``, as ``Site.find_for_request`` finds it, from the cache
    when it was looked up before (with its home page loaded).

    One round trip to the cache: the entry holds the version it was stored under and
    is read together with the current version. The entry also holds Wagtail's site root
    paths (what ``page.get_url_parts(request)`` and ``{% pageurl %}`` need), put where
    Wagtail keeps them for the request: building a page's URL then takes no second round
    trip. They change only when a Site or a page is saved or moved, which moves the
    version too."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = f"loket:site-lookup:{hostname}:{port}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == version and len(entry) == 3:
        if entry[2] is not None and not hasattr(request, ROOT_PATHS_ATTRIBUTE):
            setattr(request, ROOT_PATHS_ATTRIBUTE, entry[2])
        return entry[1] or None  # False: no site for this host
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page.specific  # noqa: B018 - loaded now, so the cached copy holds it
    root_paths = Site.get_site_root_paths()
    cache.set(key, (version, site or False, root_paths), timeout=TIMEOUT)
    return site


class SiteCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not hasattr(request, "_wagtail_site"):
            request._wagtail_site = find_site(request)
        return self.get_response(request)


def _forget_for_pages(sender, instance=None, **_kwargs) -> None:
    # Page subclasses send the signals with their own class as sender.
    if isinstance(instance, Page):
        forget_lookups()


def connect_signals() -> None:
    from cms.library.models import LibrarySettings

    # The library's root paths (cms.library.services) are kept under the same version.
    post_save.connect(forget_lookups, sender=LibrarySettings, dispatch_uid="loket-library-save")
    post_save.connect(forget_lookups, sender=Site, dispatch_uid="loket-site-save")
    post_delete.connect(forget_lookups, sender=Site, dispatch_uid="loket-site-delete")
    post_save.connect(_forget_for_pages, dispatch_uid="loket-page-save")
    post_delete.connect(_forget_for_pages, dispatch_uid="loket-page-delete")
    post_page_move.connect(forget_lookups, dispatch_uid="loket-page-move")
