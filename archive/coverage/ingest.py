"""Coverage at ingest: sign, link and read citations as articles are stored.

`CoverageStep` is what `archive.pipeline.Ingest` calls after storing each
file. It loads the story index from the stored signatures once per run (the
first time a file changes anything), so a run over unchanged files costs
nothing, and each new or changed article is compared only with its LSH
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

from ..document import Article
from ..store import Store
from . import borrowed
from . import store as coverage_store
from .attribution import article_citations
from .groups import StoryLinker
from .signatures import signature
from .storyindex import StoryIndex
from .words import words


class CoverageStep:
    """Keeps one archive's coverage up to date during an ingest run.

    `signed` counts signatures computed, `linker.verifications` exact text
    comparisons and `index.comparisons` signature comparisons: the figures
    that show a run did only the work its changes required.
    """

    def __init__(self) -> None:
        self.index: StoryIndex | None = None
        self.linker: StoryLinker | None = None
        self.signed = 0
        self.passage_checks = 0  # texts compared for shared passages
        self.repaired: list[tuple[str, str]] = []  # (article id, why its signature was redone)
        self.verifier = borrowed.Verifier()

    def load(self, store: Store) -> StoryIndex:
        """The story index of the stored signatures (loaded on first use)."""
        if self.index is None:
            coverage_store.ensure_schema(store)
            errors: list[tuple[str, str]] = []
            self.index = StoryIndex.from_pairs(coverage_store.stored_signatures(store), errors=errors)
            self.linker = StoryLinker(self.index, store.get_many)
            if errors:
                self._repair(store, errors)
            if not coverage_store.passages_current(store):
                self._refind_passages(store)
        return self.index

    def _refind_passages(self, store: Store) -> None:
        """Find every stored article's passages again (stored by other rules, or never)."""
        coverage_store.clear_passages(store)
        with store.transaction():
            for article in store.iter_articles():
                self._find_passages(store, article)

    def _repair(self, store: Store, errors: list[tuple[str, str]]) -> None:
        """Re-sign articles whose stored signature could not be read."""
        found = store.get_many([article_id for article_id, _ in errors])
        with store.transaction():
            for article_id, reason in errors:
                self.repaired.append((article_id, reason))
                if article_id in found:
                    self._cover(store, found[article_id])
                else:
                    coverage_store.forget(store, [article_id])

    def stored(self, store: Store, written: Sequence[Article], removed: Sequence[str]) -> None:
        """One stored file's changes: cover what was written, drop what was removed."""
        if not written and not removed:
            return
        index = self.load(store)
        with store.transaction():
            for article_id in removed:
                index.remove(article_id)
            coverage_store.forget(store, removed)
            for article in written:
                self._cover(store, article)

    def _cover(self, store: Store, article: Article) -> None:
        self.index.remove(article.id)  # its text may have changed
        sig = signature(article)
        self.signed += 1
        links = self.linker.add(article.id, article, sig)
        coverage_store.record(store, article.id, sig.to_bytes(), links, article_citations(article))
        self._find_passages(store, article)

    def _find_passages(self, store: Store, article: Article) -> None:
        """The passages `article` shares with stored ones (verified), kept with its fingerprints."""
        body_words = words(article.body or "")
        fps = borrowed.fingerprints_of([w.norm for w in body_words])
        holders = coverage_store.fingerprint_holders(store, fps)
        ids = borrowed.candidates(fps, holders, exclude=article.id)
        others = coverage_store.bodies(store, ids) if ids else {}
        self.passage_checks += len(others)
        shares = self.verifier.verify(article.id, article.body, others, body_words)
        kept = [fp for fp in fps if len(holders.get(fp, ())) <= borrowed.MAX_HOLDERS]
        coverage_store.record_passages(store, article.id, kept, shares)


def rebuild_coverage(store: Store, advance: Callable[[int], None] | None = None,
                     batch: int = 500) -> CoverageStep:
    """Recompute all coverage from the stored articles; the step, for its counts."""
    coverage_store.ensure_schema(store)
    coverage_store.clear(store)
    step = CoverageStep()
    step.load(store)
    for chunk in _chunks(store.iter_articles(), batch):
        step.stored(store, chunk, [])
        if advance is not None:
            advance(len(chunk))
    return step


def ensure_passages(store: Store) -> bool:
    """Recompute the borrowed passages if the stored ones are not this version's; True if it did."""
    coverage_store.ensure_schema(store)
    if coverage_store.passages_current(store):
        return False
    CoverageStep()._refind_passages(store)
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
