"""Cleaning scraped text: furniture lines go, article sentences stay."""
from __future__ import annotations

import pytest

from archive.extract.clean import (comment_section_start, content_lines, is_boilerplate,
                                   join_paragraphs, text_lines)

ARTICLE = [
    "The ministry said on Monday that talks would resume next week.",
    "There was no immediate comment from the embassy.",
    "Officials declined to comment on the report, which was shared widely online.",
    "Readers who subscribe to the agency's wire saw the story first.",
]


@pytest.mark.parametrize("line", [
    "Skip to main content", "Scroll to Continue", "Recommended for You", "Report abuse",
    "Send comment", "Comments", "Your Comments", "Comments (12)", "14 comments", "Register",
    "Newsletter", "Email this story", "Share on Facebook", "Top Stories", "Recent Stories",
    "Online:", "Visits:", "Story Views", "Last Hour:", "Last 24 Hours: 1,204", "Total:",
    "Profile image", "% of readers think this story is Fact. Add your two cents.",
    "Tags: US Syria ISIL", "Keywords: airstrike, Deir ez-Zor",
    "Please type in your comments in English.",
    "The comments that contain insults or libel to individuals will not be disclosed",
    "If you really want to ban this commenter, please write down the reason:",
    "If you really want to disable all recommended stories, click on OK button.",
    "Question   Razz  Sad   Evil  Exclaim  Smile  Redface  Biggrin  Surprised  Eek",
    'string(1692) "[{"id":"1865204","sort":"3631696","title":"ISIS Suicide Attack"}]"',
    '[{"id": 1, "title": "Another story"}, {"id": 2}]',
    "Copyright 2016 Example Media", "© Example Media Ltd", "Advertisement",
])
def test_furniture_lines_are_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize("line", ARTICLE + [
    "Copyright law was changed in 2016, the court said.",
    "Comments by the minister drew an angry response.",
    "Register of deeds clerks walked out.",
    "Question marks remain over the deal.",
])
def test_sentences_that_merely_contain_such_words_are_kept(line):
    assert not is_boilerplate(line)


def test_content_lines_keep_every_article_sentence_and_drop_the_furniture():
    text = "\n".join(["Skip to main content", "", ARTICLE[0], "Share", "", ARTICLE[1], "",
                      "Scroll to Continue", ARTICLE[2], ARTICLE[3], "Tags: talks"])
    kept = content_lines(text_lines(text))
    assert [line for line in kept if line] == ARTICLE


def test_a_story_list_under_its_heading_is_dropped_up_to_the_next_sentence():
    text = "\n".join([ARTICLE[0], "", "Related Stories", "Syria truce collapses",
                      "Russia warns of escalation", "", ARTICLE[1]])
    assert [line for line in content_lines(text_lines(text)) if line] == [ARTICLE[0], ARTICLE[1]]


def test_the_comment_section_after_the_article_is_cut_off_entirely():
    reader_comment = "I think this article is completely wrong about the airstrike and its causes."
    lines = text_lines("\n".join(ARTICLE + ["", "Leave a Reply", reader_comment, "Great post."]))
    assert comment_section_start(lines) == len(ARTICLE) + 1
    assert [line for line in content_lines(lines) if line] == ARTICLE


def test_a_comment_counter_by_the_headline_does_not_cut_the_article():
    lines = text_lines("\n".join(["Talks to resume", "Comments (3)", ""] + ARTICLE))
    assert [line for line in content_lines(lines) if line] == ["Talks to resume"] + ARTICLE


def test_blank_line_runs_collapse_into_one_paragraph_break():
    text = f"{ARTICLE[0]}\n\n\n\n{ARTICLE[1]}\n{ARTICLE[2]}\n\n\n"
    assert join_paragraphs(content_lines(text_lines(text))) == \
        f"{ARTICLE[0]}\n\n{ARTICLE[1]}\n{ARTICLE[2]}"


def test_an_indented_wire_paragraph_starts_a_new_paragraph():
    text = "Oil prices rose on Monday as\ntraders weighed supply.\n    Analysts said demand was firm."
    assert join_paragraphs(content_lines(text_lines(text))) == \
        "Oil prices rose on Monday as\ntraders weighed supply.\n\nAnalysts said demand was firm."


def test_non_breaking_and_zero_width_spaces_are_normalised():
    assert text_lines("RNA -\xa0The source\u200b said.") == ["RNA - The source said."]
