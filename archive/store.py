"""The store of record: every article, its provenance and extraction caches.

SQLite in WAL mode, so that the web app can read while an ingest writes.
The store is the truth and the index is derived from it: each article row
carries an `indexed` flag that is cleared whenever the row changes and set
only after the index has committed it, and deletions wait in
`pending_deletes` until the index has dropped them. A crash between the two
commits therefore leaves work to redo, never a silent difference.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from slugify import slugify

from .document import Article, Entity
from .errors import ArchiveError, ArticleNotFound, BadRecord
from .ids import disambiguate
from .seal import unchanged_since_sealed

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id           TEXT PRIMARY KEY,
    source_path  TEXT NOT NULL,
    record       INTEGER,
    content_hash TEXT NOT NULL,
    title        TEXT NOT NULL,
    outlet       TEXT,
    outlet_slug  TEXT,
    date         TEXT,
    news_id      TEXT,
    lang         TEXT,
    data         TEXT NOT NULL,
    indexed      INTEGER NOT NULL DEFAULT 0,
    updated_at   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_source ON articles(source_path, record);
CREATE INDEX IF NOT EXISTS articles_pending ON articles(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS files (
    path        TEXT PRIMARY KEY,
    size        INTEGER NOT NULL,
    mtime_ns    INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    articles    INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (
    path   TEXT NOT NULL,
    record INTEGER,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS failures_by_path ON failures(path);
CREATE TABLE IF NOT EXISTS pending_deletes (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS entity_cache (
    content_hash TEXT NOT NULL,
    extractor    TEXT NOT NULL,
    data         TEXT NOT NULL,
    PRIMARY KEY (content_hash, extractor)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS file_runs (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest   TEXT NOT NULL,
    done     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS file_seen (
    path TEXT NOT NULL,
    id   TEXT NOT NULL,
    PRIMARY KEY (path, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_slugs (
    key  TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);
"""


class StoreDamaged(ArchiveError):
    """The SQLite file of the store is damaged: what SQLite's own check says, and what to do."""

    def __init__(self, path: Path | str, report: str):
        super().__init__(f"the store {path} is damaged (PRAGMA integrity_check: {report}); nothing was "
                         "written. Restore the file from a backup, or add the source files into a new data folder")
        self.path = Path(path)
        self.report = report


def is_damage(exc: sqlite3.DatabaseError) -> bool:
    """Whether an SQLite error means a damaged file (not a busy, full or read-only one)."""
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or type(exc) is sqlite3.DatabaseError


@dataclass(frozen=True)
class FileState:
    """What the store remembers of a source file, to skip it when unchanged."""

    path: str
    size: int
    mtime_ns: int
    digest: str
    articles: int = 0


@dataclass
class FileChanges:
    """What storing one file's articles changed."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    removed: list[str]
    written: list[Article] = field(default_factory=list)  # added + updated, ids as stored
    #: Added ids that were waiting in `pending_deletes` (removed, then stored again before the index
    #: dropped them): the index may still hold their old document, unlike the other added ones.
    readded: list[str] = field(default_factory=list)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _encode(article: Article) -> str:
    """An article's row data: its fields as JSON, the original text left out when it is the body.

    A record of JSON Lines or CSV is usually clean text already, so its
    original is its body, and the row held the same text twice: 5.4 of a
    scale-corpus row's kB, more than a 4 kB page, so every row read for its
    body (coverage reads thousands per batch) spilled into overflow pages.
    """
    d = article.to_dict()
    if d["original"] == d["body"]:
        del d["original"]
    return json.dumps(d, ensure_ascii=False, sort_keys=True)


def _decode(data: str) -> Article:
    """The article of a row's data (`_encode`), from rows written with or without an original."""
    d = json.loads(data)
    if "original" not in d:
        d["original"] = d.get("body", "")
    return Article.from_dict(d)


class Store:
    """The SQLite store. Use as a context manager; commits are explicit."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=60, isolation_level=None,
                                  check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def transaction(self):
        """`with store.transaction():` -- all or nothing."""
        return _Transaction(self.db)

    def snapshot(self):
        """`with store.snapshot():` -- every read in the block sees one committed state.

        A read transaction (WAL mode: writers go on meanwhile, unseen). Inside
        a transaction already, it is that transaction.
        """
        return _Transaction(self.db, begin="BEGIN DEFERRED", first_read=True)

    # -- reading ----------------------------------------------------------
    def get(self, article_id: str) -> Article:
        row = self.db.execute("SELECT data FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise ArticleNotFound(article_id)
        return _decode(row[0])

    def get_many(self, ids: Sequence[str]) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for chunk in _chunks(list(ids), 500):
            marks = ",".join("?" * len(chunk))
            for aid, data in self.db.execute(
                    f"SELECT id, data FROM articles WHERE id IN ({marks})", chunk):
                out[aid] = _decode(data)
        return out

    def __contains__(self, article_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def __iter__(self) -> Iterator[Article]:
        return self.iter_articles()

    def iter_articles(self, batch: int = 1000) -> Iterator[Article]:
        """Every article, in id order, read in batches to bound memory."""
        last = ""
        while True:
            rows = self.db.execute(
                "SELECT id, data FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)).fetchall()
            if not rows:
                return
            for aid, data in rows:
                yield _decode(data)
            last = rows[-1][0]

    def ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY id")]

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def original(self, article_id: str) -> str:
        return self.get(article_id).original

    # -- files --------------------------------------------------------------
    def file_state(self, path: str) -> FileState | None:
        row = self.db.execute(
            "SELECT path, size, mtime_ns, digest, articles FROM files WHERE path = ?", (path,)).fetchone()
        return FileState(*row) if row else None

    def touch_file(self, state: FileState) -> None:
        """Remember a new mtime for a file whose content did not change."""
        self.db.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?",
                        (state.size, state.mtime_ns, state.path))

    def known_files(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM files ORDER BY path")]

    def store_file(self, state: FileState, articles: Iterable[Article],
                   failures: Iterable[BadRecord] = ()) -> FileChanges:
        """Make the store hold exactly `articles` for this file, in one transaction.

        Articles already stored with identical data stay untouched (and stay
        indexed); changed ones are rewritten and flagged for indexing; ones
        the file no longer yields are removed and queued for index deletion.
        """
        with self.transaction():
            self.begin_file(state, resume=False)
            changes = self.store_batch(state, articles, failures, done=0)
            changes.removed.extend(self.finish_file(state))
        return changes

    # A big file is stored batch by batch (`begin_file`, `store_batch`...,
    # `finish_file`). `file_runs` says how many of its records are in, and
    # `file_seen` which ids this pass gave, so that a run killed half-way
    # resumes after the last committed batch, and only at the end are the
    # articles the file no longer yields removed.

    def begin_file(self, state: FileState, resume: bool = True) -> int:
        """Start (or resume) storing a file; how many of its records are in already.

        A pass interrupted on the same bytes (same digest) resumes after its
        last committed batch; otherwise the file starts from its first record.
        """
        with self.transaction():
            row = self.db.execute("SELECT digest, done FROM file_runs WHERE path = ?", (state.path,)).fetchone()
            if resume and row is not None and row[0] == state.digest:
                return row[1]
            self.db.execute("DELETE FROM file_seen WHERE path = ?", (state.path,))
            self.db.execute("DELETE FROM failures WHERE path = ?", (state.path,))
            self.db.execute("INSERT OR REPLACE INTO file_runs(path, size, mtime_ns, digest, done)"
                            " VALUES (?, ?, ?, ?, 0)",
                            (state.path, state.size, state.mtime_ns, state.digest))
        return 0

    def store_batch(self, state: FileState, articles: Iterable[Article],
                    failures: Iterable[BadRecord] = (), done: int = 0) -> FileChanges:
        """Store one batch of a file's articles; `done`: records of the file read so far.

        Articles already stored with identical data stay untouched (and stay
        indexed); changed ones are rewritten and flagged for indexing. Only
        this batch's ids are looked up, so the cost and memory of a batch do
        not depend on the size of the file.
        """
        articles = list(articles)
        changes = FileChanges([], [], [], [])
        with self.transaction():
            holders = self._holders([a.id for a in articles])
            seen = self._seen(state.path, [a.id for a in articles])
            for article in articles:
                held = holders.get(article.id)
                if article.id in seen or (held is not None and held[0] != state.path):
                    where = f"{article.source_path}#{article.record}"
                    article = replace(article, id=disambiguate(article.id, where))
                    held = self._holders([article.id]).get(article.id)
                    if article.id in self._seen(state.path, [article.id]):
                        continue  # the same record stored twice (a resumed batch): already in
                seen.add(article.id)
                self.db.execute("INSERT OR IGNORE INTO file_seen(path, id) VALUES (?, ?)",
                                (state.path, article.id))
                data = _encode(article)
                old = held[1] if held is not None and held[0] == state.path else None
                if old is not None and (old == data or _decode(old) == article):  # (or written by older code)
                    changes.unchanged.append(article.id)
                    continue
                if self._put(article, data) and old is None:
                    changes.readded.append(article.id)
                changes.written.append(article)
                (changes.updated if old is not None else changes.added).append(article.id)
            self._record_failures(failures)
            self.db.execute("UPDATE file_runs SET done = MAX(done, ?) WHERE path = ?", (done, state.path))
        return changes

    def finish_file(self, state: FileState) -> list[str]:
        """End a file's pass: drop what it no longer yields, remember the file; the removed ids."""
        with self.transaction():
            removed = [r[0] for r in self.db.execute(
                "SELECT id FROM articles WHERE source_path = ? AND id NOT IN "
                "(SELECT id FROM file_seen WHERE path = ?)", (state.path, state.path))]
            for aid in removed:
                self._delete(aid)
            count = self.db.execute("SELECT COUNT(*) FROM file_seen WHERE path = ?", (state.path,)).fetchone()[0]
            self.db.execute("DELETE FROM file_seen WHERE path = ?", (state.path,))
            self.db.execute("DELETE FROM file_runs WHERE path = ?", (state.path,))
            self.db.execute(
                "INSERT OR REPLACE INTO files(path, size, mtime_ns, digest, articles, ingested_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (state.path, state.size, state.mtime_ns, state.digest, count, _now()))
        return removed

    def resumable_articles(self, path: str) -> int:
        """Articles an interrupted pass over this file already stored (0 when none)."""
        row = self.db.execute("SELECT COUNT(*) FROM file_seen WHERE path = ?", (path,)).fetchone()
        return row[0]

    def _holders(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """{id: (source path, data)} of the stored articles among `ids`."""
        out: dict[str, tuple[str, str]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ",".join("?" * len(chunk))
            for aid, path, data in self.db.execute(
                    f"SELECT id, source_path, data FROM articles WHERE id IN ({marks})", chunk):
                out[aid] = (path, data)
        return out

    def _seen(self, path: str, ids: Sequence[str]) -> set[str]:
        """Those of `ids` this file's current pass has given already."""
        out: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.db.execute(
                f"SELECT id FROM file_seen WHERE path = ? AND id IN ({marks})", [path, *chunk]))
        return out

    def record_file_failure(self, path: str, reason: str) -> None:
        """A whole file failed: remember why, keep what it gave before."""
        with self.transaction():
            self.db.execute("DELETE FROM failures WHERE path = ?", (path,))
            self.db.execute("INSERT INTO failures(path, record, reason, at) VALUES (?, NULL, ?, ?)",
                            (path, reason, _now()))

    def forget_file(self, path: str) -> list[str]:
        """Remove a source file and its articles (for `add --prune`)."""
        with self.transaction():
            ids = [r[0] for r in self.db.execute(
                "SELECT id FROM articles WHERE source_path = ?", (path,))]
            for aid in ids:
                self._delete(aid)
            self.db.execute("DELETE FROM files WHERE path = ?", (path,))
            self.db.execute("DELETE FROM failures WHERE path = ?", (path,))
        return ids

    def failures(self) -> list[dict]:
        return [{"path": p, "record": r, "reason": why} for p, r, why in self.db.execute(
            "SELECT path, record, reason FROM failures ORDER BY path, record")]

    # -- articles -------------------------------------------------------------
    def put(self, article: Article) -> None:
        """Write one article (used by re-extraction), flagged for indexing."""
        with self.transaction():
            self._put(article, _encode(article))

    def _put(self, article: Article, data: str) -> bool:
        """Write the row; True if the id was waiting in `pending_deletes` (the index may hold it)."""
        self.db.execute(
            "INSERT OR REPLACE INTO articles(id, source_path, record, content_hash, title, outlet,"
            " outlet_slug, date, news_id, lang, data, indexed, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
            (article.id, article.source_path, article.record, article.content_hash, article.title,
             article.outlet, article.outlet_slug, article.date.isoformat() if article.date else None,
             article.news_id, article.lang, data, _now()))
        return self.db.execute("DELETE FROM pending_deletes WHERE id = ?", (article.id,)).rowcount > 0

    def _delete(self, article_id: str) -> None:
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        self.db.execute("INSERT OR IGNORE INTO pending_deletes(id) VALUES (?)", (article_id,))

    def _record_failures(self, failures: Iterable[BadRecord]) -> None:
        self.db.executemany(
            "INSERT INTO failures(path, record, reason, at) VALUES (?, ?, ?, ?)",
            [(f.path, f.record, f.reason, _now()) for f in failures])

    # -- index bookkeeping ----------------------------------------------------------
    def pending_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles WHERE indexed = 0 ORDER BY id")]

    def pending_deletes(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM pending_deletes ORDER BY id")]

    def mark_indexed(self, ids: Iterable[str], deleted: Iterable[str] = ()) -> None:
        with self.transaction():
            self.db.executemany("UPDATE articles SET indexed = 1 WHERE id = ?", [(i,) for i in ids])
            self.db.executemany("DELETE FROM pending_deletes WHERE id = ?", [(i,) for i in deleted])

    def mark_all_indexed(self) -> None:
        """After a full rebuild, everything stored is in the index."""
        with self.transaction():
            self.db.execute("UPDATE articles SET indexed = 1 WHERE indexed = 0")
            self.db.execute("DELETE FROM pending_deletes")

    # -- entity cache -----------------------------------------------------------------
    def cached_entities(self, content_hash: str, extractor: str) -> tuple[Entity, ...] | None:
        row = self.db.execute("SELECT data FROM entity_cache WHERE content_hash = ? AND extractor = ?",
                              (content_hash, extractor)).fetchone()
        if row is None:
            return None
        return tuple(Entity.from_dict(e) for e in json.loads(row[0]))

    def cache_entities(self, content_hash: str, extractor: str, entities: Sequence[Entity]) -> None:
        self.db.execute("INSERT OR REPLACE INTO entity_cache(content_hash, extractor, data) VALUES (?, ?, ?)",
                        (content_hash, extractor, json.dumps([e.to_dict() for e in entities],
                                                             ensure_ascii=False)))

    def readable_entities(self, entities: Sequence[Entity]) -> tuple[Entity, ...]:
        """Entities with the archive's readable slug for each extractor key.

        The extractor identifies an entity by a spelling-insensitive key
        ("washengton" for Washington) so that variant spellings meet across
        articles; people read and link slugs, so each key gets, once, the
        slug of the first name the archive saw for it, kept from then on.
        """
        out = []
        for entity in entities:
            row = self.db.execute("SELECT slug FROM entity_slugs WHERE key = ?", (entity.slug,)).fetchone()
            if row is None:
                slug = self._free_entity_slug(slugify(entity.name) or entity.slug)
                self.db.execute("INSERT INTO entity_slugs(key, slug, name) VALUES (?, ?, ?)",
                                (entity.slug, slug, entity.name))
            else:
                slug = row[0]
            out.append(replace(entity, slug=slug))
        return tuple(out)

    def _free_entity_slug(self, wanted: str) -> str:
        slug, n = wanted, 1
        while self.db.execute("SELECT 1 FROM entity_slugs WHERE slug = ?", (slug,)).fetchone():
            n += 1
            slug = f"{wanted}-{n}"
        return slug

    def integrity(self) -> str:
        """SQLite's own check of the file: "ok", or what is damaged."""
        try:
            rows = self.db.execute("PRAGMA integrity_check(5)").fetchall()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        return "; ".join(line.strip() for r in rows for line in str(r[0]).splitlines() if line.strip())

    def check(self) -> None:
        """Raise StoreDamaged unless SQLite finds the file sound (before any write); a file just as
        the last clean session sealed it is trusted (see archive.seal: the check reads it all)."""
        if unchanged_since_sealed(self.path):
            return
        try:
            quick = self.db.execute("PRAGMA quick_check(1)").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            quick = str(exc)
        if quick != "ok":
            raise StoreDamaged(self.path, self.integrity())

    # -- meta and stats -----------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def date_origins(self) -> dict[tuple[bool, str | None], int]:
        """Articles per (dated or not, recorded origin of the date), e.g. (True, "inferred:url-path")."""
        return {(bool(dated), origin): n for dated, origin, n in self.db.execute(
            "SELECT date IS NOT NULL, json_extract(data, '$.origins.date'), COUNT(*) "
            "FROM articles GROUP BY 1, 2")}

    def stats(self) -> dict:
        """Counts by outlet, month and language, and the failures on record."""
        db = self.db
        outlets = {name or "(unknown)": n for name, n in db.execute(
            "SELECT outlet, COUNT(*) FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC, outlet")}
        months = {m or "(undated)": n for m, n in db.execute(
            "SELECT substr(date, 1, 7) AS m, COUNT(*) FROM articles GROUP BY m ORDER BY m")}
        langs = {lang or "(unknown)": n for lang, n in db.execute(
            "SELECT lang, COUNT(*) FROM articles GROUP BY lang ORDER BY COUNT(*) DESC")}
        span = db.execute("SELECT MIN(date), MAX(date) FROM articles WHERE date IS NOT NULL").fetchone()
        return {
            "articles": self.count(),
            "files": db.execute("SELECT COUNT(*) FROM files").fetchone()[0],
            "outlets": outlets,
            "months": months,
            "languages": langs,
            "date_span": {"from": span[0], "to": span[1]},
            "failures": self.failures(),
            "pending_index": db.execute("SELECT COUNT(*) FROM articles WHERE indexed = 0").fetchone()[0],
            "last_ingest": json.loads(self.meta("last_ingest") or "null"),
        }


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception; nests flatly.

    With `first_read`, a read is made at once, so a deferred transaction's
    snapshot starts at BEGIN rather than at the block's first query.
    """

    def __init__(self, db: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE", first_read: bool = False):
        self.db = db
        self.begin = begin
        self.first_read = first_read
        self.outer = False

    def __enter__(self):
        if not self.db.in_transaction:
            self.db.execute(self.begin)
            self.outer = True
            if self.first_read:
                self.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return self

    def __exit__(self, exc_type, *_):
        if not self.outer:
            return
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
