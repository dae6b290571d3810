"""Exports of the officer's (filtered) inbox: one row per dossier.

The columns are the dossier's own details (:data:`DOSSIER_COLUMNS`) and, when the inbox
is filtered on one form, one column per answer of that form (:func:`answer_columns`),
headed with the question as the frozen schemas put it and filled in by each field type's
own ``export()``, then one column per calculation (:func:`calculation_columns`).

Rows are read in chunks from the database and written as they go, so a large export
does not fill memory: CSV is streamed line by line (``StreamingHttpResponse``), XLSX is
written row by row by openpyxl's write-only workbook straight into a zip that is
streamed as well (:mod:`dossiers.export_stream`): both downloads start at once. Each
file format is an :class:`ExportFormat` registered with ``@register``: the inbox offers
every registered format.

A repeatable part (the days of an event) is flattened into columns up to its maximum
number of items (``dagen_1_datum``, ``dagen_2_datum``, ...; its field type's
``export_columns``); the XLSX workbook adds a sheet per repeatable part as well, one row
per item (:func:`dossiers.export_items.item_sheets`).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from core.registry import Registry
from dossiers import export_cells, export_items, export_stream
from dossiers.export_cells import AMOUNT, DAY, MOMENT, TEXT
from dossiers.models import Dossier
from dossiers.services import person_name
from forms_builder.fields import get_field_type
from forms_builder.schema import input_fields

#: How many dossiers are read from the database at a time.
CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    heading: str
    #: The cell's text for one dossier.
    value: Callable[[Dossier], str]
    #: What the text holds (see :mod:`dossiers.export_cells`).
    kind: str = TEXT


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value) -> str:
    return value.isoformat() if value else ""


#: The dossier's own details, first in every export.
DOSSIER_COLUMNS = [
    Column(_("Reference"), lambda d: d.reference),
    Column(_("Form"), lambda d: d.form_title),
    Column(_("Status"), lambda d: str(d.get_status_display())),
    Column(_("Submitted at"), lambda d: _moment(d.submitted_at), MOMENT),
    Column(_("Decide by"), lambda d: _day(d.decision_due), DAY),
    Column(_("Team"), lambda d: d.team.name if d.team else ""),
    Column(_("Handled by"), lambda d: person_name(d.assigned_to)),
    Column(_("Company"), lambda d: d.company_name),
    Column(_("Enterprise number"), lambda d: d.enterprise_number),
    Column(_("Applicant"), lambda d: d.applicant_name),
    Column(_("E-mail address"), lambda d: d.applicant_email),
    Column(_("Phone number"), lambda d: d.applicant_phone),
    Column(_("Decision"), lambda d: str(d.get_decision_outcome_display())),
    Column(_("Decided at"), lambda d: _moment(d.decided_at), MOMENT),
    Column(_("Decided by"), lambda d: person_name(d.decided_by)),
    Column(_("Decision text"), lambda d: d.decision_text),
    Column(
        _("Amount due"),
        lambda d: "" if d.amount_due is None else format(d.amount_due, "f"),
        AMOUNT,
    ),
    Column(_("Procedure"), lambda d: d.procedure),
    Column(_("Submitted late"), lambda d: str(_("Yes") if d.late else _("No"))),
]


def answer_columns(queryset: QuerySet[Dossier], *, reveal_sensitive: bool = False) -> list[Column]:
    """One column per answer of the forms in ``queryset`` (meant for one form).

    Sensitive answers (a national register number) are masked unless
    ``reveal_sensitive`` (see :func:`dossiers.permissions.can_see_sensitive`).

    A form has several versions when editors changed it; every version's questions get
    a column, keyed by step and field name, headed as the newest version words it. Each
    cell is exported by the field type, with the field as the dossier's own version
    defines it.
    """
    snapshot_model = Dossier._meta.get_field("snapshot").related_model
    snapshot_ids = queryset.order_by().values("snapshot_id").distinct()
    snapshots = snapshot_model.objects.filter(pk__in=snapshot_ids).order_by("-created_at", "-pk")
    fields_per_snapshot: dict[int, dict[tuple[str, str], dict]] = {}
    headings: dict[tuple[str, str], str] = {}
    kinds: dict[tuple[str, str], str] = {}
    flattened: dict[tuple[str, str], list[str]] = {}
    for snapshot in snapshots:
        fields = {}
        for step, field in input_fields(snapshot.schema):
            key = (step["id"], field["name"])
            fields[key] = field
            headings.setdefault(key, get_field_type(field["type"]).export_heading(field))
            kinds.setdefault(key, getattr(get_field_type(field["type"]), "export_kind", TEXT))
            split = getattr(get_field_type(field["type"]), "export_columns", None)
            if split is not None:
                names = flattened.setdefault(key, [])
                names += [name for name, _cell in split(field) if name not in names]
        fields_per_snapshot[snapshot.pk] = fields
    repeated = {label for label, count in Counter(headings.values()).items() if count > 1}
    columns = []
    for key, heading in headings.items():
        if key in flattened:
            columns += [
                Column(name, _item_cell(key, name, fields_per_snapshot)) for name in flattened[key]
            ]
        else:
            columns.append(
                Column(
                    f"{heading} ({key[1]})" if heading in repeated else heading,
                    _answer_cell(key, fields_per_snapshot, reveal_sensitive),
                    kinds[key],
                )
            )
    return columns


def _item_cell(key: tuple[str, str], name: str, fields_per_snapshot: dict):
    """The cell ``name`` (``dagen_2_datum``) of a repeatable part, as the dossier's own
    form version flattens it."""
    step_id, field_name = key

    def cell(dossier: Dossier) -> str:
        field = fields_per_snapshot.get(dossier.snapshot_id, {}).get(key)
        step_answers = dossier.answers.get(step_id) if isinstance(dossier.answers, dict) else None
        if field is None or not isinstance(step_answers, dict):
            return ""
        split = getattr(get_field_type(field["type"]), "export_columns", None)
        found = dict(split(field)).get(name) if split is not None else None
        return found(step_answers.get(field_name)) if found is not None else ""

    return cell


def calculation_columns(queryset: QuerySet[Dossier]) -> list[Column]:
    """One column per calculation of the forms in ``queryset`` (after the answers),
    headed with its label as the newest version words it; cells hold the value stored
    when the dossier was submitted (amounts as "50.40", dates as 2026-06-30)."""
    snapshot_model = Dossier._meta.get_field("snapshot").related_model
    snapshot_ids = queryset.order_by().values("snapshot_id").distinct()
    snapshots = snapshot_model.objects.filter(pk__in=snapshot_ids).order_by("-created_at", "-pk")
    headings: dict[str, str] = {}
    for snapshot in snapshots:
        for item in snapshot.schema.get("calculations") or []:
            if isinstance(item, dict) and item.get("name"):
                headings.setdefault(item["name"], item.get("label") or item["name"])
    return [Column(heading, _calculation_cell(name)) for name, heading in headings.items()]


def _calculation_cell(name: str) -> Callable[[Dossier], str]:
    def cell(dossier: Dossier) -> str:
        stored = dossier.calculations if isinstance(dossier.calculations, dict) else {}
        value = stored.get(name)
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        return str(value)

    return cell


def _answer_cell(
    key: tuple[str, str], fields_per_snapshot: dict, reveal_sensitive: bool
) -> Callable[[Dossier], str]:
    step_id, name = key

    def cell(dossier: Dossier) -> str:
        field = fields_per_snapshot.get(dossier.snapshot_id, {}).get(key)
        step_answers = dossier.answers.get(step_id) if isinstance(dossier.answers, dict) else None
        if field is None or not isinstance(step_answers, dict) or name not in step_answers:
            return ""
        return get_field_type(field["type"]).exported(
            step_answers[name], field, reveal_sensitive=reveal_sensitive
        )

    return cell


def rows(queryset: QuerySet[Dossier], columns: list[Column]) -> Iterator[list[str]]:
    """The cells of every dossier, read from the database ``CHUNK_SIZE`` at a time."""
    queryset = queryset.defer(None).select_related("team", "assigned_to", "decided_by")
    for dossier in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [column.value(dossier) for column in columns]


class ExportFormat:
    """One file format. Subclasses are registered with ``@register``."""

    #: The value of the inbox's ``export`` parameter, e.g. "csv".
    format_id: ClassVar[str] = ""
    #: What the inbox's button says.
    label: ClassVar[str] = ""
    content_type: ClassVar[str] = ""
    extension: ClassVar[str] = ""

    def stream(self, header: list[str], rows: Iterable[list[str]]) -> Iterator[bytes | str]:
        """The file, piece by piece."""
        raise NotImplementedError

    def dossiers_response(self, queryset: QuerySet[Dossier], *, reveal_sensitive: bool):
        """The file made from the dossiers themselves, for a format that is no table
        (GeoJSON, dossiers.export_places); None: the table, through :meth:`response`."""

    def response(
        self,
        header: list[str],
        rows: Iterable[list[str]],
        sheets: Iterable[export_items.Sheet] = (),
        kinds: list[str] | None = None,
    ) -> StreamingHttpResponse:
        """The response that sends the file (streamed from :meth:`stream` by default).
        ``sheets`` are the extra sheets of a workbook (repeatable parts); a format with
        one table (CSV) has them flattened in ``rows`` already. ``kinds`` says what each
        column holds (:data:`TEXT`, :data:`DAY`, ...) for formats with typed cells."""
        return StreamingHttpResponse(self.stream(header, rows), content_type=self.content_type)


#: Every export format, by ``format_id``, in registration order.
formats: Registry[ExportFormat] = Registry("export format", id_attribute="format_id")

#: Class decorator that registers a format (refuses a ``format_id`` that is taken).
register = formats.register


def get_format(format_id: str) -> ExportFormat | None:
    """The format registered as ``format_id``; None for an unknown id (a tampered URL)."""
    return formats.find(format_id)


def all_formats() -> list[ExportFormat]:
    """Every registered export format, in registration order."""
    return formats.all()


class _Line:
    """A file-like object that hands back what csv.writer writes (one line)."""

    def write(self, value: str) -> str:
        return value


@register
class CsvFormat(ExportFormat):
    format_id = "csv"
    label = _("Download as CSV")
    content_type = "text/csv; charset=utf-8"
    extension = "csv"
    #: Spreadsheets set to Dutch or French (as in Belgium) expect semicolons.
    delimiter: ClassVar[str] = ";"
    #: Cells starting with these are formulas to a spreadsheet; answers come from the
    #: public, so they are made plain text (OWASP "CSV injection").
    formula_starts: ClassVar[tuple[str, ...]] = ("=", "+", "-", "@", "\t", "\r")

    def plain(self, cell: Any) -> str:
        text = "" if cell is None else str(cell)
        return "'" + text if text.startswith(self.formula_starts) else text

    def stream(self, header, rows):
        writer = csv.writer(_Line(), delimiter=self.delimiter)
        # The byte order mark makes spreadsheets read the file as UTF-8 (é, ë, €).
        yield "\ufeff" + writer.writerow([self.plain(cell) for cell in header])
        for row in rows:
            yield writer.writerow([self.plain(cell) for cell in row])


@register
class XlsxFormat(ExportFormat):
    """An Excel workbook: a sheet of dossiers and a sheet per repeatable part, written
    with openpyxl's write-only workbook (inline strings, no shared-string table) and
    streamed as it is written (:mod:`dossiers.export_stream`): the download starts with
    the first rows and memory stays flat however many rows there are."""

    format_id = "xlsx"
    label = _("Download as Excel (XLSX)")
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    extension = "xlsx"
    #: Text starting with these could be taken for a formula when the cell is edited.
    formula_starts: ClassVar[tuple[str, ...]] = CsvFormat.formula_starts

    def response(self, header, rows, sheets=(), kinds=None):
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title="Dossiers")
        kinds = list(kinds or [TEXT] * len(header))
        # Before the first row (a write-only sheet): the header stays in view, and each
        # column is as wide as its heading or what it holds, within reason.
        sheet.freeze_panes = "A2"
        for number, (heading, kind) in enumerate(zip(header, kinds, strict=False), start=1):
            width = max(len(str(heading)) + 4, export_cells.COLUMN_WIDTHS.get(kind, 12))
            sheet.column_dimensions[get_column_letter(number)].width = min(width, 50)

        def cells(target, values, kinds=()):
            for index, value in enumerate(values):
                kind = kinds[index] if index < len(kinds) else TEXT
                # A date, moment or number cell for a value of that kind.
                parsed = export_cells.typed_value(value, kind)
                if parsed is not None:
                    cell = WriteOnlyCell(target, value=parsed)
                    cell.number_format = export_cells.NUMBER_FORMATS[kind]
                    yield cell
                    continue
                text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
                cell = WriteOnlyCell(target)
                # Every cell is text, never a formula: answers come from the public
                # (OWASP "CSV injection"). Set the type after the value: openpyxl would
                # otherwise take "=..." for a formula.
                cell.value = text
                cell.data_type = "s"
                if text.startswith(self.formula_starts):
                    # Excel keeps it text even when an officer edits the cell.
                    cell.quotePrefix = True
                yield cell

        count = 0

        def dossier_rows():
            nonlocal count
            yield list(cells(sheet, header))
            for row in rows:
                yield list(cells(sheet, row, kinds))
                count += 1

        def add_filter():
            # Filter buttons on every column, over every row (written at the sheet's end).
            sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{count + 1}"

        def item_rows(target, extra):
            yield list(cells(target, extra.header))
            yield from (list(cells(target, row)) for row in extra.rows)

        parts = [(sheet, dossier_rows(), add_filter)]
        for extra in sheets:
            target = workbook.create_sheet(title=extra.title)
            parts.append((target, item_rows(target, extra), None))
        return StreamingHttpResponse(
            export_stream.stream_workbook(workbook, parts), content_type=self.content_type
        )


def export_response(
    queryset: QuerySet[Dossier],
    export_format: ExportFormat,
    *,
    with_answers: bool,
    reveal_sensitive: bool = False,
) -> StreamingHttpResponse:
    """The dossiers of ``queryset`` (in its order) as a file download, streamed.

    ``with_answers`` adds a column per answer (when the inbox is filtered on one form);
    sensitive answers are masked unless ``reveal_sensitive``.
    """
    response = export_format.dossiers_response(queryset, reveal_sensitive=reveal_sensitive)
    if response is None:
        columns = DOSSIER_COLUMNS
        if with_answers:
            columns = (
                columns
                + answer_columns(queryset, reveal_sensitive=reveal_sensitive)
                + calculation_columns(queryset)
            )
        header = [str(column.heading) for column in columns]
        sheets = export_items.item_sheets(queryset) if with_answers else []
        kinds = [column.kind for column in columns]
        response = export_format.response(header, rows(queryset, columns), sheets, kinds=kinds)
    filename = f"dossiers-{timezone.localdate().isoformat()}.{export_format.extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass each streamed piece on at once
    return response
