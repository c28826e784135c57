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


RULES = [
    "To find out more about commenting please read our community guidelines and answers to questions.",
    "Comments are for subscribers only. You will need to sign in before adding a comment here.",
    "Please be polite. It is fine to disagree with ideas, but personal attacks and insults are removed.",
]


def _ruled_page(head: list[Unit], tail: list[Unit] = ()) -> list[Unit]:
    """A page whose comment section's rules (three short paragraphs of good text) stand above its header."""
    menu = [Unit([0], f"• Section {n}", cf_class="bad", class_type="bad", bullet=True) for n in range(6)]
    return (menu + head + [_good(r) for r in RULES] + [_good(HEADLINE), _short("By Jane Example")]
            + [_good(p) for p in ARTICLE] + list(tail))


def test_a_notice_of_several_paragraphs_above_a_headline_shown_above_too_is_not_the_start():
    # the page's title bar shows the headline above the run; the rules, then the header, then the story
    units = _ruled_page([_short(HEADLINE), _short("Share this story")])
    start = 8
    assert units[start].text == RULES[0] and article_start(units) == start
    assert past_notice(units, start) == 13  # the story's first paragraph, under the headline and byline
    assert units[13].text == ARTICLE[0]


def test_a_line_also_shown_below_the_article_is_no_header_under_a_notice_of_several_paragraphs():
    # a teaser that lists below repeat, under paragraphs that may be the story's own: the start stays
    units = _ruled_page([_short(HEADLINE), _short("Share this story")], [_short(HEADLINE)])
    assert past_notice(units, 8) == 8


def test_a_line_not_shown_above_is_no_header_under_a_notice_of_several_paragraphs():
    # short paragraphs of the story itself above a subheading the page shows once
    units = _ruled_page([_short("Share this story")])
    assert past_notice(units, 7) == 7


def test_a_run_opening_with_its_headline_read_as_good_text_starts_under_it():
    # the headline, a line of its own without a sentence's end, read as good text above its byline
    units = _page([_good(HEADLINE), _short("By Jane Example"), _short("May 15, 2020")])
    assert article_start(units) == 6
    assert past_notice(units, 6) == 9 and units[9].text == ARTICLE[0]


def test_a_run_opening_with_a_headline_over_a_cut_snippet_stays():
    # a teaser's headline over its snippet cut short: no finished paragraph under it, the start stays
    snippet = "The city council voted on Tuesday to close the old harbour bridge to cars from next spring..."
    units = _page([_good(HEADLINE), _good(snippet)])
    assert past_notice(units, 6) == 6


def test_a_run_opening_with_a_sentence_is_no_headline_over_the_article():
    units = _page([_good("Engineers say the old bridge can no longer carry heavy traffic."),
                   _short("By Jane Example")])
    assert past_notice(units, 6) == 6


def test_a_subtitle_read_as_good_text_under_the_headline_is_passed_too():
    subtitle = "Engineers found corrosion in most of the harbour bridge's steel supports"
    units = _page([_good(HEADLINE), _good(subtitle), _short("By Jane Example")])
    assert past_notice(units, 6) == 9 and units[9].text == ARTICLE[0]


def test_a_long_first_line_without_a_full_stop_is_a_lead_not_a_headline():
    # the story's first paragraph, its full stop lost in the copy, over a line shaped as a headline
    lead = ARTICLE[0].rstrip(".")
    assert 120 < len(lead) <= 200
    units = _page([_good(lead), _good("Engineers found corrosion in the steel supports"), _good(ARTICLE[1])])
    assert past_notice(units, 6) == 6


def test_a_line_with_a_web_address_in_it_is_no_headline_candidate():
    prompt = "This is my video channel, please watch and SUBSCRIBE https://video.example.com/user/jane"
    units = _page([_short("Watch my daily videos here"), _good(prompt), _short(HEADLINE), _short("May 15, 2020")])
    found = _candidates(units)
    assert HEADLINE in found and prompt not in found
