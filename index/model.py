"""What the search service takes and returns: plain dataclasses, no Whoosh.

`SearchRequest` is the query description, built by a pure function from
request parameters (see `index.query.parse_request`); it is hashable so it
can key a result cache. `SearchResult` feeds the HTML page, the JSON API and
the CLI alike.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields

SORTS = ("relevance", "newest", "oldest")
#: Facets a request can filter by, in the order the sidebar shows them.
FACETS = ("outlet", "date", "date_provenance", "person", "org", "place", "cites", "lang")
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 1000
#: The filter value meaning "the field is missing" (an article with no outlet, no date, no language).
MISSING = "_none"
#: How an expanded facet's values can be ordered.
FACET_SORTS = ("count", "name")


@dataclass(frozen=True)
class SearchRequest:
    """A validated, normalised search: what to find, filter, sort and show."""

    q: str = ""
    outlet: tuple[str, ...] = ()       # outlet slugs (OR)
    person: tuple[str, ...] = ()       # entity slugs (OR within, AND across facets)
    org: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    lang: tuple[str, ...] = ()
    cites: tuple[str, ...] = ()        # slugs of cited sources (OR)
    shares: tuple[str, ...] = ()       # ids: articles sharing passages with one of them (OR)
    month: tuple[str, ...] = ()        # "YYYY-MM" (OR)
    date_provenance: tuple[str, ...] = ()  # "explicit", "inferred", "missing" (OR)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    facet_limit: int = 10              # values shown per entity facet ("more" raises it)
    highlight: bool = True
    more: str | None = None            # the one facet whose value list is expanded
    #: One hit per story group (its best-ranked member); totals and facet
    #: counts then count stories. Off: every article, each copy, counts.
    collapse: bool = False
    #: (param, value) pairs the results must NOT have, e.g. ("outlet", "rt"): `not_outlet=rt`
    exclude: tuple[tuple[str, str], ...] = ()
    more_q: str = ""                   # the expanded facet lists only values containing this text
    more_sort: str = "count"           # the expanded facet's order: "count" or "name"
    #: The timeline: "total" (one bar per period), "outlets" (also a line per selected outlet, or the
    #: top outlets, at most MAX_SERIES) or "shares" (each line as the share of that outlet's output)
    timeline: str = "total"

    def excluded(self, param: str) -> tuple[str, ...]:
        return tuple(v for p, v in self.exclude if p == param)

    def filters(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in ("outlet", "person", "org", "place", "cites", "shares", "lang",
                                                        "month",
                                                        "date_provenance")
                if getattr(self, name)}


@dataclass(frozen=True)
class FacetValue:
    value: str       # the key used in the URL (a slug, a language code, "YYYY-MM")
    label: str       # what a person reads
    count: int
    selected: bool
    excluded: bool = False   # the results leave this value out (`not_<param>=value`)
    missing: bool = False    # the value stands for "no value" (MISSING)


@dataclass(frozen=True)
class Facet:
    name: str                      # "outlet", "person", ...
    label: str                     # "Outlet", "Person", ...
    values: tuple[FacetValue, ...]
    more: bool = False             # more values exist beyond facet_limit


@dataclass(frozen=True)
class EntityRef:
    slug: str
    name: str
    type: str


@dataclass(frozen=True)
class StoryMember:
    """Another article of a collapsed hit's story group."""

    id: str
    outlet: str | None
    date: dt.date | None

    def to_dict(self) -> dict:
        return {"id": self.id, "outlet": self.outlet, "date": self.date.isoformat() if self.date else None}


def _fields(obj) -> dict:
    """A dataclass's fields as a dict, one level deep: what `dataclasses.asdict` gives for these
    classes, whose fields are plain values and tuples of them (nested ones are converted by the
    caller), without its recursive deep copy of every value, a fifth of an /api/search answer's time."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


@dataclass(frozen=True)
class Hit:
    id: str
    title: str                     # plain text
    title_html: str                # escaped, with <mark> around matches
    outlet: str | None             # display name
    outlet_slug: str | None
    date: dt.date | None
    news_id: str | None
    url: str | None
    lang: str | None
    snippets: tuple[str, ...]      # escaped HTML passages with <mark>
    score: float | None = None
    entities: tuple[EntityRef, ...] = ()
    story: str | None = None                # story group id (smallest member id)
    cites: tuple[str, ...] = ()             # names of the cited sources
    shares: tuple[str, ...] = ()            # ids of the articles it shares passages with
    more_outlets: int = 0                   # collapsed: other matching members of the group
    members: tuple[StoryMember, ...] = ()   # ... and who they are, earliest first
    date_provenance: str | None = None      # "explicit", "inferred" or "missing" (None: an older index)
    date_rule: str | None = None            # for inferred dates, the rule that inferred it

    def to_dict(self) -> dict:
        d = _fields(self)
        d["date"] = self.date.isoformat() if self.date else None
        d["cites"] = list(self.cites)
        d["shares"] = list(self.shares)
        d["members"] = [m.to_dict() for m in self.members]
        d["snippets"] = list(self.snippets)
        d["entities"] = [_fields(e) for e in self.entities]
        return d


@dataclass(frozen=True)
class HistogramBar:
    key: str          # "YYYY-MM-DD" (a day, a week's Monday), "YYYY-MM", "YYYY" (a year, a decade's first)
    label: str
    count: int
    selected: bool    # the bar's period lies inside the date filter
    start: str = ""   # first and last day of the bar's period, YYYY-MM-DD
    end: str = ""


#: Lines the timeline draws at most (one per outlet).
MAX_SERIES = 6
TIMELINES = ("total", "outlets", "shares")


@dataclass(frozen=True)
class Series:
    """One outlet's line on the timeline: a value per histogram bar, in the bars' order."""

    key: str                      # the outlet's slug (or MISSING)
    label: str
    values: tuple[float, ...]     # counts, or shares of the outlet's articles in each period (0-1)


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    hits: tuple[Hit, ...]
    total: int
    facets: tuple[Facet, ...]
    histogram: tuple[HistogramBar, ...] = ()
    histogram_unit: str = "month"          # "day", "week", "month", "year" or "decade"
    suggestion: str | None = None          # "did you mean"
    also_written: tuple[str, ...] = ()     # other spellings of the query's names in the archive
    notice: str | None = None              # e.g. "syntax error: searched the words instead"
    took_ms: float = 0.0
    generation: str | None = None
    series: tuple[Series, ...] = ()        # the timeline's lines per outlet (request.timeline)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    def facet(self, name: str) -> Facet | None:
        return next((f for f in self.facets if f.name == name), None)

    def to_dict(self) -> dict:
        req = _fields(self.request)
        req["date_from"] = self.request.date_from.isoformat() if self.request.date_from else None
        req["date_to"] = self.request.date_to.isoformat() if self.request.date_to else None
        return {
            "query": req,
            "total": self.total,
            "page": self.request.page,
            "pages": self.pages,
            "per_page": self.request.per_page,
            "hits": [h.to_dict() for h in self.hits],
            "facets": {f.name: {"label": f.label, "more": f.more,
                                "values": [_fields(v) for v in f.values]} for f in self.facets},
            "histogram": {"unit": self.histogram_unit, "bars": [_fields(b) for b in self.histogram],
                          "series": [_fields(x) for x in self.series]},
            "suggestion": self.suggestion,
            "also_written": list(self.also_written),
            "notice": self.notice,
            "took_ms": round(self.took_ms, 2),
            "generation": self.generation,
        }


@dataclass(frozen=True)
class Related:
    """An article related to another ("more like this")."""

    id: str
    title: str
    outlet: str | None
    date: dt.date | None
    score: float = 0.0
