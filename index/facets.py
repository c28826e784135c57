"""Facets as data, and their disjunctive counts over `IndexColumns` masks.

A facet's counts are taken over the documents that match the query and
every *other* active filter, but not its own, so choosing one outlet leaves
the other outlets countable (and selectable: values in one facet are ORed).
The date facet lists months; the histogram shows the same base by month, or
by day when the documents in view span a short period.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from . import provenance
from .columns import IndexColumns
from .model import Facet, FacetValue, HistogramBar, SearchRequest


@dataclass(frozen=True)
class FacetSpec:
    name: str        # facet name (what SearchResult.facets calls it)
    label: str       # heading a person reads
    field: str       # index field the values come from
    param: str       # SearchRequest attribute (and URL parameter) that filters it
    chronological: bool = False
    order: tuple[str, ...] = ()  # few known values: shown in this order, not by count


FACET_SPECS = (
    FacetSpec("outlet", "Outlet", "outlet", "outlet"),
    FacetSpec("date", "Date", "month", "month", chronological=True),
    FacetSpec("date_provenance", "Date source", "date_provenance", "date_provenance", order=provenance.KINDS),
    FacetSpec("person", "Person", "person", "person"),
    FacetSpec("org", "Organisation", "org", "org"),
    FacetSpec("place", "Place", "place", "place"),
    FacetSpec("cites", "Cites", "cites", "cites"),
    FacetSpec("lang", "Language", "lang", "lang"),
)
#: Filters that are not facets: request attribute -> index field. `shares=ID`
#: keeps the articles that share passages with article ID (archive.coverage.borrowed).
FILTER_ONLY = {"shares": "shares"}
#: Values listed when a person asks for "more" of one facet.
MORE_LIMIT = 200
#: The histogram switches to days when the documents span at most this many days.
DAY_HISTOGRAM_SPAN = 62

#: ISO 639-1 codes of the languages news is most often written in.
LANGUAGE_NAMES = {
    "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian", "bg": "Bulgarian", "bn": "Bengali",
    "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian",
    "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi",
    "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "is": "Icelandic",
    "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "ko": "Korean", "ku": "Kurdish",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ms": "Malay", "mt": "Maltese",
    "nl": "Dutch", "no": "Norwegian", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese",
    "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "th": "Thai", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese",
}

Labeller = Callable[[str, str], str]


def language_label(code: str) -> str:
    return f"{LANGUAGE_NAMES[code]} ({code})" if code in LANGUAGE_NAMES else code


def month_label(key: str) -> str:
    try:
        return dt.date.fromisoformat(key + "-01").strftime("%b %Y")
    except ValueError:
        return key


def day_label(key: str) -> str:
    try:
        day = dt.date.fromisoformat(key)
    except ValueError:
        return key
    return f"{day.day} {day.strftime('%b %Y')}"


def filter_masks(cols: IndexColumns, request: SearchRequest) -> dict[str, np.ndarray]:
    """One mask per facet the request filters by (values ORed within it)."""
    masks = {}
    for spec in FACET_SPECS:
        values = getattr(request, spec.param)
        if values:
            masks[spec.name] = cols.any_of(spec.field, values)
    for param, field in FILTER_ONLY.items():
        values = getattr(request, param)
        if values:
            masks[param] = cols.any_of(field, values)
    return masks


def all_but(base: np.ndarray, masks: Mapping[str, np.ndarray], skip: str | None) -> np.ndarray:
    """`base` narrowed by every mask except the one named `skip`."""
    out = base
    for name, mask in masks.items():
        if name != skip:
            out = out & mask
    return out


def _limit(spec: FacetSpec, request: SearchRequest) -> int:
    return MORE_LIMIT if request.more == spec.name else request.facet_limit


def build_facet(spec: FacetSpec, cols: IndexColumns, base: np.ndarray, request: SearchRequest,
                labeller: Labeller) -> Facet:
    """The facet's values: top counts (or months newest first), selected ones always shown.

    With `request.collapse` a value counts stories (a story group once),
    matching the collapsed total.
    """
    col = cols.field(spec.field)
    counts = col.story_counts(base, cols.stories) if request.collapse else col.counts(base)
    selected = set(getattr(request, spec.param))
    found = [(col.values[i], int(c)) for i in np.flatnonzero(counts) for c in (counts[i],)
             if col.values[i]]
    if spec.chronological:
        found.sort(key=lambda vc: vc[0], reverse=True)
    elif spec.order:
        rank = {value: i for i, value in enumerate(spec.order)}
        found.sort(key=lambda vc: (rank.get(vc[0], len(rank)), vc[0]))
    else:
        found.sort(key=lambda vc: (-vc[1], vc[0]))
    limit = _limit(spec, request)
    shown = found[:limit]
    listed = {v for v, _ in shown}
    by_value = dict(found)
    shown += [(v, by_value.get(v, 0)) for v in sorted(selected - listed)]
    values = tuple(FacetValue(v, labeller(spec.name, v), c, v in selected) for v, c in shown)
    return Facet(spec.name, spec.label, values, more=len(found) > limit)


def histogram(cols: IndexColumns, base: np.ndarray,
              request: SearchRequest) -> tuple[tuple[HistogramBar, ...], str]:
    """Bars over the documents in `base`: by day for short spans, else by month (stories when collapsed)."""
    def counts(column):
        return column.story_counts(base, cols.stories) if request.collapse else column.counts(base)

    days = cols.columns["day"]
    day_counts = counts(days)
    dated = [i for i in np.flatnonzero(day_counts) if days.values[i]]
    if not dated:
        return (), "month"
    first = dt.date.fromisoformat(days.values[dated[0]])
    last = dt.date.fromisoformat(days.values[dated[-1]])
    if (last - first).days <= DAY_HISTOGRAM_SPAN:
        chosen = (request.date_from, request.date_to)
        bars = tuple(HistogramBar(days.values[i], day_label(days.values[i]), int(day_counts[i]),
                                  chosen == (dt.date.fromisoformat(days.values[i]),) * 2)
                     for i in dated)
        return bars, "day"
    months = cols.columns["month"]
    month_counts = counts(months)
    selected = set(request.month)
    bars = tuple(HistogramBar(months.values[i], month_label(months.values[i]), int(month_counts[i]),
                              months.values[i] in selected)
                 for i in np.flatnonzero(month_counts) if months.values[i])
    return bars, "month"
