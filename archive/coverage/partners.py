"""Which articles share passages with which, read from the store when a search asks.

The search index used to copy each article's passage partners into its
document. Nearly every new article shares passages with older ones, so
every add rewrote those older documents too, and an add into a large archive
rewrote its big index segments. The partners are now read here, at query
time, from the `shared_passages` table the coverage step keeps: the articles
sharing passages with a few given ones (the `shares=ID` filter) and the
partners of the hits on one page. Read-only.
"""
from __future__ import annotations

import sqlite3
from typing import Iterable

from .store import READ_INDEXES

#: Ids per query (SQLite's default limit on bound parameters is 999; each id is bound twice).
CHUNK = 400


def _layout(db: sqlite3.Connection) -> str | None:
    """How the passages can be read, from one look at the schema: None (no passages yet),
    "numbered" (the view of `passage_shares` with READ_INDEXES built: index pages only), or
    "named" (the view without them, or the id-keyed table of passages version 4; read alike)."""
    wanted = ["shared_passages", *(name for name, _, _ in READ_INDEXES)]
    found = dict(db.execute(f"SELECT name, type FROM sqlite_master WHERE name IN ({_marks(wanted)})", wanted))
    if found.get("shared_passages") not in ("table", "view"):
        return None
    numbered = found["shared_passages"] == "view" and all(name in found for name in wanted)
    return "numbered" if numbered else "named"


def _pairs(db: sqlite3.Connection, ids: list[str], layout: str) -> Iterable[tuple[str, str]]:
    """Distinct (a, b) rows with a or b among `ids` (each index of the table used once)."""
    if layout == "numbered":
        yield from _numbered_pairs(db, ids)
        return
    for chunk in _chunked(ids, CHUNK):
        yield from db.execute(f"SELECT a, b FROM shared_passages WHERE a IN ({_marks(chunk)})"
                              f" UNION SELECT a, b FROM shared_passages WHERE b IN ({_marks(chunk)})", chunk * 2)


def _numbered_pairs(db: sqlite3.Connection, ids: list[str]) -> Iterable[tuple[str, str]]:
    """`_pairs` through the articles' numbers, on index pages only: the rows of both tables are
    scattered, and read one by one they made a page of hits wait on random reads."""
    number: dict[int, str] = {}
    for chunk in _chunked(ids, 2 * CHUNK):
        number.update(db.execute("SELECT n, article_id FROM passage_articles"
                                 f" WHERE article_id IN ({_marks(chunk)})", chunk))
    pairs: set[tuple[int, int]] = set()
    for chunk in _chunked(list(number), CHUNK):
        pairs.update(db.execute(f"SELECT a, b FROM passage_shares INDEXED BY passage_shares_ab"
                                f" WHERE a IN ({_marks(chunk)}) UNION SELECT a, b FROM passage_shares"
                                f" INDEXED BY passage_shares_ba WHERE b IN ({_marks(chunk)})", chunk * 2))
    unnamed = sorted({n for pair in pairs for n in pair} - number.keys())
    for chunk in _chunked(unnamed, 2 * CHUNK):
        number.update(db.execute("SELECT n, article_id FROM passage_articles INDEXED BY passage_articles_ids"
                                 f" WHERE n IN ({_marks(chunk)})", chunk))
    for a, b in sorted(pairs):
        yield number[a], number[b]


def _chunked(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(chunk: list) -> str:
    return ",".join("?" * len(chunk))


def sharing_with(db: sqlite3.Connection, article_ids: Iterable[str]) -> set[str]:
    """The articles that share a passage with at least one of `article_ids` (not those themselves,
    unless two of them share one)."""
    ids = list(dict.fromkeys(article_ids))
    layout = _layout(db) if ids else None
    if layout is None:
        return set()
    wanted = set(ids)
    out: set[str] = set()
    for a, b in _pairs(db, ids, layout):
        if a in wanted:
            out.add(b)
        if b in wanted:
            out.add(a)
    return out


def partners_of(db: sqlite3.Connection, article_ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """For each of `article_ids`, the ids of the articles it shares passages with, sorted
    (an empty tuple for one that shares none)."""
    ids = list(dict.fromkeys(article_ids))
    found: dict[str, set[str]] = {i: set() for i in ids}
    layout = _layout(db) if ids else None
    if layout is not None:
        for a, b in _pairs(db, ids, layout):
            if a in found:
                found[a].add(b)
            if b in found:
                found[b].add(a)
    return {i: tuple(sorted(found[i])) for i in ids}
