"""Template tags of the public site."""

import json

from django import template
from wagtail.models import Site

from cms import burgerprofiel
from cms.admin_scripts import init_data
from core import colours, sanitize

register = template.Library()


@register.filter
def sanitize_html(html):
    """Rich text HTML with only the allowed tags and attributes (core/sanitize.py).
    Wagtail's ``|richtext`` already does this through the theme's
    ``wagtailcore/shared/richtext.html``; use it for other HTML from the database."""
    return sanitize.sanitize_html(html)


#: Page types that show breadcrumbs. Application forms do not: inside a form, the
#: way out is the back link, not the site's structure.
BREADCRUMB_PAGE_TYPES = {
    "cms.topicpage",
    "cms.servicepage",
    "cms.finderpage",
    "cms.contactpage",
    "cms.contentpage",
}


@register.inclusion_tag("theme/components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None):
    """The way from the Site's home page to ``page`` (default: the current page)."""
    page = page or context.get("page")
    request = context.get("request")
    if page is None or page._meta.label_lower not in BREADCRUMB_PAGE_TYPES:
        return {"crumbs": []}
    site = Site.find_for_request(request) if request else None
    root_depth = site.root_page.depth if site else 2
    # Plain pages (title and URL are all a crumb shows): one query, whatever their types.
    ancestors = page.get_ancestors().filter(depth__gte=root_depth, live=True)
    return {"crumbs": list(ancestors), "current": page}


@register.filter
def brand_version(branding) -> str:
    """The ``?v=`` of the brand stylesheet (cms.views.brand_stylesheet)."""
    return colours.brand_version(branding)


@register.simple_tag
def admin_init(call: str, *args, construct: bool = False):
    """An admin widget's initialiser as data instead of an inline script
    (cms/admin_scripts.py), e.g.
    ``{% admin_init "initDateChooser" widget.attrs.id widget.config_json|from_json %}``."""
    return init_data(call, list(args), construct=construct)


@register.filter
def from_json(text: str):
    """The value of a JSON text (Wagtail's ``config_json`` and ``options_json``)."""
    return json.loads(text)


@register.inclusion_tag("theme/components/burgerprofiel_header.html", takes_context=True)
def burgerprofiel_header(context):
    """The Flemish global header's widget script, when the site shows it
    (cms/burgerprofiel.py adds its origin to the page's CSP)."""
    request = context.get("request")
    return {"header": burgerprofiel.header_for(request) if request else {}}
