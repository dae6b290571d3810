"""The adapter for the Flemish global header (Burgerprofiel): what a page shows and what
its Content-Security-Policy allows, from the fields of
:class:`cms.models.burgerprofiel.GlobalHeaderSettings` on the site's branding.

What a site shows is also kept in the cache, so that a page the page cache answers
(without a query) still gets the right policy; it is forgotten when the branding is
saved.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cms.models import SiteBranding
from cms.page_cache import HIT_HEADER
from cms.sites import find_site
from core.security import admin_prefix

CACHE_SECONDS = 300
#: The directives that get the widget server's origin: its script, and the styles,
#: images, fonts and calls that script makes. No 'unsafe-inline', nothing else.
DIRECTIVES = ("script-src", "style-src", "img-src", "font-src", "connect-src")


def _key(site_id: int) -> str:
    return f"loket:burgerprofiel:{site_id}"


def header_for(request, *, store: bool = False) -> dict:
    """``{"script": url, "origin": origin}`` when the request's site shows the header,
    else {}. On a cache miss the branding comes from Wagtail's per-request settings
    cache, which the page's template has usually filled already. ``store``: keep it in
    the cache even when the request had its branding loaded (a page the page cache
    just stored: its next visitors get it without the branding)."""
    site = site_of(request)
    if site is None:
        return {}
    loaded = getattr(request, SiteBranding.get_cache_attr_name(), None)
    if loaded is not None:
        # The branding of this request is loaded already (site settings from the cache,
        # cms.page_cache.SiteSettingsCacheMiddleware): no round trip to the cache.
        header = _header(loaded)
        if store:
            cache.set(_key(site.pk), header, CACHE_SECONDS)
        return header
    key = _key(site.pk)
    header = cache.get(key)
    if header is None:
        header = _header(SiteBranding.for_request(request))
        cache.set(key, header, CACHE_SECONDS)
    return header


def _header(branding) -> dict:
    if not branding.shows_global_header:
        return {}
    return {"script": branding.global_header_script, "origin": branding.global_header_origin}


@receiver(post_save, sender=SiteBranding)
@receiver(post_delete, sender=SiteBranding)
def _forget(sender, instance, **kwargs):
    cache.delete(_key(instance.site_id))


def site_of(request):
    """The request's Site, as cms.sites.SiteCacheMiddleware found it."""
    if not hasattr(request, "_wagtail_site"):
        request._wagtail_site = find_site(request)
    return request._wagtail_site


class BurgerprofielMiddleware:
    """Adds the widget server's origin to the CSP of public HTML pages of a site that
    shows the header. Sits after ``core.security.SecurityHeadersMiddleware`` in
    MIDDLEWARE, so it marks the response before that one writes the header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (301, 302, 303, 307, 308):
            return response  # a redirect shows nothing: no header, no policy to widen
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if request.path_info.startswith(admin_prefix()):
            return response
        stored = response.get(HIT_HEADER) == "miss"  # the page cache just kept it
        origin = header_for(request, store=stored).get("origin")
        if origin:
            update = dict(getattr(response, "_csp_update", None) or {})
            for directive in DIRECTIVES:
                update[directive] = [*update.get(directive, []), origin]
            response._csp_update = update
        return response
