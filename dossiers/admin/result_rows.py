"""The inbox's table rows, built in one pass per column instead of per cell.

wagtail-modeladmin draws a list row by row and cell by cell: for each cell it looks the
column up again (``lookup_field``), builds its attributes with ``flatatt`` and renders
two small templates (``result_row.html``, ``result_row_value.html``). For the inbox's
50 rows of 10 columns that was about a quarter of the request. :func:`result_rows`
works out once per column what does not change from row to row (the model field or
method, the cell's class, the value shown when empty, whether it opens the dossier) and
then writes each row with the same markup modeladmin writes
(``tests/dossiers/test_inbox.py``, ``TestRowsInOnePass``, compares the two).

Only what the inbox uses is supported: ``list_display`` names of model fields and of
ModelAdmin methods, no per-row or per-cell extra attributes, and no action buttons on a
row (``DossierButtonHelper.get_buttons_for_obj`` gives none); :func:`supports` says
whether a view is such a list, and the template falls back to modeladmin otherwise.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.admin.utils import display_for_field, display_for_value
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from wagtail_modeladmin.options import ModelAdmin

_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


@dataclass(frozen=True)
class _Column:
    name: str
    field: models.Field | None
    method: object
    empty: str
    opens: bool

    def cell(self, obj, primary_button) -> SafeString:
        classes = f"field-{self.name} title"
        try:
            value = self.method(obj) if self.field is None else getattr(obj, self.name)
        except ObjectDoesNotExist:
            shown = self.empty
        else:
            if self.field is None:
                empty = getattr(self.method, "empty_value_display", self.empty)
                boolean = getattr(self.method, "boolean", False)
                shown = display_for_value(value, empty, boolean)
                if boolean or not value or getattr(self.method, "allow_tags", False):
                    shown = mark_safe(shown)
                if isinstance(value, (datetime.date, datetime.time)):
                    classes += " nowrap"
            else:
                shown = display_for_field(value, self.field, self.empty)
                if isinstance(self.field, _NOWRAP_FIELDS):
                    classes += " nowrap"
        if str(shown) == "":
            shown = mark_safe("&nbsp;")
        if self.opens:
            button = primary_button(obj)
            if button is not None and button.get("url"):
                return format_html(
                    '<td class="{}"><div class="title-wrapper"><a href="{}" title="{}">{}'
                    "</a></div></td>",
                    classes,
                    button["url"],
                    button.get("title", ""),
                    shown,
                )
        return format_html('<td class="{}">{}</td>', classes, shown)


def supports(view) -> bool:
    """Whether :func:`result_rows` writes ``view``'s rows as modeladmin would: no
    per-row or per-cell extras and only model fields and ModelAdmin methods as columns
    (row buttons are checked row by row)."""
    model_admin = view.model_admin
    cls = type(model_admin)
    unchanged = all(
        getattr(cls, name) is getattr(ModelAdmin, name)
        for name in (
            "get_extra_attrs_for_row",
            "get_extra_attrs_for_field_col",
            "get_extra_class_names_for_field_col",
            "get_empty_value_display",
        )
    )
    if not unchanged:
        return False
    return all(_column(view, name) is not None for name in view.list_display)


def _column(view, name: str) -> _Column | None:
    model_admin = view.model_admin
    opens = name == model_admin.get_list_display_add_buttons(view.request)
    empty = model_admin.get_empty_value_display(name)
    try:
        field = view.model._meta.get_field(name)
    except FieldDoesNotExist:
        method = getattr(model_admin, name, None)
        if not callable(method) or isinstance(method, type):
            return None
        return _Column(name, None, method, empty, opens)
    if field.auto_created or not field.concrete or field.many_to_many:
        return None  # modeladmin shows these differently; not in the inbox
    return _Column(name, field, None, empty, opens)


def result_rows(view, object_list) -> list[SafeString] | None:
    """Each object's ``<tr>`` as modeladmin's ``result_row_display`` writes it, or None
    when a row has buttons of its own (modeladmin draws those)."""
    columns = [_column(view, name) for name in view.list_display]
    primary_button = view.button_helper.get_primary_button
    rows = []
    for index, obj in enumerate(object_list):
        if view.get_buttons_for_obj(obj):
            return None
        cells = "".join(column.cell(obj, primary_button) for column in columns)
        rows.append(
            format_html(
                '<tr class="{}" data-object-pk="{}">{}</tr>',
                "odd" if index % 2 == 0 else "even",
                obj.pk,
                mark_safe(cells),
            )
        )
    return rows
