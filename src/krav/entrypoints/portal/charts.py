"""Charts drawn on the server as inline SVG: no script and nothing from another site, so they show offline and
under the portal's Content-Security-Policy (colours are SVG attributes, never inline styles).

A chart is a picture of a table the page shows beside it (the text equivalent, WCAG 1.1.1): the SVG is an image
with a title, and every bar carries its value as text too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

#: the chart's drawing width (it scales to the page's width) and one bar's row, label above the bar
WIDTH = 400
ROW = 40
_LABEL_Y = 14
_BAR_Y = 19
_BAR_HEIGHT = 14
_TEXT_ROOM = 130  # kept right of the longest bar for its value
_INK = "#1b1f24"
_BAR = "#0b4f8a"


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its length (any unit: the longest bar fills the chart) and its value as shown."""

    label: str
    value: Decimal
    shown: str


_SVG = Markup(
    '<svg class="chart" id="{id}" role="img" aria-labelledby="{id}-title" viewBox="0 0 {width} {height}" '
    'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">'
    '<title id="{id}-title">{title}</title>{bars}</svg>'
)
_ROW = Markup(
    '<g class="bar" data-label="{label}"><text x="0" y="{label_y}" font-size="13" fill="{ink}">{label}</text>'
    '{rect}<text x="{text_x}" y="{text_y}" font-size="13" fill="{ink}">{shown}</text></g>'
)
_RECT = Markup('<rect x="0" y="{y}" width="{width}" height="{height}" fill="{fill}"/>')


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart titled ``title``; ``chart_id`` makes the title's id unique on the page. Every text
    is escaped by :meth:`Markup.format`."""
    top = max((b.value for b in bars), default=Decimal(0))
    room = WIDTH - _TEXT_ROOM
    rows = []
    for n, bar in enumerate(bars):
        y = n * ROW
        length = 0 if top <= 0 or bar.value <= 0 else max(int(room * bar.value / top), 2)
        rect = _RECT.format(y=y + _BAR_Y, width=length, height=_BAR_HEIGHT, fill=_BAR) if length else Markup()
        rows.append(
            _ROW.format(
                label=bar.label,
                label_y=y + _LABEL_Y,
                ink=_INK,
                rect=rect,
                text_x=length + 6 if length else 0,
                text_y=y + _BAR_Y + 12,
                shown=bar.shown,
            )
        )
    return _SVG.format(id=chart_id, width=WIDTH, height=ROW * len(bars) + 4, title=title, bars=Markup().join(rows))
