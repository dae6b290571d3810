"""Reading pages the way a browser without JavaScript does: links, forms and what a form
sends, so that the tests drive the site over real HTTP with plain requests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

REFERENCE_RE = re.compile(r'<strong class="reference">([^<]+)</strong>')


@dataclass
class Link:
    href: str
    text: str
    classes: list[str]


@dataclass
class Form:
    action: str
    method: str
    #: What the form sends as it is: (name, value) of every input, in order (checked
    #: boxes and radios only, no buttons, no files).
    fields: list[tuple[str, str]] = field(default_factory=list)
    #: Every input name with its type, including unchecked boxes and buttons.
    inputs: dict[str, str] = field(default_factory=dict)
    classes: list[str] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def name_ending(self, suffix: str) -> str:
        """The one input name that ends with ``-suffix`` (wizard fields are prefixed)."""
        names = [name for name in self.inputs if name == suffix or name.endswith("-" + suffix)]
        if len(names) != 1:
            raise AssertionError(f"no single input named *-{suffix} in {list(self.inputs)}")
        return names[0]

    def data(self, **answers: str) -> dict[str, list[str] | str]:
        """What submitting sends: the form's own values, the ``answers`` (by name, or by
        the end of a prefixed name) instead of them."""
        data: dict[str, list[str] | str] = {}
        for name, value in self.fields:
            data.setdefault(name, [])
            data[name].append(value)  # type: ignore[union-attr]
        for key, value in answers.items():
            data[self.name_ending(key) if key not in self.inputs else key] = value
        return data


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[Link] = []
        self.forms: list[Form] = []
        self._link: Link | None = None
        self._form: Form | None = None
        self._textarea: tuple[str, list[str]] | None = None
        self._select: str | None = None
        self._select_first: tuple[str, str] | None = None
        self._select_chosen = False

    def handle_starttag(self, tag, attrs):
        attributes = {key: value or "" for key, value in attrs}
        if tag == "a" and "href" in attributes:
            self._link = Link(attributes["href"], "", attributes.get("class", "").split())
        elif tag == "form":
            self._form = Form(
                action=attributes.get("action", ""),
                method=attributes.get("method", "get").lower(),
                classes=attributes.get("class", "").split(),
            )
            self.forms.append(self._form)
        elif self._form is not None:
            self._form_input(tag, attributes)

    def _form_input(self, tag, attributes):
        form, name = self._form, attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            form.inputs[name] = kind
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    form.fields.append((name, attributes.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                form.fields.append((name, attributes.get("value", "")))
        elif tag == "button" and name:
            form.inputs[name] = "button"
        elif tag == "textarea" and name:
            form.inputs[name] = "textarea"
            self._textarea = (name, [])
        elif tag == "select" and name:
            form.inputs[name] = "select"
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = (self._select, value)
            if "selected" in attributes:
                form.fields.append((self._select, value))
                self._select_chosen = True

    def handle_data(self, data):
        if self._link is not None:
            self._link.text += data
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            self.links.append(self._link)
            self._link = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            if not self._select_chosen and self._select_first is not None:
                self._form.fields.append(self._select_first)
            self._select = None
        elif tag == "form":
            self._form = None


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    return reader


def links(html: str) -> list[Link]:
    return read(html).links


def link(html: str, *, text: str | None = None, css_class: str | None = None) -> Link:
    """The first link whose text contains ``text`` and/or that has ``css_class``."""
    for each in links(html):
        if text is not None and text not in each.text:
            continue
        if css_class is not None and css_class not in each.classes:
            continue
        return each
    raise AssertionError(f"no link with text {text!r} and class {css_class!r} on the page")


def forms(html: str) -> list[Form]:
    return read(html).forms


def form_with(html: str, name: str, value: str | None = None) -> Form:
    """The first POST form with an input ``name`` (whose value is ``value``, if given)."""
    for each in forms(html):
        if each.method != "post" or name not in each.inputs:
            continue
        if value is None or each.value(name) == value:
            return each
    raise AssertionError(f"no form with {name}={value!r} on the page")


def reference(html: str) -> str:
    """The reference number on a confirmation page."""
    found = REFERENCE_RE.search(html)
    if found is None:
        raise AssertionError("no reference number on the page")
    return unescape(found.group(1)).strip()
