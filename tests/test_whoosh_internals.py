"""`index.engine` reads Whoosh's private codec structures: a Whoosh upgrade that changes them fails here, by name.

Without this, a renamed attribute would only show as the search service
quietly matching with Whoosh's own (much slower) matchers.
"""
from __future__ import annotations

import datetime as dt
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher

from archive.document import Article
from archive.store import FileState, Store
from index.engine import WHOOSH_INTERNALS, whoosh_internals_missing
from index.query import parse_request
from index.search import SearchService
from index.writer import open_current, rebuild

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def index_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("whoosh-internals")
    articles = [Article(id=f"w{i}", slug=f"w{i}", title=f"Glacier report {i}",
                        body="The glacier moved. " * (i + 1), source_path="/fixture/w.jsonl", record=i,
                        fmt="jsonl", original="", date=dt.date(2016, 1, 1 + i)) for i in range(20)]
    with Store(root / "archive.sqlite3") as store:
        store.store_file(FileState("/fixture/w.jsonl", 1, 1, "w"), articles)
        rebuild(store, root / "index")
    return root / "index"


def test_the_pinned_whoosh_is_the_one_installed():
    pinned = re.search(r'"Whoosh-Reloaded==([^"]+)"', (PROJECT / "pyproject.toml").read_text()).group(1)
    assert version("Whoosh-Reloaded") == pinned


def test_every_private_whoosh_name_the_engine_reads_is_there(index_root):
    ix = open_current(index_root)
    try:
        with ix.searcher() as searcher:
            missing = whoosh_internals_missing(searcher)
    finally:
        ix.close()
    assert not missing, f"Whoosh internals changed; missing: {', '.join(missing)}"


def test_the_check_names_an_attribute_an_upgrade_took_away(index_root, monkeypatch):
    monkeypatch.delattr(W3LeafMatcher, "_goto")
    ix = open_current(index_root)
    try:
        with ix.searcher() as searcher:
            assert "W3LeafMatcher._goto" in whoosh_internals_missing(searcher)
    finally:
        ix.close()


def test_the_check_covers_every_name_it_declares():
    source = (PROJECT / "index" / "engine.py").read_text() + (PROJECT / "index" / "writer.py").read_text()
    for _, name in WHOOSH_INTERNALS:
        assert name in source, f"{name} is declared but no longer read: drop it from WHOOSH_INTERNALS"
    read = set(re.findall(r"\bm\.(_[a-z_]+)", source))
    assert read <= {name for _, name in WHOOSH_INTERNALS}, read - {n for _, n in WHOOSH_INTERNALS}


def test_searches_match_in_bulk_rather_than_falling_back_to_whoosh(index_root):
    service = SearchService(index_root)
    try:
        assert service.search(parse_request({"q": "glacier"})).total == 20
        assert service._open.matches["glacier"].docs is not None, "matched by the Whoosh fallback"
    finally:
        service.close()
