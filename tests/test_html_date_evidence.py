"""What an HTML page shows of its date, and what it hides (archive/readers/page_meta: searched_date, shown_date)."""
from __future__ import annotations

import datetime as dt

from lxml import html as lxml_html

from archive.readers.html_page import page_document
from archive.readers.page_meta import searched_date, shown_date

ARTICLE = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"


def hints(html: str) -> dict:
    return page_document(html, path="page.html", record=None, fmt="html", hints={}).hints


# --- htmldate's search of the whole page (page_meta.searched_date) -------------------------

#: An app's bootstrapped state in a hidden field: the emoji files of the day it was served.
STATE = "{&quot;flags&quot;: {" + ", ".join(
    f"&quot;f{i}&quot;: &quot;https://img.example.net/flags/Emoji_20200715_2020/Emoji_20200715_2020.png&quot;"
    for i in range(5)) + "}}"


def undated_page(extra: str = "") -> str:
    return ('<html><head><title>Council approves the new bridge</title></head><body>'
            f'<input type="HIDDEN" id="init-data" value="{STATE}"><article>'
            f'<h1>Council approves the new bridge</h1>{ARTICLE}{extra}</article></body></html>')


def test_a_date_in_a_file_name_inside_a_hidden_fields_state_is_no_guess():
    assert searched_date(lxml_html.fromstring(undated_page()), None) is None


def test_a_date_the_reader_sees_is_still_found_beside_a_hidden_field():
    page = undated_page('<p class="date">Posted 15 July 2020</p>')
    assert searched_date(lxml_html.fromstring(page), None) == dt.date(2020, 7, 15)


def test_the_search_leaves_the_callers_tree_whole():
    tree = lxml_html.fromstring(undated_page())
    searched_date(tree, None)
    assert tree.xpath("//input[@id='init-data']")


# --- the date under the headline, not a teaser's (page_meta.shown_date) -------------------

TEASER = ('<div class="more"><p>More videos</p><a href="/cars/2020/06/16/dashboard-melts.htm">'
          '<span>Dashboard melts after gel left inside the car</span><span>Jane Roe</span>'
          '<time>16/06/2020</time></a></div>')


def shown(body: str) -> frozenset[dt.date]:
    page = f"<html><body><article><h1>Council approves the new bridge</h1>{body}{ARTICLE}</article></body></html>"
    return shown_date(lxml_html.fromstring(page), "Council approves the new bridge")


def test_a_related_storys_teaser_between_headline_and_byline_does_not_show_the_date():
    assert shown(TEASER + '<p class="author">By Lois Lane, 23/06/2020 16h45</p>') == {dt.date(2020, 6, 23)}


def test_a_link_holding_only_the_date_a_days_archive_still_shows_it():
    assert shown('<ul class="meta"><li><a href="/time/2020-10-13">13 Oct 2020 18:29</a></li></ul>') == {
        dt.date(2020, 10, 13)}


def test_an_unstamped_page_takes_the_date_under_its_byline_not_the_teasers():
    page = ('<html lang="en"><head><meta charset="utf-8"></head><body><article>'
            f'<h1>Council approves the new bridge</h1>{TEASER}<p class="author">By Lois Lane, 23/06/2020 16h45</p>'
            f'{ARTICLE}</article></body></html>')
    found = hints(page)
    assert found["date_inferred"] == "2020-06-23"
    assert found["date_rule"] == "near-headline"
