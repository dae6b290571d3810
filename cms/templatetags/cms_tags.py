"""Template tags of the public site."""

import json

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language
from wagtail.models import Site

from cms import burgerprofiel
from cms.admin_scripts import init_data
from core import colours, sanitize, translation

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


def content_language() -> str:
    """The language editors write the site's pages in (the default language, Dutch)
    when the visitor chose another one, else "": the pages are not translated, so their
    texts stay Dutch while the interface around them follows the visitor's choice."""
    language = settings.LANGUAGE_CODE
    return language if (get_language() or language) != language else ""


@register.simple_tag
def content_lang():
    """`` lang="nl"`` on an element with editor-written text when the visitor chose
    English, so that screen readers read it with a Dutch voice (WCAG 3.1.2)."""
    language = content_language()
    return format_html(' lang="{}"', language) if language else ""


@register.simple_tag
def dutch_text(text):
    """``text`` (editor-written, inside interface text) in a ``<span lang="nl">`` when
    the visitor chose English; the text alone otherwise."""
    language = content_language()
    return format_html('<span lang="{}">{}</span>', language, text) if language else text


@register.simple_tag(name="translated")
def translated_text(obj, name: str):
    """``obj.<name>`` as the visitor reads it (core.translation.translated): use its
    ``.text`` (or the object itself) and ``.attr`` (`` lang="nl"`` on a Dutch text among
    English), e.g. ``{% translated page "intro" as intro %}<p{{ intro.attr }}>{{ intro }}``."""
    return translation.translated(obj, name)


@register.inclusion_tag("theme/components/only_in_dutch.html")
def only_in_dutch_notice():
    """The short notice that the page's texts are only in Dutch, for a visitor who
    chose English; nothing for a visitor who reads Dutch."""
    return {"content_language": content_language()}


@register.inclusion_tag("theme/components/language_notice.html")
def language_notice(page):
    """For a visitor who chose English: that ``page`` is only in Dutch (no English
    title) or that parts of it are (a filled-in text without its English version);
    nothing when it reads in English or the visitor reads Dutch
    (core.translation.EnglishTextsMixin)."""
    return {"english": page.english_status()}


@register.inclusion_tag("theme/components/burgerprofiel_header.html", takes_context=True)
def burgerprofiel_header(context):
    """The Flemish global header's widget script, when the site shows it
    (cms/burgerprofiel.py adds its origin to the page's CSP)."""
    request = context.get("request")
    return {"header": burgerprofiel.header_for(request) if request else {}}
