"""A frozen version of a form's schema (see :func:`forms_builder.schema.freeze_schema`)."""

from __future__ import annotations

import json
import threading
from collections import OrderedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

#: How many distinct schemas a process keeps parsed (:class:`FrozenJSONField`).
PARSED_MAX = 64
_parsed: OrderedDict[str, object] = OrderedDict()
#: Threaded servers (runserver, gthread workers) share the memo between requests.
_parsed_lock = threading.Lock()


class FrozenJSONField(models.JSONField):
    """A JSON column the code only reads: the process parses each distinct stored text
    once and hands every row with that text the same value.

    A form version is read on every wizard step (with the draft) and in every dossier
    view; parsing its schema again each time is most of what reading the row costs.
    The memo is keyed by the stored text itself, so it can never give a value that
    differs from the row. The value is shared: code reading a schema must not change
    it (every function that adapts one, such as the English translation, copies first);
    the test suite checks after every test that no remembered value was changed
    (``tests/conftest.py``).
    """

    def from_db_value(self, value, expression, connection):
        if not isinstance(value, str) or self.decoder is not None:
            return super().from_db_value(value, expression, connection)
        with _parsed_lock:
            parsed = _parsed.get(value, _parsed)
            if parsed is not _parsed:
                _parsed.move_to_end(value)
                return parsed
        parsed = super().from_db_value(value, expression, connection)
        if not isinstance(parsed, (dict, list)):
            return parsed
        with _parsed_lock:
            _parsed[value] = parsed
            while len(_parsed) > PARSED_MAX:
                _parsed.popitem(last=False)
        return parsed


def changed_parsed_values() -> list[str]:
    """The remembered texts whose shared value was changed since it was parsed (for
    the test suite's check; empty when every reader left the values alone)."""
    with _parsed_lock:
        entries = list(_parsed.items())
    return [text[:80] for text, value in entries if json.loads(text) != value]


def forget_parsed_values() -> None:
    with _parsed_lock:
        _parsed.clear()


class FormSnapshot(models.Model):
    """One distinct version of a form's schema, shared by every dossier filled against it."""

    hash = models.CharField(_("hash"), max_length=64, unique=True)
    schema = FrozenJSONField(_("schema"))
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("form page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")

    def __str__(self):
        return f"{self.schema.get('title', '')} ({self.hash[:8]})"
