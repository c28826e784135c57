"""URLs for the search page, built from the current query arguments.

Every state of the search page lives in its URL, so each control (a facet
value, a chip, a histogram bar, a page link) is a link to the current
arguments with one change. Building those links here, in Python, keeps
templates free of URL logic, and every change of filter goes back to page 1.
"""
from __future__ import annotations

from typing import Iterable
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

#: Facet names whose URL parameter has another name.
FACET_PARAMS = {"date": "month"}
#: Arguments that describe a position in the results, dropped when filters change.
POSITION_ARGS = ("page",)
#: Arguments that are filters ("clear all" removes them and nothing else).
FILTER_ARGS = ("outlet", "person", "org", "place", "cites", "shares", "lang", "month", "date_provenance",
               "from", "to", "not_outlet", "not_person", "not_org", "not_place", "not_cites", "not_lang",
               "not_month", "not_date_provenance")


def facet_param(facet_name: str) -> str:
    """The URL parameter that filters by this facet."""
    return FACET_PARAMS.get(facet_name, facet_name)


def cleaned(args: MultiDict, drop: Iterable[str] = POSITION_ARGS) -> MultiDict:
    out = MultiDict()
    for key, value in args.items(multi=True):
        if key not in drop and value != "":
            out.add(key, value)
    return out


def to_query_string(args: MultiDict) -> str:
    return urlencode(list(args.items(multi=True)))


def url_with(path: str, args: MultiDict) -> str:
    qs = to_query_string(args)
    return f"{path}?{qs}" if qs else path


def toggle(path: str, args: MultiDict, param: str, value: str) -> str:
    """The URL with `value` added to `param`, or removed if already there."""
    out = cleaned(args)
    values = out.getlist(param)
    if value in values:
        out.setlist(param, [v for v in values if v != value])
    else:
        out.add(param, value)
    return url_with(path, out)


def without(path: str, args: MultiDict, param: str, value: str | None = None) -> str:
    """The URL without `param` (or without just one of its values)."""
    out = cleaned(args)
    if value is None:
        out.poplist(param)
    else:
        out.setlist(param, [v for v in out.getlist(param) if v != value])
    return url_with(path, out)


def replacing(path: str, args: MultiDict, keep_position: bool = False, **changes: str | None) -> str:
    """The URL with some single-valued arguments set (None removes them)."""
    out = MultiDict(args) if keep_position else cleaned(args)
    for key, value in changes.items():
        out.poplist(key)
        if value not in (None, ""):
            out.add(key, value)
    return url_with(path, cleaned(out, drop=()))


def clear_filters(path: str, args: MultiDict) -> str:
    """The URL keeping the query and sort, dropping every filter."""
    return url_with(path, cleaned(args, drop=(*POSITION_ARGS, *FILTER_ARGS, "more", "more_q", "more_sort")))


#: Arguments of pages reached from a search that are the page's own, not the search's.
OWN_ARGS = ("id",)


def search_state(args: MultiDict) -> MultiDict:
    """The search a page was reached from: every argument it carries but its own (`id`)."""
    return cleaned(args, drop=OWN_ARGS)


def carrying(path: str, args: MultiDict) -> str:
    """`path` with the whole search state (query, filters, sort, page, collapse) along."""
    return url_with(path, search_state(args))
