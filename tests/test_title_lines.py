"""Headlines of copied pages judged on their line: a breadcrumb a copy set before the headline.

The pages are written for the tests in the shape a browser copy has; none
is taken from a corpus.
"""
from __future__ import annotations

from archive.extract.title import without_breadcrumb
from test_title_candidates import HEADLINE, copied_page, title_of


def test_a_breadcrumb_before_the_headline_leaves_it():
    assert without_breadcrumb("Home » Harbour bridge to close to cars next spring") == HEADLINE
    assert without_breadcrumb("Start › City › Harbour bridge to close to cars next spring") == HEADLINE
    assert without_breadcrumb("Home / City news / Harbour bridge to close to cars next spring") == HEADLINE


def test_a_mark_inside_a_headline_is_no_breadcrumb():
    for line in ("Biden / Harris ticket wins the vote in Ohio",  # one slash: words, not crumbs
                 "Harbour bridge > closed to cars this week",  # a clause in lower case after the mark
                 "Home » City »",  # nothing after the crumbs
                 "Home » City » Sport » Weather » Culture"):  # a menu on one line
        assert without_breadcrumb(line) == line


def test_a_page_setting_its_breadcrumb_on_the_headline_line_gives_the_headline_alone():
    assert title_of(copied_page([f"Home » City news » {HEADLINE}"])) == HEADLINE

