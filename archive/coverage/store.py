"""Coverage in the store of record: signatures, story links, citations, borrowed passages.

Coverage is derived from the articles, like the index, but it is kept in the
archive's own SQLite file (tables next to `articles`) so that a new
article meets the stored signatures without re-reading the archive, and so
that pages and the CLI read story groups and citation counts with one query.
Every function takes the `Store` and uses its connection; writes go through
`store.transaction()`, so coverage and the articles it describes change
together or not at all.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..store import Store
from .attribution import Citation
from .groups import DUPLICATE, StoryLink, story_groups
from .words import norm_words

SCHEMA = """
CREATE TABLE IF NOT EXISTS story_signatures (
    article_id TEXT PRIMARY KEY,
    signature  BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS story_links (
    a       TEXT NOT NULL,
    b       TEXT NOT NULL,
    kind    TEXT NOT NULL,
    jaccard REAL NOT NULL,
    a_in_b  REAL NOT NULL,
    b_in_a  REAL NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX IF NOT EXISTS story_links_by_b ON story_links(b);
CREATE TABLE IF NOT EXISTS citations (
    article_id  TEXT NOT NULL,
    source_slug TEXT NOT NULL,
    source_name TEXT NOT NULL,
    kind        TEXT NOT NULL,
    phrase      TEXT NOT NULL,
    sentence    TEXT NOT NULL,
    "start"     INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    rule        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS citations_by_article ON citations(article_id);
CREATE INDEX IF NOT EXISTS citations_by_source ON citations(source_slug);
CREATE TABLE IF NOT EXISTS passage_articles (
    n            INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL UNIQUE,
    fingerprints BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS passage_holders (
    fingerprint INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (fingerprint, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passage_holders_new (
    fingerprint INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (fingerprint, n)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passage_common (
    fingerprint INTEGER PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS passage_shares (
    a       INTEGER NOT NULL,
    b       INTEGER NOT NULL,
    a_start INTEGER NOT NULL,
    a_end   INTEGER NOT NULL,
    b_start INTEGER NOT NULL,
    b_end   INTEGER NOT NULL,
    words   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS coverage_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

#: Indexes that make the passage lookups of a search read only index pages: a page of hits asks
#: for the partners of its ten articles, whose `passage_shares` rows and partner names lie scattered
#: over tables of millions of rows (a `passage_articles` row holds its fingerprints, so one page
#: holds five), and on a cold cache each was a random read: 40-90 ms a page of hits at 510,000
#: articles, 8-13 ms with these. (name, definition, the index it replaces.) A new archive gets
#: them with its tables; an older one when a writer next opens its coverage
#: (`ensure_read_indexes`), never from a reader: at 500,000 articles building them takes 20 s.
READ_INDEXES = (
    ("passage_shares_ab", "passage_shares(a, b)", "passage_shares_by_a"),
    ("passage_shares_ba", "passage_shares(b, a)", "passage_shares_by_b"),
    ("passage_articles_ids", "passage_articles(n, article_id)", None),
)

#: Bump when the way borrowed passages are found or kept changes: `passages_current`
#: is then false and `reindex` (or the next `add`) recomputes them from the stored articles.
#: Version 4 keeps the fingerprints in `passage_holders` / `passage_articles`
#: (integer keys); version 3's `passage_fingerprints` table is dropped when they are refound.
#: Version 5 keeps the shared passages in `passage_shares`, keyed by the two articles'
#: `passage_articles` numbers, and `shared_passages` is a view naming them (see SHARED_VIEW);
#: version 4's `shared_passages` table, keyed by id text, is dropped when they are refound.
PASSAGES_VERSION = "5"

#: The passages as readers see them: article ids, as the table of versions 1-4 held them. A
#: lookup by `a` or `b` reaches `passage_shares` through the unique index on
#: `passage_articles.article_id`, then the integer index (checked with EXPLAIN QUERY PLAN).
SHARED_VIEW = """
CREATE VIEW IF NOT EXISTS shared_passages AS
SELECT x.article_id AS a, y.article_id AS b, s.a_start AS a_start, s.a_end AS a_end,
       s.b_start AS b_start, s.b_end AS b_end, s.words AS words
FROM passage_shares AS s
JOIN passage_articles AS x ON x.n = s.a
JOIN passage_articles AS y ON y.n = s.b
"""

#: The fingerprint table of passages versions 1-3: (fingerprint, article id text) rows with an
#: index on each column; `clear_passages` drops it.
OLD_FINGERPRINT_TABLE = "passage_fingerprints"

#: Label for articles whose publisher is not known.
UNKNOWN_OUTLET = "(unknown outlet)"


def ensure_schema(store: Store) -> None:
    """Create the coverage tables if this archive has none yet (idempotent)."""
    fresh = not _exists(store, "passage_articles")  # new, or older than passages version 4
    if not store.db.in_transaction:
        store.db.executescript(SCHEMA + ";" + SHARED_VIEW)
    else:
        for statement in SCHEMA.split(";") + [SHARED_VIEW]:
            if statement.strip():
                store.db.execute(statement)
    if fresh:
        ensure_read_indexes(store)


def ensure_read_indexes(store: Store) -> None:
    """Build the READ_INDEXES this archive lacks and drop the ones they replace (for writers)."""
    missing = [(n, d, r) for n, d, r in READ_INDEXES if not _exists(store, n)]
    if not missing:
        return
    with store.transaction():
        for name, definition, replaced in missing:
            store.db.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
            if replaced:
                store.db.execute(f"DROP INDEX IF EXISTS {replaced}")


def _exists(store: Store, name: str) -> bool:
    return store.db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _old_shared_table(store: Store) -> bool:
    """Whether `shared_passages` is still the id-keyed table of passages versions 1-4 (until the
    passages are found again; the view of version 5 is not created while it is there)."""
    row = store.db.execute("SELECT type FROM sqlite_master WHERE name = 'shared_passages'").fetchone()
    return row is not None and row[0] == "table"


# --- writing -------------------------------------------------------------------

def record(store: Store, article_id: str, signature: bytes, links: Iterable[StoryLink],
           citations: Iterable[Citation]) -> None:
    """Replace one article's coverage: its signature, its links, its citations."""
    with store.transaction():
        forget(store, [article_id])
        store.db.execute("INSERT INTO story_signatures(article_id, signature) VALUES (?, ?)",
                         (article_id, signature))
        store.db.executemany(
            "INSERT OR REPLACE INTO story_links(a, b, kind, jaccard, a_in_b, b_in_a) VALUES (?, ?, ?, ?, ?, ?)",
            [(p.a, p.b, p.kind, p.jaccard, p.a_in_b, p.b_in_a) for p in links])
        store.db.executemany(
            'INSERT INTO citations(article_id, source_slug, source_name, kind, phrase, sentence, "start",'
            ' "end", rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(article_id, c.source_slug, c.source_name, c.kind, c.phrase, c.sentence, c.start, c.end,
              c.rule) for c in citations])


def record_many(store: Store, rows: Iterable[tuple[str, bytes, Iterable[StoryLink], Iterable[Citation]]]) -> None:
    """Replace the coverage of many articles: (id, signature bytes, links, citations) each.

    One statement per table for the whole batch (prepared once, run with
    executemany), instead of a handful per article.
    """
    rows = list(rows)
    with store.transaction():
        forget(store, [article_id for article_id, _, _, _ in rows])
        store.db.executemany("INSERT INTO story_signatures(article_id, signature) VALUES (?, ?)",
                             [(article_id, sig) for article_id, sig, _, _ in rows])
        store.db.executemany(
            "INSERT OR REPLACE INTO story_links(a, b, kind, jaccard, a_in_b, b_in_a) VALUES (?, ?, ?, ?, ?, ?)",
            [(p.a, p.b, p.kind, p.jaccard, p.a_in_b, p.b_in_a) for _, _, links, _ in rows for p in links])
        store.db.executemany(
            'INSERT INTO citations(article_id, source_slug, source_name, kind, phrase, sentence, "start",'
            ' "end", rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [(article_id, c.source_slug, c.source_name, c.kind, c.phrase, c.sentence, c.start, c.end, c.rule)
             for article_id, _, _, citations in rows for c in citations])


def forget(store: Store, article_ids: Sequence[str]) -> None:
    """Drop the coverage of articles that were removed or are about to change."""
    rows = [(i,) for i in article_ids]
    with store.transaction():
        store.db.executemany("DELETE FROM story_signatures WHERE article_id = ?", rows)
        store.db.executemany("DELETE FROM story_links WHERE a = ?", rows)
        store.db.executemany("DELETE FROM story_links WHERE b = ?", rows)
        store.db.executemany("DELETE FROM citations WHERE article_id = ?", rows)
        forget_passages(store, article_ids)


def forget_passages(store: Store, article_ids: Sequence[str]) -> None:
    """Drop the fingerprints and shared passages of `article_ids` (both ways)."""
    ids = list(article_ids)
    rows = [(i,) for i in ids]
    with store.transaction():
        kept = _rows_for(store, "SELECT n, fingerprints FROM passage_articles WHERE article_id IN ({marks})", ids)
        numbers = [(n,) for n, _ in kept]
        if kept:
            held = [(fp, n) for n, blob in kept for fp in unpack_fingerprints(blob)]
            for table in HOLDER_TABLES:
                store.db.executemany(f"DELETE FROM {table} WHERE fingerprint = ? AND n = ?", held)
            # each lost a holder, so may be followed again: learnt again if still crowded
            store.db.executemany("DELETE FROM passage_common WHERE fingerprint = ?",
                                 [(fp,) for fp in {fp for fp, _ in held}])
            store.db.executemany("DELETE FROM passage_articles WHERE n = ?", numbers)
        if _old_shared_table(store):
            store.db.executemany("DELETE FROM shared_passages WHERE a = ?", rows)
            store.db.executemany("DELETE FROM shared_passages WHERE b = ?", rows)
        else:  # every article in a passage has a number (`record_kept_passages` gives one)
            store.db.executemany("DELETE FROM passage_shares WHERE a = ?", numbers)
            store.db.executemany("DELETE FROM passage_shares WHERE b = ?", numbers)


def clear(store: Store) -> None:
    """Drop all coverage (before a rebuild)."""
    with store.transaction():
        for table in ("story_signatures", "story_links", "citations"):
            store.db.execute(f"DELETE FROM {table}")
        clear_passages(store)


def clear_passages(store: Store) -> None:
    """Drop every fingerprint and shared passage, and mark the (empty) passages current."""
    with store.transaction():
        store.db.execute(f"DROP TABLE IF EXISTS {OLD_FINGERPRINT_TABLE}")  # its indexes go with it
        if _old_shared_table(store):  # version 4's id-keyed table gives way to the view
            store.db.execute("DROP TABLE shared_passages")
            store.db.execute(SHARED_VIEW)
        for table in (*HOLDER_TABLES, "passage_common"):
            store.db.execute(f"DELETE FROM {table}")
        store.db.execute("DELETE FROM coverage_meta WHERE name = 'holders_merged'")
        store.db.execute("DELETE FROM passage_articles")
        store.db.execute("DELETE FROM passage_shares")
        store.db.execute("INSERT OR REPLACE INTO coverage_meta(name, value) VALUES ('passages', ?)",
                         (PASSAGES_VERSION,))


def upgrade_passages(store: Store) -> bool:
    """Move version 4's passages (`shared_passages` keyed by id text) into `passage_shares`, as they
    are; True if it did. The same rows, without finding every article's passages again (which at
    100,000 articles takes most of an hour); older versions are found again (`passages_current`).

    An article named in a passage without a number (none written by version 4 code: one keeps a
    fingerprint of each passage it is in) is given one without fingerprints, as
    `record_kept_passages` would.
    """
    if not _old_shared_table(store):
        return False
    row = store.db.execute("SELECT value FROM coverage_meta WHERE name = 'passages'").fetchone()
    if row is None or row[0] != "4":
        return False
    with store.transaction():
        ensure_schema(store)
        store.db.execute(
            "INSERT INTO passage_articles(article_id, fingerprints)"
            " SELECT id, x'' FROM (SELECT a AS id FROM shared_passages UNION SELECT b FROM shared_passages)"
            " WHERE id NOT IN (SELECT article_id FROM passage_articles) ORDER BY id")
        store.db.execute(
            "INSERT INTO passage_shares(a, b, a_start, a_end, b_start, b_end, words)"
            " SELECT x.n, y.n, s.a_start, s.a_end, s.b_start, s.b_end, s.words FROM shared_passages AS s"
            " JOIN passage_articles AS x ON x.article_id = s.a JOIN passage_articles AS y ON y.article_id = s.b"
            " ORDER BY x.n, s.rowid")
        store.db.execute("DROP TABLE shared_passages")  # its indexes go with it
        store.db.execute(SHARED_VIEW)
        store.db.execute("UPDATE coverage_meta SET value = ? WHERE name = 'passages'", (PASSAGES_VERSION,))
    return True


def passages_current(store: Store) -> bool:
    """Whether the stored passages were found by this version's rules (see PASSAGES_VERSION)."""
    row = store.db.execute("SELECT value FROM coverage_meta WHERE name = 'passages'").fetchone()
    return row is not None and row[0] == PASSAGES_VERSION


# --- borrowed passages ---------------------------------------------------------------
#
# An article's kept fingerprints are rows (fingerprint, n) of `passage_holders`,
# a table clustered on that pair (WITHOUT ROWID: one B-tree, no rowid, no
# second index), where n numbers the article in `passage_articles`. That row
# also keeps the article's fingerprints as one blob, which is all `forget`
# needs to find its rows again. Keyed by the article's id text and indexed by
# both columns (versions 1-3), the fingerprints were written to three B-trees
# with some 50 bytes of id in two of them: storing a batch's fingerprints was
# most of coverage's time in the main process. A batch's rows go into
# `passage_holders_new`, the same layout, moved into `passage_holders` now and
# then (`_merge_holders`); every reader reads both (HOLDER_TABLES).

def pack_fingerprints(fingerprints: Sequence[int]) -> bytes:
    """Signed 64-bit fingerprints as a blob (little-endian, in the order given)."""
    return np.asarray(fingerprints, dtype="<i8").tobytes()


def unpack_fingerprints(blob: bytes) -> list[int]:
    return np.frombuffer(blob, dtype="<i8").tolist()


def fingerprint_holders(store: Store, fingerprints: Iterable[int]) -> dict[int, list[str]]:
    """For each fingerprint, the articles holding it: one query for a whole batch's fingerprints.

    The fingerprints go in as one JSON array, read by `json_each` and joined
    with the stored ones (rather than IN lists, or a temporary table filled
    row by row), so a batch of thousands of articles costs one statement,
    whatever its number of fingerprints.
    """
    fps = sorted(set(fingerprints))
    out: dict[int, list[str]] = {}
    if not fps:
        return out
    # CROSS JOIN keeps this order: the wanted ones, their holders by the primary key, their ids by n
    for table in HOLDER_TABLES:
        for fp, article_id in store.db.execute(
                "SELECT h.fingerprint, a.article_id FROM json_each(?) AS w"
                f" CROSS JOIN {table} AS h ON h.fingerprint = w.value"
                " CROSS JOIN passage_articles AS a ON a.n = h.n", (json.dumps(fps),)):
            out.setdefault(fp, []).append(article_id)
    return out


#: The kept fingerprints' holders: those merged, and the recent ones (see `_merge_holders`).
HOLDER_TABLES = ("passage_holders", "passage_holders_new")
#: The recent holders are merged once their articles number this share of the merged ones...
HOLDERS_MERGE_SHARE = 8
#: ... and at least this many (some 1.1 million holders of scale-corpus articles, 20 MB: well
#: inside coverage's page cache, STORE_CACHE_MB).
HOLDERS_MERGE_MIN = 10_000

#: Fingerprints looked up per statement by `holder_arrays` (bounds the text each one returns).
HOLDER_CHUNK = 16384
#: Bits of a holder's article number in the integers `holder_arrays` reads (the place of its
#: fingerprint among those asked, < HOLDER_CHUNK, above them). Written as one decimal number per
#: holder instead of two joined as text, the 2.4 million holders of a batch at 100,000 stored
#: scale-corpus articles were read in 0.31-0.34 ms CPU per article instead of 0.50-0.57.
HOLDER_SHIFT = 40


def holder_arrays(store: Store, fingerprints: Iterable[int]) -> tuple[np.ndarray, np.ndarray]:
    """The stored holders of `fingerprints` as two arrays: fingerprints ascending, and the number
    (`passage_articles.n`) of the article holding each (`passage_articles_named` gives their ids).

    What `fingerprint_holders` finds, without one Python object per holder:
    SQLite writes each statement's (place of the fingerprint among those
    asked, holder) pairs as one text, which numpy reads. A batch of 2,000
    articles asks for some 230,000 fingerprints, whose holders grow with
    the archive (2.7 million at 100,000 articles).
    """
    fps = np.unique(fingerprints if isinstance(fingerprints, np.ndarray) else np.fromiter(fingerprints, dtype=np.int64))
    places, numbers = [], []
    top = store.db.execute("SELECT MAX(n) FROM passage_articles").fetchone()[0] or 0
    packed = top < 1 << HOLDER_SHIFT  # (always, unless some 10^12 articles were numbered)
    tables = [t for t in HOLDER_TABLES if store.db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()]
    for start in range(0, len(fps), HOLDER_CHUNK):
        part = fps[start:start + HOLDER_CHUNK]
        asked = json.dumps(part.tolist())
        for table in tables:
            if packed:  # one integer per pair, (place << HOLDER_SHIFT) | n: less text to write and read
                text = store.db.execute(
                    f"SELECT group_concat((w.key << {HOLDER_SHIFT}) | h.n) FROM json_each(?) AS w"
                    f" CROSS JOIN {table} AS h ON h.fingerprint = w.value", (asked,)).fetchone()[0]
                values = np.fromstring(text or "", dtype=np.int64, sep=",")
                places.append((values >> HOLDER_SHIFT) + start)
                numbers.append(values & ((1 << HOLDER_SHIFT) - 1))
                continue
            text = store.db.execute(
                "SELECT group_concat(w.key || ' ' || h.n, ' ') FROM json_each(?) AS w"
                f" CROSS JOIN {table} AS h ON h.fingerprint = w.value", (asked,)).fetchone()[0]
            pairs = np.fromstring(text or "", dtype=np.int64, sep=" ").reshape(-1, 2)
            places.append(pairs[:, 0] + start)
            numbers.append(pairs[:, 1])
    if not places:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    place, number = np.concatenate(places), np.concatenate(numbers)
    if len(place) > 1 and not _ascending(place, number):
        # each table's rows come in (place, number) order (the join's), a chunk after another: a
        # stable sort by place merges the runs, and the numbers of a place are then in order too
        # unless a merged holder has a higher number than a newer one (`_merge_holders`)
        order = np.argsort(place, kind="stable")
        place, number = place[order], number[order]
        if not _ascending(place, number):
            order = np.lexsort((number, place))
            place, number = place[order], number[order]
    return fps[place], number


def crowded_fingerprints(store: Store, fingerprints: np.ndarray) -> np.ndarray:
    """Those of `fingerprints` (distinct) that `passage_common` names as held by more than
    `borrowed.MAX_HOLDERS` articles, ascending: their holders need not be read (`borrowed.crowded_after`).

    One look-up each, against reading their MAX_HOLDERS + 1 holders. A
    fingerprint is named there only while it has that many: a forgotten
    article's fingerprints leave it (`forget_passages`), and are learnt again
    from their holders if still crowded.
    """
    found = []
    for start in range(0, len(fingerprints), HOLDER_CHUNK):
        text = store.db.execute(
            "SELECT group_concat(c.fingerprint) FROM json_each(?) AS w"
            " CROSS JOIN passage_common AS c ON c.fingerprint = w.value",
            (json.dumps(fingerprints[start:start + HOLDER_CHUNK].tolist()),)).fetchone()[0]
        found.append(np.fromstring(text or "", dtype=np.int64, sep=","))
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)


def _ascending(place: np.ndarray, number: np.ndarray) -> bool:
    """Whether the (place, number) pairs are in ascending order."""
    step, same = np.diff(place), np.diff(number)
    return bool(((step > 0) | ((step == 0) & (same > 0))).all())


def passage_articles_named(store: Store, numbers: Sequence[int]) -> dict[int, str]:
    """The article ids of `passage_articles` numbers."""
    out: dict[int, str] = {}
    for start in range(0, len(numbers), HOLDER_CHUNK):
        out.update(store.db.execute(
            "SELECT a.n, a.article_id FROM json_each(?) AS w CROSS JOIN passage_articles AS a ON a.n = w.value",
            (json.dumps(list(numbers[start:start + HOLDER_CHUNK])),)))
    return out


def fingerprint_rows(store: Store) -> list[tuple[int, str]]:
    """Every kept (fingerprint, article id), in no particular order."""
    return [row for table in HOLDER_TABLES for row in store.db.execute(
        f"SELECT h.fingerprint, a.article_id FROM {table} AS h JOIN passage_articles AS a ON a.n = h.n")]


def bodies(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """The stored bodies of `ids` (read from the article rows, without building Articles).

    `json_extract`, not the body read off the front of the row's JSON with
    `json.JSONDecoder.raw_decode` (tried: 12.5 against 15 us per body at
    100,000 articles, but covering 20,000 scale articles in one process, the
    verifying that follows took 1.30-1.45 ms/article instead of 1.07-1.10,
    the same checks and cache hits, in four runs alternating with the base:
    the bigger rows read and dropped each batch are a likely cause).
    """
    return {i: body or "" for i, body in _rows_for(
        store, "SELECT id, json_extract(data, '$.body') FROM articles WHERE id IN ({marks})", list(ids))}


def record_kept_passages(store: Store, kept: dict[str, Sequence[int]], shares: Iterable,
                         numbered: Mapping[str, int] | None = None, crowded: Iterable[int] = ()) -> None:
    """Keep each article's kept fingerprints (article id -> fingerprints) and the passages a batch
    shares (`borrowed.SharedWith`, or `borrowed.Spans` tuples); `numbered` may give the
    `passage_articles` numbers of stored articles the passages name (those not given are read),
    and `crowded` the fingerprints that now have too many holders (`borrowed.crowded_after`).

    The articles must have no fingerprints kept (new, or forgotten first).
    Each is numbered after the highest number in use, and the rows go into
    `passage_holders` sorted (with numpy), touching each of its pages once
    rather than at random. The passages are kept by the two articles'
    numbers: a batch's articles have the highest, so the index by `a` only
    grows at its end, and keys of 8 bytes at most replace ids of some 40
    (`shared_passages` by id text, with an index on each id, was half of
    this function's time at 100,000 articles, and about a third of the store).
    """
    kept = {article_id: fps for article_id, fps in kept.items() if len(fps)}
    shares = [s if isinstance(s, tuple) else s.spans() for s in shares]
    with store.transaction():
        store.db.executemany("INSERT OR IGNORE INTO passage_common(fingerprint) VALUES (?)",
                             ((int(fp),) for fp in crowded))
        if _old_shared_table(store):  # not found again yet: the passages go where the others are
            _record_kept(store, kept)
            store.db.executemany(
                "INSERT INTO shared_passages(a, b, a_start, a_end, b_start, b_end, words)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)", [(a, b, *span) for a, b, spans in shares for span in spans])
            return
        number = dict(numbered or {})
        number.update(_record_kept(store, kept))
        named = {x for a, b, spans in shares if spans for x in (a, b)}
        unknown = [i for i in named if i not in number]
        number.update((i, n) for n, i in _rows_for(
            store, "SELECT n, article_id FROM passage_articles WHERE article_id IN ({marks})", unknown))
        # An article in a passage keeps a fingerprint it shares, so has a number; one that has none
        # (written by other code) is given one without fingerprints, so that no passage is lost.
        _record_kept(store, {i: () for i in unknown if i not in number}, number)
        store.db.executemany(
            "INSERT INTO passage_shares(a, b, a_start, a_end, b_start, b_end, words) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(number[a], number[b], *span) for a, b, spans in shares for span in spans])


def _record_kept(store: Store, kept: Mapping[str, Sequence[int]], number: dict[str, int] | None = None
                 ) -> dict[str, int]:
    """Number the articles of `kept` after the highest number in use and store their fingerprints;
    their numbers (added to `number` too, when given)."""
    out: dict[str, int] = {}
    with store.transaction():
        if kept:
            first = store.db.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM passage_articles").fetchone()[0]
            numbers = range(first, first + len(kept))
            out = dict(zip(kept, numbers))
            store.db.executemany("INSERT INTO passage_articles(n, article_id, fingerprints) VALUES (?, ?, ?)",
                                 zip(numbers, kept, map(pack_fingerprints, kept.values())))
            fps = np.concatenate([np.asarray(v, dtype=np.int64) for v in kept.values()])
            ns = np.repeat(np.arange(first, first + len(kept), dtype=np.int64),
                           [len(v) for v in kept.values()])
            order = np.lexsort((ns, fps))
            store.db.executemany("INSERT INTO passage_holders_new(fingerprint, n) VALUES (?, ?)",
                                 zip(fps[order].tolist(), ns[order].tolist()))
            _merge_holders(store, first + len(kept) - 1)
    if number is not None:
        number.update(out)
    return out


def _merge_holders(store: Store, top: int) -> None:
    """Move the new holders into `passage_holders` once their articles are a share of the merged
    ones (`HOLDERS_MERGE_SHARE`, and at least `HOLDERS_MERGE_MIN`); `top` is the highest number.

    The holders are clustered by fingerprint, and fingerprints are random: a batch's 220,000
    holders, inserted into the 11 million of 100,000 articles (190 MB, three times the page
    cache coverage gives the store), touched nearly every page of the table, so that each batch
    read and wrote all of it again. Inserted into a table of the recent ones, which stays small,
    they touch a few pages; the merge touches each page of the big table once per
    HOLDERS_MERGE_SHARE-th growth of the archive instead of once per batch. Every reader takes
    the holders of both tables (HOLDER_TABLES).
    """
    row = store.db.execute("SELECT value FROM coverage_meta WHERE name = 'holders_merged'").fetchone()
    merged = int(row[0]) if row is not None else 0  # the highest number when they were last merged
    if top - merged < max(HOLDERS_MERGE_MIN, merged // HOLDERS_MERGE_SHARE):
        return
    store.db.execute("INSERT INTO passage_holders(fingerprint, n)"
                     " SELECT fingerprint, n FROM passage_holders_new ORDER BY fingerprint, n")
    store.db.execute("DELETE FROM passage_holders_new")
    store.db.execute("INSERT OR REPLACE INTO coverage_meta(name, value) VALUES ('holders_merged', ?)", (str(top),))


# --- reading: signatures ---------------------------------------------------------

def stored_signatures(store: Store) -> Iterator[tuple[str, bytes]]:
    """(article id, signature bytes) of every signed article."""
    for article_id, data in store.db.execute("SELECT article_id, signature FROM story_signatures"):
        yield article_id, bytes(data)


def signature_count(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM story_signatures").fetchone()[0]


# --- reading: one article ----------------------------------------------------------

@dataclass(frozen=True)
class LinkedArticle:
    """Another article telling the same story, seen from one article."""

    id: str
    title: str
    outlet: str | None
    outlet_slug: str | None
    date: dt.date | None
    kind: str
    jaccard: float
    share: float        # share of this article's text found in the other
    other_share: float  # share of the other article's text found in this one

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "outlet": self.outlet,
                "outlet_slug": self.outlet_slug, "date": self.date.isoformat() if self.date else None,
                "kind": self.kind, "jaccard": round(self.jaccard, 4), "share": round(self.share, 4),
                "other_share": round(self.other_share, 4)}


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def links_of(store: Store, article_id: str) -> list[LinkedArticle]:
    """The articles linked to `article_id`, earliest first (undated last)."""
    rows = store.db.execute(
        """SELECT l.a, l.b, l.kind, l.jaccard, l.a_in_b, l.b_in_a, x.id, x.title, x.outlet, x.outlet_slug, x.date
           FROM story_links AS l
           JOIN articles AS x ON x.id = CASE WHEN l.a = :id THEN l.b ELSE l.a END
           WHERE l.a = :id OR l.b = :id
           ORDER BY x.date IS NULL, x.date, x.id""", {"id": article_id}).fetchall()
    out = []
    for a, _b, kind, jaccard, a_in_b, b_in_a, other, title, outlet, slug, date in rows:
        mine, theirs = (a_in_b, b_in_a) if a == article_id else (b_in_a, a_in_b)
        out.append(LinkedArticle(other, title, outlet, slug, _date(date), kind, jaccard, mine, theirs))
    return out


#: Which of two articles had a shared passage first, by publication date.
THIS_FIRST, OTHER_FIRST, SAME_DAY, UNDATED = "this", "other", "same day", "unknown"


@dataclass(frozen=True)
class SharedPassage:
    """One passage two articles share: its span in this article's body and in the other's."""

    start: int
    end: int
    other_start: int
    other_end: int
    words: int
    text: str  # as this article writes it

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class SharingArticle:
    """Another article that shares passages (8 words or more each) with one article."""

    id: str
    title: str
    outlet: str | None
    outlet_slug: str | None
    date: dt.date | None
    passages: tuple[SharedPassage, ...]
    share: float  # share of this article's words in the shared passages
    first: str    # THIS_FIRST, OTHER_FIRST, SAME_DAY or UNDATED

    @property
    def words(self) -> int:
        return sum(p.words for p in self.passages)

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "outlet": self.outlet, "outlet_slug": self.outlet_slug,
                "date": self.date.isoformat() if self.date else None, "words": self.words,
                "share": round(self.share, 4), "first": self.first,
                "passages": [p.to_dict() for p in self.passages]}


def first_of(mine: dt.date | None, theirs: dt.date | None) -> str:
    if mine is None or theirs is None:
        return UNDATED
    if mine == theirs:
        return SAME_DAY
    return THIS_FIRST if mine < theirs else OTHER_FIRST


def shares_of(store: Store, article) -> list[SharingArticle]:
    """The articles sharing passages with `article` (a stored Article), most shared words first."""
    if not _has_table(store, "shared_passages"):
        return []
    # one query per side (an OR of the two would scan the passages: they are a view of a join)
    rows = store.db.execute(
        """SELECT p.a, p.b, p.a_start, p.a_end, p.b_start, p.b_end, p.words,
                  x.id, x.title, x.outlet, x.outlet_slug, x.date
           FROM shared_passages AS p JOIN articles AS x ON x.id = p.b WHERE p.a = :id
           UNION ALL
           SELECT p.a, p.b, p.a_start, p.a_end, p.b_start, p.b_end, p.words,
                  x.id, x.title, x.outlet, x.outlet_slug, x.date
           FROM shared_passages AS p JOIN articles AS x ON x.id = p.a WHERE p.b = :id AND p.a != :id""",
        {"id": article.id}).fetchall()
    body = article.body or ""
    total = max(1, len(norm_words(body)))
    mine_date = article.date.date() if isinstance(article.date, dt.datetime) else article.date
    found: dict[str, tuple[tuple, list[SharedPassage]]] = {}
    for a, _b, a0, a1, b0, b1, n, other, title, outlet, slug, date in rows:
        start, end, o_start, o_end = (a0, a1, b0, b1) if a == article.id else (b0, b1, a0, a1)
        entry = found.setdefault(other, ((other, title, outlet, slug, _date(date)), []))
        entry[1].append(SharedPassage(start, end, o_start, o_end, n, body[start:end]))
    out = []
    for (other, title, outlet, slug, date), passages in found.values():
        passages.sort(key=lambda p: p.start)
        words = sum(p.words for p in passages)
        out.append(SharingArticle(other, title, outlet, slug, date, tuple(passages), min(1.0, words / total),
                                  first_of(mine_date, date)))
    out.sort(key=lambda s: (-s.words, s.date is None, s.date or dt.date.min, s.id))
    return out


def citations_of(store: Store, article_id: str) -> list[Citation]:
    """The citations found in one article, in text order."""
    rows = store.db.execute(
        'SELECT source_name, source_slug, kind, phrase, sentence, "start", "end", rule FROM citations'
        ' WHERE article_id = ? ORDER BY "start", source_slug', (article_id,))
    return [Citation(*row) for row in rows]


# --- reading: the whole archive ---------------------------------------------------

def all_links(store: Store) -> list[StoryLink]:
    return [StoryLink(*row) for row in store.db.execute(
        "SELECT a, b, kind, jaccard, a_in_b, b_in_a FROM story_links ORDER BY a, b")]


@dataclass(frozen=True)
class GroupMember:
    id: str
    title: str
    outlet: str | None
    date: dt.date | None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "outlet": self.outlet,
                "date": self.date.isoformat() if self.date else None}


@dataclass(frozen=True)
class StorySummary:
    """A story group as lists show it: size, outlets, dates, a title."""

    id: str
    size: int
    distinct_texts: int   # exact duplicates counted once
    outlets: tuple[str, ...]
    first_date: dt.date | None
    last_date: dt.date | None
    title: str            # the earliest member's
    members: tuple[GroupMember, ...]
    kinds: dict[str, int]  # links by kind

    def to_dict(self) -> dict:
        return {"id": self.id, "size": self.size, "distinct_texts": self.distinct_texts,
                "outlets": list(self.outlets),
                "first_date": self.first_date.isoformat() if self.first_date else None,
                "last_date": self.last_date.isoformat() if self.last_date else None,
                "title": self.title, "kinds": self.kinds,
                "members": [m.to_dict() for m in self.members]}


def _members(store: Store, ids: Sequence[str]) -> list[GroupMember]:
    out = []
    for start in range(0, len(ids), 500):
        chunk = list(ids[start:start + 500])
        marks = ",".join("?" * len(chunk))
        out += [GroupMember(i, t, o, _date(d)) for i, t, o, d in store.db.execute(
            f"SELECT id, title, outlet, date FROM articles WHERE id IN ({marks})", chunk)]
    out.sort(key=lambda m: (m.date is None, m.date or dt.date.min, m.id))
    return out


def story_summaries(store: Store, min_outlets: int = 1) -> list[StorySummary]:
    """Story groups with at least `min_outlets` distinct outlets, biggest first."""
    with store.snapshot():  # links and members from one committed state
        return _story_summaries(store, min_outlets)


def _story_summaries(store: Store, min_outlets: int) -> list[StorySummary]:
    out = []
    for group in story_groups(all_links(store)):
        members = _members(store, group.members)
        if not members:
            continue
        outlets = tuple(sorted({m.outlet or UNKNOWN_OUTLET for m in members}))
        if len(outlets) < min_outlets:
            continue
        dates = [m.date for m in members if m.date is not None]
        kinds: dict[str, int] = {}
        for pair in group.links:
            kinds[pair.kind] = kinds.get(pair.kind, 0) + 1
        out.append(StorySummary(group.id, len(members), group.distinct_texts(), outlets,
                                min(dates) if dates else None, max(dates) if dates else None,
                                members[0].title, tuple(members), kinds))
    return out


def duplicate_count(store: Store) -> int:
    """Articles that are exact copies of another (total minus this = distinct texts)."""
    return sum(g.size - g.distinct_texts() for g in story_groups(
        p for p in all_links(store) if p.kind == DUPLICATE))


@dataclass(frozen=True)
class CitationCount:
    """How many articles of one publisher cite one source (and how often)."""

    outlet: str
    outlet_slug: str | None
    source_name: str
    source_slug: str
    kind: str
    articles: int
    citations: int

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def citation_counts(store: Store, ids: Iterable[str] | None = None) -> list[CitationCount]:
    """Citing articles per (publisher outlet, cited source), most first.

    With `ids`, only those articles count (the matches of a search). A
    source's name and kind are its most frequent ones (a source can be
    written several ways that resolve to one slug).
    """
    with store.snapshot():  # one read snapshot: a source committed meanwhile is in both queries or neither
        return _citation_counts(store, ids)


def _citation_counts(store: Store, ids: Iterable[str] | None) -> list[CitationCount]:
    names = {slug: (name, kind) for slug, name, kind, _ in store.db.execute(
        """SELECT source_slug, source_name, kind, COUNT(*) AS n FROM citations
           GROUP BY source_slug, source_name, kind ORDER BY source_slug, n ASC, source_name DESC""")}
    scope = ""
    if ids is not None:
        store.db.execute("CREATE TEMP TABLE IF NOT EXISTS citation_scope (id TEXT PRIMARY KEY)")
        store.db.execute("DELETE FROM citation_scope")
        store.db.executemany("INSERT OR IGNORE INTO citation_scope(id) VALUES (?)", [(i,) for i in ids])
        scope = "WHERE c.article_id IN (SELECT id FROM citation_scope)"
    rows = store.db.execute(
        f"""SELECT x.outlet, x.outlet_slug, c.source_slug,
                  COUNT(DISTINCT c.article_id), COUNT(*)
           FROM citations AS c JOIN articles AS x ON x.id = c.article_id {scope}
           GROUP BY x.outlet_slug, x.outlet, c.source_slug""").fetchall()
    out = [CitationCount(outlet or UNKNOWN_OUTLET, slug, names[source][0], source, names[source][1],
                         n_articles, n_citations)
           for outlet, slug, source, n_articles, n_citations in rows]
    out.sort(key=lambda c: (-c.articles, c.outlet.lower(), c.source_name.lower()))
    return out


# --- reading: what the search index carries per article ----------------------------

@dataclass(frozen=True)
class IndexExtras:
    """Coverage facts the search index keeps per article.

    `story` is the smallest member id of the article's story group ("" when
    it is in none); `duplicate` marks an exact copy of a member with a
    smaller id, so each text has one unflagged copy; `cites` maps the slugs
    of cited sources to a display name.
    """

    story: str = ""
    duplicate: bool = False
    cites: tuple[tuple[str, str], ...] = ()


def _has_table(store: Store, name: str) -> bool:
    """Whether the store has a table (or a view: `shared_passages` is one) of that name."""
    return store.db.execute(
        "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)).fetchone() is not None


def _has_coverage(store: Store) -> bool:
    return _has_table(store, "story_links")


def _rows_for(store: Store, sql: str, ids: Sequence[str], repeat: int = 1) -> list[tuple]:
    out: list[tuple] = []
    for start in range(0, len(ids), 400):
        chunk = list(ids[start:start + 400])
        marks = ",".join("?" * len(chunk))
        out += store.db.execute(sql.format(marks=marks), chunk * repeat).fetchall()
    return out


def story_components(store: Store, article_ids: Iterable[str]) -> dict[str, list[StoryLink]]:
    """The links of every story group that holds one of `article_ids`, by article.

    Walks the links outwards from the given articles only (a few queries per
    step), so looking up a batch never reads the whole link table.
    """
    links: dict[tuple[str, str], StoryLink] = {}
    seen: set[str] = set()
    frontier = list(dict.fromkeys(article_ids)) if _has_coverage(store) else []
    while frontier:
        seen.update(frontier)
        rows = _rows_for(store, "SELECT a, b, kind, jaccard, a_in_b, b_in_a FROM story_links"
                                " WHERE a IN ({marks}) OR b IN ({marks})", frontier, repeat=2)
        found = [StoryLink(*row) for row in rows]
        for pair in found:
            links[(pair.a, pair.b)] = pair
        frontier = list(dict.fromkeys(x for p in found for x in (p.a, p.b) if x not in seen))
    by_article: dict[str, list[StoryLink]] = {}
    for group in story_groups(links.values()):
        for member in group.members:
            by_article[member] = list(group.links)
    return by_article


def index_extras(store: Store, article_ids: Sequence[str]) -> dict[str, IndexExtras]:
    """`IndexExtras` for each of `article_ids` (a default one when coverage knows nothing)."""
    ids = list(dict.fromkeys(article_ids))
    if not ids or not _has_coverage(store):
        return {i: IndexExtras() for i in ids}
    cites: dict[str, dict[str, str]] = {}
    for article_id, slug, name in _rows_for(
            store, "SELECT article_id, source_slug, source_name FROM citations"
                   " WHERE article_id IN ({marks}) ORDER BY article_id, \"start\"", ids):
        cites.setdefault(article_id, {}).setdefault(slug, name)
    groups = story_components(store, ids)
    out = {}
    for article_id in ids:
        links = groups.get(article_id, [])
        members = {x for p in links for x in (p.a, p.b)}
        duplicate = any(p.kind == DUPLICATE and article_id in (p.a, p.b) and p.other(article_id) < article_id
                        for p in links)
        out[article_id] = IndexExtras(min(members) if members else "", duplicate,
                                      tuple(sorted(cites.get(article_id, {}).items())))
    return out


def passage_partners(store: Store, article_ids: Sequence[str]) -> dict[str, set[str]]:
    """For each of `article_ids` that shares passages, the articles it shares them with."""
    ids = list(dict.fromkeys(article_ids))
    out: dict[str, set[str]] = {}
    if not ids or not _has_table(store, "shared_passages"):
        return out
    wanted = set(ids)
    for a, b in _rows_for(store, "SELECT a, b FROM shared_passages WHERE a IN ({marks})"
                                 " UNION SELECT a, b FROM shared_passages WHERE b IN ({marks})", ids, repeat=2):
        if a in wanted:
            out.setdefault(a, set()).add(b)
        if b in wanted:
            out.setdefault(b, set()).add(a)
    return out


def story_members(store: Store, article_ids: Sequence[str]) -> set[str]:
    """Every article whose index document changes with `article_ids` (them included).

    Those are the members of their story groups (a new link can merge
    groups). The articles they share passages with are not: the index does
    not keep passage partners (searches read them from the store, see
    archive.coverage.partners), so a new article's passages change no older document.
    """
    groups = story_components(store, article_ids)
    return set(article_ids) | {x for links in groups.values() for p in links for x in (p.a, p.b)}
