"""What only the OpenSearch engine does: reindex behind an alias, incremental adds, deep pages, exports.

All on the real 3-node test cluster (the `opensearch_cluster` fixture), each
test on an alias of its own.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_corpus  # noqa: E402
from test_engines_behaviour import ARTICLES, having, opensearch_engine_for  # noqa: E402

import ingest  # noqa: E402
from archive.document import Article  # noqa: E402
from archive.store import FileState, Store  # noqa: E402
from index.opensearch.mapping import MAPPING_VERSION  # noqa: E402
from index.query import parse_request  # noqa: E402


@pytest.fixture
def archive(tmp_path) -> Path:
    """The fixture corpus in a store (and a Whoosh index); the data folder."""
    search_corpus.build(tmp_path)
    return tmp_path


def article(aid: str, title: str, body: str, date=dt.date(2016, 12, 1)) -> Article:
    return Article(id=aid, slug=aid, title=title, body=body, source_path=f"/fixture/{aid}.txt", record=None,
                   fmt="txt", original=body, outlet="TASS", outlet_slug="tass", date=date, lang="en")


def store_one(root: Path, a: Article, n: int = 1) -> None:
    with Store(root / "archive.sqlite3") as store:
        store.store_file(FileState(a.source_path, n, n, f"{a.id}-{n}"), [a])


def ids(engine, **params) -> list[str]:
    params.setdefault("per_page", "100")
    return [h.id for h in engine.search(parse_request(params)).hits]


def test_reindex_loads_a_new_index_and_swaps_the_alias_to_it(opensearch_cluster, archive):
    engine = opensearch_engine_for(opensearch_cluster)
    assert engine.generation() is None
    assert engine.search(parse_request({"q": "harbour"})).notice  # no index yet: said, not an error
    with Store(archive / "archive.sqlite3") as store:
        engine.rebuild(store)
        first = engine.generation()
        assert first and first.startswith(engine.alias + "-")
        engine.rebuild(store)
        second = engine.generation()
        engine.rebuild(store)
        third = engine.generation()
    assert len({first, second, third}) == 3
    indices = set(engine.client.indices.get(index=f"{engine.alias}-*"))
    assert indices == {second, third}  # the replaced one is kept for open points in time, older ones go
    assert set(ids(engine, q="harbour")) == having("harbour")
    assert engine.stats()["documents"] == len(ARTICLES)
    engine.close()


def test_a_reindex_that_fails_leaves_the_live_index_and_the_alias_alone(opensearch_cluster, archive):
    engine = opensearch_engine_for(opensearch_cluster)
    with Store(archive / "archive.sqlite3") as store:
        engine.rebuild(store)
        live = engine.generation()

        def broken():
            yield from store.iter_articles()
            raise OSError("the disk went away")

        with pytest.raises(OSError):
            engine.rebuild(store, articles=broken())
    assert engine.generation() == live
    assert set(engine.client.indices.get(index=f"{engine.alias}-*")) == {live}
    assert set(ids(engine, q="harbour")) == having("harbour")
    engine.close()


def test_add_keeps_the_index_in_sync_incrementally(opensearch_cluster, archive):
    engine = opensearch_engine_for(opensearch_cluster)
    with Store(archive / "archive.sqlite3") as store:
        engine.rebuild(store)
    live = engine.generation()
    store_one(archive, article("late-1", "The gondola returns", "A gondola story."))
    with Store(archive / "archive.sqlite3") as store:
        assert store.pending_ids() == ["late-1"]
        assert engine.sync(store) == (1, 0)
        assert store.pending_ids() == []
    assert ids(engine, q="gondola") == ["late-1"] and engine.generation() == live  # no reindex
    store_one(archive, article("late-1", "The gondola sank", "A canal story."), n=2)  # the same file, changed
    with Store(archive / "archive.sqlite3") as store:
        engine.sync(store)
    assert ids(engine, q="gondola") == ["late-1"] and ids(engine, q="canal") == ["late-1"]
    assert engine.search(parse_request({"q": "gondola"})).hits[0].title == "The gondola sank"
    with Store(archive / "archive.sqlite3") as store:
        store.forget_file("/fixture/late-1.txt")
        assert engine.sync(store) == (0, 1)
    assert ids(engine, q="gondola") == [] and engine.stats()["documents"] == len(ARTICLES)
    engine.close()


def test_an_index_an_older_mapping_made_is_rebuilt_and_swapped_in_by_the_next_add(opensearch_cluster, archive):
    engine = opensearch_engine_for(opensearch_cluster)
    with Store(archive / "archive.sqlite3") as store:
        engine.rebuild(store)
    old = engine.generation()
    older = str(int(MAPPING_VERSION) - 1)
    engine.client.indices.put_mapping(index=old, body={"_meta": {"mapping_version": older}})
    store_one(archive, article("late-2", "The gondola returns", "A gondola story."))
    with Store(archive / "archive.sqlite3") as store:
        engine.sync(store)
        assert store.pending_ids() == []
    new = engine.generation()
    assert new != old
    assert engine.client.indices.get_mapping(index=new)[new]["mappings"]["_meta"] == {
        "mapping_version": MAPPING_VERSION}
    assert ids(engine, q="gondola") == ["late-2"]
    assert engine.stats()["documents"] == len(ARTICLES) + 1
    # its two indexes go, so that the fault tests' kill meets the shards it always met
    engine.client.indices.delete(index=f"{engine.alias}-*")
    engine.close()


def test_the_cli_reindexes_and_adds_into_the_cluster(opensearch_cluster, archive, tmp_path):
    alias = f"cli-{tmp_path.name[-12:].lower()}".replace("_", "-")
    env = {"ARCHIVE_OPENSEARCH_INDEX": alias}
    urls = ",".join(opensearch_cluster.urls)
    runner = CliRunner()
    done = runner.invoke(ingest.cli, ["reindex", "--data", str(archive), "--engine", "opensearch",
                                      "--opensearch-url", urls], env=env)
    assert done.exit_code == 0, done.output
    assert f"reindexed {len(ARTICLES)} article(s); index generation {alias}-" in done.output
    source = tmp_path / "late.jsonl"
    source.write_text(json.dumps({"title": "Gondola news", "body": "The gondola came back to the harbour.",
                                  "outlet": "TASS", "date": "2016-12-02"}) + "\n" + "".join(
        json.dumps({"title": f"Canal report {i}", "body": f"Canal boats, part {i}.", "outlet": "TASS",
                    "date": "2016-12-03"}) + "\n" for i in range(2)))
    added = runner.invoke(ingest.cli, ["add", str(source), "--data", str(archive), "--no-entities", "--no-coverage",
                                       "--batch-size", "1", "--engine", "opensearch", "--opensearch-url", urls],
                          env=env)
    assert added.exit_code == 0, added.output
    assert "index: 3 written" in added.output  # committed batch by batch
    with Store(archive / "archive.sqlite3") as store:
        assert store.pending_ids() == []
    found = runner.invoke(ingest.cli, ["search", "gondola", "--data", str(archive), "--json", "--engine",
                                       "opensearch", "--opensearch-url", urls], env=env)
    assert found.exit_code == 0, found.output
    assert [h["title"] for h in json.loads(found.output)["hits"]] == ["Gondola news"]


def test_pages_past_the_result_window_are_walked_with_search_after(opensearch_cluster, archive):
    small = opensearch_engine_for(opensearch_cluster, max_result_window=25)
    with Store(archive / "archive.sqlite3") as store:
        small.rebuild(store)
    expected = sorted(having("harbour") | having("glacier") | having("tariff"),
                      key=lambda i: (-(BY_DATE[i].toordinal() if BY_DATE[i] else -10**6), i))
    assert len(expected) > 25
    seen = []
    for page in range(1, -(-len(expected) // 7) + 1):
        seen += ids(small, q="harbour OR glacier OR tariff", sort="newest", per_page="7", page=str(page))
    assert seen == expected
    assert ids(small, q="harbour OR glacier OR tariff", sort="newest", per_page="7", page="50") == []
    request = parse_request({"q": "harbour OR glacier OR tariff", "sort": "newest", "per_page": "10"})
    exported, page = [], 1
    with small.snapshot() as pinned:
        while True:
            result = pinned.search(dataclasses.replace(request, page=page, highlight=False))
            exported += [h.id for h in result.hits]
            if page >= result.pages:
                break
            page += 1
    assert exported == expected and result.total == len(expected)
    small.close()


BY_DATE = {a.id: a.date for a in ARTICLES}


def test_the_web_app_searches_pages_and_exports_from_the_cluster(opensearch_cluster, archive):
    from web import create_app
    engine = opensearch_engine_for(opensearch_cluster)
    with Store(archive / "archive.sqlite3") as store:
        engine.rebuild(store)
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(archive), "ARCHIVE_ENGINE": "opensearch",
                      "ARCHIVE_OPENSEARCH_URLS": ",".join(opensearch_cluster.urls),
                      "ARCHIVE_OPENSEARCH_INDEX": engine.alias})
    client = app.test_client()
    assert app.extensions["search"].name == "opensearch"
    page = client.get("/?q=harbour")
    assert page.status_code == 200 and "<mark>harbour</mark>" in page.get_data(as_text=True).lower()
    api = client.get("/api/search?q=harbour&per_page=100").get_json()
    assert {h["id"] for h in api["hits"]} == having("harbour") and api["total"] == len(having("harbour"))
    rows = [json.loads(line) for line in client.get("/export.jsonl?q=harbour OR glacier&sort=oldest")
            .get_data(as_text=True).splitlines() if line.strip()]
    assert len({r["id"] for r in rows}) == len(having("harbour") | having("glacier")) == len(rows)
    assert client.get("/article/sample-003").status_code == 200
    assert client.get("/api/stats").get_json()["generation"] == engine.generation()
    app.extensions["search"].close()
    engine.close()
