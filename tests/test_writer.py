"""The index follows the store, and a rebuild is swapped in without readers noticing."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import pytest
from whoosh.qparser import QueryParser

from archive.document import Article
from archive.store import FileState, Store
from index.writer import current_dir, generation, generation_dirs, open_current, rebuild, sync


def make_articles(n: int, path: str = "/src/feed.jsonl", word: str = "harbour"):
    return [Article(id=f"a{i:05d}", slug=f"a{i:05d}", title=f"Story {i}", body=f"The {word} story number {i}.",
                    source_path=path, record=i, fmt="jsonl", original="") for i in range(1, n + 1)]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


def count(root, word="harbour"):
    ix = open_current(root)
    try:
        with ix.searcher() as s:
            return len(s.search(QueryParser("body", ix.schema).parse(word), limit=None))
    finally:
        ix.close()


def test_the_first_sync_builds_the_index_and_later_ones_only_apply_changes(store, tmp_path):
    root = tmp_path / "index"
    store.store_file(FileState("/src/feed.jsonl", 1, 1, "d1"), make_articles(3))
    assert sync(store, root).indexed == 3
    assert count(root) == 3
    assert sync(store, root).indexed == 0
    store.store_file(FileState("/src/feed.jsonl", 1, 2, "d2"), make_articles(2))
    update = sync(store, root)
    assert (update.indexed, update.deleted) == (0, 1)
    assert count(root) == 2


def test_articles_stored_before_a_crash_are_indexed_by_the_next_sync(store, tmp_path):
    root = tmp_path / "index"
    store.store_file(FileState("/src/a", 1, 1, "d1"), make_articles(2, "/src/a"))
    sync(store, root)
    # the process died after the store commit, before the index commit:
    store.store_file(FileState("/src/b", 1, 1, "d1"), make_articles(2, "/src/b", word="anchor"))
    assert count(root, "anchor") == 0
    assert sync(store, root).indexed == 2
    assert count(root, "anchor") == 2


def test_a_rebuild_swaps_in_a_new_generation_and_keeps_the_previous_one(store, tmp_path):
    root = tmp_path / "index"
    store.store_file(FileState("/src/feed.jsonl", 1, 1, "d1"), make_articles(5))
    sync(store, root)
    first = current_dir(root)
    reader = open_current(root)
    rebuild(store, root)
    assert current_dir(root) != first
    assert len(generation_dirs(root)) == 2
    with reader.searcher() as s:  # a reader opened before the swap still works
        assert s.doc_count() == 5
    reader.close()
    rebuild(store, root)
    assert len(generation_dirs(root)) == 2 and not first.exists()


def test_the_generation_token_changes_on_every_commit_and_swap(store, tmp_path):
    root = tmp_path / "index"
    store.store_file(FileState("/src/feed.jsonl", 1, 1, "d1"), make_articles(2))
    sync(store, root)
    g1 = generation(root)
    store.store_file(FileState("/src/feed.jsonl", 1, 2, "d2"), make_articles(3))
    sync(store, root)
    g2 = generation(root)
    rebuild(store, root)
    assert len({g1, g2, generation(root)}) == 3


SEARCHER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from whoosh.qparser import QueryParser
    from index.writer import open_current
    root, stop, ready = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    runs = errors = empty = 0
    deadline = time.time() + 120
    while time.time() < deadline and not stop.exists():
        try:
            ix = open_current(root)
            with ix.searcher() as s:
                n = len(s.search(QueryParser("body", ix.schema).parse("harbour"), limit=10))
            ix.close()
            runs += 1
            empty += n == 0
            ready.touch()
        except Exception as exc:
            errors += 1
            print("error:", repr(exc), file=sys.stderr)
    print(runs, errors, empty)
""")


def test_reindex_while_another_process_searches_never_fails_or_comes_back_empty(store, tmp_path):
    root = tmp_path / "index"
    store.store_file(FileState("/src/feed.jsonl", 1, 1, "d1"), make_articles(400))
    sync(store, root)
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", SEARCHER, str(root), str(stop), str(ready)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    waited = time.time() + 120
    while not ready.exists() and proc.poll() is None and time.time() < waited:  # searching already
        time.sleep(0.05)
    rebuilds = 0
    deadline = time.time() + 5
    while rebuilds < 3 or time.time() < deadline:  # three swaps at least, however loaded the machine
        rebuild(store, root)
        rebuilds += 1
    stop.touch()
    out, err = proc.communicate(timeout=60)
    runs, errors, empty = map(int, out.split())
    assert runs > 10, err
    assert (errors, empty) == (0, 0), err


def test_a_rebuild_killed_half_way_leaves_a_folder_the_next_one_removes(store, tmp_path):
    root = tmp_path / "index"
    store.store_file(FileState("/src/feed.jsonl", 1, 1, "d1"), make_articles(3))
    sync(store, root)
    rebuild(store, root)
    previous, live = generation_dirs(root)
    orphan = root / "gen-000099"  # what a SIGKILLed rebuild leaves behind
    orphan.mkdir()
    rebuild(store, root)
    names = [p.name for p in generation_dirs(root)]
    assert not orphan.exists()
    assert live.name in names and previous.name not in names, "the last live generation is kept"
    assert count(root) == 3
