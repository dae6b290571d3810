"""Plain-text e-mails rendered from templates.

An e-mail's subject and body are plain text: HTML escaping would send ``&quot;`` and
``&amp;`` to the reader. Loket sends no HTML part, and whatever shows a sent e-mail
in a web page (the back office) escapes it there, so rendering without escaping opens
no way into HTML.
"""

from __future__ import annotations

from django.template import Context
from django.template.loader import get_template


def render_plain_text(template_name: str, context: dict) -> str:
    """``template_name`` rendered with ``context`` and autoescaping off."""
    template = get_template(template_name)
    return template.template.render(Context(context, autoescape=False))


def render_subject(template_name: str, context: dict) -> str:
    """A subject line: plain text on one line (a header never holds a line break)."""
    return " ".join(render_plain_text(template_name, context).split())
