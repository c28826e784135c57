"""Whoosh's per-document reader remembers missing columns (index.perdoc), and answers as before.

Counted on a real index: the entity fields have no lengths column, and
Whoosh's writer asks for a field length once per posting; with the patch a
segment is asked about a missing column once, without it once per posting.
"""
from __future__ import annotations

import datetime as dt

import pytest
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN, W3PerDocReader
from whoosh.filedb.filestore import FileStorage

from archive.document import Article, Entity
from archive.store import FileState, Store
from index import perdoc
from index.writer import open_current, rebuild

N = 60


def articles():
    return [Article(id=f"p{i:03d}", slug=f"p{i:03d}", title=f"Harbour report {i}",
                    body=f"The harbour opened. Ship number {i} came in. " * 3, source_path="/f/p.jsonl",
                    record=i, fmt="jsonl", original="", date=dt.date(2016, 1, 1 + i % 28),
                    entities=(Entity(f"port-{i % 7}", f"Port {i % 7}", "place", 1, (f"Port {i % 7}",)),
                              Entity(f"person-{i}", f"Person {i}", "person", 1, (f"Person {i}",))))
            for i in range(N)]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "archive.sqlite3") as s:
        s.store_file(FileState("/f/p.jsonl", 1, 1, "p"), articles())
        yield s


def existence_checks(monkeypatch) -> list[str]:
    asked: list[str] = []
    plain = FileStorage.file_exists

    def counted(self, name):
        asked.append(name)
        return plain(self, name)
    monkeypatch.setattr(FileStorage, "file_exists", counted)
    return asked


def test_the_archive_uses_the_memoising_reader():
    assert perdoc.installed()
    assert W3PerDocReader._cached_reader is perdoc.cached_reader


def test_a_rebuild_asks_about_each_missing_column_once_not_once_per_posting(store, tmp_path, monkeypatch):
    asked = existence_checks(monkeypatch)
    rebuild(store, tmp_path / "patched")
    with_memo = len(asked)
    asked.clear()
    monkeypatch.setattr(W3PerDocReader, "_cached_reader", perdoc.original)
    rebuild(store, tmp_path / "plain")
    without = len(asked)
    # every article has a person and a place posting (no lengths column): 2 x N misses unremembered
    assert without - with_memo >= 2 * N - 10
    assert with_memo < 40


def test_the_memoising_reader_answers_as_whoosh_does(store, tmp_path):
    rebuild(store, tmp_path / "index")
    ix = open_current(tmp_path / "index")
    try:
        reader = ix.reader()
        fields = [f"_{name}_L" for name in reader.schema.names()] + ["_stored", "_nowhere_L"]
        for leaf, _ in reader.leaf_readers():
            ours, theirs = leaf._perdoc, W3PerDocReader(leaf._perdoc._storage, leaf._perdoc._segment)
            for name in fields:
                column = STORED_COLUMN if name == "_stored" else LENGTHS_COLUMN
                for _ in range(2):  # the second answer comes from the memo
                    mine, whoosh = ours._cached_reader(name, column), perdoc.original(theirs, name, column)
                    assert (mine is None) == (whoosh is None), name
                    if mine is not None:
                        assert list(mine) == list(whoosh), name
            for docnum in range(leaf.doc_count_all()):
                for name in ("title", "body", "person", "place"):
                    assert ours.doc_field_length(docnum, name) == theirs.doc_field_length(docnum, name)
            theirs.close()
    finally:
        ix.close()
