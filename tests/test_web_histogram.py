"""The server-drawn timeline: bars laid out on a count axis, each with its count in words."""
from __future__ import annotations

import datetime as dt

import pytest

from index.facets import MAX_BARS, bucket_count, timeline_unit
from index.model import HistogramBar
from web import histogram


def link(bar: HistogramBar) -> str:
    return f"/search?from={bar.start}&to={bar.end}"


def month_bar(key: str, count: int, selected: bool = False) -> HistogramBar:
    start = dt.date.fromisoformat(key + "-01")
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return HistogramBar(key, start.strftime("%b %Y"), count, selected, start.isoformat(), end.isoformat())


@pytest.mark.parametrize("first,last,unit", [
    ("2016-09-17", "2016-09-27", "day"),       # eleven days
    ("2016-09-01", "2016-12-24", "day"),       # 115 days still fit one bar a day
    ("2016-09-01", "2017-06-30", "week"),
    ("2014-01-01", "2016-12-31", "month"),
    ("1987-02-26", "2016-10-01", "year"),      # three decades
    ("1850-01-01", "2016-01-01", "decade"),
])
def test_the_unit_is_the_finest_that_draws_the_span_in_at_most_120_bars(first, last, unit):
    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    assert timeline_unit(a, b) == unit
    assert bucket_count(a, b, unit) <= MAX_BARS


def test_bar_heights_follow_the_count_axis_and_stand_on_the_baseline():
    view = histogram.build([month_bar("2016-09", 10), month_bar("2016-10", 5, True)], "month", link)
    tall, short = view.bars
    assert [t.value for t in view.ticks] == [0, 5, 10]     # round steps up to the busiest bar
    top = view.ticks[-1].y
    assert tall.y == pytest.approx(top)
    assert short.height == pytest.approx(tall.height / 2)
    for bar in view.bars:
        assert bar.y + bar.height == pytest.approx(histogram.CHART_BOTTOM)
        assert histogram.PLOT_LEFT <= bar.x and bar.x + bar.width <= histogram.PLOT_RIGHT
    assert short.selected and not tall.selected
    assert view.max_count == 10


def test_count_ticks_are_round_numbers_covering_the_busiest_bar():
    assert histogram.nice_ticks(1) == [0, 1]
    assert histogram.nice_ticks(7) == [0, 2, 4, 6, 8]
    assert histogram.nice_ticks(2593) == [0, 1000, 2000, 3000]


def test_empty_periods_are_drawn_without_links():
    view = histogram.build([month_bar("2016-11", 2), month_bar("2016-12", 0), month_bar("2017-01", 4)],
                           "month", link)
    assert [b.href is None for b in view.bars] == [False, True, False]


def test_no_bars_give_an_empty_chart_with_a_readable_summary():
    view = histogram.build([], "month", link)
    assert view.bars == () and view.summary == "No dated articles."


def test_titles_say_the_count_in_words_and_collapsed_charts_count_stories():
    assert histogram.build([month_bar("2016-09", 1)], "month", link).bars[0].title == "Sep 2016: 1 article"
    view = histogram.build([month_bar("2016-09", 1200)], "month", link, noun="story")
    assert view.bars[0].title == "Sep 2016: 1,200 stories" and view.axis_title == "Stories"


def test_period_labels_under_the_axis_are_few_and_start_with_the_first_bar():
    bars = [month_bar(f"20{y:02d}-{m:02d}", 1) for y in (15, 16) for m in range(1, 13)]
    view = histogram.build(bars, "month", link)
    assert len(view.periods) <= histogram.MAX_PERIOD_LABELS
    assert view.periods[0].text == "Jan 2015"


def test_collapsed_a_story_counts_once_on_its_earliest_day():
    from types import SimpleNamespace

    import numpy as np

    from index.columns import Column
    from index.facets import histogram as timeline
    from index.model import SearchRequest
    days = ["", "2016-09-17", "2016-09-18", "2016-09-20"]
    # documents: a story of two copies on the 17th and the 20th, one undated, one alone on the 18th
    cols = SimpleNamespace(columns={"day": Column(days, np.array([1, 3, 0, 2], dtype=np.int32))},
                           stories=np.array([7, 7, 8, 9]))
    base = np.ones(4, dtype=bool)
    bars, unit = timeline(cols, base, SearchRequest(collapse=True))
    assert unit == "day"
    assert {b.key: b.count for b in bars} == {"2016-09-17": 1, "2016-09-18": 1}   # 2 dated stories
    every = {b.key: b.count for b in timeline(cols, base, SearchRequest())[0]}
    assert every == {"2016-09-17": 1, "2016-09-18": 1, "2016-09-19": 0, "2016-09-20": 1}


def test_period_labels_never_crowd_the_last_one():
    bars = [month_bar(f"2016-{m:02d}", 1) for m in range(1, 12)]   # 11 bars: every 2nd labelled
    labels = histogram.build(bars, "month", link).periods
    assert labels[-1].text == "Nov 2016" and labels[-1].anchor == "end"
    gaps = [b.x - a.x for a, b in zip(labels, labels[1:])]
    assert min(gaps) >= (histogram.PLOT_RIGHT - histogram.PLOT_LEFT) / 11 * 1.5


@pytest.mark.parametrize("first,days,unit", [
    ("2016-09-17", 10, "day"), ("2016-09-01", 300, "week"), ("2014-01-01", 1000, "month"),
    ("1987-02-26", 8000, "year"), ("1850-01-01", 60000, "decade"),
])
def test_bar_counts_per_unit_add_up_the_documents_of_each_period(first, days, unit):
    from collections import Counter
    from types import SimpleNamespace

    import numpy as np

    from index.columns import Column
    from index.facets import histogram as timeline
    from index.model import SearchRequest
    start = dt.date.fromisoformat(first)
    dates = [start + dt.timedelta(days=(i * 7919) % days) for i in range(400)] + [start + dt.timedelta(days - 1)]
    values = [""] + sorted({d.isoformat() for d in dates})
    codes = np.array([values.index(d.isoformat()) for d in dates] + [0, 0], dtype=np.int32)  # two undated
    cols = SimpleNamespace(columns={"day": Column(values, codes)}, stories=np.arange(len(codes)))
    base = np.ones(len(codes), dtype=bool)
    base[5] = False
    kept = [d for i, d in enumerate(dates) if i != 5]

    def period(d: dt.date) -> str:
        if unit == "day":
            return d.isoformat()
        if unit == "week":
            return (d - dt.timedelta(days=d.weekday())).isoformat()
        if unit == "month":
            return d.isoformat()[:7]
        return f"{d.year if unit == 'year' else d.year - d.year % 10:04d}"
    bars, found_unit = timeline(cols, base, SearchRequest())
    assert found_unit == unit
    assert {b.key: b.count for b in bars if b.count} == dict(Counter(period(d) for d in kept))
    assert sum(b.count for b in bars) == len(kept)
