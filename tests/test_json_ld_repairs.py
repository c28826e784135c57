"""JSON-LD blocks with the slips templates make (archive/readers/page_meta.read_json_ld)."""
from __future__ import annotations

from archive.readers.html_page import page_document
from archive.readers.page_meta import read_json_ld

ARTICLE = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"


def test_a_comma_before_a_closing_bracket_is_read_past():
    assert read_json_ld('{"@type": "NewsArticle", "keywords": ["News", "Town", ], "datePublished": "2020-11-18",}') == {
        "@type": "NewsArticle", "keywords": ["News", "Town"], "datePublished": "2020-11-18"}


def test_a_stray_closing_brace_after_the_block_is_left_out():
    assert read_json_ld('{"@type": "NewsArticle", "publisher": {"name": "Avaz"}}\n    }\n') == {
        "@type": "NewsArticle", "publisher": {"name": "Avaz"}}


def test_two_blocks_in_one_script_give_the_first():
    assert read_json_ld('{"@type": "WebSite"}{"@type": "ItemList"}') == {"@type": "WebSite"}


def test_single_quoted_strings_are_beyond_repair():
    assert read_json_ld("{\"@type\": \"NewsArticle\", \"description\": 'Oil prices fell'}") is None


def test_commas_inside_a_string_are_kept_when_the_block_is_whole():
    assert read_json_ld('{"headline": "Rates, ]then[ prices"}') == {"headline": "Rates, ]then[ prices"}


def test_the_date_of_a_repaired_block_is_stated_not_guessed():
    page = ('<html lang="en"><head><meta charset="utf-8"><script type="application/ld+json">'
            '{"@context": "http://schema.org", "@type": "NewsArticle", "headline": "Council approves the new bridge",'
            ' "keywords": ["Town", "Bridge", ], "datePublished": "2020-10-26T18:10:00+01:00"}}</script></head>'
            f'<body><article><h1>Council approves the new bridge</h1>{ARTICLE}</article></body></html>')
    hints = page_document(page, path="page.html", record=None, fmt="html", hints={}).hints
    assert hints["date"] == "2020-10-26"
    assert "date_inferred" not in hints
