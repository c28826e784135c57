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
and the table's growth; the store remembers such fingerprints, so that later
articles do not read their holders at all (`crowded_after`).
"""
from __future__ import annotations

import heapq
import zlib
from collections import OrderedDict

import numpy as np
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from .passages import MAX_GAP, MAX_REPEATS, MIN_WORDS, Passage, _join_gaps, _one_to_one, _Run
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


#: Word -> its hash, for the words this process has met (`_word_hashes`).
_HASHED: dict[str, int] = {}
#: Words kept in `_HASHED` before it starts again (bounded memory however long the run).
HASHED_MAX = 100_000


def _word_hashes(tokens: list[str]) -> np.ndarray:
    """A stable 64-bit hash per word: CRC-32 and Adler-32 side by side.

    Not cryptographic, and it need not be: a fingerprint only proposes a
    candidate, which `verify` then checks on the texts. Each word is hashed
    once per process: a run's articles share most of their words.
    """
    values = _HASHED
    new = set(tokens).difference(values)
    if len(values) + len(new) > HASHED_MAX:
        values.clear()
        new = set(tokens)
    crc, adler = zlib.crc32, zlib.adler32
    for token in new:
        data = token.encode("utf-8", "surrogatepass")
        values[token] = (crc(data) << 32) | adler(data)
    return np.fromiter(map(values.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


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
    chosen = grams[:n - WINDOW + 1].copy()  # the smallest of each WINDOW in a row
    for step in range(1, WINDOW):
        np.minimum(chosen, grams[step:n - WINDOW + 1 + step], out=chosen)
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

    def spans(self) -> "Spans":
        """These passages as the store keeps them (no texts): what crosses back from a worker."""
        return self.a, self.b, tuple((p.a_start, p.a_end, p.b_start, p.b_end, p.words) for p in self.passages)


#: The passages one article shares with another as the store keeps them: (a, b, spans), each span
#: (a_start, a_end, b_start, b_end, words) (`coverage.store.record_kept_passages` takes them).
Spans = tuple[str, str, tuple[tuple[int, int, int, int, int], ...]]


def follow(fps: Iterable[int], holders: dict[int, list[str]], article_id: str) -> tuple[list[str], list[int]]:
    """An article's candidates and the fingerprints it keeps, in one pass over its fingerprints.

    The candidates are the articles sharing the most followed fingerprints
    with it, at most MAX_CANDIDATES; `holders` maps a fingerprint to the
    articles that hold it, and one held by more than MAX_HOLDERS is neither
    followed nor kept. The article joins the holders of what it keeps, so a
    batch's later articles meet it as if it were stored. Its fingerprints
    must be distinct, so that joining one's holders changes no other's.
    """
    score: dict[str, int] = {}
    kept: list[int] = []
    for fp in fps:
        held = holders.get(fp)
        if held is None:
            holders[fp] = [article_id]
        elif len(held) <= MAX_HOLDERS:
            for other in held:
                if other != article_id:
                    score[other] = score.get(other, 0) + 1
            held.append(article_id)
        else:
            continue
        kept.append(fp)
    return best(score), kept


def follow_batch(ids: Sequence[str], fingerprints: Sequence[Sequence[int]], held_fp: np.ndarray,
                 held_n: np.ndarray, names: Callable[[list[int]], Mapping[int, str]],
                 chunk: int = 256, crowded: np.ndarray | None = None) -> tuple[list[list[str]], list[np.ndarray]]:
    """`follow` for a whole batch at once, on integer arrays: each article's candidates and kept fingerprints.

    The same answers as calling `follow` on each article in turn (the tests
    compare both), with the stored holders given as two arrays, `held_fp`
    ascending and `held_n` the number (`passage_articles.n`) of the article
    holding each, and `names` giving the ids of numbers. No Python object is
    made per holder: at 100,000 stored articles a batch's fingerprints have
    some 2.7 million holders, and a dict of lists of their ids was most of
    the main process's memory (its peak grew with the archive) and a good
    part of its time. The ids must be distinct.

    Why it is the same: a fingerprint's holders only grow during a batch,
    and an article joins them exactly when it keeps the fingerprint, so the
    batch's articles holding one fingerprint keep it while its stored
    holders plus those of them before it are at most MAX_HOLDERS: a prefix
    of them, in batch order. Each keeper scores every stored holder and
    every keeper before it; only the best `MAX_CANDIDATES` + 1 scores of
    each article (all ties included) need their ids, for `best`.

    `crowded` (ascending) are fingerprints known to have more than
    MAX_HOLDERS stored holders, given without their holders (`crowded_after`
    says why): each counts as held by MAX_HOLDERS + 1, which is all `follow`
    does with it, and is neither followed nor kept.
    """
    count = len(ids)
    lengths = np.fromiter(map(len, fingerprints), dtype=np.int64, count=count)
    total = int(lengths.sum())
    if not total:
        return [[] for _ in ids], [np.zeros(0, dtype=np.int64) for _ in ids]
    fps = np.concatenate([np.asarray(f, dtype=np.int64) for f in fingerprints])
    owner = np.repeat(np.arange(count, dtype=np.int64), lengths)
    lo = np.searchsorted(held_fp, fps, side="left")
    stored = np.searchsorted(held_fp, fps, side="right") - lo
    if crowded is not None and len(crowded):
        where = np.minimum(np.searchsorted(crowded, fps), len(crowded) - 1)
        stored[crowded[where] == fps] = MAX_HOLDERS + 1
    order = np.lexsort((owner, fps))  # each fingerprint's batch holders, in batch order
    sorted_fps = fps[order]
    run = np.flatnonzero(np.concatenate(([True], sorted_fps[1:] != sorted_fps[:-1])))
    run_start = np.repeat(run, np.diff(np.append(run, total)))  # sorted place -> its run's first place
    place = np.empty(total, dtype=np.int64)
    place[order] = np.arange(total)
    before = place - run_start[place]  # batch holders of the fingerprint before this article
    keep = stored + before <= MAX_HOLDERS
    sorted_owner = owner[order]
    bounds = np.concatenate(([0], np.cumsum(lengths)))
    kept = [fps[bounds[i]:bounds[i + 1]][keep[bounds[i]:bounds[i + 1]]] for i in range(count)]
    ranked: list[list[str]] = []
    shift = count  # batch articles are -1 - index, stored ones their number (>= 1): shifted, all >= 0
    span = (int(held_n.max()) if len(held_n) else 0) + shift + 1
    for first in range(0, count, chunk):
        last = min(count, first + chunk)
        at = np.arange(bounds[first], bounds[last])
        at = at[keep[at]]
        n_stored, n_batch = stored[at], before[at]
        mates = held_n[np.repeat(lo[at], n_stored) + _ramp(n_stored)]
        earlier = sorted_owner[np.repeat(run_start[place[at]], n_batch) + _ramp(n_batch)]
        others = np.concatenate((mates, -1 - earlier)) + shift
        owners = np.concatenate((np.repeat(owner[at], n_stored), np.repeat(owner[at], n_batch))) - first
        keys, scores = np.unique(owners * span + others, return_counts=True)
        who, other = keys // span, keys % span - shift
        by = np.lexsort((-scores, who))
        who, other, scores = who[by], other[by], scores[by]
        starts = np.searchsorted(who, np.arange(last - first + 1))
        rank = np.arange(len(who)) - starts[who]
        floor = np.zeros(last - first + 1, dtype=np.int64)  # the score of each one's MAX_CANDIDATES+1st
        at_floor = rank == MAX_CANDIDATES
        floor[who[at_floor]] = scores[at_floor]
        wanted = scores >= floor[who]
        who, other, scores = who[wanted], other[wanted], scores[wanted]
        named = names(np.unique(other[other > 0]).tolist())
        starts = np.searchsorted(who, np.arange(last - first + 1))
        other_list, score_list = other.tolist(), scores.tolist()
        for i in range(last - first):
            mine = ids[first + i]
            score = {}
            for o, n in zip(other_list[starts[i]:starts[i + 1]], score_list[starts[i]:starts[i + 1]]):
                other_id = named[o] if o > 0 else ids[-1 - o]
                if other_id != mine:
                    score[other_id] = n
            ranked.append(best(score))
    return ranked, kept


def crowded_after(held_fp: np.ndarray, kept: Sequence[np.ndarray]) -> np.ndarray:
    """The fingerprints held by more than MAX_HOLDERS articles once a batch's `kept` (`follow_batch`)
    join the stored holders `held_fp` (ascending): never followed or kept again, ascending.

    Such a fingerprint's holders are dead weight: a new article reads all of
    them only to learn there are too many. At 300,000 scale-corpus articles a
    third of the holders a batch read were of these (15% at 100,000, and
    rising with the archive), so the store remembers them (`passage_common`)
    and later batches skip their holders (`follow_batch`'s `crowded`).
    """
    if len(held_fp):
        starts = np.flatnonzero(np.concatenate(([True], held_fp[1:] != held_fp[:-1])))
        runs = np.diff(np.append(starts, len(held_fp)))
        read = held_fp[starts[runs > MAX_HOLDERS]]  # crowded already, by earlier code or removals
    else:
        read = np.zeros(0, dtype=np.int64)
    mine = [k for k in kept if len(k)]
    if not mine:
        return read
    values, added = np.unique(np.concatenate(mine), return_counts=True)
    stored = np.searchsorted(held_fp, values, side="right") - np.searchsorted(held_fp, values, side="left")
    return np.union1d(read, values[stored + added > MAX_HOLDERS])


def _ramp(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., c - 1 for each c of `counts`, end to end."""
    total = int(counts.sum())
    return np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)


def best(score: Mapping[str, int]) -> list[str]:
    """The MAX_CANDIDATES ids of highest score, ties by id: `sorted(...)[:MAX_CANDIDATES]` without
    sorting them all."""
    if len(score) <= MAX_CANDIDATES:
        return sorted(score, key=lambda i: (-score[i], i))
    return heapq.nsmallest(MAX_CANDIDATES, score, key=lambda i: (-score[i], i))


class _Mine:
    """The new article's words as integers and its k-grams keyed and sorted: made once, compared with many."""

    def __init__(self, ids: np.ndarray, k: int):
        self.k = k
        self.ids = ids
        self.grams = _gram_keys(ids, k)
        self.order = np.argsort(self.grams, kind="stable")  # its k-grams by key (the others' are looked up in it)
        self.sorted = self.grams[self.order]
        self.long_enough = len(ids) >= k
        # which top-16-bit prefixes its keys have: most of the others' k-grams are ruled out by one look-up
        self.prefixes = np.zeros(1 << 16, dtype=bool)
        self.prefixes[(self.grams >> _PREFIX_SHIFT).astype(np.intp)] = True


_PREFIX_SHIFT = np.uint64(48)
_END = np.full(1, -1, dtype=np.int64)  # the word after each other text in `_maximal_runs` (no text has it)


def _gram_keys(ids: np.ndarray, k: int) -> np.ndarray:
    """A 64-bit key per k-gram of `ids`: equal k-grams, equal keys (unequal ones are told apart by comparing words)."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    values = ids.astype(np.uint64)
    keys = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for step in range(k):
            keys = keys * _BASE + values[step:step + n]
    return keys


def _maximal_runs(mine: _Mine, others: list[np.ndarray]) -> list[list[_Run]]:
    """`passages._maximal_runs` of the new text with each of `others`, on integer words, all at once.

    The others are laid end to end, each followed by a -1 (a word no text
    has), so no k-gram and no run crosses from one into the next. A k-gram
    key only proposes a pair of places; the pair counts once its k words
    are compared equal, so the runs, and the MAX_REPEATS rule (which counts
    one other text's places of a k-gram of A), are exactly those of the
    word-by-word version.
    """
    k, a = mine.k, mine.ids
    runs: list[list[_Run]] = [[] for _ in others]
    if not mine.long_enough or not others:
        return runs
    lengths = np.array([len(b) + 1 for b in others])
    offsets = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    joined = np.concatenate([part for b in others for part in (b, _END)])
    gb = _gram_keys(joined, k)
    if not len(gb):
        return runs
    # the others' k-grams whose key's prefix one of A's has, looked up among A's (sorted once per
    # new text, rather than sorting the others' for every one)
    maybe = np.flatnonzero(mine.prefixes[(gb >> _PREFIX_SHIFT).astype(np.intp)])
    lo = np.searchsorted(mine.sorted, gb[maybe], side="left")
    counts = np.searchsorted(mine.sorted, gb[maybe], side="right") - lo
    has = np.flatnonzero(counts)
    if not len(has):
        return runs
    c = counts[has]
    i = mine.order[np.repeat(lo[has], c) + _ramp(c)]
    j = np.repeat(maybe[has], c)
    equal = np.ones(len(i), dtype=bool)
    for step in range(k):
        equal &= a[i + step] == joined[j + step]
    i, j = i[equal], j[equal]
    by = np.lexsort((j, i))  # the pairs in A's order, each k-gram's places in the others in theirs
    i, j = i[by], j[by]
    if not len(i):
        return runs
    which = np.searchsorted(offsets, j, side="right") - 1
    # the other text's places of each k-gram of A, per other text
    pair = i * len(others) + which
    places = np.bincount(pair, minlength=len(mine.grams) * len(others))
    keep = places[pair] <= MAX_REPEATS
    inner = i > 0  # j - 1 of a text's first word is the -1 before it, equal to nothing
    previous_equal = np.zeros(len(i), dtype=bool)
    previous_equal[inner] = a[i[inner] - 1] == joined[j[inner] - 1]
    keep &= ~previous_equal
    # A run from a start goes on while the k-grams one place further along both texts are equal:
    # its length is k - 1 plus the equal k-grams in a row on its diagonal (j - i), read off sorted
    # pairs (a -1 after each text, and the end of A, end every diagonal's row).
    diagonal = j - i
    along = np.lexsort((i, diagonal))
    d_sorted, i_sorted = diagonal[along], i[along]
    breaks = np.ones(len(i), dtype=bool)
    breaks[1:] = (d_sorted[1:] != d_sorted[:-1]) | (i_sorted[1:] != i_sorted[:-1] + 1)
    row_end = np.append(np.flatnonzero(breaks)[1:], len(i)) - 1  # last place of each row
    in_row = np.empty(len(i), dtype=np.int64)
    in_row[along] = row_end[np.cumsum(breaks) - 1] - np.arange(len(i))
    lengths = (in_row[keep] + k).tolist()
    starts = i[keep].tolist()
    texts = which[keep]
    locals_ = (j[keep] - offsets[texts]).tolist()
    for start_i, local, t, n in zip(starts, locals_, texts.tolist(), lengths):
        runs[t].append(_Run(start_i, local, n, n, n))
    return runs


#: Multiplier of a word's polynomial hash over its normalised UTF-8 bytes (odd, so invertible mod 2**64).
_WORD_BASE = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1
#: Texts up to this many bytes use the kept powers of `_WORD_BASE` (longer ones compute their own).
_POWERS_KEPT = 1 << 20
_powers: list[np.ndarray] = []  # [base ** i, base ** -i] for i < their length, mod 2**64


def _base_powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    """`_WORD_BASE` ** i and its inverse ** i for i < n, mod 2**64."""
    if _powers and len(_powers[0]) >= n:
        return _powers[0], _powers[1]
    size = max(n, 4096) if n <= _POWERS_KEPT else n
    with np.errstate(over="ignore"):
        up = np.full(size, _WORD_BASE, dtype=np.uint64)
        up[0] = 1
        down = np.full(size, pow(_WORD_BASE, -1, 1 << 64), dtype=np.uint64)
        down[0] = 1
        up, down = np.cumprod(up, dtype=np.uint64), np.cumprod(down, dtype=np.uint64)
    if n <= _POWERS_KEPT:
        _powers[:] = [up, down]
    return up, down


def word_id(token: str) -> int:
    """A normalised word as a 63-bit integer: its UTF-8 bytes b as sum(b[i] * base ** i) mod 2**64,
    halved (so no word is -1, `_maximal_runs`'s end of a text). `word_ids` gives the same numbers."""
    h = 0
    for byte in reversed(token.encode("utf-8", "surrogatepass")):
        h = (h * _WORD_BASE + byte) & _MASK64
    return h >> 1


def word_ids(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words of `text` (`words.norm_words`) as `word_id` numbers, with their start and end offsets.

    ASCII text (most wire copy) is numbered with numpy in one pass (each
    word's hash from prefix sums of its folded bytes times powers of the
    base); other text goes through `words` and `word_id`.
    """
    if text.isascii():
        raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        # Arithmetic on the bytes, not look-ups in 256-entry tables (numpy's gathers by uint8 index took
        # twice as long as the rest): a letter or digit with bit 0x20 set is its lower case, and only
        # the bytes inside words count in their hashes.
        folded = raw | np.uint8(0x20)
        mask = ((folded - np.uint8(ord("a"))) < 26) | ((raw - np.uint8(ord("0"))) < 10)
        edged = np.zeros(len(raw) + 2, dtype=bool)
        edged[1:-1] = mask
        edges = np.flatnonzero(edged[1:] != edged[:-1])  # a word's start, then its end, then the next's
        starts, ends = edges[0::2], edges[1::2]
        if not len(starts):
            return np.zeros(0, dtype=np.int64), starts, ends
        up, down = _base_powers(len(raw))
        with np.errstate(over="ignore"):
            prefix = np.zeros(len(raw) + 1, dtype=np.uint64)
            np.cumsum(folded * up[:len(raw)], dtype=np.uint64, out=prefix[1:])
            hashed = (prefix[ends] - prefix[starts]) * down[starts]
        return (hashed >> np.uint64(1)).astype(np.int64), starts, ends
    placed = words(text)
    return (np.fromiter((word_id(w.norm) for w in placed), dtype=np.int64, count=len(placed)),
            np.fromiter((w.start for w in placed), dtype=np.int64, count=len(placed)),
            np.fromiter((w.end for w in placed), dtype=np.int64, count=len(placed)))


def word_ids_many(texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """`word_ids` of each of `texts`; the ASCII ones numbered together, in one pass (a line break
    between two texts ends a word, so none runs from one into the next)."""
    out: list = [None] * len(texts)
    ascii_ = [i for i, t in enumerate(texts) if t.isascii()]
    for i, text in enumerate(texts):
        if out[i] is None and not text.isascii():
            out[i] = word_ids(text)
    if len(ascii_) == 1:
        out[ascii_[0]] = word_ids(texts[ascii_[0]])
    elif ascii_:
        parts = [texts[i] for i in ascii_]
        ids, starts, ends = word_ids("\n".join(parts))
        offsets = np.cumsum([0] + [len(t) + 1 for t in parts[:-1]])
        cuts = np.searchsorted(starts, offsets).tolist() + [len(starts)]
        for k, i in enumerate(ascii_):
            a, b = cuts[k], cuts[k + 1]
            out[i] = (ids[a:b].copy(), starts[a:b] - offsets[k], ends[a:b] - offsets[k])  # not views of all
    return out


def _runs_hold(runs: list[_Run], a_text: str, a_starts, a_ends, b_text: str, b_starts, b_ends) -> bool:
    """Whether each run's words are the same words in both texts, not only the same numbers."""
    for run in runs:
        a = a_text[int(a_starts[run.i]):int(a_ends[run.i + run.n - 1])]
        b = b_text[int(b_starts[run.j]):int(b_ends[run.j + run.m - 1])]
        if a != b and not _same_ascii_fold(a, b) and norm_words(a) != norm_words(b):
            return False
    return True


def _same_ascii_fold(a: str, b: str) -> bool:
    """Whether two ASCII texts differ only in case, so have the same `norm_words` without cutting
    them into words (on ASCII they are the words of the lower-cased text; copies that only change a
    sentence's first letter are common). Not so elsewhere: a mark that is no word character can fold
    to a letter."""
    return a.isascii() and b.isascii() and a.lower() == b.lower()


def _exact_runs(a_text: str, b_text: str) -> list[_Run]:
    """`_maximal_runs` of two texts with their words numbered in a vocabulary of their own."""
    vocab: dict[str, int] = {}
    a = np.array([vocab.setdefault(t, len(vocab)) for t in norm_words(a_text)], dtype=np.int64)
    b = np.array([vocab.setdefault(t, len(vocab)) for t in norm_words(b_text)], dtype=np.int64)
    return _maximal_runs(_Mine(a, MIN_WORDS), [b])[0]


class Verifier:
    """Verifies candidates (see `verify`), keeping what a run meets again.

    Words are numbers (`word_id`, a hash of the word: no vocabulary to
    keep, so nothing grows with the run), and a candidate's numbered words
    and their places are kept for the next new article that proposes it
    (the `cache` most recent ones, checked against the body they came
    from). Two different words could share a number; every run found is
    checked on the words themselves, and a pair where one does not hold is
    compared again with words numbered exactly.
    """

    def __init__(self, cache: int = 2048):
        self.cache_size = cache
        self._known: OrderedDict[str, list] = OrderedDict()  # id -> [body, word ids, starts, ends]
        self._fresh: dict[str, tuple] = {}  # candidates of the article being verified, numbered together
        self.hits = self.misses = 0

    def _holds(self, other_id: str, body: str) -> bool:
        known = self._known.get(other_id)
        return known is not None and known[0] == body

    def _number(self, texts: list[tuple[str, str]]) -> None:
        """Number the words of candidates not kept yet, together (`word_ids_many`), for `_other`."""
        self._fresh = {}
        if texts:
            for (other_id, body), numbered in zip(texts, word_ids_many([b for _, b in texts])):
                self._fresh[other_id] = (body, numbered)

    def _other(self, other_id: str, body: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        known = self._known.get(other_id)
        if known is not None and known[0] == body:
            self._known.move_to_end(other_id)
            self.hits += 1
            return known[1], known[2], known[3]
        self.misses += 1
        fresh = self._fresh.pop(other_id, None)
        ids, starts, ends = fresh[1] if fresh is not None and fresh[0] == body else word_ids(body)
        if self.cache_size:
            self._known[other_id] = [body, ids, starts, ends]
            if len(self._known) > self.cache_size:
                self._known.popitem(last=False)
        return ids, starts, ends

    def _mine(self, article_id: str, body: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The new article's numbered words, kept like a candidate's: the batch's later articles
        often propose it (they meet it as if it were stored)."""
        known = self._known.get(article_id)
        if known is not None and known[0] == body:
            self._known.move_to_end(article_id)
            return known[1], known[2], known[3]
        ids, starts, ends = word_ids(body)
        if self.cache_size:
            self._known[article_id] = [body, ids, starts, ends]
            if len(self._known) > self.cache_size:
                self._known.popitem(last=False)
        return ids, starts, ends

    def verify(self, article_id: str, body: str, others: Mapping[str, str],
               body_words: list[Word] | None = None) -> list[SharedWith]:
        """The candidates that really share passages of MIN_WORDS words or more with `body`.

        The same passages as `passages.passages_of_words` on each pair (the
        tests compare both), found on integer words with numpy: only the
        places where a k-gram key of the other text equals one of the new
        text are compared word by word. Verifying candidates one word tuple
        at a time was most of an ingest's time.
        """
        out: list[SharedWith] = []
        text = body or ""
        if body_words is not None:
            mine_ids = np.fromiter((word_id(w.norm) for w in body_words), dtype=np.int64, count=len(body_words))
            mine_starts = [w.start for w in body_words]
            mine_ends = [w.end for w in body_words]
        else:  # the words' places without a Word per word: only the passages' ends are looked up
            mine_ids, mine_starts, mine_ends = self._mine(article_id, text)
        if len(mine_ids) < MIN_WORDS:
            return out
        mine = _Mine(mine_ids, MIN_WORDS)
        texts, numbered = [], []
        ordered = [(i, b or "") for i, b in sorted(others.items()) if i != article_id]
        self._number([(i, b) for i, b in ordered if not self._holds(i, b)])
        for other_id, other_body in ordered:
            b_ids, b_starts, b_ends = self._other(other_id, other_body)
            if len(b_ids) >= MIN_WORDS:
                texts.append((other_id, other_body, b_starts, b_ends))
                numbered.append(b_ids)
        for (other_id, other_body, starts, ends), b_ids, runs in zip(texts, numbered, _maximal_runs(mine, numbered)):
            if not runs:
                continue  # most candidates share a fingerprint only: no need to place their words
            if not _runs_hold(runs, text, mine_starts, mine_ends, other_body, starts, ends):
                runs = _exact_runs(text, other_body)  # two words with one number (never seen yet)
                if not runs:
                    continue
            found = []
            for run in _join_gaps(_one_to_one(runs, len(mine.ids), len(b_ids)), MAX_GAP):
                a_start, a_end = int(mine_starts[run.i]), int(mine_ends[run.i + run.n - 1])
                found.append(Passage(a_start, a_end, int(starts[run.j]), int(ends[run.j + run.m - 1]),
                                     text[a_start:a_end], run.same))
            out.append(SharedWith(article_id, other_id, tuple(found)))
        return out


def verify(article_id: str, body: str, others: Mapping[str, str],
           body_words: list[Word] | None = None) -> list[SharedWith]:
    """The candidates that really share passages of MIN_WORDS words or more with `body` (`Verifier.verify`)."""
    return Verifier(cache=0).verify(article_id, body, others, body_words)
