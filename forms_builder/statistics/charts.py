"""Bar charts drawn on the server as SVG, readable without the picture.

Each chart is an ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>`` (``aria-labelledby``); the page shows the same numbers in a table beside
it, so the chart is a view of the table, never the only source. No script runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

#: Geometry in SVG units; the chart scales with its container (viewBox).
LABEL_WIDTH = 190
BAR_AREA = 300
VALUE_WIDTH = 60
ROW_HEIGHT = 26
BAR_HEIGHT = 18
#: Bar colours with at least 3:1 contrast on white (WCAG 1.4.11), one per series.
COLOURS = ("#005ea5", "#7a3d00", "#3d6b00")

_ids = count(1)


@dataclass(frozen=True)
class Series:
    """One set of bars: a name (in the legend) and a value per row."""

    name: str
    values: tuple[float, ...]


def _shorten(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    title: str, description: str, labels: list[str], series: list[Series], unit: str = ""
) -> SafeString:
    """Horizontal bars, one group per label and one bar per series in it."""
    number = next(_ids)
    title_id, desc_id = f"chart-{number}-title", f"chart-{number}-desc"
    groups = len(series)
    group_height = ROW_HEIGHT * groups + 8
    legend_height = 22 if groups > 1 else 0
    height = legend_height + group_height * max(len(labels), 1)
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    largest = max((value for one in series for value in one.values), default=0) or 1

    parts = []
    if groups > 1:
        for index, one in enumerate(series):
            x = LABEL_WIDTH + index * 130
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="12" height="12" fill="{}"></rect>'
                    '<text x="{}" y="14" font-size="12">{}</text>',
                    x,
                    COLOURS[index % len(COLOURS)],
                    x + 16,
                    one.name,
                )
            )
    for row, label in enumerate(labels):
        top = legend_height + row * group_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                top + ROW_HEIGHT * groups / 2 + 4,
                _shorten(label),
            )
        )
        for index, one in enumerate(series):
            value = one.values[row]
            y = top + index * ROW_HEIGHT
            bar = round(BAR_AREA * value / largest, 1)
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                    '<text x="{}" y="{}" font-size="12">{}{}</text>',
                    LABEL_WIDTH,
                    y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                    bar,
                    BAR_HEIGHT,
                    COLOURS[index % len(COLOURS)],
                    LABEL_WIDTH + bar + 4,
                    y + ROW_HEIGHT / 2 + 4,
                    _format(value),
                    unit,
                )
            )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html(
        '<svg class="loket-chart" role="img" aria-labelledby="{} {}" viewBox="0 0 {} {}" '
        'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" fill="#1a1a1a">'
        '<title id="{}">{}</title><desc id="{}">{}</desc>{}</svg>',
        title_id,
        desc_id,
        width,
        height,
        title_id,
        title,
        desc_id,
        description,
        body,
    )


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else number_format(value, 1)
