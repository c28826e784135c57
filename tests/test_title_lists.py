"""Lists of items built from one template (teasers with their dates, a comment thread) are no article.

The paragraphs are written for the tests in the shape a page copy has; none
is taken from a corpus. Units are built by hand, so that the list rule is
tested apart from the classifier and the fitted weights.
"""
from __future__ import annotations

from archive.extract import _is_metadata_line
from archive.extract.layout import Unit
from archive.extract.title import article_start, item_lists, listed_units

HEADLINE = "Council votes to close the harbour bridge to cars"
ARTICLE = [
    "The city council voted on Tuesday to close the harbour bridge to cars, after engineers warned "
    "that its deck was no longer safe for heavy traffic.",
    "Residents said they had not been told about the plan before the vote, and shopkeepers on the "
    "quay fear that fewer customers will come.",
]


def _unit(k: int, text: str) -> Unit:
    good = len(text) > 70
    return Unit([k], text, cf_class="good" if good else "short", class_type="good" if good else "bad")


def _units(texts: list[str]) -> list[Unit]:
    return [_unit(k, t) for k, t in enumerate(texts)]


SUBJECTS = ("market square", "school run", "river festival", "night buses", "old library")


def teasers(n: int, date_first: bool = False) -> list[str]:
    """n teasers, each a headline, a full-sentence snippet and its date line (below them, or above)."""
    out = []
    for i in range(n):
        item = [f"Another story of the week about the {SUBJECTS[i]}",
                f"A snippet of story {i + 1} that tells in a whole sentence what the story is about, as a "
                f"teaser does, and ends like one."]
        date = f"November {10 + i}, 2019"
        out += [date, *item] if date_first else [*item, date]
    return out


def comments(n: int) -> list[str]:
    """A thread of n comments: a name, a time, the comment (long enough to count as text) and its votes."""
    out = []
    for i in range(n):
        out += [f"reader{i}", f"{i + 2} days ago at 07:{10 + i} am",
                f"Comment {i}: I think the council was right to do it, the bridge has been falling apart "
                f"for years and nobody wanted to pay for the repairs it needed all that time.",
                f"Rating: {30 - i} Votes"]
    return out


def test_teasers_with_their_date_lines_below_are_a_list_from_the_first_date_to_the_last():
    texts = ["Latest news", *teasers(4), HEADLINE, *ARTICLE]
    # date lines at 3, 6, 9, 12, each closing its teaser: the list ends with the last one
    assert item_lists(_units(texts), _is_metadata_line) == [(3, 12, 13)]


def test_teasers_with_their_date_lines_above_take_the_teaser_after_the_last_date_along():
    texts = ["Latest news", *teasers(4, date_first=True), "Most read", *ARTICLE]
    # date lines at 1, 4, 7, 10, each opening its teaser: the last teaser (11, 12) is the list's too
    assert item_lists(_units(texts), _is_metadata_line) == [(1, 10, 13)]


def test_the_article_starts_below_a_longer_run_of_teasers_with_dates():
    texts = [*teasers(4), HEADLINE, *ARTICLE]
    units = _units(texts)
    start = texts.index(ARTICLE[0])
    snippets = sum(len(t) for t in texts[:start] if len(t) > 70)
    assert snippets > sum(len(t) for t in ARTICLE)  # without the list rule the teasers would win
    assert article_start(units) == 1
    no_start, _, _ = listed_units(units, _is_metadata_line)
    assert article_start(units, no_start) == start


def test_the_article_starts_above_a_longer_comment_thread():
    share_bar = ["Share", "Facebook", "Twitter", "Email", "Print", "More stories", "Top comments"]
    texts = [HEADLINE, *ARTICLE, *share_bar, *comments(4)]
    units = _units(texts)
    first_comment = texts.index(comments(1)[2])
    no_start, no_headline, _ = listed_units(units, _is_metadata_line)
    assert article_start(units) == first_comment  # without the list rule
    assert article_start(units, no_start) == 1
    # the comments' names, times and texts far below the article are no headline candidates
    assert set(range(first_comment - 1, len(texts) - 1)) <= no_headline


def test_a_list_right_above_the_article_keeps_its_last_item_as_a_headline_candidate():
    # the article's own header set as its teasers are (a headline and a date line): the scorer decides
    texts = [*teasers(3), HEADLINE, "November 20, 2019", *ARTICLE]
    units = _units(texts)
    no_start, no_headline, _ = listed_units(units, _is_metadata_line)
    assert article_start(units, no_start) == texts.index(ARTICLE[0])
    assert texts.index(HEADLINE) not in no_headline
    # the teasers after the first date line, each shaped as the others are, are no headline
    assert texts[3].startswith("Another") and texts[6].startswith("Another")
    assert {3, 4, 6, 7} <= no_headline


def test_a_related_list_right_above_the_article_leaves_its_teasers_out_of_the_candidates():
    # "More stories": teasers, each a headline and its date line, between the headline and the article
    texts = [HEADLINE, "More stories like this one", *teasers(5), *ARTICLE]
    units = _units(texts)
    no_start, no_headline, _ = listed_units(units, _is_metadata_line)
    assert article_start(units, no_start) == texts.index(ARTICLE[0])
    teaser_lines = [k for k, t in enumerate(texts) if t.startswith("Another story")]
    assert len(teaser_lines) == 5
    # dates close the items (at 4, 7, 10, 13): the items after the first mark, each shaped as the
    # others are, are teasers, the last one too
    assert set(teaser_lines[1:]) <= no_headline
    assert 0 not in no_headline


def related_videos(sources: list[str]) -> list[str]:
    """Teasers of videos, each an image's placeholder, a headline and its source and date line."""
    out = []
    for i, source in enumerate(sources):
        out += ["[thumb_7]", f"Another story of the week about the {SUBJECTS[i]}", f"{source} 0{i + 1}/06/2020"]
    return out


def test_a_teaser_below_the_last_mark_shaped_as_the_items_to_its_date_is_the_lists_too():
    # a heading above the list has the teasers' coarse shape (short lines), but not their source
    # and date line: the marks open the items, and the item after the last one is the list's
    texts = [HEADLINE, "Follow us on social media", "Related videos",
             *related_videos(["Daily Courier", "Jane Doe", "Daily Courier"]), "In the city", *ARTICLE]
    assert texts[9] == "[thumb_7]" and texts[11] == "Daily Courier 03/06/2020"
    assert (3, 9, 12) in item_lists(_units(texts), _is_metadata_line)
    units = _units(texts)
    no_start, no_headline, _ = listed_units(units, _is_metadata_line)
    assert {4, 7, 10} <= no_headline  # every teaser's headline, the last one too
    assert 0 not in no_headline


def test_a_header_set_among_teasers_in_a_shape_of_its_own_stays_a_headline_candidate():
    # a feed whose items are an image, a headline and a bullet, with the article's header among
    # them as a source line, the headline, a byline and a time: the header's item is shaped otherwise
    texts = ["Top stories"]
    for subject in SUBJECTS:
        texts += ["[img_42]", f"Another story of the week about the {subject}", "•"]
    header = ["Daily Courier", HEADLINE, "By Jane Doe", "November 20, 2019"]
    texts = texts[:7] + header + texts[7:]
    texts += ["[img_42]", *ARTICLE]
    units = [_unit(k, t) for k, t in enumerate(texts)]
    for u in units:
        u.bullet = u.text == "•"
    no_start, no_headline, _ = listed_units(units, _is_metadata_line)
    assert article_start(units, no_start) == texts.index(ARTICLE[0])
    headline = texts.index(HEADLINE)
    teaser_lines = [k for k, t in enumerate(texts) if t.startswith("Another story")]
    assert teaser_lines[0] < headline < teaser_lines[-1]
    assert headline not in no_headline
    # the items run from mark to mark, so the teaser above the header shares the header's item
    assert teaser_lines[1] == texts.index("Daily Courier") - 2
    assert {teaser_lines[0], *teaser_lines[2:-1]} <= no_headline


def test_an_article_with_advertisements_between_its_paragraphs_is_no_list():
    paragraphs = [f"Paragraph {i} of the story goes on about the bridge, the council and the money it "
                  f"would cost to repair it properly." for i in range(6)]
    texts = [HEADLINE]
    for p in paragraphs:
        texts += [p, "Advertisement"]
    assert item_lists(_units(texts), _is_metadata_line) == []


def test_a_status_line_without_figures_repeated_by_a_player_is_no_mark():
    texts = [HEADLINE]
    for subject in SUBJECTS[:4]:
        texts += ["Loading...", f"A video about the {subject} that the page embeds"]
    texts += ARTICLE
    assert item_lists(_units(texts), _is_metadata_line) == []


def test_paragraphs_longer_than_a_snippet_between_two_marks_of_one_shape_are_no_item():
    long = ("The council said the repairs would take two years and cost more than the city spends on "
            "roads in a whole decade, which is why it chose to close the bridge. ") * 3
    texts = [HEADLINE]
    for i in range(4):
        texts += [f"Photo {i + 1} of 4", long]
    assert item_lists(_units(texts), _is_metadata_line) == []


def test_a_long_snippet_stays_in_the_list_when_its_item_is_no_longer_than_the_ones_before():
    long_snippet = ("A snippet that runs on for longer than most, the page showing the first lines of the "
                    "story in full, as a feed of news does, before the next one starts below it. ") * 3
    assert len(long_snippet) > 400
    texts = ["Latest news"]
    for i, subject in enumerate(SUBJECTS):
        texts += [f"{10 + i}:30", f"Another story of the week about the {subject}",
                  long_snippet if i >= 2 else "A short snippet of it, a sentence long."]
    texts += ["Most read", "Share", *ARTICLE]
    # times at 1, 4, 7, 10, 13: the long items at 8-9 and 11-12 have the two paragraphs the first ones had
    assert item_lists(_units(texts), _is_metadata_line) == [(1, 13, 16)]


def test_a_comment_thread_below_the_article_leaves_the_article_and_a_how_to_keeps_its_steps():
    from archive.extract.layout import _drop_lists_below
    share_bar = ["Share", "Facebook", "Twitter", "Email", "Print", "More stories", "Top comments"]
    texts = [HEADLINE, *ARTICLE, *ARTICLE, *share_bar, *comments(3)]
    units = _units(texts)
    _drop_lists_below(units)
    kept = [u.text for u in units if u.class_type == "good"]
    assert kept == [*ARTICLE, *ARTICLE]
    steps = [f"Step {n}: open the menu, choose the entry the step names and press the button below it."
             for n in range(4)]
    texts = [HEADLINE, *ARTICLE]
    for n, step in enumerate(steps):
        texts += [f"[screenshot-{n + 1}]", step]
    units = _units(texts)
    _drop_lists_below(units)
    assert [u.text for u in units if u.class_type == "good"] == [*ARTICLE, *steps]


def _candidate_texts(units) -> set[str]:
    from archive.extract.title import headline_features
    return {" ".join(units[k].text.split()) for k, _ in headline_features(units, _is_metadata_line)}


TEASER = "Another story of the week about the night buses"
LEAD = ARTICLE[0] + " " + ARTICLE[1]  # longer than a notice set above a header


def test_a_teaser_linked_again_with_its_thumbnail_inside_the_article_is_no_candidate():
    texts = ["Latest news", TEASER, "Regions > North", HEADLINE, "November 20, 2019",
             LEAD, "Related news", f"[thumb_new] {TEASER}", ARTICLE[1]]
    units = _units(texts)
    assert article_start(units) == 5
    found = _candidate_texts(units)
    assert HEADLINE in found and TEASER not in found


def test_the_headline_repeated_inside_the_article_without_a_thumbnail_stays_a_candidate():
    # a photo's caption repeating the headline is no link to another story
    texts = ["Latest news", TEASER, "Regions > North", HEADLINE, "November 20, 2019",
             LEAD, HEADLINE, ARTICLE[1]]
    units = _units(texts)
    assert article_start(units) == 5
    assert HEADLINE in _candidate_texts(units)
