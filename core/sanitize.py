"""Rich text is sanitised on output, with an allowlist (nh3, the Rust "ammonia" sanitiser).

Wagtail's editor stores only what its features allow, but rich text can reach the
database in other ways too: an import, a migration, a script, a bug. So every rich text
is cleaned again when it is shown, whatever path it took:

- Wagtail renders every rich text (the ``|richtext`` filter, and rich text blocks of
  StreamFields) through the template ``wagtailcore/shared/richtext.html``; the theme's
  copy of that template passes it through :func:`sanitize_html`.
- Code that turns rich text into HTML itself (``expand_db_html``, e.g. the form's
  confirmation text) calls :func:`sanitize_html` on the result.

What is kept is what the editor's features produce (:data:`ALLOWED_TAGS`), links to
http(s), e-mail and phone addresses and relative links, and images as Wagtail renders
them. Everything else goes: scripts and styles with their content, frames, objects,
forms, event handlers (``onerror=``), ``style`` and other attributes, ``javascript:`` and
``data:`` URLs, comments. A link that opens a new window gets
``rel="noopener noreferrer"``.

Plain text (applicants' messages, officers' questions, decisions, e-mail texts) is not
rich text: it is escaped by the templates and never passes through here.
"""

from __future__ import annotations

import re

import nh3
from django.utils.safestring import SafeString, mark_safe

#: Tags that stay: what the Draftail features of Wagtail produce (bold is ``<b>``,
#: italic ``<i>``), plus ``<img>`` as Wagtail renders an image in rich text.
ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "h2",
        "h3",
        "h4",
        "b",
        "strong",
        "i",
        "em",
        "sup",
        "sub",
        "s",
        "code",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "img",
    }
)

#: Attributes that stay, per tag (``*``: on every tag; nh3 would keep ``lang`` and
#: ``title`` there). ``target`` only as ``_blank`` (see :data:`ALLOWED_ATTRIBUTE_VALUES`);
#: the classes of images in :data:`ALLOWED_CLASSES`.
ALLOWED_ATTRIBUTES = {
    "*": set(),
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
}

#: Attributes that stay only with one of these values.
ALLOWED_ATTRIBUTE_VALUES = {"a": {"target": {"_blank"}}}

#: Classes Wagtail gives images in rich text (the editor's alignment choices).
ALLOWED_CLASSES = {"img": {"richtext-image", "left", "right", "full-width"}}

#: URL schemes of links and images; relative URLs (``/path``, ``#anchor``) stay too.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

#: Removed together with everything inside them; other tags that are not allowed are
#: removed but their text stays (as text).
REMOVED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript", "textarea"}
)

#: The opening tag of a link as nh3 writes it (attribute values always in double quotes,
#: a quote inside one as ``&quot;``), with a ``target``.
_ATTRIBUTE = r'\s+[a-z-]+="[^"]*"'
_LINK_WITH_TARGET = re.compile(rf'<a((?:{_ATTRIBUTE})*\s+target="_blank"(?:{_ATTRIBUTE})*)>')


def sanitize_html(html: str | None) -> SafeString:
    """``html`` with only the allowed tags, attributes and URLs: safe to show as is."""
    cleaned = nh3.clean(
        str(html or ""),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    # A page opened in a new window may not reach back to this one (window.opener).
    cleaned = _LINK_WITH_TARGET.sub(r'<a\1 rel="noopener noreferrer">', cleaned)
    return mark_safe(cleaned)  # noqa: S308 - cleaned with an allowlist just now
