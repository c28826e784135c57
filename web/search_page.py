"""What the search page shows, assembled from one `SearchResult`.

Following Datasette's facets, every facet value, chip, histogram bar and
page link carries its ready-made URL, so the template only prints. The
page and its JSON twin come from the same `SearchResult`; this module adds
the links a person clicks.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Mapping

from werkzeug.datastructures import MultiDict

from index.facets import selected_periods
from index.model import HistogramBar, SearchRequest, SearchResult
from index.provenance import INFERRED, DateProvenance

from . import histogram, query_args
from .facet_links import FacetView, facet_views
from .formats import day_label

#: The columns the search page's example of `fields=` asks for.
EXAMPLE_FIELDS = "id,date,title,permalink,snippet"
#: What the timeline can show, and how its switch says it.
TIMELINE_MODES = (("total", "all together"), ("outlets", "one line per outlet"),
                  ("shares", "share of each outlet's output"))
SORT_LABELS = {"relevance": "Relevance", "newest": "Newest first", "oldest": "Oldest first"}
#: Page numbers shown either side of the current one.
PAGE_WINDOW = 2


@dataclass(frozen=True)
class Chip:
    facet_label: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class FormError:
    """A parameter the search could not use: said beside its field, the search run without it."""

    message: str
    params: tuple[str, ...]
    entered: Mapping[str, str]   # what was typed in those fields, shown again to be corrected


@dataclass(frozen=True)
class PageLink:
    number: int | None    # None for an ellipsis
    url: str | None
    current: bool = False


@dataclass(frozen=True)
class SearchPage:
    result: SearchResult
    facets: tuple[FacetView, ...]
    chips: tuple[Chip, ...]
    clear_url: str | None
    histogram: histogram.HistogramView
    pages: tuple[PageLink, ...]
    prev_url: str | None
    next_url: str | None
    suggestion_url: str | None
    json_url: str
    csv_url: str
    jsonl_url: str
    sources_url: str = ""
    timeline_csv_url: str = ""
    csv_fields_url: str = ""            # an export with chosen columns, as an example of fields=
    lines: histogram.LinesView | None = None           # the timeline's line per outlet, when asked for
    timeline_modes: tuple[tuple[str, str, bool], ...] = ()   # (label, url, current)
    range_url: str = ""                 # the search without a date selection: from/to are added to it
    zoom_out_url: str | None = None     # the search without its date selection, when it has one

    @property
    def request(self) -> SearchRequest:
        return self.result.request

    first_page_url: str | None = None
    #: other spellings of the query's names that the archive writes, each with its own search
    also_written: tuple[tuple[str, str], ...] = ()
    form_fields: tuple[tuple[str, str], ...] = ()
    sort_form_fields: tuple[tuple[str, str], ...] = ()
    date_form_fields: tuple[tuple[str, str], ...] = ()
    collapse_url: str = ""     # the same search with "collapse reposts" switched over
    #: hit id -> how its date was inferred, for hits whose date the source did not state
    inferred_dates: Mapping[str, str] = field(default_factory=dict)
    #: article id (hits and their story members) -> its page, carrying the whole search along
    article_urls: Mapping[str, str] = field(default_factory=dict)
    form_error: FormError | None = None
    #: hidden fields of the "compare selected" form: the search, so the compare page can lead back
    compare_fields: tuple[tuple[str, str], ...] = ()
    #: collapsed hit id -> what its "more" list holds ("+2 more copies from the same outlet")
    story_labels: Mapping[str, str] = field(default_factory=dict)

    def field_value(self, name: str) -> str:
        """What a date field shows: the value typed when it was at fault, else the search's own."""
        if self.form_error and name in self.form_error.params:
            return self.form_error.entered.get(name, "")
        value = self.request.date_from if name == "from" else self.request.date_to
        return value.isoformat() if value else ""

    def invalid(self, name: str) -> bool:
        return bool(self.form_error and name in self.form_error.params)

    @property
    def browsing(self) -> bool:
        """An empty query lists the whole archive."""
        return not self.request.q.strip()

    @property
    def quoted_query(self) -> bool:
        """The query is one quoted phrase already: the summary does not quote it again."""
        q = self.request.q.strip()
        return len(q) > 1 and q[0] in "\"“" and q[-1] in "\"”"

    @property
    def took(self) -> str:
        """How long the search took; a search answered from the cache took under a millisecond."""
        ms = self.result.took_ms
        return "under 1 ms" if ms < 1 else f"{ms:,.0f} ms"

    @property
    def first_shown(self) -> int:
        return 0 if not self.result.hits else (self.request.page - 1) * self.request.per_page + 1

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.result.hits) - 1 if self.result.hits else 0


FILTER_LABELS = {"outlet": "Outlet", "person": "Person", "org": "Organisation",
                 "place": "Place", "cites": "Cites", "shares": "Shares passages with", "lang": "Language", "month": "Month",
                 "date_provenance": "Date source"}


def _labels(result: SearchResult) -> dict[tuple[str, str], str]:
    """Readable labels of filter values, from the facets that list them."""
    labels = {}
    for facet in result.facets:
        param = query_args.facet_param(facet.name)
        for v in facet.values:
            labels[(param, v.value)] = v.label
    return labels


def _chips(result: SearchResult, path: str, args: MultiDict) -> tuple[Chip, ...]:
    req = result.request
    labels = _labels(result)
    chips = []
    for param, values in req.filters().items():
        for value in values:
            chips.append(Chip(FILTER_LABELS.get(param, param), labels.get((param, value), value),
                              query_args.without(path, args, param, value)))
    for param, value in req.exclude:
        chips.append(Chip(FILTER_LABELS.get(param, param), "not " + labels.get((param, value), value),
                          query_args.without(path, args, "not_" + param, value)))
    if req.date_from or req.date_to:   # one chip for the range (a day is one date, not two)
        chips.append(Chip("Dates", _range_label(req.date_from, req.date_to),
                          query_args.replacing(path, args, **{"from": None, "to": None})))
    return tuple(chips)


def _range_label(start: dt.date | None, end: dt.date | None) -> str:
    if start and end:
        return day_label(start) if start == end else f"{day_label(start)} – {day_label(end)}"
    return f"from {day_label(start)}" if start else f"until {day_label(end)}"


def story_label(hit) -> str:
    """What a collapsed hit's other members are: outlets when each is another one, else copies."""
    n = hit.more_outlets
    others = {m.outlet for m in hit.members if m.outlet != hit.outlet}
    if len(others) == n and None not in others:
        return f"+{n} more outlet{'' if n == 1 else 's'}"
    copies = f"+{n} more cop{'y' if n == 1 else 'ies'}"
    if not others:
        return copies + " from the same outlet"
    return f"{copies} from {len(others)} other outlet{'' if len(others) == 1 else 's'}"


def _inferred_dates(result: SearchResult) -> dict[str, str]:
    return {h.id: DateProvenance(INFERRED, h.date_rule).explanation
            for h in result.hits if h.date and h.date_provenance == INFERRED}


def _bar_link(path: str, args: MultiDict, req: SearchRequest, unit: str):
    """A bar selects its period (a month by `month=`, other periods by from/to), replacing the
    date selection; the bar that is the whole selection already leads back out (zooms out)."""
    periods = selected_periods(req)

    def link(bar: HistogramBar) -> str:
        if periods == [(dt.date.fromisoformat(bar.start), dt.date.fromisoformat(bar.end))]:
            return query_args.replacing(path, args, **{"month": None, "from": None, "to": None})
        if unit == "month":
            return query_args.replacing(path, args, **{"month": bar.key, "from": None, "to": None})
        return query_args.replacing(path, args, **{"month": None, "from": bar.start, "to": bar.end})
    return link


def _timeline(result: SearchResult, path: str, args: MultiDict, csv_path: str) -> histogram.HistogramView:
    req = result.request
    return histogram.build(result.histogram, result.histogram_unit,
                           _bar_link(path, args, req, result.histogram_unit),
                           noun="story" if req.collapse else "article")


def _page_url(path: str, args: MultiDict, number: int) -> str:
    return query_args.replacing(path, args, keep_position=True, page=str(number) if number > 1 else None)


def _pages(req: SearchRequest, total_pages: int, path: str, args: MultiDict) -> tuple[PageLink, ...]:
    shown = {1, total_pages, *range(req.page - PAGE_WINDOW, req.page + PAGE_WINDOW + 1)}
    links: list[PageLink] = []
    last = 0
    for n in sorted(p for p in shown if 1 <= p <= total_pages):
        if n > last + 1:
            links.append(PageLink(None, None))
        links.append(PageLink(n, _page_url(path, args, n), n == req.page))
        last = n
    return tuple(links) if total_pages > 1 else ()


def form_error(exc, args: MultiDict) -> tuple[FormError, MultiDict]:
    """The error for `exc` (an `InvalidRequest` naming its parameters) and the arguments without them."""
    entered = {p: args.get(p, "") for p in exc.params}
    message = str(exc)
    return FormError(message[:1].upper() + message[1:], exc.params, entered), query_args.cleaned(
        args, drop=(*query_args.POSITION_ARGS, *exc.params))


def _hidden(args: MultiDict, *leave_out: str) -> tuple[tuple[str, str], ...]:
    """Arguments a form must carry along so that submitting it keeps them."""
    return tuple((k, v) for k, v in query_args.cleaned(args, drop=("page", *leave_out)).items(multi=True))


def build(result: SearchResult, path: str, args: MultiDict, json_path: str,
          csv_path: str, jsonl_path: str, sources_path: str = "/sources",
          timeline_csv_path: str = "/export.timeline.csv",
          article_path: Callable[[str], str] = lambda article_id: f"/article/{article_id}",
          form_error: FormError | None = None) -> SearchPage:
    """The search page for `result`, its links relative to the current `args`."""
    req = result.request
    pages = result.pages
    suggestion_url = (query_args.replacing(path, args, q=result.suggestion)
                      if result.suggestion else None)
    return SearchPage(
        result=result,
        facets=facet_views(result, path, args),
        chips=_chips(result, path, args),
        clear_url=(query_args.clear_filters(path, args)
                   if (req.filters() or req.exclude or req.date_from or req.date_to) else None),
        histogram=(timeline := _timeline(result, path, args, timeline_csv_path)),
        lines=histogram.build_lines(result.series, timeline, shares=req.timeline == "shares"),
        timeline_modes=tuple((label, query_args.replacing(path, args, keep_position=True,
                                                          timeline=None if mode == "total" else mode),
                              req.timeline == mode) for mode, label in TIMELINE_MODES),
        timeline_csv_url=query_args.url_with(timeline_csv_path, query_args.cleaned(
            args, drop=("page", "per_page", "more", "sort"))),
        range_url=query_args.replacing(path, args, **{"month": None, "from": None, "to": None}),
        zoom_out_url=(query_args.replacing(path, args, **{"month": None, "from": None, "to": None})
                      if (req.month or req.date_from or req.date_to) else None),
        pages=_pages(req, pages, path, args),
        prev_url=_page_url(path, args, req.page - 1) if req.page > 1 else None,
        next_url=_page_url(path, args, req.page + 1) if req.page < pages else None,
        suggestion_url=suggestion_url,
        also_written=tuple((s, query_args.replacing(path, args, q=f'"{s}"')) for s in result.also_written),
        json_url=query_args.url_with(json_path, MultiDict(args)),
        csv_url=query_args.url_with(csv_path, query_args.cleaned(args, drop=("page", "per_page", "more"))),
        first_page_url=_page_url(path, args, 1),
        form_fields=_hidden(args, "q"),
        sort_form_fields=_hidden(args, "sort"),
        date_form_fields=_hidden(args, "from", "to"),
        collapse_url=query_args.replacing(path, args, collapse=None if req.collapse else "1"),
        inferred_dates=_inferred_dates(result),
        form_error=form_error,
        compare_fields=tuple(query_args.search_state(args).items(multi=True)),
        story_labels={h.id: story_label(h) for h in result.hits if h.more_outlets},
        article_urls={i: query_args.carrying(article_path(i), args)
                      for h in result.hits for i in (h.id, *(m.id for m in h.members))},
        jsonl_url=query_args.url_with(jsonl_path, query_args.cleaned(args, drop=("page", "per_page", "more"))),
        csv_fields_url=query_args.url_with(csv_path, MultiDict([*query_args.cleaned(
            args, drop=("page", "per_page", "more")).items(multi=True), ("fields", EXAMPLE_FIELDS)])),
        sources_url=query_args.carrying(sources_path, args),
    )
