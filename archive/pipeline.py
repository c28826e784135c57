"""Ingest: files -> readers -> extraction -> entities -> store (-> index).

This module is the library behind `ingest.py add`. It decides what work a
run has to do: a file whose size and modification time are unchanged is not
even opened, and one whose bytes hash the same is not re-read. Every failure
(a whole file, or one record) is collected with its path, record and reason,
and the run goes on. Index writing is passed in as a callable so that
`archive/` stays independent of `index/`.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, Sequence

from .document import Article, Entity, RawDocument
from .errors import BadRecord, UnreadableFile
from .extract import extract, teaches_furniture
from .extract.furniture import MAX_PAGES, FurnitureModel
from .readers import ReadOptions, discover, read
from .store import FileChanges, FileState, Store

#: Files are stored in groups of about this many articles, so that entity
#: extraction gets batches big enough for spaCy's pipe.
ENTITY_BATCH = 256

#: Files whose pages teach their folder its furniture.
TEXT_SUFFIXES = (".txt", ".text")


class EntityExtractorLike(Protocol):
    version: str

    def extract(self, articles: Sequence[Article]) -> list[tuple[Entity, ...]]: ...


class IndexFeedLike(Protocol):
    """Where stored changes go to be indexed (index.writer.IndexFeed)."""

    def stored(self, added: list[Article], updated: list[Article], removed: list[str]) -> None: ...

    def finish(self) -> tuple[int, int]: ...

    def abort(self) -> None: ...


class CoverageLike(Protocol):
    """Keeps story links and citations current (archive.coverage.ingest.CoverageStep)."""

    def stored(self, store: Store, written: list[Article], removed: list[str]) -> None: ...


class Progress:
    """Callbacks a front end can override to show progress; all no-ops."""

    def files_found(self, total: int) -> None: ...

    def file_done(self, path: str, articles: int) -> None: ...

    def failure(self, failure: "Failure") -> None: ...

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int) -> None: ...


@dataclass(frozen=True)
class Failure:
    path: str
    record: int | None
    reason: str

    def to_dict(self) -> dict:
        return {"path": self.path, "record": self.record, "reason": self.reason}

    def __str__(self) -> str:
        where = self.path if self.record is None else f"{self.path} (record {self.record})"
        return f"{where}: {self.reason}"


@dataclass
class IngestReport:
    files: int = 0
    files_unchanged: int = 0
    files_read: int = 0
    articles_read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    indexed: int = 0
    index_deleted: int = 0
    entity_runs: int = 0          # articles that went through NER (cache misses)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict:
        d = {k: v for k, v in self.__dict__.items() if k != "failures"}
        d["failed"] = len(self.failures)
        d["failures"] = [f.to_dict() for f in self.failures]
        return d


@dataclass(frozen=True)
class IngestOptions:
    read: ReadOptions = field(default_factory=ReadOptions)
    prune: bool = False


def display_path(path: Path | str) -> str:
    """A path as text that SQLite and terminals accept, even if not UTF-8.

    Undecodable bytes are shown as \\xNN escapes; the key stays stable for
    the same file, which is all the store needs.
    """
    text = os.fsdecode(os.path.abspath(path))
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def file_digest(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass
class _ReadFile:
    state: FileState
    articles: list[Article]
    failures: list[BadRecord]


class FolderFurniture:
    """Furniture models per folder, learnt from the folder's text files when first needed.

    A folder of copied pages is usually one site's, or one collection's; what
    its pages repeat is their furniture (see `archive.extract.furniture`). A
    model is learnt only when a text file of the folder is extracted, so a
    run over unchanged files reads nothing twice.
    """

    def __init__(self, paths: Sequence[Path], options: ReadOptions):
        self.options = options
        self._folders: dict[Path, list[Path]] = {}
        for path in paths:
            if path.suffix.lower() in TEXT_SUFFIXES:
                self._folders.setdefault(path.parent, []).append(path)
        self._models: dict[Path, FurnitureModel | None] = {}

    def model_for(self, path: Path, raw: RawDocument) -> FurnitureModel | None:
        if not teaches_furniture(raw):
            return None
        folder = path.parent
        if folder not in self._models:
            siblings = self._folders.get(folder, [])
            model = FurnitureModel.learn(self._texts(siblings)) if len(siblings) > 1 else None
            self._models[folder] = model or None
        return self._models[folder]

    def _texts(self, paths: list[Path]) -> Iterator[str]:
        for sibling in paths[:MAX_PAGES]:
            try:
                for raw in read(sibling, self.options):
                    if isinstance(raw, RawDocument) and teaches_furniture(raw):
                        yield raw.text
            except (UnreadableFile, OSError):
                continue  # reported when the file itself is read


class Ingest:
    """One ingest run over a store; `run(paths)` does the work."""

    def __init__(self, store: Store, options: IngestOptions = IngestOptions(),
                 entities: EntityExtractorLike | None = None,
                 index: Callable[[Store, Progress], IndexFeedLike] | None = None,
                 progress: Progress | None = None, coverage: CoverageLike | None = None):
        self.store = store
        self.coverage = coverage
        self.options = options
        self.entities = entities
        self.index = index
        self.progress = progress or Progress()
        self.report = IngestReport()
        self.feed: IndexFeedLike | None = None
        self._buffer: list[_ReadFile] = []
        self._extracted: dict[str, tuple[Entity, ...]] = {}
        self._furniture = FolderFurniture([], options.read)

    # -- the run -------------------------------------------------------------
    def run(self, paths: Iterable[os.PathLike | str]) -> IngestReport:
        started = time.perf_counter()
        paths = list(paths)
        found: list[Path] = []
        for item in discover(paths):
            if isinstance(item, UnreadableFile):
                self._fail(Failure(display_path(item.path), None, item.reason))
            else:
                found.append(item)
        self.report.files = len(found)
        self.progress.files_found(len(found))
        self._furniture = FolderFurniture(found, self.options.read)
        self.feed = self.index(self.store, self.progress) if self.index is not None else None
        try:
            seen: set[str] = set()
            for path in found:
                key = display_path(path)
                seen.add(key)
                self._ingest_file(path, key)
            self._flush()
            if self.options.prune:
                self._prune(paths, seen)
            if self.feed is not None:
                self.progress.stage("index")
                self.report.indexed, self.report.index_deleted = self.feed.finish()
        except BaseException:
            if self.feed is not None:
                self.feed.abort()
            raise
        self.report.seconds = time.perf_counter() - started
        return self.report

    def _ingest_file(self, path: Path, key: str) -> None:
        try:
            st = path.stat()
        except OSError as exc:
            self._fail(Failure(key, None, f"cannot read: {exc.strerror or exc}"))
            return
        known = self.store.file_state(key)
        if known and known.size == st.st_size and known.mtime_ns == st.st_mtime_ns:
            self._unchanged(known, key)
            return
        try:
            digest = file_digest(path)
        except OSError as exc:
            self._fail(Failure(key, None, f"cannot read: {exc.strerror or exc}"))
            return
        state = FileState(key, st.st_size, st.st_mtime_ns, digest)
        if known and known.digest == digest:
            self.store.touch_file(state)
            self._unchanged(known, key)
            return
        read_file = self._read(path, key, state)
        if read_file is None:
            return
        self.report.files_read += 1
        self._buffer.append(read_file)
        if sum(len(f.articles) for f in self._buffer) >= ENTITY_BATCH:
            self._flush()

    def _unchanged(self, known: FileState, key: str) -> None:
        self.report.files_unchanged += 1
        self.report.unchanged += known.articles
        self.progress.advance(known.articles)
        self.progress.file_done(key, known.articles)

    def _read(self, path: Path, key: str, state: FileState) -> _ReadFile | None:
        articles: list[Article] = []
        failures: list[BadRecord] = []
        try:
            for item in read(path, self.options.read):
                if isinstance(item, BadRecord):
                    failures.append(BadRecord(key, item.record, item.reason))
                    continue
                try:
                    article = extract(item, self._furniture.model_for(path, item))
                except BadRecord as bad:
                    failures.append(BadRecord(key, bad.record, bad.reason))
                    continue
                articles.append(_with_source(article, key))
                self.progress.advance(1)
                if self.entities is not None and len(articles) % ENTITY_BATCH == 0:
                    # a big file gets its entities chunk by chunk as it is read
                    self._attach_entities(articles[-ENTITY_BATCH:])
        except UnreadableFile as exc:
            self._fail(Failure(key, None, exc.reason))
            self.store.record_file_failure(key, exc.reason)
            return None
        except OSError as exc:  # vanished or lost permission half-way
            reason = f"cannot read: {exc.strerror or exc}"
            self._fail(Failure(key, None, reason))
            self.store.record_file_failure(key, reason)
            return None
        self.report.articles_read += len(articles)
        for bad in failures:
            self._fail(Failure(key, bad.record, bad.reason))
        return _ReadFile(state, articles, failures)

    def _flush(self) -> None:
        """Extract entities for the buffered files, then store each file."""
        if not self._buffer:
            return
        if self.entities is not None:
            self._attach_entities([a for f in self._buffer for a in f.articles])
        for read_file in self._buffer:
            articles = read_file.articles
            if self.entities is not None:
                articles = [self._entities_for(a) for a in articles]
            changes = self.store.store_file(read_file.state, articles, read_file.failures)
            if self.coverage is not None:
                self.coverage.stored(self.store, changes.written, changes.removed)
            self._count(changes)
            self._feed(changes)
            self.progress.file_done(read_file.state.path, len(articles))
        self._buffer = []
        self._extracted = {}

    def _attach_entities(self, articles: list[Article]) -> None:
        version = self.entities.version
        missing: dict[str, Article] = {}
        for article in articles:
            chash = article.content_hash
            if chash in missing or chash in self._extracted:
                continue
            cached = self.store.cached_entities(chash, version)
            if cached is None:
                missing[chash] = article
            else:
                self._extracted[chash] = cached
        if missing:
            results = self.entities.extract(list(missing.values()))
            self.report.entity_runs += len(missing)
            with self.store.transaction():
                for chash, ents in zip(missing, results):
                    self.store.cache_entities(chash, version, ents)
                    self._extracted[chash] = tuple(ents)

    def _entities_for(self, article: Article) -> Article:
        found = self._extracted.get(article.content_hash, ())
        return article.with_entities(self.store.readable_entities(found))

    def _feed(self, changes: FileChanges) -> None:
        if self.feed is None:
            return
        added = set(changes.added)
        self.feed.stored([a for a in changes.written if a.id in added],
                         [a for a in changes.written if a.id not in added], changes.removed)

    def _count(self, changes: FileChanges) -> None:
        self.report.added += len(changes.added)
        self.report.updated += len(changes.updated)
        self.report.unchanged += len(changes.unchanged)
        self.report.removed += len(changes.removed)

    def _prune(self, roots: Sequence[os.PathLike | str], seen: set[str]) -> None:
        """Forget files under the given roots that are gone from disk."""
        prefixes = [display_path(r) for r in roots]
        for key in self.store.known_files():
            if key in seen or not any(key == p or key.startswith(p.rstrip(os.sep) + os.sep)
                                      for p in prefixes):
                continue
            if not os.path.exists(key):
                removed = self.store.forget_file(key)
                self.report.removed += len(removed)
                if self.coverage is not None:
                    self.coverage.stored(self.store, [], removed)
                if self.feed is not None:
                    self.feed.stored([], [], removed)

    def _fail(self, failure: Failure) -> None:
        self.report.failures.append(failure)
        self.progress.failure(failure)


def _with_source(article: Article, key: str) -> Article:
    if article.source_path == key:
        return article
    return replace(article, source_path=key)


def reextract(store: Store, entities: EntityExtractorLike, progress: Progress | None = None,
              batch: int = ENTITY_BATCH) -> int:
    """Re-run entity extraction for every stored article (cache refreshed).

    Used after the model or the alias registry changed; articles whose
    entities come out the same stay untouched and keep their index entry.
    """
    progress = progress or Progress()
    progress.stage("entities", store.count())
    changed = 0
    chunk: list[Article] = []

    def run(chunk: list[Article]) -> int:
        results = entities.extract(chunk)
        n = 0
        with store.transaction():
            for article, ents in zip(chunk, results):
                store.cache_entities(article.content_hash, entities.version, ents)
                ents = store.readable_entities(ents)
                if tuple(ents) != article.entities:
                    store.put(article.with_entities(tuple(ents)))
                    n += 1
        progress.advance(len(chunk))
        return n

    for article in store.iter_articles():
        chunk.append(article)
        if len(chunk) >= batch:
            changed += run(chunk)
            chunk = []
    if chunk:
        changed += run(chunk)
    return changed
