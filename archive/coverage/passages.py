"""Shared passages: the runs of text two articles have in common.

Below the story-group threshold, two articles often still share a quoted
statement or a paragraph of agency copy; that is how a reader sees who
borrowed from whom. A passage is a run of at least `MIN_WORDS` words that
appears in both texts (compared as normalised words, so quotes, case,
punctuation and line breaks do not matter), kept with its character span in
each text. Runs split by a changed word or two ("was"/"were") are joined
into one passage when the gap is at most `MAX_GAP` words on both sides.

Each place in either text belongs to at most one passage (longest runs are
taken first), so passages can be drawn on both texts without overlapping,
whatever order the two texts tell them in.
"""
from __future__ import annotations

from dataclasses import dataclass

from .words import Word, words

MIN_WORDS = 8
MAX_GAP = 2
#: A word run occurring more often than this in one text is boilerplate
#: ("Click here to ...") and not followed further, which bounds the work.
MAX_REPEATS = 20


@dataclass(frozen=True)
class Passage:
    """A run shared by texts A and B: character spans in each, A's wording."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    text: str
    words: int

    def to_dict(self) -> dict:
        return {"a_start": self.a_start, "a_end": self.a_end, "b_start": self.b_start,
                "b_end": self.b_end, "text": self.text, "words": self.words}


@dataclass(frozen=True)
class _Run:
    i: int  # first word in A
    j: int  # first word in B
    n: int  # words in A covered
    m: int  # words in B covered
    same: int  # words equal in both


def _maximal_runs(a: list[str], b: list[str], k: int) -> list[_Run]:
    """Every maximal common run of at least k words (seeded by k-grams)."""
    where: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(b) - k + 1):
        where.setdefault(tuple(b[j:j + k]), []).append(j)
    runs = []
    for i in range(len(a) - k + 1):
        starts = where.get(tuple(a[i:i + k]))
        if not starts or len(starts) > MAX_REPEATS:
            continue
        for j in starts:
            if i > 0 and j > 0 and a[i - 1] == b[j - 1]:
                continue  # not the start of a maximal run
            n = k
            while i + n < len(a) and j + n < len(b) and a[i + n] == b[j + n]:
                n += 1
            runs.append(_Run(i, j, n, n, n))
    return runs


def has_common_run(a: list[str], b: list[str], k: int = MIN_WORDS) -> bool:
    """Whether two word lists share a run of `k` words (a cheap test before placing passages)."""
    if len(a) < k or len(b) < k:
        return False
    grams = {tuple(b[j:j + k]) for j in range(len(b) - k + 1)}
    return any(tuple(a[i:i + k]) in grams for i in range(len(a) - k + 1))


def _one_to_one(runs: list[_Run], len_a: int, len_b: int) -> list[_Run]:
    """Longest runs first; a run overlapping one already taken is dropped."""
    used_a = bytearray(len_a)
    used_b = bytearray(len_b)
    kept = []
    for run in sorted(runs, key=lambda r: (-r.n, r.i, r.j)):
        if any(used_a[run.i:run.i + run.n]) or any(used_b[run.j:run.j + run.m]):
            continue
        used_a[run.i:run.i + run.n] = b"\x01" * run.n
        used_b[run.j:run.j + run.m] = b"\x01" * run.m
        kept.append(run)
    return kept


def _join_gaps(runs: list[_Run], max_gap: int) -> list[_Run]:
    """Join runs that follow each other in both texts with small gaps."""
    joined: list[_Run] = []
    for run in sorted(runs, key=lambda r: r.i):
        if joined:
            last = joined[-1]
            gap_a = run.i - (last.i + last.n)
            gap_b = run.j - (last.j + last.m)
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                joined[-1] = _Run(last.i, last.j, run.i + run.n - last.i, run.j + run.m - last.j,
                                  last.same + run.same)
                continue
        joined.append(run)
    return joined


def shared_passages(text_a: str, text_b: str, min_words: int = MIN_WORDS,
                    max_gap: int = MAX_GAP) -> list[Passage]:
    """Passages of at least `min_words` words that both texts contain, in A's order."""
    return passages_of_words(text_a, words(text_a), words(text_b), min_words, max_gap)


def passages_of_words(text_a: str, wa: list[Word], wb: list[Word], min_words: int = MIN_WORDS,
                      max_gap: int = MAX_GAP) -> list[Passage]:
    """`shared_passages` of two texts already cut into words (`words.words`), A's text given.

    For comparing one text with many: it is cut into words once.
    """
    if min_words < 1:
        raise ValueError("min_words must be at least 1")
    if len(wa) < min_words or len(wb) < min_words:
        return []
    a = [w.norm for w in wa]
    b = [w.norm for w in wb]
    runs = _one_to_one(_maximal_runs(a, b, min_words), len(a), len(b))
    out = []
    for run in _join_gaps(runs, max_gap):
        a_start, a_end = wa[run.i].start, wa[run.i + run.n - 1].end
        b_start, b_end = wb[run.j].start, wb[run.j + run.m - 1].end
        out.append(Passage(a_start, a_end, b_start, b_end, text_a[a_start:a_end], run.same))
    return out
