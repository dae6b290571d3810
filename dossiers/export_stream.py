"""An XLSX workbook sent while it is written: a zip file streamed without seeking.

openpyxl's write-only workbook writes each sheet to a temporary file and zips the
files when the workbook is saved, so the download can only start once every row is
written (about 35 s for 100,000 rows). Here each sheet's XML goes straight into its
zip entry, and the zip goes to a pipe that is emptied into the response after every
few rows: the download starts with the first rows.

Python's own :mod:`zipfile` writes a zip to an output it cannot seek in: it puts each
entry's size and checksum after the entry (a "data descriptor") instead of going back
to the entry's header. Excel, LibreOffice and openpyxl read such files. No new
dependency is needed: openpyxl still writes every cell, style and sheet setting, and
the rest of the workbook (styles, workbook, content types) is written by openpyxl's
own ``ExcelWriter`` once the sheets are done (its styles must know every cell first).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

#: Send what is written once the pipe holds this many bytes.
FLUSH_BYTES = 64 * 1024


class Pipe:
    """A file-like object that keeps what is written until :meth:`take` hands it on.

    It has no ``tell`` or ``seek``, so :class:`zipfile.ZipFile` writes it as a stream.
    """

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        data = bytes(data)
        if data:
            self.parts.append(data)
            self.size += len(data)
        return len(data)

    def flush(self) -> None:
        """Nothing to do: :meth:`take` hands the data on."""

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.size = [], 0
        return data


class _StreamedExcelWriter(ExcelWriter):
    """openpyxl's writer for the rest of the workbook; the sheets are in the zip already."""

    def write_worksheet(self, ws):
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        ws._rels = ws._writer._rels
        self.manifest.append(ws)


def stream_workbook(
    workbook, sheets: Iterable[tuple[object, Iterable[list], Callable[[], None] | None]]
) -> Iterator[bytes]:
    """The bytes of ``workbook`` (write-only, its sheets already created), piece by piece.

    ``sheets`` gives, per sheet of the workbook in order, the sheet, its rows (lists of
    cells for ``sheet.append``) and a function called after the last row (to set what
    the sheet's end holds, e.g. the filter's range) or None.
    """
    pipe = Pipe()
    archive = ZipFile(pipe, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        for sheet, rows, finish in sheets:
            number = workbook.worksheets.index(sheet) + 1
            # force_zip64: the size is not known in advance and may pass 2 GB.
            entry = archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
            sheet._writer = WorksheetWriter(sheet, out=entry)
            sheet._writer.write_top()
            yield pipe.take()
            for row in rows:
                sheet.append(row)
                if pipe.size >= FLUSH_BYTES:
                    yield pipe.take()
            if finish is not None:
                finish()
            sheet.close()
            entry.close()
            yield pipe.take()
        workbook.properties.modified = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
        _StreamedExcelWriter(workbook, archive).save()
        yield pipe.take()
    finally:
        # A download broken off halfway: let go of the zip without writing more.
        archive.fp = None
