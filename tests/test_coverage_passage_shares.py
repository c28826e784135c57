"""Shared passages kept by article number (passages version 5) and archives kept by id text (version 4).

Since version 5 the passages are rows of `passage_shares` keyed by the two
articles' `passage_articles` numbers, and `shared_passages` is a view that
names them. An archive written by version 4 (a `shared_passages` table keyed
by id text) is still read as it is, and `add` or `reindex` finds its
passages again in the new table. Expected passages are computed with
`shared_passages` on the two bodies (brute force), never read from the
tables under test.
"""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from archive.coverage import partners as store_partners
from archive.coverage import shared_passages
from archive.coverage import store as coverage_store
from archive.coverage.borrowed import SharedWith
from archive.coverage.passages import Passage
from archive.paths import DataDir
from archive.store import Store
from conftest import build_archive
from ingest import cli

STATEMENT = ("The aircraft which carried out the bombings had entered the airspace from the territory "
             "of the neighbouring country, the ministry said in a statement on Tuesday evening.")


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def two_sharing(tmp_path) -> DataDir:
    data = DataDir(tmp_path / "data")
    write(tmp_path / "in", "a.txt", f"First\n\nSomething happened in the north. {STATEMENT}")
    write(tmp_path / "in", "b.txt", f"Second\n\nSomething else happened near the border. {STATEMENT} Nothing more.")
    build_archive(data, [tmp_path / "in"], entities=False)
    return data


def expected_spans(store: Store) -> dict[str, set[tuple[str, int, int, int]]]:
    """For each article, (other id, start, end, words) of each passage in its body, by brute force."""
    articles = list(store.iter_articles())
    out: dict[str, set] = {a.id: set() for a in articles}
    for x in articles:
        for y in articles:
            if x.id != y.id:
                out[x.id] |= {(y.id, p.a_start, p.a_end, p.words) for p in shared_passages(x.body, y.body)}
    return out


def stored_spans(store: Store) -> dict[str, set[tuple[str, int, int, int]]]:
    return {a.id: {(s.id, p.start, p.end, p.words) for s in coverage_store.shares_of(store, a) for p in s.passages}
            for a in store.iter_articles()}


def version_4_layout(store: Store) -> None:
    """Make a current archive look like one written by passages version 4: the passages in a
    `shared_passages` table keyed by id text, with an index on each id, and `passage_shares` empty."""
    rows = store.db.execute("SELECT a, b, a_start, a_end, b_start, b_end, words FROM shared_passages").fetchall()
    store.db.execute("DROP VIEW shared_passages")
    store.db.execute("CREATE TABLE shared_passages (a TEXT NOT NULL, b TEXT NOT NULL, a_start INTEGER NOT NULL,"
                     " a_end INTEGER NOT NULL, b_start INTEGER NOT NULL, b_end INTEGER NOT NULL,"
                     " words INTEGER NOT NULL)")
    store.db.execute("CREATE INDEX shared_passages_by_a ON shared_passages(a)")
    store.db.execute("CREATE INDEX shared_passages_by_b ON shared_passages(b)")
    store.db.executemany("INSERT INTO shared_passages VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    store.db.execute("DROP TABLE passage_shares")
    store.db.execute("UPDATE coverage_meta SET value = '4' WHERE name = 'passages'")
    store.db.commit()


def kinds(store: Store) -> dict[str, str]:
    return dict(store.db.execute("SELECT name, type FROM sqlite_master WHERE name LIKE '%shar%'"))


def test_the_passages_are_kept_by_number_and_read_by_id(tmp_path):
    data = two_sharing(tmp_path)
    with Store(data.store_path) as store:
        expected = expected_spans(store)
        assert all(expected.values()), "the fixture shares nothing"
        assert stored_spans(store) == expected
        assert kinds(store)["shared_passages"] == "view" and kinds(store)["passage_shares"] == "table"
        numbers = dict(store.db.execute("SELECT article_id, n FROM passage_articles"))
        a, b = sorted(numbers, key=numbers.get)  # the later one verified the passage against the earlier
        rows = store.db.execute("SELECT a, b FROM passage_shares").fetchall()
        assert rows and set(rows) == {(numbers[b], numbers[a])}
        ids = list(numbers)
    db = sqlite3.connect(f"file:{data.store_path}?mode=ro", uri=True)  # as a search reads them
    try:
        assert store_partners.partners_of(db, ids) == {a: (b,), b: (a,)}
        assert store_partners.sharing_with(db, [a]) == {b}
    finally:
        db.close()


@pytest.mark.parametrize("command", ["add", "reindex"])
def test_an_archive_with_the_id_keyed_passages_table_is_read_then_moved_to_the_numbered_one(tmp_path, command):
    data = two_sharing(tmp_path)
    with Store(data.store_path) as store:
        expected = expected_spans(store)
        version_4_layout(store)
        old_rows = sorted(store.db.execute("SELECT * FROM shared_passages"))
        assert not coverage_store.passages_current(store)
        assert stored_spans(store) == expected  # readable as it is, before its passages are found again
        coverage_store.ensure_schema(store)  # (as any open for coverage does) keeps the old table
        assert kinds(store)["shared_passages"] == "table"
    if command == "add":  # an add that stores something (one of unchanged files stores nothing)
        write(tmp_path / "more", "c.txt", "Third\n\nA different report about the weather in the hills today.")
        build_archive(data, [tmp_path / "more"], entities=False)
    else:
        result = CliRunner().invoke(cli, ["reindex", "--data", str(data.root)])
        assert result.exit_code == 0, result.output
    with Store(data.store_path) as store:
        assert coverage_store.passages_current(store)
        found = kinds(store)
        assert found["shared_passages"] == "view" and not any(k.startswith("shared_passages_by") for k in found)
        assert store.db.execute("SELECT COUNT(*) FROM passage_shares").fetchone()[0] > 0
        assert sorted(store.db.execute("SELECT * FROM shared_passages")) == old_rows  # moved, the same rows
        now = stored_spans(store)
        assert {i: now[i] for i in expected} == expected


def test_version_4_passages_are_moved_as_they_are_and_older_ones_are_not(tmp_path):
    data = two_sharing(tmp_path)
    with Store(data.store_path) as store:
        version_4_layout(store)
        # a row naming an article that has no number, and one from a copy of a pair (no key forbids it)
        store.db.execute("INSERT INTO shared_passages VALUES ('ghost', 'ghost-too', 1, 2, 3, 4, 9)")
        store.db.execute("INSERT INTO shared_passages SELECT * FROM shared_passages WHERE a != 'ghost' LIMIT 1")
        store.db.commit()
        old_rows = sorted(store.db.execute("SELECT * FROM shared_passages"))
        numbers = dict(store.db.execute("SELECT article_id, n FROM passage_articles"))
        assert coverage_store.upgrade_passages(store)
        assert coverage_store.passages_current(store) and kinds(store)["shared_passages"] == "view"
        assert sorted(store.db.execute("SELECT * FROM shared_passages")) == old_rows
        now = dict(store.db.execute("SELECT article_id, n FROM passage_articles"))
        assert {i: now[i] for i in numbers} == numbers  # the numbered keep their numbers
        assert sorted(set(now) - set(numbers)) == ["ghost", "ghost-too"]
        assert not coverage_store.upgrade_passages(store)  # once
    with Store(data.store_path) as store:  # a version 3 archive is not moved: its passages are found again
        version_4_layout(store)
        store.db.execute("UPDATE coverage_meta SET value = '3' WHERE name = 'passages'")
        store.db.commit()
        assert not coverage_store.upgrade_passages(store)
        assert kinds(store)["shared_passages"] == "table" and not coverage_store.passages_current(store)


def test_a_removed_article_leaves_no_numbered_passage_behind(tmp_path):
    data = two_sharing(tmp_path)
    (tmp_path / "in" / "b.txt").unlink()
    from archive.coverage.ingest import CoverageStep
    from archive.pipeline import Ingest, IngestOptions
    with Store(data.store_path) as store:
        Ingest(store, IngestOptions(prune=True), coverage=CoverageStep()).run([tmp_path / "in"])
        # not only the view's rows (it hides a row whose article lost its number): the table's
        assert store.db.execute("SELECT COUNT(*) FROM passage_shares").fetchone()[0] == 0
        assert store.db.execute("SELECT COUNT(*) FROM passage_articles").fetchone()[0] == 1


def test_a_passage_naming_an_article_without_a_number_gives_it_one(tmp_path):
    with Store(tmp_path / "s.sqlite3") as store:
        coverage_store.ensure_schema(store)
        passage = Passage(0, 40, 5, 45, "x" * 40, 8)
        coverage_store.record_kept_passages(store, {"new": [3, 1, 2]},
                                            [SharedWith("new", "elsewhere", (passage,)),
                                             SharedWith("new", "nothing", ())])
        store.db.commit()
        assert store.db.execute("SELECT * FROM shared_passages").fetchall() == [("new", "elsewhere", 0, 40, 5, 45, 8)]
        kept = dict(store.db.execute("SELECT article_id, length(fingerprints) FROM passage_articles"))
        assert kept == {"new": 24, "elsewhere": 0}  # three fingerprints of 8 bytes; none
        coverage_store.forget(store, ["elsewhere"])
        assert store.db.execute("SELECT COUNT(*) FROM passage_shares").fetchone()[0] == 0


def test_the_bodies_read_for_verifying_are_the_stored_ones_however_their_row_is_written(tmp_path):
    from archive.document import Article
    texts = {"plain": "A plain body of words.", "quoted": 'He said "no" \\ and left.\nNext line\ttab',
             "unicode": "Ça coûte 5 € — 😀 naïve", "empty": "", "control": "bell\x07 and \x1f unit"}
    with Store(tmp_path / "s.sqlite3") as store:
        with store.transaction():
            for i, (name, body) in enumerate(texts.items()):
                store.put(Article(id=name, slug=name, title=name.title(), body=body, source_path="t", record=i,
                                  fmt="jsonl", original=body))
            # a row written by other means: its body not its first member
            store.db.execute("UPDATE articles SET data = json_object('title', 'T', 'body', 'moved \"here\"',"
                             " 'zzz', 1) WHERE id = 'plain'")
        assert coverage_store.bodies(store, list(texts) + ["missing"]) == {**texts, "plain": 'moved "here"'}


def three_sharing(tmp_path) -> DataDir:
    """Three articles that each carry STATEMENT: every one shares a passage with the other two."""
    data = DataDir(tmp_path / "data")
    write(tmp_path / "in", "a.txt", f"First\n\nSomething happened in the north. {STATEMENT}")
    write(tmp_path / "in", "b.txt", f"Second\n\nSomething else happened near the border. {STATEMENT} Nothing more.")
    write(tmp_path / "in", "c.txt", f"Third\n\nOfficials gave no figures at all. {STATEMENT} They left it there.")
    build_archive(data, [tmp_path / "in"], entities=False)
    return data


def brute_force_partners(store: Store) -> dict[str, tuple[str, ...]]:
    return {i: tuple(sorted({other for other, *_ in spans})) for i, spans in expected_spans(store).items()}


def read_only_partners(data: DataDir, ids: list[str]) -> tuple[dict, set]:
    db = sqlite3.connect(f"file:{data.store_path}?mode=ro", uri=True)  # as a search reads them
    try:
        return store_partners.partners_of(db, ids), store_partners.sharing_with(db, ids[:1])
    finally:
        db.close()


def index_names(store: Store) -> set[str]:
    return {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}


def layout_before_the_read_indexes(store: Store) -> None:
    """Make a current archive look like one written before READ_INDEXES: an index on each id alone."""
    for name, _, _ in coverage_store.READ_INDEXES:
        store.db.execute(f"DROP INDEX {name}")
    store.db.execute("CREATE INDEX passage_shares_by_a ON passage_shares(a)")
    store.db.execute("CREATE INDEX passage_shares_by_b ON passage_shares(b)")


READ_INDEX_NAMES = {"passage_shares_ab", "passage_shares_ba", "passage_articles_ids"}


def test_a_new_archive_reads_partners_through_its_covering_indexes_with_the_same_answer(tmp_path):
    data = three_sharing(tmp_path)
    with Store(data.store_path) as store:
        expected = brute_force_partners(store)
        assert all(len(p) == 2 for p in expected.values()), "the fixture's articles do not all share"
        assert READ_INDEX_NAMES <= index_names(store)
        assert not {"passage_shares_by_a", "passage_shares_by_b"} & index_names(store)
    ids = sorted(expected)
    partners, sharing = read_only_partners(data, ids + ["not-stored"])
    assert partners == {**expected, "not-stored": ()}
    assert sharing == set(expected[ids[0]])


def test_an_archive_from_before_the_read_indexes_answers_alike_and_gets_them_from_its_next_add(tmp_path):
    data = three_sharing(tmp_path)
    with Store(data.store_path) as store:
        expected = brute_force_partners(store)
        layout_before_the_read_indexes(store)
        coverage_store.ensure_schema(store)  # what a web page opening the coverage does: no 20 s build there
        assert not READ_INDEX_NAMES & index_names(store)
    ids = sorted(expected)
    assert read_only_partners(data, ids)[0] == expected  # through the view, as before
    write(tmp_path / "more", "d.txt", "Fourth\n\nA different report about the weather in the hills today.")
    build_archive(data, [tmp_path / "more"], entities=False)
    with Store(data.store_path) as store:
        names = index_names(store)
        assert READ_INDEX_NAMES <= names and not {"passage_shares_by_a", "passage_shares_by_b"} & names
        expected = brute_force_partners(store)
    assert read_only_partners(data, sorted(expected))[0] == expected
