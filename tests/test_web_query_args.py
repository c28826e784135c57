"""Links of the search page: toggles, removals and clearing keep the rest of the state."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import MultiDict

from web import query_args


def pairs(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


ARGS = MultiDict([("q", "airstrike"), ("outlet", "rt"), ("outlet", "rasa"), ("page", "3"), ("sort", "newest")])


def test_toggle_adds_a_value_keeps_the_others_and_returns_to_page_one():
    url = query_args.toggle("/search", ARGS, "outlet", "global-research")
    assert urlsplit(url).path == "/search"
    assert sorted(pairs(url)) == sorted([("q", "airstrike"), ("outlet", "rt"), ("outlet", "rasa"),
                                         ("sort", "newest"), ("outlet", "global-research")])


def test_toggle_removes_a_selected_value_only():
    url = query_args.toggle("/search", ARGS, "outlet", "rt")
    assert sorted(pairs(url)) == [("outlet", "rasa"), ("q", "airstrike"), ("sort", "newest")]


def test_without_drops_one_value_or_the_whole_parameter():
    assert ("outlet", "rasa") not in pairs(query_args.without("/s", ARGS, "outlet", "rasa"))
    assert ("outlet", "rt") in pairs(query_args.without("/s", ARGS, "outlet", "rasa"))
    assert not [k for k, _ in pairs(query_args.without("/s", ARGS, "outlet")) if k == "outlet"]


def test_clear_filters_keeps_query_and_sort():
    args = MultiDict([*ARGS.items(multi=True), ("from", "2016-09-01"), ("month", "2016-09"), ("person", "x")])
    assert pairs(query_args.clear_filters("/search", args)) == [("q", "airstrike"), ("sort", "newest")]


def test_replacing_sets_single_values_and_can_keep_the_page():
    assert ("page", "3") in pairs(query_args.replacing("/s", ARGS, keep_position=True, sort="oldest"))
    url = query_args.replacing("/s", ARGS, sort="oldest")
    assert ("sort", "oldest") in pairs(url) and ("sort", "newest") not in pairs(url)
    assert "page" not in dict(pairs(url))


def test_values_are_url_encoded():
    url = query_args.toggle("/search", MultiDict([("q", 'a&b "c"')]), "person", "é/x")
    assert pairs(url) == [("q", 'a&b "c"'), ("person", "é/x")]
    assert "&b" not in url.split("q=")[1].split("&")[0]


def test_empty_arguments_are_dropped_and_no_arguments_give_the_bare_path():
    assert query_args.toggle("/search", MultiDict([("q", "")]), "lang", "en") == "/search?lang=en"
    assert query_args.clear_filters("/search", MultiDict([("outlet", "rt")])) == "/search"


def test_the_date_facet_filters_through_the_month_parameter():
    assert query_args.facet_param("date") == "month"
    assert query_args.facet_param("outlet") == "outlet"


def test_the_search_state_is_every_argument_but_the_pages_own_id():
    from web.query_args import carrying, search_state
    args = MultiDict([("id", "a"), ("id", "b"), ("q", "oil"), ("outlet", "rt"), ("page", "3"), ("sort", "")])
    assert list(search_state(args).items(multi=True)) == [("q", "oil"), ("outlet", "rt"), ("page", "3")]
    assert carrying("/article/x", MultiDict()) == "/article/x"
