"""On the OpenSearch engine too, passage partners come from the store and an add leaves older documents alone.

Runs on the 3-node test cluster (`opensearch_cluster`); the articles are
those of test_index_partners: two stories quoting one statement, then a
third quoting it, added later. A document the add rewrote would have a
higher `_version`.
"""
from __future__ import annotations

import uuid

from archive.coverage.ingest import CoverageStep
from archive.paths import DataDir
from archive.pipeline import Ingest
from archive.store import Store
from index.query import parse_request
from test_index_partners import OWN, STATEMENT, write


def add(data: DataDir, engine, folder) -> None:
    with Store(data.store_path) as store:
        report = Ingest(store, index=lambda s, progress: engine.feed(s), coverage=CoverageStep()).run([folder])
    assert not report.failures, report.failures


def versions(engine) -> dict[str, int]:
    found = engine.client.search(index=engine.alias, body={"version": True, "size": 100, "_source": False,
                                                          "query": {"match_all": {}}})
    return {h["_id"]: h["_version"] for h in found["hits"]["hits"]}


def test_on_the_cluster_shares_come_from_the_store_and_an_add_rewrites_no_partner(opensearch_cluster, tmp_path):
    from index.engines import EngineOptions
    from index.opensearch import OpenSearchEngine

    data = DataDir(tmp_path / "data")
    engine = OpenSearchEngine(EngineOptions(engine="opensearch", urls=tuple(opensearch_cluster.urls),
                                            index=f"test-partners-{uuid.uuid4().hex[:8]}"),
                              shards=1, replicas=1, store_path=data.store_path)
    try:
        write(tmp_path / "one", "first.txt", f"Harvest news\n\n{OWN[0]} {STATEMENT}")
        write(tmp_path / "one", "second.txt", f"Bridge opens\n\n{OWN[1]} {STATEMENT}")
        add(data, engine, tmp_path / "one")
        before = versions(engine)
        write(tmp_path / "two", "third.txt", f"Cup final\n\n{OWN[2]} {STATEMENT}")
        add(data, engine, tmp_path / "two")
        after = versions(engine)
        [new] = set(after) - set(before)
        assert {i: after[i] for i in before} == before, "an older document was written again"

        hits = engine.search(parse_request({})).hits
        older = set(before)
        assert {h.id: set(h.shares) for h in hits} == {**{o: (older - {o}) | {new} for o in older}, new: older}
        found = engine.search(parse_request({"shares": new}))
        assert {h.id for h in found.hits} == older and found.total == 2
        assert {f.name: sum(v.count for v in f.values) for f in found.facets}["lang"] == 2
    finally:
        try:  # the cluster is shared: leave no index behind for the fault tests to meet
            engine.client.indices.delete(index=f"{engine.alias}-*")
        finally:
            engine.close()
