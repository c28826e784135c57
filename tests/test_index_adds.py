"""Adds into a live index: new articles go in without a search for an older copy, others replace theirs.

An article new to the store cannot be in the index, so the writer adds it
without Whoosh's per-segment lookup of its id (most of an add's index time
into a large archive). The exception is an article that was removed and is
stored again before the index dropped it: its old document may still be
there, and it must be replaced, not joined by a second copy. Expected
counts come from the fixture's files, not from the writer.
"""
from __future__ import annotations

from collections import Counter

from archive.coverage.ingest import CoverageStep
from archive.paths import DataDir
from archive.pipeline import Ingest, IngestOptions
from archive.store import Store
from conftest import build_archive
from index.writer import open_current
from test_data_faults import indexed_ids

STORY = "Officials in the northern province said the bridge would reopen next month after repairs."


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def index_ids(data: DataDir) -> Counter:
    """Each id the index holds, with how many documents carry it."""
    return Counter(indexed_ids(data))


def stored(data: DataDir) -> dict[str, str]:
    with Store(data.store_path) as store:
        return {a.source_path.rsplit("/", 1)[-1]: a.id for a in store.iter_articles()}


def two_articles(tmp_path) -> tuple[DataDir, object]:
    """An archive of two articles from the folder `in` (returned with it)."""
    data = DataDir(tmp_path / "data")
    folder = tmp_path / "in"
    write(folder, "a.txt", f"Bridge\n\nFirst report. {STORY}")
    write(folder, "b.txt", "Harbour\n\nThe harbour stayed closed for a third day because of the storm.")
    build_archive(data, [folder], entities=False)
    return data, folder


def test_new_articles_are_indexed_once_and_a_changed_one_replaces_its_document(tmp_path):
    data, folder = two_articles(tmp_path)
    write(folder, "b.txt", "Harbour\n\nThe harbour reopened on Sunday morning once the storm had passed.")
    write(folder, "c.txt", "Market\n\nTraders at the central market said prices of bread rose again.")
    write(folder, "d.txt", "School\n\nThe new school in the eastern district opened its doors to pupils.")
    build_archive(data, [folder], entities=False)
    ids = stored(data)
    assert sorted(ids) == ["a.txt", "b.txt", "c.txt", "d.txt"]
    assert index_ids(data) == Counter(ids.values())  # each once
    ix = open_current(data.index_root)
    try:
        with ix.searcher() as searcher:
            assert "reopened on Sunday" in searcher.document(id=ids["b.txt"])["body"]
    finally:
        ix.close()


def test_an_article_removed_and_stored_again_before_the_index_dropped_it_is_indexed_once(tmp_path):
    data, folder = two_articles(tmp_path)
    a_id = stored(data)["a.txt"]
    kept = (folder / "a.txt").read_text(encoding="utf-8")
    (folder / "a.txt").unlink()
    with Store(data.store_path) as store:  # pruned from the store; the run ends before its index step
        Ingest(store, IngestOptions(prune=True), coverage=CoverageStep()).run([folder])
        assert store.pending_deletes() == [a_id]
    assert index_ids(data)[a_id] == 1  # still there
    write(folder, "a.txt", kept)
    build_archive(data, [folder], entities=False)
    ids = stored(data)
    assert ids["a.txt"] == a_id
    assert index_ids(data) == Counter(ids.values())
    with Store(data.store_path) as store:
        assert store.pending_deletes() == [] and store.pending_ids() == []
