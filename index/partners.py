"""Passage partners for searches on either engine, read from the store of record.

Which articles share passages changes with every add, and nearly every new
article shares some with older ones, so the index does not keep them: a
copy in each document made every add rewrite the older partners' documents
(and so the big segments of a large archive). Both engines ask the store
instead (`archive.coverage.partners`), for what one search needs only: the
set of articles a `shares=ID` filter keeps, and the partners of the hits on
the page, in one query.

Each lookup opens the store read-only for its own use, so threads searching
at once never share a connection and never hold a read snapshot open
between searches.
"""
from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
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

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None or not self.path.exists():
            return None
        try:
            return sqlite3.connect(f"file:{quote(str(self.path.absolute()))}?mode=ro", uri=True,
                                   timeout=30, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreUnreadable(f"the passages cannot be read from the store {self.path}: {exc}") from exc

    def _read(self, ask):
        db = self._connect()
        if db is None:
            return None
        try:
            with closing(db):
                return ask(db)
        except sqlite3.Error as exc:
            raise StoreUnreadable(f"the passages cannot be read from the store {self.path}: {exc}") from exc

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
