"""Per-document facet values as arrays, built once per index generation.

Whoosh's `groupedby` walks every matching document through Python objects
for every facet of every request; that is where a naive search spends most
of its time. Instead, when a searcher opens we read each sortable column
(outlet, lang, month, day, date provenance, id) into an integer array of value codes, and
each multi-valued entity field into (document, value) pairs from its
postings. A request's matching documents are then a boolean mask, a filter
is a cached mask, and a facet count is one `numpy.bincount` over the mask.

Value codes are ranks in the sorted list of distinct values, so the `day`
codes sort chronologically and the `id` codes are the id tie-break order.
"""
from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

from .engine import field_postings

#: Single-valued fields read from columns (all sortable in the schema).
COLUMN_FIELDS = ("id", "outlet", "lang", "month", "day", "date_provenance", "story", "dup")
#: Multi-valued keyword fields read from postings.
MULTI_FIELDS = ("person", "org", "place", "cites")
#: Filter masks kept per generation (each is one byte per document).
MASK_CACHE_SIZE = 256


@dataclass
class Column:
    """One single-valued field: sorted distinct values and a code per document."""

    values: list[str]
    codes: np.ndarray
    #: Derived per-value tables, made once per generation (see `index.facets._bucket_starts`).
    derived: dict = field(default_factory=dict, repr=False, compare=False)

    def code(self, value: str) -> int | None:
        i = bisect.bisect_left(self.values, value)
        return i if i < len(self.values) and self.values[i] == value else None

    def mask(self, value: str) -> np.ndarray:
        code = self.code(value)
        if code is None:
            return np.zeros(len(self.codes), dtype=bool)
        return self.codes == code

    def counts(self, mask: np.ndarray) -> np.ndarray:
        # np.compress, not codes[mask]: the same array, in a third of the time (numpy 2)
        return np.bincount(np.compress(mask, self.codes), minlength=len(self.values))

    def story_counts(self, mask: np.ndarray, stories: np.ndarray) -> np.ndarray:
        """Per value, the distinct stories (see `IndexColumns.stories`) among documents in `mask`."""
        return _distinct_counts(np.compress(mask, self.codes), np.compress(mask, stories), len(self.values))


def _distinct_counts(codes: np.ndarray, stories: np.ndarray, size: int) -> np.ndarray:
    if not len(codes):
        return np.zeros(size, dtype=np.int64)
    pairs = np.unique(codes.astype(np.int64) * (int(stories.max()) + 1) + stories)
    return np.bincount(pairs // (int(stories.max()) + 1), minlength=size)


@dataclass
class MultiColumn:
    """One multi-valued field as (document, value code) pairs."""

    values: list[str]
    docs: np.ndarray
    codes: np.ndarray
    size: int

    def code(self, value: str) -> int | None:
        i = bisect.bisect_left(self.values, value)
        return i if i < len(self.values) and self.values[i] == value else None

    def mask(self, value: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        code = self.code(value)
        if code is not None:
            out[self.docs[self.codes == code]] = True
        return out

    def counts(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(np.compress(mask[self.docs], self.codes), minlength=len(self.values))

    def story_counts(self, mask: np.ndarray, stories: np.ndarray) -> np.ndarray:
        """Per value, the distinct stories among documents in `mask`."""
        keep = mask[self.docs]
        return _distinct_counts(np.compress(keep, self.codes), stories[np.compress(keep, self.docs)],
                                len(self.values))

    def first_doc(self, value: str) -> int | None:
        code = self.code(value)
        if code is None:
            return None
        found = np.flatnonzero(self.codes == code)
        return int(self.docs[found[0]]) if len(found) else None


def _read_column(reader, field: str, size: int) -> list[str]:
    out: list[str] = []
    for leaf, offset in reader.leaf_readers():
        n = leaf.doc_count_all()
        if len(out) < offset:
            out.extend([""] * (offset - len(out)))
        if field in leaf.schema and leaf.has_column(field):  # an older index may lack the field
            out.extend("" if v is None else str(v) for v in leaf.column_reader(field))
        else:
            out.extend([""] * n)
    out.extend([""] * (size - len(out)))
    return out[:size]


def _encode(values: list[str]) -> Column:
    if not values:
        return Column([], np.zeros(0, dtype=np.int32))
    distinct, codes = np.unique(np.array(values, dtype=object), return_inverse=True)
    return Column([str(v) for v in distinct], codes.astype(np.int32))


def _read_multi(reader, field: str, size: int) -> MultiColumn:
    per_value: dict[str, list[np.ndarray]] = {}
    for leaf, offset in reader.leaf_readers():
        for term, ids in field_postings(leaf, field):
            value = term.decode("utf-8") if isinstance(term, bytes) else str(term)
            per_value.setdefault(value, []).append(ids + offset)
    values = sorted(per_value)
    docs = [np.concatenate(per_value[v]) for v in values]
    codes = [np.full(len(d), i, dtype=np.int32) for i, d in enumerate(docs)]
    return MultiColumn(values,
                       np.concatenate(docs).astype(np.int64) if docs else np.zeros(0, dtype=np.int64),
                       np.concatenate(codes) if codes else np.zeros(0, dtype=np.int32), size)


class IndexColumns:
    """The arrays for one open searcher, and the filter masks built from them."""

    def __init__(self, searcher):
        reader = searcher.reader()
        self.size = reader.doc_count_all()
        self.live = np.zeros(self.size, dtype=bool)
        self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        self.columns = {f: _encode(_read_column(reader, f, self.size)) for f in COLUMN_FIELDS}
        self.multi = {f: _read_multi(reader, f, self.size) for f in MULTI_FIELDS}
        self.stories = self._story_keys()
        self._masks: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _story_keys(self) -> np.ndarray:
        """One key per document: its story group's code, or a key of its own when in none.

        Documents with equal keys are one story: what "collapse reposts"
        shows once and counts once.
        """
        story = self.columns["story"]
        keys = story.codes.astype(np.int64)
        ungrouped = story.code("")
        if ungrouped is not None:
            alone = keys == ungrouped
            keys[alone] = len(story.values) + np.flatnonzero(alone)
        return keys

    # -- values -----------------------------------------------------------
    def field(self, name: str) -> Column | MultiColumn:
        return self.columns[name] if name in self.columns else self.multi[name]

    def value_of(self, name: str, docnum: int) -> str:
        col = self.columns[name]
        return col.values[col.codes[docnum]]

    def doc_with(self, name: str, value: str) -> int | None:
        """Some live document holding this value (to read its display label)."""
        if name in self.multi:
            return self.multi[name].first_doc(value)
        found = np.flatnonzero(self.columns[name].mask(value) & self.live)
        return int(found[0]) if len(found) else None

    # -- masks --------------------------------------------------------------
    def _cached(self, key: tuple, build) -> np.ndarray:
        with self._lock:
            mask = self._masks.get(key)
            if mask is not None:
                self._masks.move_to_end(key)
                return mask
        mask = build()
        mask.flags.writeable = False
        with self._lock:
            self._masks[key] = mask
            while len(self._masks) > MASK_CACHE_SIZE:
                self._masks.popitem(last=False)
        return mask

    def any_of(self, name: str, values: tuple[str, ...]) -> np.ndarray:
        """Documents holding at least one of `values` in field `name`."""
        def build():
            col = self.field(name)
            out = np.zeros(self.size, dtype=bool)
            for value in values:
                out |= col.mask(value)
            return out
        return self._cached((name, values), build)

    def with_ids(self, ids) -> np.ndarray:
        """Live documents whose id is one of `ids` (a set the store computed: not cached)."""
        col = self.columns["id"]
        wanted = np.zeros(len(col.values) + 1, dtype=bool)
        for value in ids:
            code = col.code(value)
            if code is not None:
                wanted[code] = True
        return wanted[col.codes] & self.live

    def lacking(self, name: str) -> np.ndarray:
        """Live documents with no value in field `name` (no outlet, no date, no entity of a type)."""
        def build():
            if name in self.multi:
                out = self.live.copy()
                out[self.multi[name].docs] = False
                return out
            return self.columns[name].mask("") & self.live
        return self._cached(("lacking", name), build)

    def date_range(self, start: dt.date | None, end: dt.date | None) -> np.ndarray:
        """Dated documents published from `start` to `end`, both inclusive."""
        def build():
            days = self.columns["day"]
            lo = bisect.bisect_left(days.values, start.isoformat() if start else "0")
            hi = bisect.bisect_right(days.values, end.isoformat() if end else "9999-99-99")
            return (days.codes >= lo) & (days.codes < hi)
        return self._cached(("date", start, end), build)

    def docnums(self, docs) -> np.ndarray:
        """A mask from an iterable of document numbers."""
        mask = np.zeros(self.size, dtype=bool)
        ids = np.fromiter(docs, dtype=np.int64)
        if len(ids):
            mask[ids] = True
        return mask

    # -- ordering --------------------------------------------------------------
    def by_date(self, mask: np.ndarray, newest: bool) -> np.ndarray:
        """Document numbers in `mask` by date (undated last), ties by id."""
        docs = np.flatnonzero(mask)
        day = self.columns["day"]
        codes = day.codes[docs].astype(np.int64)
        undated = day.code("")
        if newest:
            key = -codes
            if undated is not None:
                key[codes == undated] = 1
        else:
            key = codes.copy()
            if undated is not None:
                key[codes == undated] = len(day.values)
        order = np.lexsort((self.columns["id"].codes[docs], key))
        return docs[order]
