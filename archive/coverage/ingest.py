"""Coverage at ingest: sign, link and read citations as articles are stored.

`CoverageStep` is what `archive.pipeline.Ingest` calls after storing each
file. It loads the story index from the stored signatures once per run (the
first time a file changes anything), so a run over unchanged files costs
nothing, and each new or changed article is compared only with its LSH
candidates (`StoryLinker`), never with the whole archive. `rebuild_coverage`
recomputes everything from the stored articles, for archives ingested
without coverage or after the rules changed.
"""
from __future__ import annotations

from typing import Callable, Iterable, Sequence

from ..document import Article
from ..store import Store
from . import store as coverage_store
from .attribution import article_citations
from .groups import StoryLinker
from .signatures import signature
from .storyindex import StoryIndex


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
        self.repaired: list[tuple[str, str]] = []  # (article id, why its signature was redone)

    def load(self, store: Store) -> StoryIndex:
        """The story index of the stored signatures (loaded on first use)."""
        if self.index is None:
            coverage_store.ensure_schema(store)
            errors: list[tuple[str, str]] = []
            self.index = StoryIndex.from_pairs(coverage_store.stored_signatures(store), errors=errors)
            self.linker = StoryLinker(self.index, store.get_many)
            if errors:
                self._repair(store, errors)
        return self.index

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


def _chunks(items: Iterable[Article], size: int) -> Iterable[list[Article]]:
    chunk: list[Article] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
