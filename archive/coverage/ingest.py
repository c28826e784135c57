"""Coverage at ingest: sign, link and read citations as articles are stored.

`CoverageStep` is what `archive.pipeline.Ingest` calls after storing each
batch, in the batch's transaction. It loads the story index from the stored
signatures once per run (before the first batch is stored), so a run over
unchanged files costs nothing, and each new or changed article is compared only with its LSH
candidates (`StoryLinker`), never with the whole archive. Borrowed passages
are found the same way, from the stored passage fingerprints
(`borrowed.py`): a new article is verified against the few articles sharing
most of its fingerprints, and a passage it shares with an older article is
stored once and read from both sides. `rebuild_coverage` recomputes
everything from the stored articles, for archives ingested without coverage
or after the rules changed; `ensure_passages` recomputes the passages only,
when the archive's were found by other rules (or not at all).
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

import numpy as np

from ..document import Article
from ..store import Store
from . import borrowed
from . import store as coverage_store
from .groups import StoryLinker
from .storyindex import StoryIndex
from .work import Check, Workers, body_fingerprints

#: Stored articles whose passages are found again together (`ensure_passages`).
REFIND_BATCH = 2000
#: Page cache (MiB) of the store's connection while coverage works on it. SQLite's default is
#: 2 MiB, and each batch probes the fingerprint holders and inserts passage, link and citation
#: rows at random places of B-trees far bigger than that, re-reading their pages for every
#: statement. Covering 2,000 new articles on top of 100,000 covered ones, the store's part of
#: coverage took 5.18 ms CPU per article at 2 MiB and 3.78 at 64 MiB (at 10,000: 1.40-1.53
#: against 1.03-1.17). A fixed allowance: it does not grow with the archive past 64 MiB.
STORE_CACHE_MB = 64


class CoverageStep:
    """Keeps one archive's coverage up to date during an ingest run.

    `signed` counts signatures computed, `linker.verifications` exact text
    comparisons and `index.comparisons` signature comparisons: the figures
    that show a run did only the work its changes required.

    A stored batch is covered in three passes (see `work.py` for why): the
    articles' signatures, fingerprints and citations are computed (in
    worker processes for big batches); then, in order, each article meets
    its story-index candidates and its passage candidates, the fingerprint
    holders of the whole batch read with one query and those of the
    batch's earlier articles kept in memory, so each article sees exactly
    what it would have seen had the batch been covered one article at a
    time; then the candidates are verified (in workers again) and
    everything is written with one statement per table.
    """

    def __init__(self, processes: int | None = None) -> None:
        self.index: StoryIndex | None = None
        self.linker: StoryLinker | None = None
        self.signed = 0
        self.passage_checks = 0  # texts compared for shared passages
        self.repaired: list[tuple[str, str]] = []  # (article id, why its signature was redone)
        self.verifier = borrowed.Verifier()
        self.workers = Workers(processes, self.verifier)

    def load(self, store: Store) -> StoryIndex:
        """The story index of the stored signatures (loaded on first use)."""
        if self.index is None:
            self.workers.start()  # forked before the index fills this process
            store.db.execute(f"PRAGMA cache_size=-{STORE_CACHE_MB * 1024}")
            coverage_store.ensure_schema(store)
            coverage_store.ensure_read_indexes(store)
            errors: list[tuple[str, str]] = []
            self.index = StoryIndex.from_pairs(coverage_store.stored_signatures(store), errors=errors)
            self.linker = StoryLinker(self.index, store.get_many)
            if errors:
                self._repair(store, errors)
            coverage_store.upgrade_passages(store)
            if not coverage_store.passages_current(store):
                self._refind_passages(store)
        return self.index

    def close(self) -> None:
        """Stop the worker processes, if any were started."""
        self.workers.close()

    def expect(self, articles: Sequence[Article]) -> None:
        """Articles the next `stored` will probably cover: their signatures are started now, in
        the workers, while the caller goes on reading (`Workers.sign_ahead`)."""
        self.workers.sign_ahead(articles)

    def _refind_passages(self, store: Store) -> None:
        """Find every stored article's passages again (stored by other rules, or never)."""
        coverage_store.clear_passages(store)
        with store.transaction():
            for chunk in _chunks(store.iter_articles(), REFIND_BATCH):
                self._passages(store, chunk, [body_fingerprints(a) for a in chunk])()

    def _repair(self, store: Store, errors: list[tuple[str, str]]) -> None:
        """Re-sign articles whose stored signature could not be read."""
        found = store.get_many([article_id for article_id, _ in errors])
        with store.transaction():
            coverage_store.forget(store, [i for i, _ in errors if i not in found])
            self.repaired.extend(errors)
            self._cover(store, [found[i] for i, _ in errors if i in found])

    def stored(self, store: Store, written: Sequence[Article], removed: Sequence[str]) -> None:
        """One stored batch's changes: cover what was written, drop what was removed."""
        if not written and not removed:
            return
        index = self.load(store)
        try:
            with store.transaction():
                for article_id in removed:
                    index.remove(article_id)
                coverage_store.forget(store, removed)
                self._cover(store, written)
        finally:
            self.workers.drop_ahead()  # expected, but stored unchanged

    def _cover(self, store: Store, articles: Sequence[Article]) -> None:
        """Sign, link, find the passages of and record `articles`, in their order.

        The workers verify the passage candidates while this process links
        the articles and records their links and citations.
        """
        if not articles:
            return
        ids = [a.id for a in articles]
        for article_id in ids:
            self.index.remove(article_id)  # their texts may have changed
        coverage_store.forget(store, ids)
        signed = self.workers.sign(articles)
        self.signed += len(signed)
        record_passages = self._passages(store, articles, [s.fingerprints for s in signed])
        links = [self.linker.add(a.id, a, s.signature) for a, s in zip(articles, signed)]
        coverage_store.record_many(store, [(a.id, s.signature.to_bytes(), found, s.citations)
                                           for a, s, found in zip(articles, signed, links)])
        record_passages()

    def _passages(self, store: Store, articles: Sequence[Article], fingerprints: Sequence[tuple[int, ...]]
                  ) -> Callable[[], None]:
        """Start verifying the passages `articles` share with stored ones and with each other; what
        then records them, with their fingerprints."""
        checks: list[Check] = []
        kept: dict[str, Sequence[int]] = {}
        ids = [a.id for a in articles]
        numbered: dict[str, int] = {}  # the stored candidates' passage numbers, for storing their passages

        def named(numbers: list[int]) -> dict[int, str]:
            found = coverage_store.passage_articles_named(store, numbers)
            numbered.update((article_id, n) for n, article_id in found.items())
            return found

        crowded: np.ndarray | Sequence[int] = ()
        if len(set(ids)) == len(ids):
            asked = np.unique(np.fromiter((fp for fps in fingerprints for fp in fps), dtype=np.int64))
            skipped = coverage_store.crowded_fingerprints(store, asked)  # their holders are not read
            held_fp, held_n = coverage_store.holder_arrays(store, np.setdiff1d(asked, skipped, assume_unique=True))
            ranked, found = borrowed.follow_batch(ids, fingerprints, held_fp, held_n, named, crowded=skipped)
            crowded = borrowed.crowded_after(held_fp, found)
            del held_fp, held_n, asked, skipped
            kept = dict(zip(ids, found))
            checks = [(a.id, a.body or "", r) for a, r in zip(articles, ranked)]
        else:  # an article twice in one batch: one at a time, each copy meeting the one before
            holders = coverage_store.fingerprint_holders(store, {fp for fps in fingerprints for fp in fps})
            for article, fps in zip(articles, fingerprints):
                ranked, found = borrowed.follow(fps, holders, article.id)
                kept.setdefault(article.id, []).extend(found)
                checks.append((article.id, article.body or "", ranked))
        known = {a.id: a.body or "" for a in articles}  # the batch's, then every stored one read
        readable: set[str] = set()  # candidates with a body: the ones verified

        def bodies_of(wanted: set[str]) -> dict[str, str]:
            """Bodies of one chunk's candidates, each stored one read once per batch (chunks share candidates)."""
            known.update(coverage_store.bodies(store, [i for i in wanted if i not in known]))
            bodies = {i: known[i] for i in wanted if i in known}
            readable.update(bodies)
            return bodies

        shares = self.workers.verify_soon(checks, bodies_of)

        def record() -> None:
            found = [s for found in shares() for s in found]
            self.passage_checks += sum(1 for _, _, others in checks for o in others if o in readable)
            coverage_store.record_kept_passages(store, kept, found, numbered, crowded)
        return record


def rebuild_coverage(store: Store, advance: Callable[[int], None] | None = None,
                     batch: int = 500) -> CoverageStep:
    """Recompute all coverage from the stored articles; the step, for its counts."""
    coverage_store.ensure_schema(store)
    coverage_store.clear(store)
    step = CoverageStep()
    try:
        step.load(store)
        for chunk in _chunks(store.iter_articles(), batch):
            step.stored(store, chunk, [])
            if advance is not None:
                advance(len(chunk))
    finally:
        step.close()
    return step


def ensure_passages(store: Store) -> bool:
    """Recompute the borrowed passages if the stored ones are not this version's; True if it did."""
    coverage_store.ensure_schema(store)
    coverage_store.ensure_read_indexes(store)
    if coverage_store.upgrade_passages(store) or coverage_store.passages_current(store):
        return False
    step = CoverageStep()
    try:
        step._refind_passages(store)
    finally:
        step.close()
    return True


def _chunks(items: Iterable[Article], size: int) -> Iterable[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
