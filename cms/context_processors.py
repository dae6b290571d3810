"""Template context of the public site."""

from __future__ import annotations

from django.conf import settings
from django.utils.functional import lazy

from . import page_cache


def _generation(request) -> str:
    site = getattr(request, "_wagtail_site", None)
    if site is None:
        # No site for this host: nothing in a fragment depends on one.
        return "none"
    all_version, site_version = page_cache.request_versions(request, site.pk)
    return f"{page_cache.release()}.{site.pk}.{all_version}.{site_version}"


def site_cache(request) -> dict:
    """``cache_generation``: what keys the header and footer fragments
    (``{% cache page_cache_seconds "footer" cache_generation LANGUAGE_CODE %}``), so
    that they are forgotten with the site's cached pages (cms/page_cache.py). Looked up
    only when a template uses it."""
    return {
        "cache_generation": lazy(_generation, str)(request),
        "page_cache_seconds": getattr(settings, "LOKET_PAGE_CACHE_SECONDS", 300),
    }
