"""Template tags for what search engines and chat previews read (cms/findable)."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site

from cms.findable import metadata
from cms.models.branding import SiteBranding

register = template.Library()

#: Characters that could end the <script> element or start markup inside it.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _branding(request):
    # for_request: looked up once per request, whichever template asks first.
    site = Site.find_for_request(request) if request else None
    return SiteBranding.for_request(request) if site else None


@register.inclusion_tag("theme/components/page_metadata.html", takes_context=True)
def page_metadata(context):
    """``<meta name="description">``, the canonical address and Open Graph tags of the
    screen; Open Graph only on Wagtail pages (``page`` in the context). Steps of a
    process (:data:`cms.findable.metadata.STEP_PAGE_TYPES`) also say ``noindex``."""
    request = context.get("request")
    page = context.get("page")
    branding = context.get("branding") or _branding(request)
    site_name = branding.display_name if branding else "Loket"
    if request is None:
        return {"description": metadata.meta_description(page, site_name)}
    return {
        "description": metadata.meta_description(page, site_name),
        "noindex": isinstance(page, tuple(metadata.step_page_models())),
        "canonical": metadata.canonical_url(request),
        "page": page,
        "title": (page.seo_title or page.title) if page is not None else "",
        "site_name": site_name,
    }


@register.simple_tag(takes_context=True)
def service_structured_data(context, page):
    """The service as schema.org JSON-LD, in a data block the browser does not run."""
    request = context["request"]
    data = metadata.service_structured_data(page, request, _branding(request))
    text = json.dumps(data, ensure_ascii=False, indent=1).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))
