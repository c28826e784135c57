"""Web pages: the headline without the site's name, the outlet that fits the
domain, and the date the markup states (or a marked guess, or none)."""
from __future__ import annotations

import datetime as dt

import pytest

from archive.extract import extract
from archive.readers import page_meta
from archive.readers.html_page import page_document

BODY = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"


def page(head: str = "", body_top: str = "", body_end: str = "", lang: str = "en") -> str:
    return (f'<html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
            f"<article>{body_top}{BODY}{body_end}</article></body></html>")


def meta(prop: str, content: str) -> str:
    return f'<meta property="{prop}" content="{content}">'


def json_ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def hints_of(html: str | bytes, **given: str) -> dict:
    doc = page_document(html, path="page.html", record=None, fmt="html", hints=given)
    return dict(doc.hints)


URL = meta("og:url", "https://www.dailyplanet.com/news/bridge-vote")


# --- headline ----------------------------------------------------------------------------

def test_a_trailing_site_name_leaves_the_title():
    hints = hints_of(page(URL + meta("og:site_name", "Daily Planet") +
                          "<title>Council approves the new bridge | Daily Planet</title>"))
    assert hints["title"] == "Council approves the new bridge"


def test_a_leading_site_name_before_a_colon_leaves_the_title():
    hints = hints_of(page(URL + meta("og:site_name", "Daily Planet") +
                          meta("og:title", "Daily Planet: Council approves the new bridge")))
    assert hints["title"] == "Council approves the new bridge"


def test_a_title_part_spelling_the_domain_is_the_site_even_without_a_site_name():
    hints = hints_of(page(URL + "<title>Council approves the new bridge - The Daily Planet</title>"))
    assert hints["title"] == "Council approves the new bridge"


def test_a_dash_inside_the_headline_stays_when_neither_part_names_the_site():
    title = "Storm hits the coast - thousands without power"
    hints = hints_of(page(URL + meta("og:site_name", "Daily Planet") + f"<title>{title} | Daily Planet</title>"))
    assert hints["title"] == title


def test_of_two_og_titles_the_one_the_page_repeats_elsewhere_wins():
    hints = hints_of(page(URL + meta("og:title", "A social teaser about the bridge") +
                          meta("og:title", "Council approves the new bridge") +
                          '<meta name="twitter:title" content="Council approves the new bridge">',
                          body_top="<h1>Council approves the new bridge</h1>"))
    assert hints["title"] == "Council approves the new bridge"


def test_a_heading_that_is_only_the_site_name_is_not_the_headline():
    hints = hints_of(page(URL + meta("og:site_name", "Daily Planet") +
                          "<title>Council approves the new bridge - Daily Planet</title>",
                          body_top="<h1>Daily Planet</h1>"))
    assert hints["title"] == "Council approves the new bridge"


# --- outlet ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, host", [
    ("The Guardian", "theguardian.com"),
    ("New York Post", "nypost.com"),
    ("Neue Zürcher Zeitung", "nzz.ch"),
    ("ТАСС", "tass.ru"),
    ("Sputnik International", "sputniknews.com"),
    ("Radio-Canada.ca", "ici.radio-canada.ca"),
])
def test_a_name_fits_the_domain_it_spells_abbreviates_or_transliterates(name, host):
    assert page_meta.agrees_with_host(name, host)


@pytest.mark.parametrize("name, host", [
    ("Associated Press", "sfgate.com"),
    ("Expert how-to for English Riders", "practicalhorsemanmag.com"),
    ("KSF Media", "hbl.fi"),
    ("Daily Planet", "52.16.95.170"),
])
def test_a_name_does_not_fit_a_domain_it_has_nothing_in_common_with(name, host):
    assert not page_meta.agrees_with_host(name, host)


def test_a_site_name_fitting_the_domain_is_the_outlet():
    hints = hints_of(page(URL + meta("og:site_name", "Daily Planet")))
    assert hints["site_name"] == "Daily Planet"
    assert "outlet" not in hints
    assert extract_from(page(URL + meta("og:site_name", "Daily Planet"))).outlet == "Daily Planet"


def test_a_tagline_site_name_gives_way_to_the_application_name_that_fits_the_domain():
    html = page(URL + meta("og:site_name", "News you can trust every morning") +
                '<meta name="application-name" content="Daily Planet">')
    hints = hints_of(html)
    assert hints["site_name"] == "News you can trust every morning"
    assert hints["outlet"] == "Daily Planet"


def test_a_news_agency_named_as_publisher_does_not_replace_the_site():
    html = page(URL + meta("og:site_name", "Daily Planet") +
                json_ld('{"@type": "NewsArticle", "headline": "Council approves the new bridge",'
                        ' "publisher": {"@type": "Organization", "name": "Associated Press"}}'))
    assert extract_from(html).outlet == "Daily Planet"


def test_when_no_name_fits_the_domain_the_domain_is_the_outlet():
    html = page(URL + meta("og:site_name", "Metro Media Group"))
    hints = hints_of(html)
    assert hints["site_name"] == "Metro Media Group"
    assert hints["outlet"] == "dailyplanet.com"


def test_a_title_suffix_that_fits_the_domain_names_the_outlet():
    html = page(URL + meta("og:site_name", "Metro Media Group") +
                "<title>Council approves the new bridge | Daily Planet</title>")
    assert hints_of(html)["outlet"] == "Daily Planet"


def test_an_outlet_the_container_states_wins_over_the_page():
    html = page(URL + meta("og:site_name", "Metro Media Group"))
    assert hints_of(html, outlet="Planet Wire")["outlet"] == "Planet Wire"


# --- date --------------------------------------------------------------------------------

def test_json_ld_date_published_is_the_date_not_date_modified():
    html = page(URL + json_ld('{"@type": "NewsArticle", "headline": "Council approves the new bridge",'
                              ' "dateModified": "2021-04-02T09:00:00+02:00",'
                              ' "datePublished": "2021-03-30T18:00:00+02:00"}'))
    hints = hints_of(html)
    assert hints["date"] == "2021-03-30"
    assert "date_inferred" not in hints


def test_markup_dates_that_disagree_give_no_date_at_all():
    html = page(URL + meta("article:published_time", "2021-03-30T18:00:00+02:00") +
                json_ld('{"@type": "NewsArticle", "datePublished": "2021-02-11T10:00:00+02:00"}'),
                body_end="<p>Published 3 April 2021</p>")
    hints = hints_of(html)
    assert "date" not in hints and "date_inferred" not in hints


def test_a_utc_stamp_with_a_local_one_of_the_same_moment_keeps_the_local_day():
    html = page(URL + meta("article:published_time", "2021-03-31T01:30:00+03:00") +
                json_ld('{"@type": "NewsArticle", "datePublished": "2021-03-30T22:30:00Z"}'))
    assert hints_of(html)["date"] == "2021-03-31"


def test_a_utc_stamp_just_after_midnight_is_in_doubt_unless_the_page_shows_the_day():
    head = URL + meta("article:published_time", "2021-03-31T01:10:00Z")
    assert "date" not in hints_of(page(head, body_top="<h1>Council approves the new bridge</h1>"))
    shown = page(head, body_top="<h1>Council approves the new bridge</h1><p>March 30, 2021</p>")
    assert hints_of(shown)["date"] == "2021-03-30"


def test_the_date_written_under_the_headline_is_a_marked_guess():
    html = page(URL, body_top="<h1>Council approves the new bridge</h1><p>By Lois Lane, 30.03.2021</p>")
    hints = hints_of(html)
    assert "date" not in hints
    assert (hints["date_inferred"], hints["date_rule"]) == ("2021-03-30", "near-headline")


def test_a_date_only_htmldate_finds_is_inferred_and_marked_so():
    html = page(URL, body_end="<p>Last changed: 2021-03-30</p>")
    hints = hints_of(html)
    assert "date" not in hints
    assert (hints["date_inferred"], hints["date_rule"]) == ("2021-03-30", "htmldate")
    article = extract_from(html)
    assert article.date == dt.date(2021, 3, 30)
    assert article.origins["date"] == "inferred:htmldate"


def test_a_guess_that_is_a_year_alone_is_refused():
    assert page_meta.searched_date(page_tree(page(URL, body_end="<p>© 2019 Daily Planet</p>")), None) is None


# --- reading the bytes -------------------------------------------------------------------

def test_a_page_written_in_utf8_is_read_as_utf8_whatever_charset_it_declares():
    html = page(URL + '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">' +
                "<title>Prezesem będzie Paweł | Daily Planet</title>")
    hints = hints_of(html.replace('<meta charset="utf-8">', "").encode("utf-8"))
    assert hints["title"] == "Prezesem będzie Paweł"


# --- the shared corpus -------------------------------------------------------------------

@pytest.mark.corpus
def test_html_pages_of_the_dev_corpus_keep_their_title_outlet_and_date(extraction_bench):
    html = extraction_bench["html"]
    assert html["title"]["right"] >= 0.87
    assert html["outlet"]["right"] >= 0.89
    assert html["outlet"]["wrong"] <= 0.08
    assert html["date"]["right"] >= 0.87
    assert html["date"]["wrong"] <= 0.04
    assert html["body"]["f1"] >= 0.94


# --- helpers -----------------------------------------------------------------------------

def extract_from(html: str):
    return extract(page_document(html, path="page.html", record=None, fmt="html", hints={}))


def page_tree(html: str):
    from trafilatura.utils import load_html
    return load_html(html)
