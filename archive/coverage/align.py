"""Lining texts up for a compare page: what they share, what each has alone.

`align(texts)` returns two views of the same finding:

- `columns`: each text cut into consecutive segments covering all of it,
  every segment marked with the other texts that share it (empty = this
  text's own words). A page can show the texts side by side in their own
  order and colour what is shared.
- `rows`: a side-by-side layout against the first text (the reference):
  a ``shared`` row holds a passage the reference shares with one or more
  texts, each in the same row; an ``own`` row holds, per text, what it says
  between two aligned passages (added, dropped or changed words). Passages a
  text tells in another order than the reference cannot sit in the same row
  without crossing lines; they appear in that text's ``own`` rows, still
  marked as shared in `columns`.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from .passages import MIN_WORDS, Passage, shared_passages


@dataclass(frozen=True)
class Segment:
    """A stretch of one text; `shared_with` lists the other texts having it."""

    start: int
    end: int
    text: str
    shared_with: tuple[int, ...] = ()

    @property
    def shared(self) -> bool:
        return bool(self.shared_with)

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text,
                "shared_with": list(self.shared_with)}


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side view: a cell (segments) per text."""

    kind: str  # "shared" or "own"
    cells: tuple[tuple[Segment, ...], ...]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "cells": [[s.to_dict() for s in c] for c in self.cells]}


@dataclass(frozen=True)
class Alignment:
    texts: tuple[str, ...]
    passages: dict[tuple[int, int], list[Passage]] = field(default_factory=dict)
    columns: tuple[tuple[Segment, ...], ...] = ()
    rows: tuple[Row, ...] = ()

    def to_dict(self) -> dict:
        return {
            "passages": [{"a": a, "b": b, "passages": [p.to_dict() for p in ps]}
                         for (a, b), ps in sorted(self.passages.items())],
            "columns": [[s.to_dict() for s in col] for col in self.columns],
            "rows": [r.to_dict() for r in self.rows],
        }


def _cut(text: str, spans: list[tuple[int, int, int]]) -> tuple[Segment, ...]:
    """Cut `text` at every span boundary; mark pieces with the texts sharing them."""
    points = {0, len(text)}
    for start, end, _ in spans:
        points.update((start, end))
    cuts = sorted(points)
    segments = []
    for start, end in zip(cuts, cuts[1:]):
        sharers = tuple(sorted({k for s, e, k in spans if s <= start and end <= e}))
        segments.append(Segment(start, end, text[start:end], sharers))
    return tuple(segments)


def _chain(passages: list[Passage]) -> list[Passage]:
    """The heaviest set of passages in the same order in both texts."""
    ps = sorted(passages, key=lambda p: p.a_start)
    best: list[tuple[int, int]] = []  # (weight, previous index)
    for i, p in enumerate(ps):
        choice = (p.words, -1)
        for j in range(i):
            if ps[j].b_end <= p.b_start and best[j][0] + p.words > choice[0]:
                choice = (best[j][0] + p.words, j)
        best.append(choice)
    if not ps:
        return []
    i = max(range(len(ps)), key=lambda n: best[n][0])
    chain = []
    while i != -1:
        chain.append(ps[i])
        i = best[i][1]
    return chain[::-1]


def _piece(text: str, start: int, end: int, shared_with: tuple[int, ...] = ()) -> tuple[Segment, ...]:
    if end <= start or not text[start:end].strip():
        return ()
    return (Segment(start, end, text[start:end], shared_with),)


def _map_span(p: Passage, start: int, end: int) -> tuple[int, int]:
    """The part of B's span that corresponds to A's sub-span [start, end)."""
    length_a = max(1, p.a_end - p.a_start)
    length_b = p.b_end - p.b_start
    b0 = p.b_start + round((start - p.a_start) * length_b / length_a)
    b1 = p.b_start + round((end - p.a_start) * length_b / length_a)
    return max(p.b_start, b0), min(p.b_end, b1)


def _rows(texts: list[str], chains: dict[int, list[Passage]]) -> tuple[Row, ...]:
    ref = texts[0]
    spans = [(p.a_start, p.a_end, k) for k, ps in chains.items() for p in ps]
    rows: list[Row] = []
    done = [0] * len(texts)  # how far each text has been placed
    next_anchor = {k: 0 for k in chains}
    for seg in _cut(ref, spans):
        if not seg.shared_with:
            continue
        cells: list[tuple[Segment, ...]] = [()] * len(texts)
        own: list[tuple[Segment, ...]] = [()] * len(texts)
        own[0] = _piece(ref, done[0], seg.start)
        cells[0] = (Segment(seg.start, seg.end, seg.text, seg.shared_with),)
        for k in seg.shared_with:
            p = next(p for p in chains[k][next_anchor[k]:] if p.a_start <= seg.start < p.a_end)
            b0, b1 = _map_span(p, seg.start, seg.end)
            own[k] = _piece(texts[k], done[k], b0)
            cells[k] = _piece(texts[k], b0, b1, (0,))
            done[k] = max(done[k], b1)
            if seg.end >= p.a_end:
                next_anchor[k] = chains[k].index(p) + 1
        done[0] = seg.end
        if any(own):
            rows.append(Row("own", tuple(own)))
        rows.append(Row("shared", tuple(cells)))
    tail = tuple(_piece(t, done[i], len(t)) for i, t in enumerate(texts))
    if any(tail):
        rows.append(Row("own", tail))
    return tuple(rows)


def align(texts: list[str] | tuple[str, ...], min_words: int = MIN_WORDS) -> Alignment:
    """Shared passages between every pair of `texts`, as columns and rows."""
    texts = [t or "" for t in texts]
    passages: dict[tuple[int, int], list[Passage]] = {}
    spans: list[list[tuple[int, int, int]]] = [[] for _ in texts]
    for a in range(len(texts)):
        for b in range(a + 1, len(texts)):
            found = shared_passages(texts[a], texts[b], min_words=min_words)
            passages[(a, b)] = found
            for p in found:
                spans[a].append((p.a_start, p.a_end, b))
                spans[b].append((p.b_start, p.b_end, a))
    columns = tuple(_cut(t, spans[i]) for i, t in enumerate(texts))
    chains = {k: _chain(passages[(0, k)]) for k in range(1, len(texts))}
    return Alignment(tuple(texts), passages, columns, _rows(texts, chains))
