"""Publication dates: formats, order of trust, and no date rather than a wrong one."""
from __future__ import annotations

import datetime as dt

import pytest

from archive.extract.dates import (date_from_url, find_body_date, find_head_date, match_date_line,
                                   parse_date, plausible)

D = dt.date


@pytest.mark.parametrize("line, expected", [
    ("20 September 2016 - 22:36", D(2016, 9, 20)),
    ("Tue Sep 27, 2016 10:02:22", D(2016, 9, 27)),
    ("Saturday, September 17, 2016 12:58", D(2016, 9, 17)),
    ("September 17, 2016 at 3:45 pm EDT", D(2016, 9, 17)),
    ("Sept. 17th, 2016", D(2016, 9, 17)),
    ("2016-09-27", D(2016, 9, 27)),
    ("2016-09-27T12:31:00+03:00", D(2016, 9, 27)),
    ("2016/09/17", D(2016, 9, 17)),
    ("17.09.2016", D(2016, 9, 17)),
    ("26-FEB-1987 15:01:01.79", D(1987, 2, 26)),
    ("Published: 1 March 2017", D(2017, 3, 1)),
    ("4/5/2017", D(2017, 4, 5)),     # US order: month first
    ("13/5/2017", D(2017, 5, 13)),   # 13 cannot be a month: day first
])
def test_a_date_line_in_a_common_format_is_read(line, expected):
    assert match_date_line(line) == expected


@pytest.mark.parametrize("line", [
    "1 January 2999", "5 May 1850", "31/31/2016", "30 February 2016",
    "On September 17 the coalition struck.", "Sixty-two soldiers were killed on 17 September 2016.",
])
def test_impossible_future_ancient_or_in_sentence_dates_are_not_date_lines(line):
    assert match_date_line(line) is None


def test_plausible_refuses_tomorrow():
    today = dt.date.today()
    assert plausible(today) == today
    assert plausible(today + dt.timedelta(days=1)) is None


@pytest.mark.parametrize("hint, expected", [
    ("1987-02-26T15:01:01", D(1987, 2, 26)),
    ("Mon, 26 Sep 2016 08:00:00 GMT", D(2016, 9, 26)),
    ("le 20 septembre 2016", D(2016, 9, 20)),     # only dateparser reads this
    ("Sep 2016", None),                             # no day: not a date
    ("yesterday", None), ("", None), (None, None), ("not a date at all", None),
])
def test_hint_strings_are_parsed_fast_paths_first_then_dateparser(hint, expected):
    assert parse_date(hint) == expected


def test_a_date_prefix_is_split_from_the_first_sentence():
    found = find_head_date(["date 2016-09-27 Damascus has a recording, the speaker said."])
    assert (found.date, found.rule, found.rest) == (
        D(2016, 9, 27), "inferred:date-prefix", "Damascus has a recording, the speaker said.")


def test_a_labelled_posting_line_at_the_top_is_a_date_line():
    found = find_head_date(["Storm hits coast", "Posted on March 3, 2017 by admin", "", "Text."])
    assert (found.date, found.index, found.rule) == (D(2017, 3, 3), 1, "inferred:date-line")


def test_a_date_far_below_the_top_is_not_a_head_date():
    lines = [f"Sentence number {n} of the article." for n in range(12)] + ["20 September 2016"]
    assert find_head_date(lines) is None
    assert find_body_date(lines).date == D(2016, 9, 20)


def test_body_dates_inside_sentences_are_event_dates_and_never_taken():
    lines = ["Russia launched its first airstrikes September 30, 2015 when the war turned.",
             "In March 2016, the State Department declined to comment."]
    assert find_body_date(lines) is None


@pytest.mark.parametrize("url, expected", [
    ("https://www.example.com/news/2016/09/17/storm-hits/", D(2016, 9, 17)),
    ("https://example.com/2016-09-17-storm.html", D(2016, 9, 17)),
    ("https://example.com/2016/09/storm", None),
    ("https://example.com/2999/01/01/future", None),
    (None, None),
])
def test_a_full_date_in_the_url_path_is_read(url, expected):
    assert date_from_url(url) == expected
