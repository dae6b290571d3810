"""Wagtail's page routing from the cache: the page of a URL without walking the tree.

Wagtail routes a URL one tree level at a time, with two queries a level (the child by
its slug, then its specific page): a step of a form three levels below the home page
costs six queries before any of the form's own work. :func:`serve` looks the page up in
Django's cache first and hands the result to Wagtail through
``request._wagtail_route_for_request``, the attribute ``Page.route_for_request`` keeps
its answer in; everything after that (the privacy check, the page's ``serve``, the
``before_serve_page`` hooks) is Wagtail's own code, on every request.

What is cached
--------------
For each page that answered a request: the specific page itself, under its own path
(site, language, path), not under the URL that reached it, so the steps of a form
(``stap/1/``, ``stap/2/``, ``controleren/``) share one entry and the number of entries is
bounded by the pages, not by the URLs visitors invent. A request reads the site lookup
version and every leading part of its path in one round trip, takes the longest part
that is a cached page and lets that page route the rest (``page.route(request, rest)``:
a form page resolves its step, an ordinary page with nothing left returns itself if it
is live, a child that is not cached yet is looked up as Wagtail does).

When it is forgotten
--------------------
The entries carry the version of :mod:`cms.sites`, which moves whenever any page or Site
is saved, deleted or moved (publishing and unpublishing save the page), and expire
after :data:`cms.sites.TIMEOUT` seconds. The privacy check is never cached: view
restrictions are read on every request (:class:`core.pages.ViewRestrictionsInOneQueryMixin`).
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404
from django.utils.translation import get_language
from wagtail import views as wagtail_views

from .page_cache import release
from .sites import TIMEOUT, VERSION_KEY

#: Path components deeper than this are not looked up in the cache (routing still works).
MAX_DEPTH = 12


def _key(site_id: int, language: str, components: list[str]) -> str:
    return f"loket:route:{release()}:{site_id}:{language}:/{'/'.join(components)}"


def route_for_request(request, path: str):
    """The (page, args, kwargs) Wagtail would route ``path`` to, or None (a 404);
    kept on the request like ``Page.route_for_request`` keeps it."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = getattr(request, "_wagtail_site", None)
    if site is None:
        return None  # Wagtail finds no site either: a 404, as before
    components = [component for component in path.split("/") if component]
    language = get_language() or ""
    prefixes = {
        _key(site.pk, language, components[:length]): length
        for length in range(min(len(components), MAX_DEPTH) + 1)
    }
    found = cache.get_many([VERSION_KEY, *prefixes])
    version = found.get(VERSION_KEY, 0)
    start, consumed = None, 0
    for key, length in prefixes.items():
        entry = found.get(key)
        if entry is not None and entry[0] == version and length >= consumed:
            start, consumed = entry[1], length
    try:
        if start is None:
            root = site.root_page.localized.specific
            result = root.route(request, components)
            _remember(site, language, root, result[0], version)
        else:
            result = start.route(request, components[consumed:])
    except Http404:
        result = None
    request._wagtail_route_for_request = result
    return result


def _remember(site, language: str, root, page, version) -> None:
    """Store ``page`` under its own path below ``root`` (the page routing started at)."""
    if not page.url_path.startswith(root.url_path):
        return
    own = [part for part in page.url_path[len(root.url_path) :].split("/") if part]
    if len(own) > MAX_DEPTH:
        return
    cache.set(_key(site.pk, language, own), (version, page), timeout=TIMEOUT)


def serve(request, path):
    """Wagtail's page view, with the route from the cache (module docstring)."""
    route_for_request(request, path)
    return wagtail_views.serve(request, path)
