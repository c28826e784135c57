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
from pathlib import Path
from typing import Iterable, Iterator

from datasketch import MinHashLSH

from .signatures import NUM_PERM, BadSignature, Signature

#: Estimated Jaccard similarity at which the LSH buckets are tuned to catch
#: pairs. It sits well below the story-group threshold (see `groups.py`) so
#: that the MinHash estimate's error does not cost recall; false candidates
#: are removed by exact verification.
LSH_THRESHOLD = 0.35


class StoryIndex:
    """Articles' signatures, bucketed so that similar ones meet."""

    def __init__(self, threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._signatures: dict[str, Signature] = {}
        self._by_fingerprint: dict[bytes, set[str]] = {}
        self.comparisons = 0

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._signatures

    def signature(self, article_id: str) -> Signature:
        return self._signatures[article_id]

    def add(self, article_id: str, sig: Signature | bytes) -> None:
        """Index one article (replacing its previous signature, if any)."""
        if isinstance(sig, (bytes, bytearray, memoryview)):
            sig = Signature.from_bytes(bytes(sig))
        if article_id in self._signatures:
            self.remove(article_id)
        self._signatures[article_id] = sig
        if sig.empty:
            return
        self._by_fingerprint.setdefault(sig.fingerprint, set()).add(article_id)
        self._lsh.insert(article_id, sig.minhash(), check_duplication=False)

    def remove(self, article_id: str) -> None:
        sig = self._signatures.pop(article_id, None)
        if sig is None or sig.empty:
            return
        same = self._by_fingerprint.get(sig.fingerprint)
        if same is not None:
            same.discard(article_id)
            if not same:
                del self._by_fingerprint[sig.fingerprint]
        self._lsh.remove(article_id)

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
        same = set(self._by_fingerprint.get(sig.fingerprint, ()))
        found = set(self._lsh.query(sig.minhash())) - same
        scored = []
        for other_id in found:
            self.comparisons += 1
            estimate = sig.estimate(self._signatures[other_id])
            if estimate >= self.threshold / 2:
                scored.append((-estimate, other_id))
        scored.sort()
        ordered = sorted(same) + [other_id for _, other_id in scored]
        return [i for i in ordered if i != exclude]

    def estimates(self, sig: Signature, ids: Iterable[str]) -> dict[str, float]:
        return {i: sig.estimate(self._signatures[i]) for i in ids if i in self._signatures}

    # --- persistence -------------------------------------------------------

    def items(self) -> Iterator[tuple[str, bytes]]:
        """(article id, signature bytes) for every indexed article."""
        for article_id, sig in self._signatures.items():
            yield article_id, sig.to_bytes()

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, bytes]], threshold: float = LSH_THRESHOLD,
                   errors: list[tuple[str, str]] | None = None) -> "StoryIndex":
        """An index of stored signatures; unreadable ones go to `errors`.

        A damaged row must not stop the archive from loading the others, so
        it is reported as (article id, reason) when `errors` is given and
        skipped either way.
        """
        index = cls(threshold=threshold)
        for article_id, data in pairs:
            try:
                index.add(article_id, Signature.from_bytes(bytes(data)))
            except BadSignature as exc:
                if errors is not None:
                    errors.append((article_id, str(exc)))
        return index

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
