"""Headlines of copied pages judged on their line: a breadcrumb set before the headline, markup left in it.

The pages are written for the tests in the shape a browser copy has; none
is taken from a corpus.
"""
from __future__ import annotations

from archive.extract.title import without_breadcrumb
from test_title_candidates import HEADLINE, copied_page, features_of, title_of


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



def test_a_line_with_an_undecoded_html_entity_is_markup_not_a_candidate():
    copy = "Harbour bridge&#39;s closure to cars set for next spring"
    found = features_of(copied_page([copy, "", HEADLINE]))
    assert HEADLINE in found and copy not in found
    assert "Harbour bridge's closure to cars set for next spring" in features_of(
        copied_page(["Harbour bridge's closure to cars set for next spring", "", HEADLINE]))
