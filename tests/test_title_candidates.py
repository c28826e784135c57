"""Headlines of copied pages: where a candidate stands among the others decides.

The pages are written for the tests in the shape a browser copy has (bullets
for menus, [placeholders] for images, text wrapped at the window's width);
none is taken from a corpus.
"""
from __future__ import annotations

import textwrap

from archive.document import RawDocument
from archive.extract import _is_metadata_line, extract
from archive.extract.clean import text_lines
from archive.extract.layout import analyse
from archive.extract.title import FEATURES, headline_features

HEADLINE = "Harbour bridge to close to cars next spring"
STANDFIRST = "Engineers say the old bridge over the harbour can no longer carry heavy traffic"
ARTICLE = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, "
    "after engineers warned that the structure could no longer carry heavy traffic safely.",
    "The decision followed a report that found corrosion in most of the steel supports and "
    "recommended that the bridge be rebuilt within five years at a cost the city cannot yet meet.",
    "Residents of the harbour district said they had not been told about the plan before the vote "
    "and asked the council to publish the engineers' report in full before any work begins.",
    "The mayor said the report would be published next week and that a public meeting would be "
    "held in the harbour district before the end of the month.",
]
MENU = ["  • Home", "  • News", "  • Sport", "  • Business", "  • Culture", "  • Weather"]


def copied_page(head: list[str], between: list[str] = ()) -> str:
    """Menu, then `head` (the headline's block), then `between`, then the article and a footer."""
    lines = [*MENU, "", "[site-logo]", "", *head, "", *between]
    for paragraph in ARTICLE:
        lines += ["\n".join(textwrap.wrap(paragraph, 80)), ""]
    return "\n".join(lines + ["  • About us", "  • Contact", "", "[ ] [Subscribe]"]) + "\n"


def title_of(text: str) -> str:
    return extract(RawDocument(path="copies/page.txt", record=None, fmt="txt", text=text)).title


def features_of(text: str) -> dict[str, dict[str, float]]:
    """Each candidate's features by its text (of a text shown twice, its first copy's)."""
    lines = text_lines(text)
    layout = analyse(lines, "en")
    assert layout.classified
    found: dict[str, dict[str, float]] = {}
    for k, values in headline_features(layout.units, _is_metadata_line):
        found.setdefault(" ".join(layout.units[k].text.split()), dict(zip(FEATURES, values)))
    return found


def test_the_headline_is_chosen_over_its_standfirst_below_it():
    text = copied_page([HEADLINE, "", STANDFIRST, "", "By Jane Example", "", "[harbour-bridge.jpg]"])
    assert title_of(text) == HEADLINE


def test_the_headline_and_its_standfirst_are_seen_as_a_pair():
    found = features_of(copied_page([HEADLINE, "", STANDFIRST, "", "By Jane Example"]))
    assert found[HEADLINE]["twin_below"] == 1.0 and found[HEADLINE]["twin_above"] == 0.0
    assert found[STANDFIRST]["twin_above"] == 1.0
    # below the standfirst the article starts (the run opened with it, read as good text, and no
    # sentence in it): its first paragraph, the start, is the standfirst's other twin
    lead = " ".join(ARTICLE[0].split())
    assert found[lead]["at_start_paragraph"] == 1.0 and found[STANDFIRST]["twin_below"] == 1.0
    assert found[HEADLINE]["cluster_first"] == 1.0 and found[STANDFIRST]["cluster_first"] == 0.0


def test_a_byline_right_below_and_a_numbered_breadcrumb_right_above_are_features():
    found = features_of(copied_page(["1. Home", "2. City", "", HEADLINE, "", "By Jane Example"]))
    assert found[HEADLINE]["byline_next"] == 1.0
    assert found[HEADLINE]["prev_list"] == 1.0


def test_the_first_line_after_the_menu_is_marked_and_a_page_title_shown_twice_is_counted():
    text = copied_page([HEADLINE, "", "By Jane Example"]).replace("[site-logo]", f"[site-logo]\n\n{HEADLINE}")
    found = features_of(text)
    assert found[HEADLINE]["count"] == 2.0
    assert found[HEADLINE]["first_after_menu"] == 1.0


def test_a_headline_far_above_the_article_run_is_still_a_candidate():
    # a gallery of a hundred captions between the headline and the article's text (no bullets:
    # they copy as paragraphs of their own, each a candidate too)
    captions = [f"[photo-{i}]\n\nPicture {i} of the harbour at night" for i in range(100)]
    text = copied_page([HEADLINE, "", "By Jane Example"], between=[*captions, ""])
    found = features_of(text)
    assert HEADLINE in found
    assert found[HEADLINE]["gap"] == 25.0 and found[HEADLINE]["far_before"] == 1.0
    assert title_of(text) == HEADLINE


def test_a_headline_above_a_longer_line_opens_a_pair_and_the_longer_one_closes_it():
    found = features_of(copied_page([HEADLINE, "", STANDFIRST, "", "By Jane Example"]))
    assert len(STANDFIRST) > len(HEADLINE)
    assert found[HEADLINE]["pair_first"] == 1.0 and found[HEADLINE]["pair_second"] == 0.0
    assert found[STANDFIRST]["pair_second"] == 1.0 and found[STANDFIRST]["pair_first"] == 0.0


def test_a_line_repeated_as_a_labelled_caption_or_opening_a_longer_one_is_marked():
    caption = "The old harbour bridge seen from the north bank at dawn"
    text = copied_page([HEADLINE, "", "By Jane Example", "", caption, "", f"Image: {caption}",
                        "", f"{caption} (Photo: Jo Lens / City Archive)"])
    found = features_of(text)
    assert found[caption]["caption_echo"] == 1.0 and found[caption]["lead_prefix"] == 1.0
    assert found[HEADLINE]["caption_echo"] == 0.0 and found[HEADLINE]["lead_prefix"] == 0.0


def test_a_credit_wholly_in_brackets_is_marked_and_not_the_title():
    credit = "(Jo Lens / City Archive)"
    text = copied_page([HEADLINE, "", STANDFIRST, "", "[harbour-bridge.jpg]", "", credit])
    found = features_of(text)
    assert found[credit]["wrapped"] == 1.0 and found[HEADLINE]["wrapped"] == 0.0
    assert title_of(text) == HEADLINE
