"""A stamped publication day that the page's shown date contradicts (archive/readers/page_meta.publication_day)."""
from __future__ import annotations

import datetime as dt

from archive.readers.html_page import page_document
from archive.readers.page_meta import parse_stamp, publication_day

ARTICLE = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"


def stamped_page(stamp: str, shown: str, url: str = "https://www.dailyplanet.com/news/bridge-vote") -> str:
    return ('<html lang="en"><head><meta charset="utf-8">'
            f'<meta property="og:url" content="{url}">'
            '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article", '
            f'"headline": "Council approves the new bridge", "datePublished": "{stamp}"}}</script>'
            '</head><body><article><h1>Council approves the new bridge</h1>'
            f'<p class="byline">By Lois Lane</p><p class="date">{shown}</p>{ARTICLE}</article></body></html>')


def hints(html: str) -> dict:
    return page_document(html, path="page.html", record=None, fmt="html", hints={}).hints


def test_a_stamp_years_before_the_date_under_the_headline_leaves_the_day_in_doubt():
    found = hints(stamped_page("2005-07-26T16:22:26-07:00", "28 March 2020"))
    assert not found.get("date")
    assert "date_inferred" not in found  # in doubt: no guess either


def test_a_date_in_the_url_path_that_confirms_the_stamp_keeps_it():
    url = "https://www.dailyplanet.com/2020/06/23/bridge-vote"
    assert hints(stamped_page("2020-06-23T16:45:52-03:00", "16 June 2020", url))["date"] == "2020-06-23"


def test_a_shown_date_a_day_off_is_the_same_moment_in_another_zone_and_the_stamp_stands():
    assert hints(stamped_page("2020-01-02T06:14:00-05:00", "January 1, 2020"))["date"] == "2020-01-02"


def test_a_shown_date_that_agrees_keeps_the_stamp():
    assert hints(stamped_page("2020-03-28T09:00:00+01:00", "28 March 2020"))["date"] == "2020-03-28"


def test_the_rule_itself_without_a_page():
    stamp = [parse_stamp("2019-05-10T12:00:00+02:00")]
    may = dt.date(2019, 5, 10)
    assert publication_day(stamp) == (may, False)  # nothing shown: the stamp stands
    assert publication_day(stamp, lambda: frozenset({dt.date(2019, 5, 20)})) == (None, True)
    assert publication_day(stamp, lambda: frozenset({dt.date(2019, 5, 20)}), url_day=may) == (may, False)


# --- htmldate's search of the whole page (page_meta.searched_date) -------------------------

from lxml import html as lxml_html  # noqa: E402

from archive.readers.page_meta import searched_date  # noqa: E402

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

from archive.readers.page_meta import shown_date  # noqa: E402

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


def test_a_teaser_no_longer_contradicts_the_stamp():
    page = stamped_page("2020-06-23T16:45:52-03:00", "23/06/2020 16h45").replace(
        "<h1>Council approves the new bridge</h1>", "<h1>Council approves the new bridge</h1>" + TEASER)
    assert hints(page)["date"] == "2020-06-23"
