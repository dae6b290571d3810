"""Typed cells of exports with types (XLSX): what a column holds and how it is read
back from the text every export writes.

A column's text is the same in every format (CSV writes it as is); a format with
typed cells turns a day ("2026-06-30"), a moment ("2026-06-30 14:05"), a number ("12",
"2.5") or an amount in euro ("50.40") into a real date or number. Field types say what
their answers are with ``export_kind``. A text that is not what its column holds stays
text: nothing is lost.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

TEXT, DAY, MOMENT, NUMBER, AMOUNT = "text", "day", "moment", "number", "amount"

#: Excel's formats for typed cells (day/month/year, as read in Belgium).
NUMBER_FORMATS = {
    DAY: "DD/MM/YYYY",
    MOMENT: "DD/MM/YYYY HH:MM",
    NUMBER: "General",
    AMOUNT: "#,##0.00",
}
#: The least width of a column holding each kind.
COLUMN_WIDTHS = {DAY: 12, MOMENT: 17, NUMBER: 10, AMOUNT: 12, TEXT: 14}


def typed_value(value, kind: str):
    """``value`` (the export's text) as a date, datetime or Decimal for ``kind``; None
    when the kind is text, the value is empty, or it is not what the kind says."""
    text = "" if value is None else str(value)
    if not text or kind not in NUMBER_FORMATS:
        return None
    try:
        if kind == DAY:
            return datetime.date.fromisoformat(text)
        if kind == MOMENT:
            return datetime.datetime.strptime(text, "%Y-%m-%d %H:%M")
        number = Decimal(text)
    except (ValueError, ArithmeticError):
        return None
    return number if number.is_finite() else None
