"""Small charts as inline SVG, for reports that must open anywhere without a server.

No script, no external file, no font download: a chart is one ``<svg>`` element whose
every text is HTML-escaped. Each bar or point carries a ``<title>`` (its figure with its
n), which browsers show on hover.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

SENTIMENT_COLOURS = {"negative": "#d1495b", "neutral": "#b8b8b8", "positive": "#2e8b57"}
LINE_COLOUR = "#3b6ea8"
LABEL_WIDTH = 230
BAR_HEIGHT = 18
GAP = 6
FONT = "font-family:sans-serif;font-size:12px"


@dataclass(frozen=True)
class StackedBar:
    label: str
    parts: dict[str, float]  # part name -> value (drawn in ``SENTIMENT_COLOURS`` order)
    title: str  # hover text


@dataclass(frozen=True)
class Interval:
    label: str
    value: float
    low: float
    high: float
    title: str


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" style="{FONT}"{extra}>'
        f"{html.escape(text)}</text>"
    )


def _shorten(text: str, width: int = 34) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">'
        + "".join(body)
        + "</svg>"
    )


def stacked_bars(bars: Sequence[StackedBar], title: str, width: int = 640) -> str:
    """Horizontal bars, one per row, split into coloured parts (e.g. by sentiment)."""
    if not bars:
        return ""
    plot = width - LABEL_WIDTH - 60
    largest = max(sum(bar.parts.values()) for bar in bars) or 1.0
    body = []
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        body.append(_text(LABEL_WIDTH - 8, y + BAR_HEIGHT - 5, _shorten(bar.label), "end"))
        x = float(LABEL_WIDTH)
        for name, colour in SENTIMENT_COLOURS.items():
            value = bar.parts.get(name, 0.0)
            if value <= 0:
                continue
            w = plot * value / largest
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{colour}"><title>{html.escape(f"{bar.title}; {name} {value:,.0f}")}'
                "</title></rect>"
            )
            x += w
        total = sum(bar.parts.values())
        body.append(_text(x + 4, y + BAR_HEIGHT - 5, f"{total:,.0f}"))
    height = GAP + len(bars) * (BAR_HEIGHT + GAP) + 22
    legend_y = height - 6
    x = LABEL_WIDTH
    for name, colour in SENTIMENT_COLOURS.items():
        body.append(f'<rect x="{x}" y="{legend_y - 10}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, legend_y, name))
        x += 90
    return _svg(width, height, body, title)


def intervals(rows: Sequence[Interval], title: str, width: int = 640) -> str:
    """A dot per row at its value with a whisker from low to high, and a line at 0."""
    rows = [r for r in rows if all(math.isfinite(v) for v in (r.value, r.low, r.high))]
    if not rows:
        return ""
    plot = width - LABEL_WIDTH - 40
    lo = min(0.0, *(r.low for r in rows))
    hi = max(0.0, *(r.high for r in rows))
    span = (hi - lo) or 1.0

    def x_of(value: float) -> float:
        return LABEL_WIDTH + plot * (value - lo) / span

    height = GAP + len(rows) * (BAR_HEIGHT + GAP) + 20
    zero = x_of(0.0)
    body = [
        f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height - 18}" stroke="#888" '
        'stroke-dasharray="3,3"/>',
        _text(zero, height - 4, "0", "middle"),
        _text(LABEL_WIDTH, height - 4, f"{lo:+.1f}", "start"),
        _text(LABEL_WIDTH + plot, height - 4, f"{hi:+.1f}", "end"),
    ]
    for index, row in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP) + BAR_HEIGHT / 2
        colour = SENTIMENT_COLOURS["negative"] if row.high < 0 else LINE_COLOUR
        body.append(_text(LABEL_WIDTH - 8, y + 4, _shorten(row.label), "end"))
        body.append(
            f'<line x1="{x_of(row.low):.1f}" y1="{y:.1f}" x2="{x_of(row.high):.1f}" '
            f'y2="{y:.1f}" stroke="{colour}" stroke-width="2"/>'
        )
        body.append(
            f'<circle cx="{x_of(row.value):.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
            f"<title>{html.escape(row.title)}</title></circle>"
        )
    return _svg(width, height, body, title)


def sparkline(
    values: Sequence[float | None], title: str, width: int = 160, height: int = 28
) -> str:
    """A line through the values (gaps where None or NaN), scaled to its own range."""
    points = [
        (i, v)
        for i, v in enumerate(values)
        if v is not None and not (isinstance(v, float) and v != v)
    ]
    if len(points) < 2:
        return ""
    top = max(v for _, v in points) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    path = " ".join(
        f"{'M' if k == 0 else 'L'}{2 + i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}"
        for k, (i, v) in enumerate(points)
    )
    body = [
        f'<path d="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5">'
        f"<title>{html.escape(title)}</title></path>"
    ]
    return _svg(width, height, body, title)
