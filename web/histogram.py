"""The date histogram as drawing instructions for an inline SVG.

The server draws the chart (no JavaScript, no external library): this
module turns the service's bars into rectangles in a fixed view box, fills
the months (or days) with no articles so that time reads evenly, and gives
each non-empty bar the link that filters by its period.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Sequence

from index.model import HistogramBar
from .formats import day_label

WIDTH = 600
HEIGHT = 90
CHART_TOP = 4
CHART_BOTTOM = 72       # bars stand on this line; labels go below it
GAP_RATIO = 0.15
MIN_BAR_HEIGHT = 2
#: Gaps are filled only when the span is at most this many bars.
MAX_FILLED_BARS = 400


@dataclass(frozen=True)
class BarShape:
    key: str
    label: str
    count: int
    selected: bool
    href: str | None
    x: float
    y: float
    width: float
    height: float
    slot_x: float
    slot_width: float

    @property
    def title(self) -> str:
        noun = "article" if self.count == 1 else "articles"
        return f"{self.label}: {self.count} {noun}"


@dataclass(frozen=True)
class HistogramView:
    bars: tuple[BarShape, ...]
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = CHART_BOTTOM
    max_count: int = 0

    @property
    def first_label(self) -> str:
        return self.bars[0].label if self.bars else ""

    @property
    def last_label(self) -> str:
        return self.bars[-1].label if self.bars else ""

    @property
    def summary(self) -> str:
        """A text equivalent of the chart, for screen readers."""
        busiest = max(self.bars, key=lambda b: b.count, default=None)
        if busiest is None:
            return "No dated articles."
        return (f"Articles per {self.unit} from {self.first_label} to {self.last_label}; "
                f"most in {busiest.label} ({busiest.count}).")


def _next_key(key: str, unit: str) -> str:
    if unit == "day":
        return (dt.date.fromisoformat(key) + dt.timedelta(days=1)).isoformat()
    year, month = (int(p) for p in key.split("-"))
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return f"{year:04d}-{month:02d}"


def _label(key: str, unit: str) -> str:
    if unit == "day":
        return day_label(dt.date.fromisoformat(key))
    return dt.date.fromisoformat(key + "-01").strftime("%b %Y")


def fill_gaps(bars: Sequence[HistogramBar], unit: str) -> list[HistogramBar]:
    """The bars with empty periods added between the first and the last."""
    known = sorted(bars, key=lambda b: b.key)
    if len(known) < 2:
        return list(known)
    by_key = {b.key: b for b in known}
    out: list[HistogramBar] = []
    key = known[0].key
    try:
        while key <= known[-1].key:
            out.append(by_key.get(key) or HistogramBar(key, _label(key, unit), 0, False))
            if len(out) > MAX_FILLED_BARS:
                return known
            key = _next_key(key, unit)
    except ValueError:  # a key not shaped as the unit says: draw what we were given
        return known
    return out


def build(bars: Sequence[HistogramBar], unit: str,
          link: Callable[[HistogramBar], str]) -> HistogramView:
    """Lay out the bars; `link(bar)` gives the URL a bar leads to."""
    filled = fill_gaps(bars, unit)
    if not filled:
        return HistogramView((), unit)
    top = max(b.count for b in filled) or 1
    slot = WIDTH / len(filled)
    gap = slot * GAP_RATIO if len(filled) > 1 else slot * 0.3
    usable = CHART_BOTTOM - CHART_TOP
    shapes = []
    for i, bar in enumerate(filled):
        height = 0.0 if bar.count == 0 else max(MIN_BAR_HEIGHT, usable * bar.count / top)
        shapes.append(BarShape(
            key=bar.key, label=bar.label, count=bar.count, selected=bar.selected,
            href=link(bar) if bar.count else None,
            x=round(i * slot + gap / 2, 2), y=round(CHART_BOTTOM - height, 2),
            width=round(slot - gap, 2), height=round(height, 2),
            slot_x=round(i * slot, 2), slot_width=round(slot, 2)))
    return HistogramView(tuple(shapes), unit, max_count=top)
