"""The Wagtail admin without inline scripts: widget initialisers written as data.

Wagtail 8 starts its chooser, date/time and inline-panel widgets with small inline
scripts, e.g. ``<script>new PageChooser("id_page", {...});</script>`` or
``<script>initDateChooser("id_date", {...});</script>``. A Content-Security-Policy without
``'unsafe-inline'`` (core/security.py) blocks them. Here each becomes data instead::

    <script type="application/json" data-loket-init>
        {"call": "PageChooser", "construct": true, "args": ["id_page", {...}]}
    </script>

which a browser never runs, and ``cms/static/cms/js/admin-init.js`` (in every admin page,
before the content) makes the same call as soon as the element is in the page: while the
page loads, as Wagtail's own scripts would, and in HTML that arrives later (a chooser
modal, a new row of an inline panel).

Where the initialisers come from:

- chooser widgets (pages, snippets, images, documents, tasks):
  ``BaseChooser.render`` appends the script; :func:`patch_chooser_widgets` rewrites its
  output (cms/apps.py calls it at start-up);
- the date, time and date-time widgets and the inline and multiple-chooser panels:
  templates of the theme with the same names (``theme/templates/wagtailadmin/``) use the
  template tag ``admin_init`` instead of an inline script.

An initialiser of another shape is left as it was; the policy then blocks it and the
browser tests, which fail on any violation, say so (tests/e2e/conftest.py).
"""

from __future__ import annotations

import json
import re

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

#: One call, with JSON arguments, as Wagtail writes its initialisers.
INIT_CALL = re.compile(
    r"\A\s*(?P<construct>new\s+)?(?P<call>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)"
    r"\((?P<args>.*)\);?\s*\Z",
    re.S,
)
#: An inline script at the end of a widget's HTML (BaseChooser.render).
TRAILING_SCRIPT = re.compile(r"<script>(?P<code>(?:(?!</script>).)*)</script>\s*\Z", re.S)

#: What json_script escapes, so that the data can never end the <script> element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def init_data(call: str, args: list, *, construct: bool = False) -> SafeString:
    """``<script type="application/json" data-loket-init>`` for one call."""
    payload = json.dumps({"call": call, "construct": construct, "args": args})
    return format_html(
        '<script type="application/json" data-loket-init>{}</script>',
        mark_safe(payload.translate(_ESCAPES)),  # noqa: S308 - escaped just above
    )


def as_init_data(code: str) -> SafeString | None:
    """The data form of an inline initialiser ``code``; None when it is not one call
    with JSON arguments."""
    match = INIT_CALL.match(code)
    if match is None:
        return None
    try:
        args = json.loads(f"[{match['args']}]")
    except ValueError:
        return None
    return init_data(match["call"], args, construct=bool(match["construct"]))


def without_trailing_script(html: str) -> str:
    """``html`` with its trailing inline initialiser turned into data (if it has one)."""
    match = TRAILING_SCRIPT.search(html)
    if match is None:
        return html
    data = as_init_data(match["code"])
    if data is None:
        return html
    return mark_safe(html[: match.start()] + data)  # noqa: S308 - Wagtail's own HTML


def patch_chooser_widgets() -> None:
    """Make Wagtail's chooser widgets write their initialiser as data (once)."""
    from wagtail.admin.widgets.chooser import BaseChooser

    if getattr(BaseChooser.render, "loket_init_data", False):
        return
    original = BaseChooser.render

    def render(self, name, value, attrs=None, renderer=None):
        return without_trailing_script(original(self, name, value, attrs, renderer))

    render.loket_init_data = True
    BaseChooser.render = render
