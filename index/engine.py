"""Boolean matching and BM25 ranking on numpy arrays, from postings read in bulk.

Whoosh finds a query's documents one at a time through Python matcher
objects and then scores the top hits in a second pass; at tens of thousands
of matches that loop is most of a request. Here each term's postings
(document numbers and term frequencies) are read a block at a time into
numpy arrays, once per index generation (LRU-bounded), and a query is
evaluated on them: words, OR, NOT, field terms and expanded prefix, fuzzy
and stem terms become boolean masks combined with `&`, `|` and `~`. A phrase
first ANDs its words' masks, then reads the word positions of just those
candidate documents from the same blocks and keeps the documents with the
words in a row; only ranges (and positions another codec stores) are left
to Whoosh's own matchers. Relevance is BM25 summed over the
query's positive terms per field (as Whoosh's BM25F does), with the title
boost from the schema, computed for every matching document at once from the
postings and the field-length columns.
"""
from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.mcore import ListMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from .stems import Inflections, inflections

K1 = 1.2
B = 0.75
#: Terms whose postings (and BM25 contributions) are kept per generation ...
TERM_CACHE_SIZE = 4096
#: ... and at most this many postings in all (16 bytes each), so common terms
#: of a large archive cannot fill the memory.
TERM_CACHE_POSTINGS = 8_000_000
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


@dataclass(frozen=True)
class TermScores:
    """One term's (or one stem's) documents and their BM25 contributions."""

    docs: np.ndarray      # sorted global document numbers
    tf: np.ndarray        # term frequency in each of those documents
    scores: np.ndarray    # BM25 contribution to each of those documents (title boost included)


_EMPTY = TermScores(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32),
                    np.zeros(0, dtype=np.float32))


def _unwrap(m):
    while isinstance(m, FilterMatcher):  # deletions are applied with the live mask instead
        m = m.child
    return m


def _length_column(leaf, field: str):
    """The byte-coded field lengths of one segment (Whoosh 3 codec), or None."""
    perdoc = getattr(leaf, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        return None
    return perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)


def _read_matcher(m) -> tuple[np.ndarray, np.ndarray]:
    """All (document, weight) pairs of a fresh leaf matcher, a block at a time."""
    m = _unwrap(m)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    if isinstance(m, W3LeafMatcher):
        m.reset()
        while True:
            m._read_ids()
            m._read_weights()
            ids.append(np.asarray(m._ids, dtype=np.int64))
            weights.append(np.asarray(m._weights, dtype=np.float32))
            if m._lastblock:
                break
            m._goto(m._nextoffset)
    elif isinstance(m, ListMatcher) and m._i == 0:
        ids.append(np.asarray(m._ids, dtype=np.int64))
        if m._weights is not None:
            weights.append(np.asarray(m._weights, dtype=np.float32))
        else:
            weights.append(np.full(len(ids[-1]), m._all_weights or 1.0, dtype=np.float32))
    else:  # any other matcher: the slow, generic way
        pairs = []
        while m.is_active():
            pairs.append((m.id(), m.weight()))
            m.next()
        ids.append(np.array([p[0] for p in pairs], dtype=np.int64))
        weights.append(np.array([p[1] for p in pairs], dtype=np.float32))
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return np.concatenate(ids), np.concatenate(weights)


class Postings:
    """Per-generation term arrays, field lengths and masks for one open searcher.

    Shared by every thread searching this generation. Whoosh reads postings
    through file objects that seek and then read (not thread-safe), so each
    read from the index files holds `io`, a lock of this generation alone;
    what was read is cached as arrays, and everything computed on them runs
    without it.
    """

    def __init__(self, searcher, live: np.ndarray, io: threading.RLock | None = None):
        self.searcher = searcher
        self.io = io or threading.RLock()
        self.reader = searcher.reader()
        self.schema = self.reader.schema
        self.leaves = list(self.reader.leaf_readers())
        self.live = live
        self.size = len(live)
        self.doc_count = max(1, int(live.sum()))
        self._terms: OrderedDict[tuple, TermScores] = OrderedDict()
        self._cached_postings = 0
        self._lengths: dict[str, tuple[np.ndarray, float]] = {}
        self._lock = threading.Lock()

    # -- field lengths -------------------------------------------------------------
    def lengths(self, field: str) -> tuple[np.ndarray, float]:
        """Each document's length in `field`, and the average over live documents."""
        found = self._lengths.get(field)
        if found is not None:
            return found
        with self.io:
            return self._lengths.get(field) or self._read_lengths(field)

    def _read_lengths(self, field: str) -> tuple[np.ndarray, float]:
        out = np.zeros(self.size, dtype=np.float32)
        for leaf, offset in self.leaves:
            n = leaf.doc_count_all()
            column = _length_column(leaf, field)
            if column is not None:
                codes = np.fromiter(column, dtype=np.uint8, count=n)
                out[offset:offset + n] = _LENGTH_OF_BYTE[codes]
            elif n:  # another codec: ask per document (slow, but correct)
                out[offset:offset + n] = [leaf.doc_field_length(d, field, 0) or 0 for d in range(n)]
        live_lengths = out[self.live]
        average = float(live_lengths.mean()) if len(live_lengths) and live_lengths.any() else 1.0
        found = self._lengths[field] = (out, average)
        return found

    # -- terms ------------------------------------------------------------------------
    def _cached(self, key: tuple, build) -> TermScores:
        with self._lock:
            found = self._terms.get(key)
            if found is not None:
                self._terms.move_to_end(key)
                return found
        found = build()
        with self._lock:
            if key not in self._terms:
                self._terms[key] = found
                self._cached_postings += len(found.docs)
            while len(self._terms) > 1 and (len(self._terms) > TERM_CACHE_SIZE
                                            or self._cached_postings > TERM_CACHE_POSTINGS):
                _, dropped = self._terms.popitem(last=False)
                self._cached_postings -= len(dropped.docs)
        return found

    def _raw(self, field: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        docs, tfs = [], []
        with self.io:
            for leaf, offset in self.leaves:
                if (field, btext) not in leaf:
                    continue
                ids, weights = _read_matcher(leaf.postings(field, btext))
                docs.append(ids + offset)
                tfs.append(weights)
        if not docs:
            return _EMPTY.docs, _EMPTY.tf
        return np.concatenate(docs), np.concatenate(tfs)

    def _score(self, field: str, docs: np.ndarray, tf: np.ndarray) -> TermScores:
        if not len(docs):
            return _EMPTY
        keep = self.live[docs]
        docs, tf = docs[keep], tf[keep]
        df = len(docs)
        idf = math.log(self.doc_count / (df + 1)) + 1.0
        boost = getattr(self.schema[field], "field_boost", 1.0) if field in self.schema else 1.0
        lengths, average = self.lengths(field)
        norm = K1 * ((1 - B) + B * lengths[docs] / average) if average else K1
        scores = (boost * idf * tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        return TermScores(docs, tf, scores)

    def term(self, field: str, text) -> TermScores:
        """A single term's documents (live only) and scores."""
        if field not in self.schema:
            return _EMPTY
        try:
            btext = text if isinstance(text, bytes) else self.schema[field].to_bytes(text)
        except Exception:  # a value the field cannot hold matches nothing
            return _EMPTY
        return self._cached(("t", field, btext), lambda: self._score(field, *self._raw(field, btext)))

    def stem(self, field: str, stemmed: str) -> TermScores:
        """Every term of `field` with this stem, as one term (summed frequencies)."""
        def build():
            with self.io:
                terms = inflections(self.reader, field, stemmed)
            parts = [self._raw(field, t) for t in terms]
            parts = [p for p in parts if len(p[0])]
            if not parts:
                return _EMPTY
            if len(parts) == 1:
                return self._score(field, *parts[0])
            docs = np.concatenate([p[0] for p in parts])
            tf = np.concatenate([p[1] for p in parts])
            unique, inverse = np.unique(docs, return_inverse=True)
            return self._score(field, unique, np.bincount(inverse, weights=tf).astype(np.float32))
        if field not in self.schema:
            return _EMPTY
        return self._cached(("s", field, stemmed), build)

    # -- masks --------------------------------------------------------------------------
    def mask_of(self, docs: np.ndarray) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        out[docs] = True
        return out

    def positions(self, field: str, text, wanted: np.ndarray) -> dict[int, list[int]] | None:
        """Word positions of a term in the `wanted` documents; None when they cannot be read in bulk."""
        fmt = self.schema[field].format if field in self.schema else None
        if fmt is None or not hasattr(fmt, "decode_positions"):
            return None
        btext = text if isinstance(text, bytes) else self.schema[field].to_bytes(text)
        with self.io:
            return self._positions(fmt, field, btext, wanted)

    def _positions(self, fmt, field: str, btext: bytes, wanted: np.ndarray) -> dict[int, list[int]] | None:
        out: dict[int, list[int]] = {}
        for leaf, offset in self.leaves:
            if (field, btext) not in leaf:
                continue
            m = _unwrap(leaf.postings(field, btext))
            if isinstance(m, W3LeafMatcher):
                m.reset()
                while True:
                    m._read_ids()
                    ids = np.asarray(m._ids, dtype=np.int64) + offset
                    chosen = np.flatnonzero(wanted[ids])
                    if len(chosen):
                        m._read_values()
                        for i in chosen:
                            out[int(ids[i])] = fmt.decode_positions(m._values[i])
                    if m._lastblock:
                        break
                    m._goto(m._nextoffset)
            elif isinstance(m, ListMatcher) and m._values is not None:
                ids = np.asarray(m._ids, dtype=np.int64) + offset
                for i in np.flatnonzero(wanted[ids]):
                    out[int(ids[i])] = fmt.decode_positions(m._values[i])
            else:
                return None
        return out

    def phrase_mask(self, q: wq.Phrase, candidates: np.ndarray) -> np.ndarray:
        """Documents among `candidates` with the phrase's words in a row (Whoosh's slop 1)."""
        if q.slop != 1 or q.fieldname not in self.schema:
            return self.whoosh_mask(q) & candidates
        per_word = []
        for word in q.words:
            found = self.positions(q.fieldname, word, candidates)
            if found is None:
                return self.whoosh_mask(q) & candidates
            per_word.append(found)
        out = np.zeros(self.size, dtype=bool)
        for doc, first in per_word[0].items():
            starts = set(first)
            for k, positions in enumerate(per_word[1:], 1):
                starts &= {p - k for p in positions.get(doc, ())}
                if not starts:
                    break
            if starts:
                out[doc] = True
        return out

    def whoosh_mask(self, q: wq.Query) -> np.ndarray:
        """Documents of a query Whoosh has to match itself (phrases, ranges)."""
        out = np.zeros(self.size, dtype=bool)
        with self.io:
            ids = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        if len(ids):
            out[ids] = True
        return out & self.live


class Evaluation:
    """A query's matching documents as a mask, and the terms that score them."""

    def __init__(self, postings: Postings, q: wq.Query | None):
        self.postings = postings
        self.scoring: list[TermScores] = []
        self.mask = postings.live if q is None else self._eval(q, positive=True) & postings.live

    def _leaf_terms(self, q: wq.Query) -> TermScores | None:
        p = self.postings
        if isinstance(q, Inflections):
            return p.stem(q.fieldname, q.text)
        if type(q) is wq.Term:
            return p.term(q.fieldname, q.text)
        return None

    def _eval(self, q: wq.Query, positive: bool) -> np.ndarray:
        p = self.postings
        found = self._leaf_terms(q)
        if found is not None:
            if positive and len(found.docs):
                self.scoring.append(_boosted(found, q.boost))
            return p.mask_of(found.docs)
        if isinstance(q, wq.And):
            pos = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            neg = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
            out = p.live.copy()
            for child in pos:
                out &= self._eval(child, positive)
                if not out.any():
                    break
            for child in neg:
                if not out.any():
                    break
                out &= ~self._eval(child, False)
            return out
        if isinstance(q, wq.Or):
            out = np.zeros(p.size, dtype=bool)
            for child in q.subqueries:
                out |= self._eval(child, positive)
            return out
        if isinstance(q, wq.Not):
            return p.live & ~self._eval(q.query, False)
        if isinstance(q, wq.AndNot):
            return self._eval(q.a, positive) & ~self._eval(q.b, False)
        if isinstance(q, wq.AndMaybe):
            self._eval(q.b, positive)  # scores only
            return self._eval(q.a, positive)
        if isinstance(q, wq.Require):
            return self._eval(q.a, positive) & self._eval(q.b, False)
        if isinstance(q, wq.Every):
            return p.live.copy()
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return np.zeros(p.size, dtype=bool)
        if isinstance(q, wq.Phrase):
            words = [p.term(q.fieldname, w) for w in q.words]
            candidates = p.live.copy()
            for w in words:
                candidates &= p.mask_of(w.docs)
            if not candidates.any():
                return candidates
            if positive:
                self.scoring.extend(_boosted(w, q.boost) for w in words)
            return p.phrase_mask(q, candidates)
        return p.whoosh_mask(q)  # ranges and anything else Whoosh knows

    # -- ranking ---------------------------------------------------------------------------
    def scores(self) -> np.ndarray:
        """BM25 of every document (zero outside the matches)."""
        out = np.zeros(self.postings.size, dtype=np.float64)
        for term in self.scoring:
            out[term.docs] += term.scores
        return out


def _boosted(term: TermScores, boost: float) -> TermScores:
    return term if boost == 1 else TermScores(term.docs, term.tf, term.scores * boost)


def top(docs: np.ndarray, scores: np.ndarray, tie_codes: np.ndarray, count: int) -> list[tuple[int, float]]:
    """The best `count` of `docs` by their `scores`, ties broken by `tie_codes` (ascending)."""
    if not len(docs) or count <= 0:
        return []
    if len(docs) > count:
        kth = np.partition(scores, len(scores) - count)[len(scores) - count]
        keep = scores >= kth
        docs, scores = docs[keep], scores[keep]
    order = np.lexsort((tie_codes[docs], -scores))[:count]
    return [(int(docs[i]), float(scores[i])) for i in order]


# -- the Whoosh internals read above ------------------------------------------------

#: Private names of Whoosh 2.7 (Whoosh-Reloaded 2.7.5) this module and `index.writer`
#: rely on: (where, attribute). `whoosh_internals_missing` checks them on a live index.
WHOOSH_INTERNALS = (
    ("W3LeafMatcher", "_read_ids"), ("W3LeafMatcher", "_read_weights"), ("W3LeafMatcher", "_read_values"),
    ("W3LeafMatcher", "_goto"), ("W3LeafMatcher", "_ids"), ("W3LeafMatcher", "_weights"),
    ("W3LeafMatcher", "_values"), ("W3LeafMatcher", "_lastblock"), ("W3LeafMatcher", "_nextoffset"),
    ("ListMatcher", "_ids"), ("ListMatcher", "_weights"), ("ListMatcher", "_all_weights"),
    ("ListMatcher", "_i"), ("ListMatcher", "_values"),
    ("SegmentReader", "_perdoc"), ("W3PerDocReader", "_cached_reader"),
    ("FilterMatcher", "child"), ("Prefix", "_btexts"),
    ("TOC", "_latest_generation"), ("whoosh.index", "_DEF_INDEX_NAME"),
)


def whoosh_internals_missing(searcher, field: str = "body") -> list[str]:
    """The private Whoosh names (as "Class.attribute") that this index's objects lack.

    Reads one real term's postings the way `_read_matcher` does, so a Whoosh
    upgrade that renames or drops any of them is named here instead of
    surfacing as a slow fallback.
    """
    from whoosh import index as windex

    missing = []

    def need(where: str, obj, name: str) -> None:
        if not hasattr(obj, name):
            missing.append(f"{where}.{name}")

    reader = searcher.reader()
    leaf = next((lf for lf, _ in reader.leaf_readers()), None)
    if leaf is None:
        return ["SegmentReader (the index has no segment to check)"]
    need("SegmentReader", leaf, "_perdoc")
    need("W3PerDocReader", getattr(leaf, "_perdoc", None), "_cached_reader")
    term = next(iter(leaf.lexicon(field)), None)
    if term is None:
        missing.append(f"W3LeafMatcher (no term in {field!r} to check)")
    else:
        try:
            _check_leaf_matcher(leaf, field, term, need, missing)
        except AttributeError as exc:  # Whoosh itself needs what was taken away
            owner = type(exc.obj).__name__ if getattr(exc, "obj", None) is not None else "W3LeafMatcher"
            missing.append(f"{owner}.{exc.name}")
    lm = ListMatcher([1, 2], weights=[1.0, 1.0])
    for name in ("_ids", "_weights", "_all_weights", "_i", "_values"):
        need("ListMatcher", lm, name)
    need("FilterMatcher", FilterMatcher(lm, frozenset()), "child")
    need("Prefix", wq.Prefix(field, "a"), "_btexts")
    need("TOC", windex.TOC, "_latest_generation")
    need("whoosh.index", windex, "_DEF_INDEX_NAME")
    return missing


def _check_leaf_matcher(leaf, field: str, term: bytes, need, missing: list[str]) -> None:
    m = _unwrap(leaf.postings(field, term))
    if not isinstance(m, W3LeafMatcher):
        missing.append(f"W3LeafMatcher (postings are a {type(m).__name__})")
        return
    for name in ("_read_ids", "_read_weights", "_read_values", "_goto"):
        need("W3LeafMatcher", m, name)
    if missing:
        return
    m.reset()
    m._read_ids()
    m._read_weights()
    for name in ("_ids", "_weights", "_values", "_lastblock", "_nextoffset"):
        need("W3LeafMatcher", m, name)
