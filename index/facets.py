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
from typing import Callable, Collection, Mapping

import numpy as np
from slugify import slugify

from . import provenance
from .columns import IndexColumns
from .model import MAX_SERIES, MISSING, Facet, FacetValue, HistogramBar, SearchRequest, Series


@dataclass(frozen=True)
class FacetSpec:
    name: str        # facet name (what SearchResult.facets calls it)
    label: str       # heading a person reads
    field: str       # index field the values come from
    param: str       # SearchRequest attribute (and URL parameter) that filters it
    chronological: bool = False
    order: tuple[str, ...] = ()  # few known values: shown in this order, not by count
    #: For single-valued fields: what an article without a value is listed as (selectable
    #: as MISSING), so the facet's counts add up to the total.
    missing_label: str | None = None


FACET_SPECS = (
    FacetSpec("outlet", "Outlet", "outlet", "outlet", missing_label="(unknown outlet)"),
    FacetSpec("date", "Date", "month", "month", chronological=True, missing_label="(no date)"),
    FacetSpec("date_provenance", "Date source", "date_provenance", "date_provenance", order=provenance.KINDS),
    FacetSpec("person", "Person", "person", "person"),
    FacetSpec("org", "Organisation", "org", "org"),
    FacetSpec("place", "Place", "place", "place"),
    FacetSpec("cites", "Cites", "cites", "cites"),
    FacetSpec("lang", "Language", "lang", "lang", missing_label="(unknown language)"),
)
#: Filters that are not facets, answered with a set of article ids the store computes at query
#: time (`index.partners`): `shares=ID` keeps the articles sharing passages with article ID
#: (archive.coverage.borrowed). The index does not hold them: see `index.partners`.
ID_FILTERS = ("shares",)
#: Values listed when a person asks for "more" of one facet.
MORE_LIMIT = 200
#: The timeline draws at most this many bars: the finest unit that fits the span is chosen.
MAX_BARS = 120
#: Timeline units, finest first.
UNITS = ("day", "week", "month", "year", "decade")

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


def filter_masks(cols: IndexColumns, request: SearchRequest,
                 id_sets: Mapping[str, Collection[str]] | None = None) -> dict[str, np.ndarray]:
    """One mask per facet the request filters by: its values ORed, minus its excluded values.

    MISSING selects (or excludes) the articles with no value in the field.
    `id_sets` holds, for each of `ID_FILTERS` the request uses, the ids it keeps.
    """
    masks = {}
    for spec in FACET_SPECS:
        values = getattr(request, spec.param)
        excluded = request.excluded(spec.param)
        if not values and not excluded:
            continue
        mask = _any_of(cols, spec, values) if values else cols.live
        if excluded:
            mask = mask & ~_any_of(cols, spec, excluded)
        masks[spec.name] = mask
    for param, ids in (id_sets or {}).items():
        masks[param] = cols.with_ids(ids)
    return masks


def _any_of(cols: IndexColumns, spec: FacetSpec, values: tuple[str, ...]) -> np.ndarray:
    """Documents with one of `values` in the facet's field (MISSING: with none)."""
    present = tuple(v for v in values if v != MISSING)
    mask = cols.any_of(spec.field, present) if present else np.zeros(cols.size, dtype=bool)
    if MISSING in values:
        mask = mask | cols.lacking(spec.field)
    return mask


def all_but(base: np.ndarray, masks: Mapping[str, np.ndarray], skip: str | None) -> np.ndarray:
    """`base` narrowed by every mask except the one named `skip`."""
    out = base
    for name, mask in masks.items():
        if name != skip:
            out = out & mask
    return out


def _limit(spec: FacetSpec, request: SearchRequest) -> int:
    return MORE_LIMIT if request.more == spec.name else request.facet_limit


def _find(spec: FacetSpec, value: str, label: Callable[[], str], needle: str) -> bool:
    """Whether a value matches the text searched for among the facet's values: its slug holds the
    text's slug, or (for facets whose labels cost nothing: dates, languages) its label holds the text."""
    if slugify(needle) and slugify(needle) in value:
        return True
    return spec.field in CHEAP_LABELS and needle.lower() in label().lower()


#: Facets whose labels are made without reading the index (so all of them can be searched).
CHEAP_LABELS = ("month", "lang", "date_provenance")


def order_values(spec, found: list[tuple[str, int]], request: SearchRequest) -> None:
    """Sort a facet's (value, count) pairs in place, as every engine shows them.

    By name when the reader asks for it in the expanded facet; dates newest
    first; a facet with a fixed order (date provenance) in that order; the
    rest by count, then value.
    """
    if request.more == spec.name and request.more_sort == "name":
        found.sort(key=lambda vc: vc[0], reverse=spec.chronological)
    elif spec.chronological:
        found.sort(key=lambda vc: vc[0], reverse=True)
    elif spec.order:
        rank = {value: i for i, value in enumerate(spec.order)}
        found.sort(key=lambda vc: (rank.get(vc[0], len(rank)), vc[0]))
    else:
        found.sort(key=lambda vc: (-vc[1], vc[0]))


def build_facet(spec: FacetSpec, cols: IndexColumns, base: np.ndarray, request: SearchRequest,
                labeller: Labeller) -> Facet:
    """The facet's values: top counts (or months newest first), selected and excluded ones always shown.

    With `request.collapse` a value counts stories (a story group once),
    matching the collapsed total. Single-valued facets list the articles
    without a value too (MISSING), last. The expanded facet (`request.more`)
    lists up to MORE_LIMIT values, only those matching `request.more_q`,
    in `request.more_sort` order.
    """
    col = cols.field(spec.field)
    counts = col.story_counts(base, cols.stories) if request.collapse else col.counts(base)
    selected = set(getattr(request, spec.param))
    excluded = set(request.excluded(spec.param))
    expanded = request.more == spec.name
    searched = expanded and bool(request.more_q)
    limit = _limit(spec, request)
    if searched or spec.order:  # labels to search, or a fixed order: the values as a list
        found = [(col.values[i], int(counts[i])) for i in np.flatnonzero(counts) if col.values[i]]
        if searched:
            found = [(v, c) for v, c in found
                     if _find(spec, v, lambda v=v: labeller(spec.name, v), request.more_q)]
        order_values(spec, found, request)
        listed, shown = len(found), found[:limit]
        by_value = dict(found)
        count_of = lambda value: by_value.get(value, 0)  # noqa: E731
    else:  # ordered on the counts' array: a facet of 26,000 cited sources costs no Python loop over them
        codes = _ordered_codes(spec, col.values, counts, request)
        listed = len(codes)
        shown = [(col.values[c], int(counts[c])) for c in codes[:limit].tolist()]

        def count_of(value: str) -> int:
            code = col.code(value) if value else None
            return int(counts[code]) if code is not None else 0
    lacking = 0
    if spec.missing_label and not searched:
        lacking = _lacking_count(cols, spec, base, request.collapse)
        if lacking:
            listed += 1
            if len(shown) < limit:
                shown.append((MISSING, lacking))
    on_show = {v for v, _ in shown}
    shown += [(v, lacking if v == MISSING else count_of(v)) for v in sorted((selected | excluded) - on_show)]

    def label(value: str) -> str:
        return spec.missing_label or value if value == MISSING else labeller(spec.name, value)
    values = tuple(FacetValue(v, label(v), c, v in selected, v in excluded, v == MISSING) for v, c in shown)
    return Facet(spec.name, spec.label, values, more=listed > limit)


def _ordered_codes(spec: FacetSpec, values: list[str], counts: np.ndarray, request: SearchRequest) -> np.ndarray:
    """The codes of the values with a count, in `order_values`' order (the values are sorted, so a
    code's order is its value's): by name when asked, newest first for dates, else by count, then value."""
    codes = np.flatnonzero(counts)
    if len(codes) and not values[codes[0]]:  # the empty value sorts first
        codes = codes[1:]
    if request.more == spec.name and request.more_sort == "name":
        return codes[::-1] if spec.chronological else codes
    if spec.chronological:
        return codes[::-1]
    return codes[np.argsort(-counts[codes], kind="stable")]


def _lacking_count(cols: IndexColumns, spec: FacetSpec, base: np.ndarray, collapse: bool) -> int:
    mask = base & cols.lacking(spec.field)
    return int(np.unique(cols.stories[mask]).size) if collapse else int(mask.sum())


def bucket_start(day: dt.date, unit: str) -> dt.date:
    """The first day of the `unit` holding `day` (weeks start on Monday, as ISO weeks do)."""
    if unit == "day":
        return day
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "year":
        return dt.date(day.year, 1, 1)
    return dt.date(day.year - day.year % 10, 1, 1)


def next_bucket(start: dt.date, unit: str) -> dt.date:
    if unit == "day":
        return start + dt.timedelta(days=1)
    if unit == "week":
        return start + dt.timedelta(days=7)
    if unit == "month":
        return dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return dt.date(start.year + (1 if unit == "year" else 10), 1, 1)


def bucket_key(start: dt.date, unit: str) -> str:
    """The bucket's key: the day (or week's Monday) as YYYY-MM-DD, YYYY-MM, or the (decade's first) year."""
    if unit in ("day", "week"):
        return start.isoformat()
    if unit == "month":
        return start.isoformat()[:7]
    return f"{start.year:04d}"


def bucket_label(start: dt.date, unit: str) -> str:
    if unit == "day":
        return f"{start.day} {start.strftime('%b %Y')}"
    if unit == "week":
        return f"week of {start.day} {start.strftime('%b %Y')}"
    if unit == "month":
        return start.strftime("%b %Y")
    if unit == "year":
        return str(start.year)
    return f"{start.year}s"


def bucket_count(first: dt.date, last: dt.date, unit: str) -> int:
    """How many `unit` buckets the days from `first` to `last` cover."""
    a, b = bucket_start(first, unit), bucket_start(last, unit)
    if unit == "day":
        return (b - a).days + 1
    if unit == "week":
        return (b - a).days // 7 + 1
    if unit == "month":
        return (b.year - a.year) * 12 + b.month - a.month + 1
    return (b.year - a.year) // (1 if unit == "year" else 10) + 1


def timeline_unit(first: dt.date, last: dt.date) -> str:
    """The finest unit that draws the span in at most `MAX_BARS` bars."""
    return next((u for u in UNITS if bucket_count(first, last, u) <= MAX_BARS), UNITS[-1])


def selected_periods(request: SearchRequest) -> list[tuple[dt.date, dt.date]]:
    """The date selection as (first day, last day) periods: each chosen month, or the from/to range."""
    periods = []
    for month in (m for m in request.month if m != MISSING):
        start = dt.date.fromisoformat(month + "-01")
        periods.append((start, next_bucket(start, "month") - dt.timedelta(days=1)))
    if request.date_from or request.date_to:
        lo, hi = request.date_from or dt.date.min, request.date_to or dt.date.max
        periods = [(max(a, lo), min(b, hi)) for a, b in periods if a <= hi and b >= lo] if periods \
            else [(lo, hi)]
    return periods


def _day_counts(cols: IndexColumns, base: np.ndarray, collapse: bool) -> np.ndarray:
    """Documents (or, collapsed, stories: each once, on its earliest day) per day code."""
    days = cols.columns["day"]
    if not collapse:
        return days.counts(base)
    docs = np.flatnonzero(base)
    undated = days.code("")
    if undated is not None:
        docs = docs[days.codes[docs] != undated]
    if not len(docs):
        return np.zeros(len(days.values), dtype=np.int64)
    codes, stories = days.codes[docs], cols.stories[docs]
    order = np.lexsort((codes, stories))
    first = np.ones(len(order), dtype=bool)
    first[1:] = stories[order][1:] != stories[order][:-1]
    return np.bincount(codes[order][first], minlength=len(days.values))


def histogram(cols: IndexColumns, base: np.ndarray,
              request: SearchRequest) -> tuple[tuple[HistogramBar, ...], str]:
    """The timeline of the documents in `base` (the current results, date filter included).

    Its unit comes from the span of those documents (day, week, month,
    year, decade: at most `MAX_BARS` bars); every bucket from the first to
    the last is there, empty ones with a count of 0. A bar is selected when
    its period lies inside the date selection. Collapsed, a story counts
    once, on its earliest day, so the bars add up to the dated stories.
    """
    days = cols.columns["day"]
    day_counts = _day_counts(cols, base, request.collapse)
    dated = np.flatnonzero(day_counts)
    undated = days.code("")
    if undated is not None:
        dated = dated[dated != undated]
    if not len(dated):
        return (), "month"
    first = dt.date.fromisoformat(days.values[dated[0]])
    last = dt.date.fromisoformat(days.values[dated[-1]])
    unit = timeline_unit(first, last)
    counts = _bucket_counts(cols, day_counts, unit)
    periods = selected_periods(request)
    bars = []
    start, end = bucket_start(first, unit), bucket_start(last, unit)
    while start <= end:
        following = next_bucket(start, unit)
        final = following - dt.timedelta(days=1)
        chosen = any(lo <= start and final <= hi for lo, hi in periods)
        bars.append(HistogramBar(bucket_key(start, unit), bucket_label(start, unit), counts.get(start, 0),
                                 chosen, start.isoformat(), final.isoformat()))
        start = following
    return tuple(bars), unit


def _bucket_starts(days, unit: str) -> np.ndarray | None:
    """Per day code, the ordinal of the first day of its `unit` bucket, -1 for no date; None when
    a value is no ISO date. Made once per unit and generation (kept with the column), so a timeline
    is a `bincount` over them, not a date parsed per distinct day of the results (some 7,000 in an
    archive of 19 years)."""
    key = ("bucket_starts", unit)
    if key not in days.derived:
        out = np.full(len(days.values), -1, dtype=np.int64)
        try:
            for i, value in enumerate(days.values):
                if value:
                    out[i] = bucket_start(dt.date.fromisoformat(value), unit).toordinal()
        except ValueError:
            out = None
        days.derived[key] = out
    return days.derived[key]


def _bucket_counts(cols: IndexColumns, day_counts: np.ndarray, unit: str) -> dict[dt.date, int]:
    """The counts per day code summed per `unit` bucket, by the bucket's first day (buckets with none left out)."""
    days = cols.columns["day"]
    starts = _bucket_starts(days, unit)
    if starts is None:  # a day value that is no date: parse them one by one (and fail as that fails)
        counts: dict[dt.date, int] = {}
        for i in np.flatnonzero(day_counts):
            if days.values[i]:
                start = bucket_start(dt.date.fromisoformat(days.values[i]), unit)
                counts[start] = counts.get(start, 0) + int(day_counts[i])
        return counts
    codes = np.flatnonzero(day_counts)
    codes = codes[starts[codes] >= 0]
    firsts, which = np.unique(starts[codes], return_inverse=True)
    sums = np.bincount(which, weights=day_counts[codes], minlength=len(firsts))
    return {dt.date.fromordinal(int(f)): int(c) for f, c in zip(firsts, sums)}


def _bucketed(cols: IndexColumns, mask: np.ndarray, unit: str, starts: dict[dt.date, int],
              collapse: bool) -> list[int]:
    """Counts of `mask`'s documents in each bucket whose first day is a key of `starts`."""
    out = [0] * len(starts)
    for start, count in _bucket_counts(cols, _day_counts(cols, mask, collapse), unit).items():
        j = starts.get(start)
        if j is not None:
            out[j] += count
    return out


def outlet_series(cols: IndexColumns, base: np.ndarray, request: SearchRequest,
                  bars: tuple[HistogramBar, ...], unit: str, outlets: tuple[tuple[str, str], ...]
                  ) -> tuple[Series, ...]:
    """One line per outlet over the timeline's bars, for `request.timeline` "outlets" or "shares".

    `outlets` are (slug, label) pairs, the selected ones or else the top of
    the outlet facet, at most MAX_SERIES. `base` is the results without the
    outlet filter. A share is the outlet's matching articles in a period over
    all its articles in that period (the share of its output the search
    covers), so a big outlet and a small one read on the same scale.
    """
    if request.timeline == "total" or not bars:
        return ()
    spec = next(s for s in FACET_SPECS if s.name == "outlet")
    starts = {dt.date.fromisoformat(b.start): i for i, b in enumerate(bars)}
    series = []
    for slug, label in outlets[:MAX_SERIES]:
        mask = _any_of(cols, spec, (slug,))
        counts = _bucketed(cols, base & mask, unit, starts, request.collapse)
        if request.timeline == "shares":
            output = _bucketed(cols, cols.live & mask, unit, starts, request.collapse)
            values = tuple(round(c / t, 4) if t else 0.0 for c, t in zip(counts, output))
        else:
            values = tuple(float(c) for c in counts)
        series.append(Series(slug, label, values))
    return tuple(series)
