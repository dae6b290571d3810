"""What a page tells search engines and chat previews about itself."""

from __future__ import annotations

import html

from django.apps import apps
from django.utils.encoding import escape_uri_path
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

#: Fields tried in order for a page's description: the search description editors write
#: on the "Promote" tab, else the page's summary or introduction, else (a service) the
#: "What is it?" text. A page type may define ``get_meta_description()`` instead.
DESCRIPTION_FIELDS = ("search_description", "intro", "what_it_is", "body")

#: Search engines show about this many characters of a description.
DESCRIPTION_LENGTH = 160

#: Page types that are steps of a process, never a page to land on from a search
#: engine: left out of the sitemap and kept from crawlers (robots.txt, noindex). An
#: application form starts with its first step; its service page is what people find.
STEP_PAGE_TYPES = ("forms_builder.ApplicationFormPage",)


def step_page_models() -> list[type[Page]]:
    return [apps.get_model(label) for label in STEP_PAGE_TYPES]


def plain_text(value) -> str:
    """Text of a field (plain text or rich text HTML) on one line, without markup."""
    text = html.unescape(strip_tags(str(value or "")))
    return " ".join(text.split())


def site_description(site_name: str) -> str:
    """The description of a screen that has none of its own."""
    return _("The desk for entrepreneurs of %(name)s.") % {"name": site_name}


def meta_description(page: Page | None, site_name: str) -> str:
    """The page's description for ``<meta name="description">`` and Open Graph."""
    text = ""
    if page is not None:
        if hasattr(page, "get_meta_description"):
            text = plain_text(page.get_meta_description())
        for name in DESCRIPTION_FIELDS:
            text = text or plain_text(getattr(page, name, ""))
    if not text:
        return site_description(site_name)
    return Truncator(text).chars(DESCRIPTION_LENGTH)


def site_root_url(request) -> str:
    """The Site's own address (scheme, host and port as set under Settings → Sites),
    so that every canonical address uses the same host, whatever the request used."""
    site = Site.find_for_request(request)
    if site is not None:
        return site.root_url
    return request.build_absolute_uri("/").rstrip("/")


def canonical_url(request) -> str:
    """The address of this screen without its query string, on the Site's own host."""
    return site_root_url(request) + escape_uri_path(request.path)


def absolute_url(request, url: str) -> str:
    """``url`` as a full address (a page path on this Site, or left as it is)."""
    if url.startswith("/"):
        return site_root_url(request) + url
    return url


def service_structured_data(page, request, branding) -> dict:
    """schema.org ``GovernmentService`` of a service page, with the municipality (from the
    Site's branding) as its provider; ``application/ld+json`` in the page's head."""
    site_name = branding.display_name if branding else "Loket"
    provider = {
        "@type": "GovernmentOrganization",
        "name": site_name,
        "url": site_root_url(request) + "/",
    }
    if branding is not None:
        contact = {
            "address": ", ".join(branding.address_lines),
            "telephone": branding.phone,
            "email": branding.email,
        }
        provider.update({key: value for key, value in contact.items() if value})
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": page.seo_title or page.title,
        "description": meta_description(page, site_name),
        "url": canonical_url(request),
        "provider": provider,
        "areaServed": {"@type": "AdministrativeArea", "name": site_name},
    }
    if ipdc_code := getattr(page, "ipdc_code", ""):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "IPDC", "value": ipdc_code}
    if apply_url := getattr(page, "apply_url", ""):
        data["availableChannel"] = {
            "@type": "ServiceChannel",
            "name": page.call_to_action or _("Apply online"),
            "serviceUrl": absolute_url(request, apply_url),
        }
    return data
