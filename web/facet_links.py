"""The search page's facets as links: toggle, exclude, find among the values, order, fewer.

Like Datasette's facets, each value carries its ready-made URLs so the
template only prints. Choosing a value that is excluded (or excluding one
that is chosen) takes it out of the other list: a value is never both.
Every change goes back to page 1.
"""
from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from index.model import SearchRequest, SearchResult

from . import query_args

#: Arguments that belong to the expanded facet ("more"), dropped when it folds up.
EXPANDED_ARGS = ("more", "more_q", "more_sort")


@dataclass(frozen=True)
class FacetValueView:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str
    excluded: bool = False
    exclude_url: str = ""      # excludes the value, or (when excluded) includes it again
    missing: bool = False


@dataclass(frozen=True)
class FacetView:
    name: str
    label: str
    param: str
    values: tuple[FacetValueView, ...]
    more_url: str | None
    expanded: bool = False
    fewer_url: str | None = None
    find: str = ""                                   # the text its values were searched for
    find_fields: tuple[tuple[str, str], ...] = ()    # hidden fields of its "find a value" form
    sort: str = "count"
    sort_urls: tuple[tuple[str, str, bool], ...] = ()  # (label, url, current)
    capped: bool = False                             # expanded, and still more values than shown


def _switch(path: str, args: MultiDict, add: str, remove: str, value: str) -> str:
    """`value` toggled in `add`, and taken out of `remove`."""
    out = query_args.cleaned(args)
    out.setlist(remove, [v for v in out.getlist(remove) if v != value])
    return query_args.toggle(path, out, add, value)


def facet_views(result: SearchResult, path: str, args: MultiDict) -> tuple[FacetView, ...]:
    req = result.request
    views = []
    for facet in result.facets:
        param = query_args.facet_param(facet.name)
        values = tuple(FacetValueView(
            v.value, v.label, v.count, v.selected,
            toggle_url=_switch(path, args, param, "not_" + param, v.value),
            excluded=v.excluded, exclude_url=_switch(path, args, "not_" + param, param, v.value),
            missing=v.missing) for v in facet.values)
        expanded = req.more == facet.name
        views.append(FacetView(
            facet.name, facet.label, param, values,
            more_url=(query_args.replacing(path, args, more=facet.name, more_q=None, more_sort=None)
                      if facet.more and not expanded else None),
            expanded=expanded,
            fewer_url=query_args.replacing(path, args, **dict.fromkeys(EXPANDED_ARGS)) if expanded else None,
            find=req.more_q if expanded else "",
            find_fields=_find_fields(args, facet.name),
            sort=req.more_sort if expanded else "count",
            sort_urls=_sort_urls(path, args, req, facet.name) if expanded else (),
            capped=expanded and facet.more))
    return tuple(views)


def _find_fields(args: MultiDict, name: str) -> tuple[tuple[str, str], ...]:
    out = query_args.cleaned(args, drop=("page", "more", "more_q"))
    out.add("more", name)
    return tuple(out.items(multi=True))


def _sort_urls(path: str, args: MultiDict, req: SearchRequest, name: str):
    return tuple((label, query_args.replacing(path, args, more=name, more_sort=None if key == "count" else key),
                  req.more_sort == key) for key, label in (("count", "by count"), ("name", "by name")))
