"""Passage partners are read from the store at query time, and an add writes new documents only.

The shares filter and each hit's `shares` come from the store's
`shared_passages` (archive.coverage.partners, index.partners); the index
keeps no copy, so adding an article that shares passages with older ones
leaves their documents (and the segments holding them) untouched. Expected
partners are written out by hand from the rows each test stores.
"""
from __future__ import annotations

import sqlite3

import pytest

from archive.coverage import partners
from archive.coverage import store as coverage_store
from archive.paths import DataDir
from archive.store import Store
from conftest import build_archive
from index import writer
from index.errors import StoreUnreadable
from index.opensearch import request as rq
from index.query import parse_request
from index.schema import build_schema
from index.search import SearchService

STATEMENT = ("The ministry said in a statement that the convoy of forty trucks had crossed the border "
             "at dawn on Tuesday without any escort.")


def passages_db(rows) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE shared_passages (a TEXT, b TEXT, a_start INT, a_end INT, b_start INT, b_end INT,"
               " words INT)")
    db.executemany("INSERT INTO shared_passages VALUES (?, ?, 0, 1, 0, 1, 8)", rows)
    return db


def test_partners_are_read_both_ways_once_each():
    db = passages_db([("a", "b"), ("a", "b"), ("c", "a"), ("d", "e")])  # a-b twice: two passages
    assert partners.partners_of(db, ["a", "b", "z"]) == {"a": ("b", "c"), "b": ("a",), "z": ()}
    assert partners.sharing_with(db, ["a"]) == {"b", "c"}
    assert partners.sharing_with(db, ["b", "e"]) == {"a", "d"}
    assert partners.sharing_with(db, []) == set()


def test_partners_of_more_ids_than_one_query_binds_are_all_found(monkeypatch):
    monkeypatch.setattr(partners, "CHUNK", 2)
    db = passages_db([(f"x{i}", f"y{i}") for i in range(5)])
    assert partners.partners_of(db, [f"y{i}" for i in range(5)]) == {f"y{i}": (f"x{i}",) for i in range(5)}
    assert partners.sharing_with(db, [f"x{i}" for i in range(5)]) == {f"y{i}" for i in range(5)}


def test_an_archive_without_passage_tables_has_no_partners():
    db = sqlite3.connect(":memory:")
    assert partners.partners_of(db, ["a"]) == {"a": ()}
    assert partners.sharing_with(db, ["a"]) == set()


def test_the_index_schema_keeps_no_partners():
    assert "shares" not in build_schema().names()


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


#: Three stories of their own (too little text in common to be one story group), each quoting STATEMENT.
OWN = (
    "Officials in the capital spoke on Monday about the harvest, the price of bread in the northern markets, "
    "the rains that came late to the valley and the schools that opened again after the long summer closure.",
    "A regional paper described the new bridge over the river, its cost, the two years of work by engineers "
    "from three countries, and the ferry owners who fear that their boats will now stand idle on the bank.",
    "An agency report listed the football results of the weekend, a record crowd at the stadium, the coach "
    "who resigned after the defeat and the young striker whose two goals sent the club to the final.",
)


@pytest.fixture(scope="module")
def two_adds(tmp_path_factory):
    """An archive of two articles, then a third sharing the statement with both, added later."""
    tmp_path = tmp_path_factory.mktemp("partners")
    data = DataDir(tmp_path / "data")
    write(tmp_path / "one", "first.txt", f"Harvest news\n\n{OWN[0]} {STATEMENT}")
    write(tmp_path / "one", "second.txt", f"Bridge opens\n\n{OWN[1]} {STATEMENT}")
    build_archive(data, [tmp_path / "one"], entities=False)
    ix = writer.open_current(data.index_root)
    with ix.searcher() as s:
        before = {f["id"] for f in s.all_stored_fields()}
    ix.close()
    write(tmp_path / "two", "third.txt", f"Cup final\n\n{OWN[2]} {STATEMENT}")
    build_archive(data, [tmp_path / "two"], entities=False)
    return data, before


def test_an_add_sharing_passages_with_older_articles_writes_only_its_own_document(two_adds):
    data, before = two_adds
    with Store(data.store_path) as store:
        assert not coverage_store.all_links(store), "the fixture's articles are meant to be three stories"
    ix = writer.open_current(data.index_root)
    try:
        reader = ix.reader()
        leaves = [leaf for leaf, _ in reader.leaf_readers()]
        assert reader.doc_count_all() == 3, "an older document was written again"
        assert not any(leaf.has_deletions() for leaf in leaves), "an older document was replaced"
        assert len(leaves) == 2  # the first add's segment, untouched, and the new one's
    finally:
        ix.close()
    svc = SearchService(data.index_root)
    try:
        hits = svc.search(parse_request({"per_page": "10"})).hits
        [new] = {h.id for h in hits} - before
        assert {h.id: set(h.shares) for h in hits} == {
            **{old: (before - {old}) | {new} for old in before}, new: before}
        found = svc.search(parse_request({"shares": new}))
        assert {h.id for h in found.hits} == before and found.total == 2
        both = svc.search(parse_request({"shares": sorted(before)}))
        assert {h.id for h in both.hits} == before | {new}  # each older one shares with the other
    finally:
        svc.close()


def test_the_shares_filter_without_a_store_is_an_error_not_an_empty_answer(two_adds, tmp_path):
    data, before = two_adds
    svc = SearchService(data.index_root, store_path=tmp_path / "elsewhere" / "archive.sqlite3")
    try:
        hits = svc.search(parse_request({})).hits
        assert len(hits) == 3 and all(h.shares == () for h in hits)  # no store: nothing to list
        with pytest.raises(StoreUnreadable, match="shares filter"):
            svc.search(parse_request({"shares": sorted(before)[0]}))
    finally:
        svc.close()


def test_the_cluster_filters_a_shares_search_by_the_ids_the_store_gave():
    req = parse_request({"shares": "x"})
    body = rq.search_body(req, None, id_sets={"shares": {"b", "a"}})
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"id": ["a", "b"]}}]}}
    assert "shares" not in body["_source"]["includes"]
    assert rq.filters(req, {"shares": set()}) == {"shares": {"bool": {"must_not": [{"match_all": {}}]}}}


def test_more_ids_than_one_terms_clause_takes_are_split(monkeypatch):
    monkeypatch.setattr(rq, "MAX_TERMS", 2)
    assert rq.id_filter({"c", "a", "b"}) == {"bool": {"should": [{"terms": {"id": ["a", "b"]}},
                                                                 {"terms": {"id": ["c"]}}],
                                                      "minimum_should_match": 1}}


def passages_file(path, rows) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE shared_passages (a TEXT, b TEXT, a_start INT, a_end INT, b_start INT, b_end INT,"
               " words INT)")
    db.executemany("INSERT INTO shared_passages VALUES (?, ?, 0, 1, 0, 1, 8)", rows)
    db.commit()
    db.close()


def test_lookups_reuse_an_idle_connection_hold_no_snapshot_and_notice_a_replaced_store(tmp_path, monkeypatch):
    from index.partners import Partners
    path = tmp_path / "archive.sqlite3"
    passages_file(path, [("a", "b")])
    opened = []
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect",
                        lambda *a, **kw: (kw.get("uri") and opened.append(a)) or connect(*a, **kw))
    store = Partners(path)
    assert store.of(["a"]) == {"a": ("b",)}
    assert store.sharing_with(["b"]) == {"a"}
    assert len(opened) == 1  # the second lookup took the idle connection
    writer = connect(path)   # a write between lookups is seen: no snapshot was held
    writer.execute("INSERT INTO shared_passages VALUES ('a', 'c', 0, 1, 0, 1, 8)")
    writer.commit()
    writer.close()
    assert store.of(["a"]) == {"a": ("b", "c")}
    assert len(opened) == 1
    replacement = tmp_path / "new.sqlite3"
    passages_file(replacement, [("a", "z")])
    replacement.replace(path)  # another file at the same path (a restored backup, say)
    assert store.of(["a"]) == {"a": ("z",)}
    assert len(opened) == 2
    path.unlink()
    assert store.of(["a"]) == {"a": ()}  # no store: no partners, as before
    store.close()
