"""The timeline as drawing instructions for an inline SVG.

The server draws the chart (no JavaScript, no external library), so it reads
and works without scripts: this module lays the service's bars (one per
day, week, month, year or decade, empty periods included) into a fixed view
box with a count axis (round tick values, labelled) and a few period labels
under the bars, and gives each non-empty bar the link that selects its
period. Each bar says its count in words, for hover and for screen readers.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Callable, Sequence

from index.facets import bucket_label
from index.model import HistogramBar

WIDTH = 720
HEIGHT = 170
PLOT_LEFT = 52          # the count axis and its labels sit left of this
PLOT_RIGHT = WIDTH - 8
CHART_TOP = 10
CHART_BOTTOM = 140      # bars stand on this line; period labels go below it
LABEL_Y = 158
GAP_RATIO = 0.15
MAX_BAR_WIDTH = 48
MIN_BAR_HEIGHT = 2
#: Count-axis ticks drawn at most (0 included), and period labels under the bars.
MAX_TICKS = 5
MAX_PERIOD_LABELS = 6


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
    start: str = ""
    end: str = ""
    noun: str = "article"

    @property
    def title(self) -> str:
        noun = self.noun if self.count == 1 else plural(self.noun)
        return f"{self.label}: {self.count:,} {noun}"


@dataclass(frozen=True)
class Tick:
    value: int
    y: float

    @property
    def label(self) -> str:
        return f"{self.value:,}"


@dataclass(frozen=True)
class PeriodLabel:
    text: str
    x: float
    anchor: str   # SVG text-anchor: start, middle or end


@dataclass(frozen=True)
class HistogramView:
    bars: tuple[BarShape, ...]
    unit: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = CHART_BOTTOM
    max_count: int = 0
    ticks: tuple[Tick, ...] = ()
    periods: tuple[PeriodLabel, ...] = ()
    noun: str = "article"
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    label_y: int = LABEL_Y

    @property
    def first_label(self) -> str:
        return self.bars[0].label if self.bars else ""

    @property
    def last_label(self) -> str:
        return self.bars[-1].label if self.bars else ""

    @property
    def axis_title(self) -> str:
        return plural(self.noun).capitalize()

    @property
    def summary(self) -> str:
        """A text equivalent of the chart, for screen readers."""
        busiest = max(self.bars, key=lambda b: b.count, default=None)
        if busiest is None:
            return f"No dated {plural(self.noun)}."
        return (f"{plural(self.noun).capitalize()} per {self.unit} from {self.first_label} to "
                f"{self.last_label}; most in {busiest.label} ({busiest.count:,}).")


def plural(noun: str) -> str:
    return "stories" if noun == "story" else noun + "s"


def _label(key: str, unit: str) -> str:
    """The label of the bucket with this key (see `index.facets.bucket_key`)."""
    if unit == "month":
        key += "-01"
    elif unit in ("year", "decade"):
        key += "-01-01"
    return bucket_label(dt.date.fromisoformat(key), unit)


def nice_ticks(top: int) -> list[int]:
    """Round tick values from 0 to at least `top`: steps of 1, 2 or 5 times a power of ten."""
    top = max(1, top)
    for exponent in range(0, 20):
        for m in (1, 2, 5):
            step = m * 10 ** exponent
            if math.ceil(top / step) + 1 <= MAX_TICKS:
                return [step * i for i in range(math.ceil(top / step) + 1)]
    return [0, top]


def _short(bar: HistogramBar, unit: str) -> str:
    """A period label under the axis ("Sep 2016", "2016", "1980s", "5 Sep 2016" for days and weeks)."""
    if unit == "week" and bar.start:
        return bucket_label(dt.date.fromisoformat(bar.start), "day")
    return bar.label


def _period_labels(bars: Sequence[HistogramBar], unit: str, slot: float) -> tuple[PeriodLabel, ...]:
    n = len(bars)
    if n == 1:
        return (PeriodLabel(_short(bars[0], unit), PLOT_LEFT + slot / 2, "middle"),)
    every = max(1, math.ceil(n / (MAX_PERIOD_LABELS - 1)))   # the last is added below
    picked = [i for i in range(0, n, every) if n - 1 - i >= every / 2 or i == 0]  # none crowding the last
    if picked[-1] != n - 1:
        picked.append(n - 1)
    out = []
    for i in picked:
        if i == 0:
            out.append(PeriodLabel(_short(bars[i], unit), round(PLOT_LEFT + i * slot, 2), "start"))
        elif i == n - 1:
            out.append(PeriodLabel(_short(bars[i], unit), round(PLOT_LEFT + n * slot, 2), "end"))
        else:
            out.append(PeriodLabel(_short(bars[i], unit), round(PLOT_LEFT + (i + 0.5) * slot, 2), "middle"))
    return tuple(out)


def build(bars: Sequence[HistogramBar], unit: str, link: Callable[[HistogramBar], str | None],
          noun: str = "article") -> HistogramView:
    """Lay out the bars; `link(bar)` gives the URL a bar leads to; `noun` is what a bar counts."""
    if not bars:
        return HistogramView((), unit, noun=noun)
    ticks = nice_ticks(max(b.count for b in bars))
    scale = ticks[-1]
    usable = CHART_BOTTOM - CHART_TOP
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(bars)
    width = min(slot * (1 - GAP_RATIO), MAX_BAR_WIDTH)
    shapes = []
    for i, bar in enumerate(bars):
        height = 0.0 if bar.count == 0 else max(MIN_BAR_HEIGHT, usable * bar.count / scale)
        slot_x = PLOT_LEFT + i * slot
        shapes.append(BarShape(
            key=bar.key, label=bar.label, count=bar.count, selected=bar.selected,
            href=link(bar) if bar.count else None,
            x=round(slot_x + (slot - width) / 2, 2), y=round(CHART_BOTTOM - height, 2),
            width=round(width, 2), height=round(height, 2),
            slot_x=round(slot_x, 2), slot_width=round(slot, 2), start=bar.start, end=bar.end, noun=noun))
    return HistogramView(
        tuple(shapes), unit, max_count=max(b.count for b in bars),
        ticks=tuple(Tick(v, round(CHART_BOTTOM - usable * v / scale, 2)) for v in ticks),
        periods=_period_labels(bars, unit, slot), noun=noun)


#: Line styles: a colour class (style.css gives each 3:1 or more on the page, light and dark)
#: and a dash pattern, so lines differ by more than colour.
LINE_STYLES = (("series-0", ""), ("series-1", "6 3"), ("series-2", "2 3"), ("series-3", "8 3 2 3"),
               ("series-4", "4 4"), ("series-5", "1 2"))


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    colour: str
    dash: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class LinesView:
    lines: tuple[Line, ...]
    ticks: tuple[Tick, ...]
    shares: bool
    unit: str
    noun: str = "article"

    @property
    def summary(self) -> str:
        what = "Share of each outlet's articles" if self.shares else f"{plural(self.noun).capitalize()}"
        return f"{what} per {self.unit}, one line per outlet: {', '.join(l.label for l in self.lines)}."

    def tick_label(self, tick: Tick) -> str:
        return f"{tick.value}%" if self.shares else tick.label


def build_lines(series, view: HistogramView, shares: bool) -> LinesView | None:
    """One line per outlet over the bars of `view` (same x positions); counts, or shares in percent."""
    if not series or not view.bars:
        return None
    scale_of = (lambda v: v * 100) if shares else (lambda v: v)
    ticks = nice_ticks(math.ceil(max(scale_of(v) for s in series for v in s.values) or 1))
    top = ticks[-1]
    usable = CHART_BOTTOM - CHART_TOP
    lines = []
    for i, s in enumerate(series):
        colour, dash = LINE_STYLES[i % len(LINE_STYLES)]
        points = []
        for bar, value in zip(view.bars, s.values):
            shown = f"{scale_of(value):.1f}% of its articles" if shares else \
                f"{int(value):,} {view.noun if value == 1 else plural(view.noun)}"
            points.append(Point(round(bar.slot_x + bar.slot_width / 2, 2),
                                round(CHART_BOTTOM - usable * scale_of(value) / top, 2),
                                f"{s.label}, {bar.label}: {shown}"))
        lines.append(Line(s.key, s.label, colour, dash, tuple(points)))
    return LinesView(tuple(lines), tuple(Tick(v, round(CHART_BOTTOM - usable * v / top, 2)) for v in ticks),
                     shares, view.unit, view.noun)
