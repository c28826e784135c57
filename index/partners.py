"""Passage partners for searches on either engine, read from the store of record.

Which articles share passages changes with every add, and nearly every new
article shares some with older ones, so the index does not keep them: a
copy in each document made every add rewrite the older partners' documents
(and so the big segments of a large archive). Both engines ask the store
instead (`archive.coverage.partners`), for what one search needs only: the
set of articles a `shares=ID` filter keeps, and the partners of the hits on
the page, in one query.

Each lookup takes a read-only connection of its own from a small pool (made
when none is idle), so threads searching at once never share one; a
connection holds no read snapshot between lookups (each query runs in
autocommit and is read to its end), and one whose store file was replaced
(another inode) is closed and opened anew. Reusing connections spares every
search opening the store and reading its schema (two thirds of a page's
partner lookup in a profile).
"""
from __future__ import annotations

import logging
import os
import queue
import sqlite3
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

from archive.coverage import partners as store_partners
from archive.paths import DataDir

from .errors import StoreUnreadable

log = logging.getLogger(__name__)


def beside(index_root: Path) -> Path:
    """The store of the data folder an index root belongs to (`archive.paths.DataDir`'s layout)."""
    return DataDir(Path(index_root).parent).store_path


class Partners:
    """Passage partners from the store at `store_path` (None: an engine without a store)."""

    def __init__(self, store_path: Path | str | None):
        self.path = Path(store_path) if store_path is not None else None
        self._idle: queue.SimpleQueue = queue.SimpleQueue()   # (connection, file identity)

    def _identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except (OSError, TypeError):
            return None
        return st.st_dev, st.st_ino

    def _connect(self) -> tuple[sqlite3.Connection, tuple[int, int]] | None:
        if self.path is None:
            return None
        identity = self._identity()
        if identity is None:
            return None
        while True:
            try:
                db, was = self._idle.get_nowait()
            except queue.Empty:
                break
            if was == identity:
                return db, identity
            db.close()  # the store file was replaced since
        try:
            return sqlite3.connect(f"file:{quote(str(self.path.absolute()))}?mode=ro", uri=True,
                                   timeout=30, check_same_thread=False), identity
        except sqlite3.Error as exc:
            raise StoreUnreadable(f"the passages cannot be read from the store {self.path}: {exc}") from exc

    def _read(self, ask):
        found = self._connect()
        if found is None:
            return None
        db, identity = found
        try:
            answer = ask(db)
        except sqlite3.Error as exc:
            db.close()
            raise StoreUnreadable(f"the passages cannot be read from the store {self.path}: {exc}") from exc
        except BaseException:
            db.close()
            raise
        if db.in_transaction:  # never the case for these reads; a connection holding one is not kept
            db.close()
        else:
            self._idle.put((db, identity))
        return answer

    def close(self) -> None:
        """Close the idle connections (one in use goes back to the pool when its lookup ends)."""
        while True:
            try:
                db, _ = self._idle.get_nowait()
            except queue.Empty:
                return
            db.close()

    def sharing_with(self, article_ids: Iterable[str]) -> frozenset[str]:
        """Ids of the articles sharing a passage with one of `article_ids` (the `shares` filter).

        Raises `SearchFailed` when there is no store to ask: an empty answer
        would claim that nothing shares a passage.
        """
        ids = tuple(article_ids)
        found = self._read(lambda db: store_partners.sharing_with(db, ids))
        if found is None:
            where = f"at {self.path}" if self.path is not None else "for this search engine"
            raise StoreUnreadable(f"the shares filter reads passages from the archive's store, and there is "
                                  f"none {where}")
        return frozenset(found)

    def of(self, article_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        """Each id's partners, sorted; empty for all when there is no store (a bare index)."""
        ids = tuple(article_ids)
        if not ids:
            return {}
        found = self._read(lambda db: store_partners.partners_of(db, ids))
        return found if found is not None else {i: () for i in ids}
