"""The server-drawn histogram: gaps filled, heights proportional, links on bars with articles."""
from __future__ import annotations

import pytest

from index.model import HistogramBar
from web import histogram


def link(bar: HistogramBar) -> str:
    return f"/search?month={bar.key}"


def test_months_without_articles_are_drawn_as_empty_bars_without_links():
    bars = [HistogramBar("2016-11", "Nov 2016", 2, False), HistogramBar("2017-02", "Feb 2017", 4, False)]
    view = histogram.build(bars, "month", link)
    assert [b.key for b in view.bars] == ["2016-11", "2016-12", "2017-01", "2017-02"]
    assert [b.href for b in view.bars] == ["/search?month=2016-11", None, None, "/search?month=2017-02"]
    assert [b.count for b in view.bars] == [2, 0, 0, 4]


def test_bar_heights_are_proportional_to_counts_and_stand_on_the_baseline():
    bars = [HistogramBar("2016-09", "Sep 2016", 10, False), HistogramBar("2016-10", "Oct 2016", 5, True)]
    view = histogram.build(bars, "month", link)
    tall, short = view.bars
    full = histogram.CHART_BOTTOM - histogram.CHART_TOP
    assert tall.height == pytest.approx(full)
    assert short.height == pytest.approx(full / 2)
    for bar in view.bars:
        assert bar.y + bar.height == pytest.approx(histogram.CHART_BOTTOM)
        assert 0 <= bar.x and bar.x + bar.width <= histogram.WIDTH
    assert short.selected and not tall.selected
    assert view.max_count == 10


def test_days_are_filled_across_a_month_boundary():
    bars = [HistogramBar("2016-09-29", "29 Sep", 1, False), HistogramBar("2016-10-02", "2 Oct", 1, False)]
    keys = [b.key for b in histogram.fill_gaps(bars, "day")]
    assert keys == ["2016-09-29", "2016-09-30", "2016-10-01", "2016-10-02"]


def test_a_span_too_long_to_fill_keeps_only_the_given_bars():
    bars = [HistogramBar("1900-01", "1900", 1, False), HistogramBar("2016-01", "2016", 1, False)]
    assert len(histogram.build(bars, "month", link).bars) == 2


def test_no_bars_give_an_empty_chart_with_a_readable_summary():
    view = histogram.build([], "month", link)
    assert view.bars == () and view.summary == "No dated articles."


def test_titles_say_the_count_in_words():
    view = histogram.build([HistogramBar("2016-09", "Sep 2016", 1, False)], "month", link)
    assert view.bars[0].title == "Sep 2016: 1 article"
