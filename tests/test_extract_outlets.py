"""The outlet cascade: stated sources first, then the publisher's own marks in the text."""
from __future__ import annotations

import pytest

from archive.extract.clean import content_lines, text_lines
from archive.extract.outlets import outlet_from_hints, outlet_from_text

LEAD = "The ministry said on Monday that the talks would resume next week in Geneva."
CLOSE = "Both sides have agreed to meet again before the end of the month."


def lines_of(*paragraphs: str) -> list[str]:
    return content_lines(text_lines("\n\n".join(paragraphs)))


def found(*paragraphs: str, title: str | None = None):
    result = outlet_from_text(lines_of(*paragraphs), title=title)
    return (result.outlet.name, result.origin) if result else None


@pytest.mark.parametrize("hints, expected", [
    ({"outlet": "Russia Today"}, ("RT", "explicit:outlet")),
    ({"outlet": "Deir Ezzor 24"}, ("Deir Ezzor 24", "explicit:outlet")),
    ({"folder": "reuters", "site_name": "BBC News"}, ("Reuters", "explicit:folder")),
    ({"folder": "samples", "site_name": "BBC News"}, ("BBC", "explicit:site_name")),
    ({"site_name": "Houston Press"}, ("Houston Press", "explicit:site_name")),
    ({"url": "https://arabic.rt.com/news/1/"}, ("RT", "explicit:url")),
    ({"url": "https://www.houstonpress.com/news/a-1"}, ("houstonpress.com", "explicit:url")),
    ({"canonical_url": "https://www.aljazeera.com/news/a"}, ("Al Jazeera", "explicit:canonical_url")),
])
def test_stated_outlets_are_normalised_through_the_registry(hints, expected):
    result = outlet_from_hints(hints)
    assert (result.outlet.name, result.origin) == expected


def test_no_stated_outlet_gives_none():
    assert outlet_from_hints({"folder": "samples", "title": "x"}) is None


def test_a_closing_source_line_naming_a_registered_outlet_is_the_publisher():
    assert found(LEAD, CLOSE, "Source: RT News") == ("RT", "inferred:source-line")
    assert found(LEAD, CLOSE, "Source: https://www.presstv.ir/Detail/2016/09/27/1") == \
        ("Press TV", "inferred:source-line")


def test_a_standalone_parenthesised_outlet_is_the_publisher():
    assert found("(Before It's News)", LEAD, CLOSE) == ("Before It's News", "inferred:byline")


@pytest.mark.parametrize("opening, expected", [
    ("BEIRUT (Reuters) - Syrian troops advanced on Sunday.", "Reuters"),
    ("MOSCOW, Sept 27 (Sputnik) — Russia called for an inquiry.", "Sputnik"),
    ("WASHINGTON (AP) -- The Pentagon said it was reviewing the strike.", "Associated Press"),
    ("(AFP) - Talks resumed in Geneva.", "Agence France-Presse"),
    ("Rasa - A senior military source said the group fired no missiles.", "Rasa News Agency"),
    ("TEHRAN (FNA)- Iran condemned the airstrike.", "Fars News Agency"),
])
def test_a_dateline_opening_the_body_names_the_agency(opening, expected):
    assert found(opening, CLOSE) == (expected, "inferred:dateline")


def test_a_dateline_naming_only_a_place_gives_no_outlet():
    assert found("LONDON - Ministers met on Monday.", CLOSE) is None
    assert found("Syria -- United States officials admitted the error.", CLOSE) is None


def test_a_sign_off_ending_the_last_sentence_names_the_publisher():
    assert found(LEAD, "The raid was coordinated with the group, FNA reported.") == \
        ("Fars News Agency", "inferred:sign-off")


@pytest.mark.parametrize("quoting", [
    "The speaker was quoted by Sputnik as saying the strike was deliberate.",
    "The Pentagon told RT that it is aware of the reports.",
    "As RT reported, numerous Russian appeals remain unanswered.",
    "According to SANA, the bombing took place on al-Tharda Mountain.",
    "Abbas said, as cited by Sputnik Arabic, that a recording exists.",
    "The strike was a mistake, as Reuters reported.",
    "The strike was a mistake, the minister told Al Jazeera.",
])
def test_an_outlet_only_quoted_or_cited_in_the_text_is_not_the_publisher(quoting):
    assert found(LEAD, quoting, CLOSE) is None
    assert found(LEAD, quoting) is None


def test_an_unregistered_source_url_is_a_last_resort_below_stronger_signals():
    source = "Source: http://blogdogcicle.blogspot.com/2016/09/us-airstrike.html"
    assert found("(Before It's News)", LEAD, CLOSE, source) == ("Before It's News", "inferred:byline")
    assert found(LEAD, CLOSE, source) == ("blogdogcicle.blogspot.com", "inferred:source-url")


def test_a_registered_outlet_after_the_headline_counts_when_nothing_else_does():
    assert found(LEAD, CLOSE, title="Talks to resume | Reuters") == ("Reuters", "inferred:title-suffix")
    assert found(LEAD, CLOSE, title="Syria Accuses US | Zero Hedge") == ("Zero Hedge", "inferred:title-suffix")


def test_a_source_line_or_byline_is_reported_as_a_consumed_line():
    lines = lines_of(LEAD, CLOSE, "Source: RT News")
    result = outlet_from_text(lines)
    assert lines[result.index] == "Source: RT News"
