"""The story index: which stored articles might tell the same story as this one.

Locality-sensitive hashing over the MinHash signatures (datasketch's
`MinHashLSH`) puts every article in a few buckets; a new article is compared
only with the articles sharing a bucket with it, never with the whole
archive. Exact duplicates are also looked up by text fingerprint, so that two
identical texts are always candidates, however short.

The index lives in memory and is rebuilt from stored signatures
(`from_pairs` over any iterable of (article id, signature bytes), e.g. rows
of an SQLite table) or from a file written by `save`. `comparisons` counts
how many signature comparisons queries have made, which is what tests use to
show that adding an article stays incremental.
"""
from __future__ import annotations

import os
import sqlite3
import struct
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

import numpy as np
from datasketch import MinHashLSH

from .signatures import _HEADER, FORMAT_VERSION, NUM_PERM, BadSignature, Signature

#: Estimated Jaccard similarity at which the LSH buckets are tuned to catch
#: pairs. It sits well below the story-group threshold (see `groups.py`) so
#: that the MinHash estimate's error does not cost recall; false candidates
#: are removed by exact verification.
LSH_THRESHOLD = 0.35
#: Rows merged since the newest sorted generation was last rewritten are kept in small tables of
#: their own until those hold 1/FOLD_RATIO as many entries as it. Inserting every merge into
#: one big table rewrote it every 2,048 articles: 42 MB of keys and rows at 110,000 articles
#: (190 MB at 500,000) copied, old and new alive together, for each merge. Now an add of 10,000
#: into 110,000 never rewrites them, and a growing archive does so once per eighth of growth.
FOLD_RATIO = 8
#: Most bucket entries (rows x bands) in one sorted generation of the tables: a full one is never
#: rewritten again, and the next merges start a new one. One table for the whole archive was
#: rewritten, old and new copies alive together, at each eighth of growth: 2 x 170 MB near
#: 450,000 articles. Now a rewrite copies at most 32 MB; a query looks in one generation per
#: 131,072 articles (four at 500,000), each a vectorised search of its 32 band keys.
GENERATION_ENTRIES = 1 << 22
#: Rows per block of hash values (32 MB): a full block is never copied again (only the last one
#: doubles as it fills). One array doubled as it filled, copying 134 MB at 262,144 articles, old
#: and new copies alive together.
VALUE_BLOCK = 1 << 16
#: Signatures added before they are merged into the sorted bucket tables
#: (until then a query scans them all: a few thousand rows cost less than a merge).
MERGE_EVERY = 2048
_FNV = np.uint64(0x100000001B3)
_LOW32 = np.uint64(0xFFFFFFFF)
_THIRTY_TWO = np.uint64(32)


class StoryIndex:
    """Articles' signatures, bucketed so that similar ones meet.

    The same buckets as datasketch's `MinHashLSH` with this threshold and
    number of permutations (its band layout is read from it), kept in numpy
    arrays rather than in dictionaries of byte strings: a signature row of
    `num_perm` uint32 values, and per band a 32-bit key of its values and
    band number, all bands' keys in sorted tables with their rows (a few
    generations, see GENERATION_ENTRIES), plus the rows added since the last
    merge, scanned as they are.
    A key only proposes a row; the row's band values are then compared with
    the query's, so a key collision (within a band or across bands) never
    makes a candidate. About 0.8 kB per article instead of the 15 kB the
    dictionaries took (measured on 5,000 signatures), so an archive of half
    a million fits.
    """

    def __init__(self, threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.bands = lsh.b
        self.rows_per_band = lsh.r
        self._ranges = list(lsh.hashranges)
        self._blocks: list[np.ndarray] = []  # one row per signature ever added, VALUE_BLOCK rows a block
        self._alive = np.zeros(0, dtype=bool)
        self._n = 0
        self._ids: list[str | None] = []
        self._row: dict[str, int] = {}
        # per row, beside its hash values: shingle and word counts, the text fingerprint as an integer
        self._shingles = np.zeros(0, dtype=np.int64)
        self._words = np.zeros(0, dtype=np.int64)
        self._fps = np.zeros(0, dtype=np.uint64)
        self._unbucketed: dict[str, Signature] = {}  # empty texts' signatures: in no bucket
        # each band's hash starts from its own seed, so that one table holds all bands' keys
        self._band_seeds = (np.arange(1, self.bands + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15))
        # the merged rows' keys of every band and their fingerprints, each generation sorted (`_merge`)
        self._generations: list[_Tables] = []
        # the same four tables for the rows merged since the newest generation was last rewritten
        self._recent = _Tables.empty()
        self._tail_keys = np.zeros((MERGE_EVERY, self.bands), dtype=np.uint32)  # rows not merged yet
        self._merged = 0  # rows below this are in the sorted bucket table
        self._loading = False  # from_pairs: rows are merged once, at the end
        self.comparisons = 0

    def __len__(self) -> int:
        return len(self._row) + len(self._unbucketed)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._row or article_id in self._unbucketed

    def signature(self, article_id: str) -> Signature:
        row = self._row.get(article_id)
        if row is None:
            return self._unbucketed[article_id]
        return Signature(tuple(self._value_row(row).tolist()), int(self._shingles[row]),
                         int(self._words[row]), int(self._fps[row]).to_bytes(8, "little"))

    def _keys(self, values: np.ndarray) -> np.ndarray:
        """The bucket key of each band of each row of `values` (rows x bands): 32 bits hashed from
        the band's number and values, so all bands sort in one table (the keys of different bands
        may meet; the band values compared in `_bucket_mates` tell them apart)."""
        bands = values[:, :self.bands * self.rows_per_band].reshape(len(values), self.bands, self.rows_per_band)
        acc = np.broadcast_to(self._band_seeds, bands.shape[:2])
        with np.errstate(over="ignore"):
            for col in range(self.rows_per_band):
                acc = (acc ^ bands[:, :, col]) * _FNV
        return ((acc ^ (acc >> _THIRTY_TWO)) & _LOW32).astype(np.uint32)

    def _grow_blocks(self) -> None:
        """Room for more rows: the last block doubled (up to VALUE_BLOCK rows), else a new one."""
        last = self._blocks[-1] if self._blocks else None
        if last is None or len(last) == VALUE_BLOCK:
            self._blocks.append(np.zeros((min(1024, VALUE_BLOCK), self.num_perm), dtype=np.uint32))
        else:
            self._blocks[-1] = _grown(last, min(2 * len(last), VALUE_BLOCK), len(last))

    def _value_row(self, row: int) -> np.ndarray:
        return self._blocks[row // VALUE_BLOCK][row % VALUE_BLOCK]

    def _value_rows(self, rows: np.ndarray) -> np.ndarray:
        """The hash values of `rows` (any order), one row each."""
        if not len(rows):
            return np.zeros((0, self.num_perm), dtype=np.uint32)
        block = rows // VALUE_BLOCK
        if block.min() == block.max():
            return self._blocks[int(block[0])][rows % VALUE_BLOCK]
        out = np.empty((len(rows), self.num_perm), dtype=np.uint32)
        for b in np.unique(block).tolist():
            these = block == b
            out[these] = self._blocks[b][rows[these] % VALUE_BLOCK]
        return out

    def _value_span(self, start: int, stop: int) -> np.ndarray:
        """The hash values of rows start..stop-1 (a copy when they span blocks)."""
        if start // VALUE_BLOCK == (stop - 1) // VALUE_BLOCK:
            return self._blocks[start // VALUE_BLOCK][start % VALUE_BLOCK:(stop - 1) % VALUE_BLOCK + 1]
        return self._value_rows(np.arange(start, stop))

    @property
    def _values(self) -> np.ndarray:
        """Every row's hash values as one array (a copy: for tests and tools, not the index's work)."""
        return self._value_span(0, self._n) if self._n else np.zeros((0, self.num_perm), dtype=np.uint32)

    def add(self, article_id: str, sig: Signature | bytes) -> None:
        """Index one article (replacing its previous signature, if any)."""
        if isinstance(sig, (bytes, bytearray, memoryview)):
            sig = Signature.from_bytes(bytes(sig))
        if article_id in self:
            self.remove(article_id)
        if sig.empty:
            self._unbucketed[article_id] = sig
            return
        if not self._blocks or self._n == (len(self._blocks) - 1) * VALUE_BLOCK + len(self._blocks[-1]):
            self._grow_blocks()
        if self._n == len(self._alive):
            grown = max(1024, 2 * self._n)
            self._alive = _grown(self._alive, grown, self._n)
            self._shingles = _grown(self._shingles, grown, self._n)
            self._words = _grown(self._words, grown, self._n)
            self._fps = _grown(self._fps, grown, self._n)
        values = self._value_row(self._n)
        values[:] = sig.hashvalues
        self._alive[self._n] = True
        self._shingles[self._n], self._words[self._n] = sig.shingles, sig.words
        self._fps[self._n] = _fingerprint_key(sig.fingerprint)
        if not self._loading:
            self._tail_keys[self._n - self._merged] = self._keys(values[None, :])[0]
        self._row[article_id] = self._n
        self._ids.append(article_id)
        self._n += 1
        if not self._loading and self._n - self._merged >= MERGE_EVERY:
            self._merge()

    def _sorted(self, start: int, stop: int) -> "_Tables":
        """The tables of rows start..stop-1 alone."""
        keys = self._keys(self._value_span(start, stop)).ravel()
        rows = np.repeat(np.arange(start, stop, dtype=np.int32), self.bands)
        order = np.argsort(keys, kind="stable")
        fps = self._fps[start:stop]
        fp_order = np.argsort(fps, kind="stable")
        return _Tables(keys[order], rows[order], fps[fp_order], np.arange(start, stop, dtype=np.int32)[fp_order])

    def _merge(self) -> None:
        """Move the rows added since the last merge into the sorted bucket tables."""
        if not self._generations:  # the first merge (a load): generations of these rows, full but the last
            per = max(1, GENERATION_ENTRIES // self.bands)
            for start in range(self._merged, self._n, per):
                self._generations.append(self._sorted(start, min(start + per, self._n)))
            self._merged = self._n
            return
        if self._n == self._merged:
            return
        recent = self._recent.with_rows(*self._sorted(self._merged, self._n))
        newest = self._generations[-1]
        if len(recent.keys) * FOLD_RATIO <= len(newest.keys):
            self._recent = recent
        elif len(newest.keys) + len(recent.keys) <= GENERATION_ENTRIES:
            # the recent tables grew to a fraction of the newest generation: rewrite that, once
            self._generations[-1] = newest.with_rows(*recent)
            self._recent = _Tables.empty()
        else:  # the newest generation is full: the recent tables start the next one
            self._generations.append(recent)
            self._recent = _Tables.empty()
        self._merged = self._n

    def remove(self, article_id: str) -> None:
        row = self._row.pop(article_id, None)
        if row is None:
            self._unbucketed.pop(article_id, None)
            return
        self._alive[row] = False  # its bucket and fingerprint entries stay, pointing at a dead row
        self._ids[row] = None

    @property
    def _tables(self) -> list["_Tables"]:
        return [*self._generations, self._recent]

    def _same_text(self, fingerprint: bytes) -> set[str]:
        """Ids of the live (non-empty) signatures with this text fingerprint: exact duplicates."""
        key = np.uint64(_fingerprint_key(fingerprint))
        rows = [r for tables in self._tables for r in tables.rows_of_fp(key)]
        if self._n > self._merged:
            rows += (np.flatnonzero(self._fps[self._merged:self._n] == key) + self._merged).tolist()
        return {self._ids[r] for r in rows if self._alive[r]}

    def _bucket_mates(self, values: np.ndarray) -> np.ndarray:
        """Rows of live signatures sharing at least one whole band with `values` (what MinHashLSH.query finds)."""
        keys = self._keys(values[None, :])[0]
        found = [rows for tables in self._tables for rows in tables.rows_of_keys(keys)]
        tail = self._n - self._merged
        if tail:
            found.append(np.flatnonzero((self._tail_keys[:tail] == keys).any(axis=1)) + self._merged)
        if not found:
            return np.zeros(0, dtype=np.int64)
        rows = np.unique(np.concatenate(found))
        rows = rows[self._alive[rows]]
        if not len(rows):
            return rows
        mine = self._value_rows(rows)[:, :self.bands * self.rows_per_band].reshape(
            len(rows), self.bands, self.rows_per_band)
        query = values[:self.bands * self.rows_per_band].reshape(self.bands, self.rows_per_band)
        return rows[(mine == query).all(axis=2).any(axis=1)]  # the key proposed; the band's values decide

    def candidates(self, sig: Signature | bytes, exclude: str | None = None) -> list[str]:
        """Ids of indexed articles whose text may overlap enough with `sig`'s.

        Bucket mates whose estimated similarity falls far below the LSH
        threshold are dropped here, so that verification reads few texts.
        Exact duplicates come first, then the rest by estimated similarity.
        """
        if isinstance(sig, (bytes, bytearray, memoryview)):
            sig = Signature.from_bytes(bytes(sig))
        if sig.empty:
            return []
        same = self._same_text(sig.fingerprint)
        values = np.asarray(sig.hashvalues, dtype=np.uint32)
        rows = self._bucket_mates(values)
        scored = []
        if len(rows):
            equal = np.count_nonzero(self._value_rows(rows) == values, axis=1)
            for row, n in zip(rows.tolist(), equal.tolist()):
                other_id = self._ids[row]
                if other_id in same:
                    continue
                self.comparisons += 1
                estimate = float(n) / len(values)
                if estimate >= self.threshold / 2:
                    scored.append((-estimate, other_id))
        scored.sort()
        ordered = sorted(same) + [other_id for _, other_id in scored]
        return [i for i in ordered if i != exclude]

    def estimates(self, sig: Signature, ids: Iterable[str]) -> dict[str, float]:
        return {i: sig.estimate(self.signature(i)) for i in ids if i in self}

    # --- persistence -------------------------------------------------------

    def items(self) -> Iterator[tuple[str, bytes]]:
        """(article id, signature bytes) for every indexed article."""
        for article_id in [*self._row, *self._unbucketed]:
            yield article_id, self.signature(article_id).to_bytes()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, bytes]], threshold: float = LSH_THRESHOLD,
                   errors: list[tuple[str, str]] | None = None) -> "StoryIndex":
        """An index of stored signatures; unreadable ones go to `errors`.

        A damaged row must not stop the archive from loading the others, so
        it is reported as (article id, reason) when `errors` is given and
        skipped either way.
        """
        index = cls(threshold=threshold)
        pairs = [(article_id, bytes(data)) for article_id, data in pairs]
        if not index._load_all(pairs, errors):
            index._loading = True
            for article_id, data in pairs:
                try:
                    index.add(article_id, Signature.from_bytes(data))
                except BadSignature as exc:
                    if errors is not None:
                        errors.append((article_id, str(exc)))
            index._loading = False
        index._merge()
        return index

    def _load_all(self, pairs: list[tuple[str, bytes]], errors: list[tuple[str, str]] | None) -> bool:
        """`from_pairs` into an empty index in one pass of numpy over all the signatures' bytes;
        False (nothing loaded) when only adding them one by one gives the same index.

        What adding each would do, in the same rows: readable signatures of
        this index's size become rows in their order, empty texts' go
        unbucketed, unreadable ones to `errors`. Adding them one by one took
        3.3 s CPU for 110,000 stored signatures, before every `add` into the
        archive. Ids given twice (the later one replaces the earlier) and
        readable signatures of another size take the one-by-one way.
        """
        if len({article_id for article_id, _ in pairs}) != len(pairs):
            return False
        size = _RECORD_HEAD + 4 * self.num_perm
        whole, bad = [], []
        for k, (article_id, data) in enumerate(pairs):
            if len(data) == size and data[0] == FORMAT_VERSION and _PERMS.unpack_from(data, 1)[0] == self.num_perm:
                whole.append(k)
                continue
            try:
                Signature.from_bytes(data)
            except BadSignature as exc:
                bad.append((article_id, str(exc)))
                continue
            return False
        records = np.frombuffer(b"".join(pairs[k][1] for k in whole), dtype=_record_dtype(self.num_perm))
        empty = records["shingles"] == 0
        for k in np.flatnonzero(empty).tolist():
            article_id, data = pairs[whole[k]]
            self._unbucketed[article_id] = Signature.from_bytes(data)
        kept = records[~empty] if empty.any() else records  # no copy of every signature (2 s at 510k)
        self._n = n = len(kept)
        # room for an add of an eighth of the archive without copying the rows (pages of the
        # room stay untouched, so not resident, until rows are written there)
        room = n + max(1024, n // 8)
        self._blocks = []
        for start in range(0, n, VALUE_BLOCK):
            part = kept["values"][start:start + VALUE_BLOCK]
            block = np.zeros((VALUE_BLOCK if start + VALUE_BLOCK < n else min(VALUE_BLOCK, room - start),
                              self.num_perm), dtype=np.uint32)
            block[:len(part)] = part
            self._blocks.append(block)
        self._alive = np.zeros(room, dtype=bool)
        self._alive[:n] = True
        self._shingles, self._words = np.zeros(room, dtype=np.int64), np.zeros(room, dtype=np.int64)
        self._shingles[:n], self._words[:n] = kept["shingles"], kept["words"]
        self._fps = np.zeros(room, dtype=np.uint64)
        self._fps[:n] = kept["fingerprint"]
        self._ids = [pairs[whole[k]][0] for k in np.flatnonzero(~empty).tolist()]
        self._row = {article_id: row for row, article_id in enumerate(self._ids)}
        if errors is not None:
            errors.extend(bad)
        return True

    def save(self, path: str | os.PathLike) -> None:
        """Write all signatures to an SQLite file at `path` (replacing it)."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.unlink(missing_ok=True)
        con = sqlite3.connect(tmp)
        try:
            con.execute("CREATE TABLE signatures (article_id TEXT PRIMARY KEY, signature BLOB NOT NULL)")
            con.executemany("INSERT INTO signatures VALUES (?, ?)", self.items())
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: str | os.PathLike, threshold: float = LSH_THRESHOLD,
             errors: list[tuple[str, str]] | None = None) -> "StoryIndex":
        con = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT article_id, signature FROM signatures").fetchall()
        finally:
            con.close()
        return cls.from_pairs(rows, threshold=threshold, errors=errors)


#: A stored signature's bytes (`Signature.to_bytes`): format, permutations, shingles, words and
#: the 8-byte text fingerprint (read here as the integer `_fingerprint_key` makes of it), then the hash values.
_RECORD_HEAD = _HEADER.size
_PERMS = struct.Struct("<H")


def _record_dtype(num_perm: int) -> np.dtype:
    return np.dtype([("version", "u1"), ("num_perm", "<u2"), ("shingles", "<u4"), ("words", "<u4"),
                     ("fingerprint", "<u8"), ("values", "<u4", (num_perm,))])


class _Tables(NamedTuple):
    """Sorted bucket keys with their rows, and sorted fingerprints with theirs."""

    keys: np.ndarray
    rows: np.ndarray
    fps: np.ndarray
    fp_rows: np.ndarray

    @classmethod
    def empty(cls) -> "_Tables":
        return cls(np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int32),
                   np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int32))

    def rows_of_fp(self, key: np.uint64) -> list[int]:
        """The rows whose text fingerprint is `key`."""
        lo = np.searchsorted(self.fps, key, side="left")
        hi = np.searchsorted(self.fps, key, side="right")
        return self.fp_rows[lo:hi].tolist()

    def rows_of_keys(self, keys: np.ndarray) -> list[np.ndarray]:
        """For each bucket key of `keys` found here, the rows in that bucket."""
        lo = np.searchsorted(self.keys, keys, side="left")
        hi = np.searchsorted(self.keys, keys, side="right")
        return [self.rows[x:y] for x, y in zip(lo.tolist(), hi.tolist()) if y > x]

    def with_rows(self, keys, rows, fps, fp_rows) -> "_Tables":
        """These tables with more entries (each sorted) merged in; equal keys keep insertion order."""
        at = np.searchsorted(self.keys, keys, side="right")
        fp_at = np.searchsorted(self.fps, fps, side="right")
        return _Tables(np.insert(self.keys, at, keys.astype(np.uint32)), np.insert(self.rows, at, rows.astype(np.int32)),
                       np.insert(self.fps, fp_at, fps), np.insert(self.fp_rows, fp_at, fp_rows.astype(np.int32)))


def _grown(array: np.ndarray, size: int, used: int) -> np.ndarray:
    """`array` in a new one of `size` rows, its first `used` rows copied."""
    out = np.zeros((size, *array.shape[1:]), dtype=array.dtype)
    out[:used] = array[:used]
    return out


def _fingerprint_key(fingerprint: bytes) -> int:
    """A text fingerprint (8 bytes, as signatures keep it) as an integer."""
    return int.from_bytes(fingerprint.ljust(8, b"\0")[:8], "little")
