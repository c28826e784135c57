"""News IDs: labelled lines near the top, or the source's own field."""
from __future__ import annotations

import pytest

from archive.extract.newsid import clean_news_id, find_news_id


@pytest.mark.parametrize("line, expected", [
    ("News ID: 423733", "423733"), ("News Code: 83-2016-7a", "83-2016-7a"),
    ("ID: 1865204", "1865204"), ("Story ID #A55", "A55"), ("news id:423733", "423733"),
])
def test_a_labelled_id_line_at_the_top_gives_the_news_id(line, expected):
    found = find_news_id(["20 September 2016", line, "The article starts here."])
    assert (found.news_id, found.index) == (expected, 1)


@pytest.mark.parametrize("line", [
    "The ID: card of the suspect was found.", "423733", "News ID: ", "Idaho: 42 counties",
])
def test_other_lines_give_no_news_id(line):
    assert find_news_id([line]) is None


def test_an_id_line_far_below_the_top_is_ignored():
    assert find_news_id([f"Sentence {n}." for n in range(10)] + ["News ID: 5"]) is None


@pytest.mark.parametrize("value, expected", [(" 42 ", "42"), (17, "17"), ("", None), (None, None)])
def test_a_hinted_id_is_kept_as_text(value, expected):
    assert clean_news_id(value) == expected
