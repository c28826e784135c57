"""The article's start past a notice set above its header (a beta, subscription or follow prompt).

The paragraphs are written for the tests in the shape the layout gives a
browser copy; none is taken from a corpus. Classes are set by hand, so that
the rule is tested apart from the classifier.
"""
from __future__ import annotations

from archive.extract.layout import Unit
from archive.extract.title import article_start, listed_units, past_notice
from test_title_candidates import ARTICLE, HEADLINE, STANDFIRST

ARTICLE = ARTICLE[:3]
NOTICE = "This is a test version of our site. You may leave it by clicking here"


def _good(text: str) -> Unit:
    return Unit([0], text, cf_class="good" if len(text) > 70 else "neargood", class_type="good")


def _short(text: str) -> Unit:
    return Unit([0], text, cf_class="short", class_type="bad")


def _page(head: list[Unit]) -> list[Unit]:
    menu = [Unit([0], f"• Section {n}", cf_class="bad", class_type="bad", bullet=True) for n in range(6)]
    return menu + head + [_good(p) for p in ARTICLE]


def test_a_notice_opening_the_run_above_the_header_is_not_the_start():
    units = _page([_good(NOTICE), _short("May 15, 2020"), _short(HEADLINE), _short("Jane Example")])
    assert article_start(units) == 6  # the notice: good text, and the run's first paragraph
    assert past_notice(units, 6) == 10  # the first paragraph of the story, below the headline
    assert listed_units(units)[2] == 10


def test_a_standfirst_above_its_byline_stays_the_start():
    # a four-word line between (the author's name and role) shares none of the story's words
    units = _page([_short(HEADLINE), _good(STANDFIRST + "."), _short("Jane Example Editorial Staff")])
    assert article_start(units) == 7
    assert past_notice(units, 7) == 7


def test_without_a_headline_between_the_start_stays():
    units = _page([_good(NOTICE), _short("May 15, 2020"), _short("Jane Example")])
    assert past_notice(units, 6) == 6


def test_a_long_first_paragraph_is_no_notice():
    long_first = ARTICLE[1] + " " + ARTICLE[2]
    assert len(long_first) > 200
    units = _page([_good(long_first), _short(HEADLINE)])
    assert past_notice(units, 6) == 6


def _candidates(units) -> set[str]:
    from archive.extract import _is_metadata_line
    from archive.extract.title import headline_features
    return {" ".join(units[k].text.split()) for k, _ in headline_features(units, _is_metadata_line)}


def test_a_notice_that_says_something_is_no_headline():
    units = _page([_good(NOTICE), _short("May 15, 2020"), _short(HEADLINE), _short("Jane Example")])
    found = _candidates(units)
    assert HEADLINE in found and NOTICE not in found


def test_a_line_without_a_sentence_above_the_header_stays_a_candidate():
    # a headline read as good text, over a subtitle shaped as a headline
    title = "Harbour bridge closing to cars next spring, the council decides after a long debate"
    subtitle = "Engineers found corrosion in the harbour bridge's steel supports"
    units = _page([_good(title), _short(subtitle), _short("Jane Example")])
    assert past_notice(units, 6) == 9
    found = _candidates(units)
    assert title in found and subtitle in found
