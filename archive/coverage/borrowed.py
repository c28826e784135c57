"""Borrowed passages across the archive: which stored articles share text with a new one.

Story signatures (`signatures.py`) summarise a whole text, so two long
articles that share one quoted statement look unrelated to them (the
samples' Before It's News repost and the unattributed article share three
passages, 47 words, at an estimated Jaccard of 0.03). A passage needs a
summary of its own: each article keeps a few *local* min-hashes of its
word 5-grams, chosen by winnowing (Schleimer, Wilkerson and Aiken, 2003):
of every `WINDOW` consecutive 5-gram hashes the smallest is kept. Any run
of `MIN_WORDS` (8) words two texts share holds one whole window, so both
texts keep that window's minimum: every shared passage of 8 words or more
is guaranteed to meet a common fingerprint, while only about 2/(WINDOW+1)
of the 5-grams are stored.

A new article looks its fingerprints up in the store, takes as candidates
the articles sharing most of them (`MAX_CANDIDATES`), and verifies each
candidate on the texts with `shared_passages`; only verified passages are
kept. A fingerprint already held by more than `MAX_HOLDERS` articles is
boilerplate or wire template ("The company said it expects ...") and is
neither followed nor stored again, which bounds both the work per article
and the table's growth.
"""
from __future__ import annotations

import zlib

import numpy as np
from dataclasses import dataclass
from typing import Iterable, Mapping

from .passages import MIN_WORDS, Passage, has_common_run, passages_of_words
from .words import Word, norm_words, words

GRAM_WORDS = 5
#: Window of consecutive 5-gram hashes of which the smallest is kept: a run
#: of GRAM_WORDS + WINDOW - 1 = MIN_WORDS words always contains one window.
WINDOW = MIN_WORDS - GRAM_WORDS + 1
#: A fingerprint held by more articles than this is not followed (boilerplate).
MAX_HOLDERS = 40
#: Candidates verified per new article, those sharing most fingerprints first.
MAX_CANDIDATES = 25


#: Multiplier of the polynomial that combines a 5-gram's word hashes (odd, so no bit is lost mod 2**64).
_BASE = np.uint64(0x100000001B3)


def _word_hashes(tokens: list[str]) -> np.ndarray:
    """A stable 64-bit hash per word: CRC-32 and Adler-32 side by side.

    Not cryptographic, and it need not be: a fingerprint only proposes a
    candidate, which `verify` then checks on the texts.
    """
    cache: dict[str, int] = {}
    out = np.empty(len(tokens), dtype=np.uint64)
    for i, token in enumerate(tokens):
        value = cache.get(token)
        if value is None:
            data = token.encode("utf-8", "surrogatepass")
            value = cache[token] = (zlib.crc32(data) << 32) | zlib.adler32(data)
        out[i] = value
    return out


def fingerprints(text: str) -> set[int]:
    """The winnowed 5-gram hashes of `text` (empty when it has fewer than MIN_WORDS words)."""
    return fingerprints_of(norm_words(text))


def fingerprints_of(tokens: list[str]) -> set[int]:
    """`fingerprints` of a text's normalised words, as signed 64-bit integers (SQLite's)."""
    if len(tokens) < MIN_WORDS:
        return set()
    words_h = _word_hashes(tokens)
    n = len(tokens) - GRAM_WORDS + 1
    grams = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):  # arithmetic mod 2**64 is the point
        for k in range(GRAM_WORDS):
            grams = grams * _BASE + words_h[k:k + n]
    chosen = np.lib.stride_tricks.sliding_window_view(grams, WINDOW).min(axis=1)
    return set(np.unique(chosen).view(np.int64).tolist())


@dataclass(frozen=True)
class SharedWith:
    """The passages article `a` shares with article `b` (positions in each body)."""

    a: str
    b: str
    passages: tuple[Passage, ...]

    @property
    def words(self) -> int:
        return sum(p.words for p in self.passages)


def candidates(fps: Iterable[int], holders: Mapping[int, list[str]], exclude: str) -> list[str]:
    """Articles sharing the most followed fingerprints with `fps`, at most MAX_CANDIDATES.

    `holders` maps a fingerprint to the articles that hold it; fingerprints
    held by more than MAX_HOLDERS articles are not followed.
    """
    score: dict[str, int] = {}
    for fp in fps:
        held = holders.get(fp, ())
        if len(held) > MAX_HOLDERS:
            continue
        for article_id in held:
            if article_id != exclude:
                score[article_id] = score.get(article_id, 0) + 1
    ranked = sorted(score, key=lambda i: (-score[i], i))
    return ranked[:MAX_CANDIDATES]


def verify(article_id: str, body: str, others: Mapping[str, str],
           body_words: list[Word] | None = None) -> list[SharedWith]:
    """The candidates that really share passages of MIN_WORDS words or more with `body`."""
    out = []
    mine = body_words if body_words is not None else words(body or "")
    norms = [w.norm for w in mine]
    for other_id, other_body in sorted(others.items()):
        if other_id == article_id or not has_common_run(norms, norm_words(other_body or "")):
            continue  # most candidates share a fingerprint only: no need to place their words
        found = passages_of_words(body or "", mine, words(other_body or ""))
        if found:
            out.append(SharedWith(article_id, other_id, tuple(found)))
    return out
