"""The search page's view model: facet toggles, chips, "more" links and page links."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import MultiDict

from index.model import Facet, FacetValue, SearchRequest, SearchResult
from web import search_page


def build(request: SearchRequest, args: list[tuple[str, str]], total: int = 0, facets=()):
    result = SearchResult(request=request, hits=(), total=total, facets=tuple(facets))
    return search_page.build(result, "/search", MultiDict(args), json_path="/api/search",
                             csv_path="/export.csv", jsonl_path="/export.jsonl")


PEOPLE = Facet("person", "Person", (FacetValue("igor-konashenkov", "Igor Konashenkov", 3, True),
                                    FacetValue("mark-toner", "Mark Toner", 1, False)), more=True)


def test_facet_values_toggle_and_a_long_facet_offers_more():
    page = build(SearchRequest(q="x", person=("igor-konashenkov",)),
                 [("q", "x"), ("person", "igor-konashenkov")], facets=[PEOPLE])
    person = page.facets[0]
    selected, other = person.values
    assert dict(parse_qsl(urlsplit(selected.toggle_url).query)) == {"q": "x"}
    assert sorted(parse_qsl(urlsplit(other.toggle_url).query)) == [
        ("person", "igor-konashenkov"), ("person", "mark-toner"), ("q", "x")]
    assert ("more", "person") in parse_qsl(urlsplit(person.more_url).query)


def test_chips_use_facet_labels_and_cover_the_date_range():
    request = SearchRequest(q="x", person=("igor-konashenkov",), date_from=dt.date(2016, 9, 1))
    page = build(request, [("q", "x"), ("person", "igor-konashenkov"), ("from", "2016-09-01")],
                 facets=[PEOPLE])
    assert [(c.facet_label, c.label) for c in page.chips] == [("Person", "Igor Konashenkov"), ("Dates", "from 1 Sep 2016")]
    assert dict(parse_qsl(urlsplit(page.chips[1].remove_url).query)) == {"q": "x", "person": "igor-konashenkov"}
    assert dict(parse_qsl(urlsplit(page.clear_url).query)) == {"q": "x"}


def test_a_one_day_range_is_one_chip_and_removing_it_drops_both_ends():
    day = dt.date(2016, 9, 17)
    page = build(SearchRequest(q="x", date_from=day, date_to=day), [("q", "x"), ("from", "2016-09-17"), ("to", "2016-09-17")])
    assert [(c.facet_label, c.label) for c in page.chips] == [("Dates", "17 Sep 2016")]
    assert dict(parse_qsl(urlsplit(page.chips[0].remove_url).query)) == {"q": "x"}


def test_no_filters_means_no_clear_all_link():
    assert build(SearchRequest(q="x"), [("q", "x")]).clear_url is None


def test_page_links_show_the_ends_and_a_window_around_the_current_page():
    request = SearchRequest(q="x", page=10, per_page=10)
    page = build(request, [("q", "x"), ("page", "10")], total=200)
    numbers = [link.number for link in page.pages]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert [link.number for link in page.pages if link.current] == [10]
    assert dict(parse_qsl(urlsplit(page.next_url).query)) == {"q": "x", "page": "11"}
    assert dict(parse_qsl(urlsplit(page.pages[0].url).query)) == {"q": "x"}


def test_a_new_query_keeps_the_filters_but_not_the_page():
    page = build(SearchRequest(q="x", outlet=("rt",), page=2), [("q", "x"), ("outlet", "rt"), ("page", "2")], total=30)
    assert page.form_fields == (("outlet", "rt"),)
    assert page.sort_form_fields == (("q", "x"), ("outlet", "rt"))


def test_a_collapsed_story_says_copies_when_its_members_share_an_outlet():
    from index.model import Hit, StoryMember

    def hit(outlet, *members):
        return Hit("a", "t", "t", outlet, None, None, None, None, None, (), more_outlets=len(members),
                   members=tuple(StoryMember(f"m{i}", o, None) for i, o in enumerate(members)))
    assert search_page.story_label(hit("RT", "RT", "RT")) == "+2 more copies from the same outlet"
    assert search_page.story_label(hit("RT", "TASS", "Sputnik")) == "+2 more outlets"
    assert search_page.story_label(hit("RT", "RT", "TASS")) == "+2 more copies from 1 other outlet"
    assert search_page.story_label(hit("RT", "TASS")) == "+1 more outlet"


def test_a_quoted_query_is_not_quoted_again_and_a_cached_search_says_under_1_ms():
    page = build(SearchRequest(q='"defense ministry"'), [("q", '"defense ministry"')])
    assert page.quoted_query and not build(SearchRequest(q="defense ministry"), [("q", "x")]).quoted_query
    assert page.took == "under 1 ms"


def test_choosing_an_excluded_value_includes_it_and_excluding_a_chosen_one_unchooses_it():
    outlets = Facet("outlet", "Outlet", (FacetValue("rt", "RT", 1, False, excluded=True),
                                         FacetValue("tass", "TASS", 2, True)))
    page = build(SearchRequest(q="x", outlet=("tass",), exclude=(("outlet", "rt"),)),
                 [("q", "x"), ("outlet", "tass"), ("not_outlet", "rt")], facets=[outlets])
    rt, tass = page.facets[0].values
    assert sorted(parse_qsl(urlsplit(rt.toggle_url).query)) == [("outlet", "rt"), ("outlet", "tass"), ("q", "x")]
    assert sorted(parse_qsl(urlsplit(tass.exclude_url).query)) == [("not_outlet", "rt"), ("not_outlet", "tass"),
                                                                    ("q", "x")]
    assert [c.label for c in page.chips] == ["TASS", "not RT"]
