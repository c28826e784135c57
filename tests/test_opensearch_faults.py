"""Faults on the real 3-node cluster: a node's JVM is SIGKILLed while the archive works on it.

Each index here has 2 shards with 1 replica each, so every node holds shard
copies and losing any one node loses no data. What must hold (issue 16, part 5):

- a stream of searches through the engine goes on: no search fails once the
  cluster reports yellow (the client retries on the other listed hosts), and
  no search ever answers with part of its hits;
- an `add` whose node dies half way finishes, and every article it stored is
  found in the index: none is lost;
- the killed node, restarted, rejoins and takes shard copies again, and every
  shard has its primary and its replica, on two nodes.

(The cluster-level version of this, an index of 50 documents surviving a killed
primary, was a test of its own in test_opensearch_cluster.py; everything it
checked is checked here, on the archive's own index, around the same one kill,
which saved one kill-and-restart cycle, about 30 s, of the suite.)

Both happen around one kill (the searches run while the add is under way):
a node start costs tens of seconds, and the cluster tests have a time budget.

(A cluster that is down altogether, the CLI message and the error page, is
tests/test_engines_down.py.)
"""
from __future__ import annotations

import json
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_corpus  # noqa: E402

from archive.pipeline import Ingest  # noqa: E402
from archive.store import Store  # noqa: E402
from index.engines import EngineOptions  # noqa: E402
from index.errors import SearchError  # noqa: E402
from index.opensearch import OpenSearchEngine  # noqa: E402
from index.query import parse_request  # noqa: E402
from opensearch_cluster import http_json  # noqa: E402

pytestmark = pytest.mark.cluster

ARTICLES = search_corpus.all_articles()
STREAM_LIMIT_S = 300       # a search stream never runs longer than this (a loaded machine is slow)
SEARCHES_AFTER_YELLOW = 40


def having(word: str) -> set[str]:
    return {a.id for a in ARTICLES if word in search_corpus.words_of(a)}


# queries and the ids each must find, computed from the fixture articles, not by an engine
QUERIES = [
    ({"q": "harbour"}, having("harbour")),
    ({"q": "harbour OR glacier"}, having("harbour") | having("glacier")),
    ({"q": "harbour -glacier"}, having("harbour") - having("glacier")),
    ({"q": "outlet:TASS"}, {a.id for a in ARTICLES if a.outlet == "TASS"}),
    ({"q": "lightho*"}, having("lighthouse")),
    ({"q": "NOT gondola"}, {a.id for a in ARTICLES}),
]


def engine_on(cluster, urls=None, alias=None) -> OpenSearchEngine:
    options = EngineOptions(engine="opensearch", urls=tuple(urls or cluster.urls),
                            index=alias or f"faults-{uuid.uuid4().hex[:10]}")
    return OpenSearchEngine(options, shards=2, replicas=1)


def found_ids(engine, params: dict) -> set[str]:
    result = engine.search(parse_request({**params, "per_page": "100"}))
    assert result.total <= 100, "the fixture fits one page"
    return {h.id for h in result.hits}


def copies_by_node(cluster, index: str) -> dict[str, list[str]]:
    """node name -> the shard copies ('0p', '1r', ...) it holds, STARTED ones only."""
    url = cluster.urls[cluster.running()[0]]
    status, rows = http_json(f"{url}/_cat/shards/{index}?format=json&h=shard,prirep,state,node")
    assert status == 200, rows
    out: dict[str, list[str]] = {}
    for row in rows:
        if row["state"] == "STARTED":
            out.setdefault(row["node"], []).append(row["shard"] + row["prirep"])
    return out


def node_index(name: str) -> int:
    return int(name.rsplit("-", 1)[1])


def cluster_manager(cluster) -> int:
    url = cluster.urls[cluster.running()[0]]
    status, rows = http_json(f"{url}/_cat/cluster_manager?format=json")
    assert status == 200, rows
    return node_index(rows[0]["node"])


def wait_until(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"not within {timeout:.0f}s: {what}")
        time.sleep(0.5)


@pytest.fixture
def cluster(opensearch_cluster):
    """The session's cluster, whole and green (an earlier test may have killed a node)."""
    opensearch_cluster.heal()
    yield opensearch_cluster
    opensearch_cluster.heal()


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("faults-archive")
    search_corpus.build(root)
    return root / "archive.sqlite3"


# -- searches -----------------------------------------------------------------------------

@dataclass
class Search:
    started: float
    ended: float
    query: dict
    error: str | None = None       # a SearchError's message
    crashed: str | None = None     # anything else: never acceptable
    wrong: bool = False            # answered, but not with every expected hit


class SearchStream(threading.Thread):
    """Runs the QUERIES round and round through one engine until told to stop."""

    def __init__(self, engine):
        super().__init__(daemon=True)
        self.engine = engine
        self.log: list[Search] = []
        self.halt = threading.Event()

    def run(self) -> None:
        began = time.monotonic()
        n = 0
        while not self.halt.is_set() and time.monotonic() - began < STREAM_LIMIT_S:
            params, expected = QUERIES[n % len(QUERIES)]
            n += 1
            record = Search(time.monotonic(), 0.0, params)
            try:
                record.wrong = found_ids(self.engine, params) != expected
            except SearchError as error:
                record.error = str(error)
            except Exception as error:  # noqa: BLE001 - recorded and asserted on below
                record.crashed = f"{type(error).__name__}: {error}"
            record.ended = time.monotonic()
            self.log.append(record)

    def started_after(self, moment: float) -> list[Search]:
        return [s for s in self.log if s.started >= moment]


def late_articles(path: Path, n: int) -> Path:
    """`n` new articles in a JSON Lines file, in words and an outlet no query of QUERIES meets."""
    path.write_text("".join(json.dumps({
        "title": f"Gondola report {i}", "outlet": "Lagoon Gazette", "date": "2016-12-01",
        "body": f"The gondola number {i} crossed the lagoon at dawn, said the boatman."}) + "\n"
        for i in range(n)))
    return path


def test_a_node_killed_during_searches_and_an_add_loses_no_search_and_no_article(
        cluster, fixture_store, tmp_path):
    """One SIGKILL, in the middle of both: a stream of searches runs while an add is under
    way, and the node dies once the add's first bulk chunk is in."""
    archive = tmp_path / "archive.sqlite3"
    archive.write_bytes(fixture_store.read_bytes())
    engine = engine_on(cluster)
    try:
        with Store(archive) as store:
            assert engine.rebuild(store) == len(ARTICLES)
        cluster.wait_for("green")
        index = engine.generation()
        # a node holding a primary, so writes go to a promoted replica; the cluster manager if it
        # holds one, so searches also live through an election
        primaries = sorted(node_index(node) for node, copies in copies_by_node(cluster, index).items()
                           if any(c.endswith("p") for c in copies))
        manager = cluster_manager(cluster)
        victim = manager if manager in primaries else primaries[0]

        n = 1200
        source = late_articles(tmp_path / "late.jsonl", n)
        kills: list[float] = []

        def kill_after_the_first_chunk(written: int) -> None:
            if not kills:  # the first bulk chunk is in; the rest goes to a cluster one node short
                kills.append(time.monotonic())
                cluster.kill(victim)

        stream = SearchStream(engine)
        stream.start()
        try:
            wait_until(lambda: len(stream.log) >= 2 * len(QUERIES), 60, "the first searches")
            with Store(archive) as store:
                report = Ingest(store, index=lambda s, progress: engine.feed(s, kill_after_the_first_chunk),
                                batch_size=300).run([source])
                pending = store.pending_ids()
                stored = {a.id for a in store.iter_articles()}
            health = cluster.wait_for("yellow", timeout=90, index=index)
            yellow_at = time.monotonic()
            wait_until(lambda: len(stream.started_after(yellow_at)) >= SEARCHES_AFTER_YELLOW
                       or not stream.is_alive(), 120, f"{SEARCHES_AFTER_YELLOW} searches after yellow")
        finally:
            stream.halt.set()
            stream.join(30)
        # a new client knows nothing of the dead host: listed first, it is tried first and skipped
        fresh = engine_on(cluster, urls=[cluster.urls[victim]] + [cluster.urls[i] for i in cluster.running()],
                          alias=engine.alias)
        try:
            fresh_answers = [found_ids(fresh, params) == expected for params, expected in QUERIES]
            gondolas = fresh.search(parse_request({"q": "gondola", "per_page": "10"})).total
        finally:
            fresh.close()

        # the node died in the middle of the add
        assert kills and not cluster.nodes[victim].running
        assert health["status"] == "yellow" and health["number_of_nodes"] == 2
        # the searches
        killed_at = kills[0]
        before = [s for s in stream.log if s.ended < killed_at]
        window = [s for s in stream.log if s.ended >= killed_at and s.started < yellow_at]
        after = stream.started_after(yellow_at)
        assert before and all(s.error is None for s in before)
        assert len(after) >= SEARCHES_AFTER_YELLOW
        assert [s.error for s in after if s.error] == [], "a search failed after the cluster reported yellow"
        assert [s.crashed for s in stream.log if s.crashed] == []  # errors are SearchErrors, always
        assert [s.query for s in stream.log if s.wrong] == []      # never part of the hits
        assert all(fresh_answers)
        # the add: every article stored, indexed and searchable; nothing left flagged
        assert report.failures == [] and report.added == n and report.indexed == n
        assert pending == []
        assert len(stored) == len(ARTICLES) + n
        assert gondolas == n
        for i in cluster.running():  # nothing lost, nothing extra, whichever node answers
            assert _all_ids(cluster, index, url=cluster.urls[i]) == stored
        print(f"\nsearches: {len(before)} before the kill, {len(window)} until yellow "
              f"({sum(1 for s in window if s.error)} failed), {len(after)} after, none failed; "
              f"yellow {yellow_at - killed_at:.1f}s after the kill; add of {n}: all indexed")

        # the node comes back, takes shard copies again and answers on its own with everything
        cluster.restart(victim)
        cluster.wait_for("green", timeout=120)
        name = cluster.nodes[victim].name
        wait_until(lambda: copies_by_node(cluster, index).get(name), 90,
                   f"{name} holds shard copies of {index} again")
        assert _all_ids(cluster, index, url=cluster.urls[victim]) == stored
        # every shard has its primary and its replica again, on two different nodes
        wait_until(lambda: sorted(c for copies in copies_by_node(cluster, index).values() for c in copies)
                   == ["0p", "0r", "1p", "1r"], 90, f"both copies of both shards of {index} started")
        assert all(len({c[0] for c in copies}) == len(copies) for copies in copies_by_node(cluster, index).values())
        alone = engine_on(cluster, urls=[cluster.urls[victim]], alias=engine.alias)
        try:
            assert found_ids(alone, {"q": "harbour"}) == having("harbour")
        finally:
            alone.close()
    finally:
        _drop(cluster, engine)


def _all_ids(cluster, index: str, url: str | None = None) -> set[str]:
    url = url or cluster.urls[cluster.running()[0]]
    status, body = http_json(f"{url}/{index}/_search", "POST", {
        "size": 10000, "_source": False, "query": {"match_all": {}}})
    assert status == 200, body
    assert body["_shards"]["failed"] == 0, body["_shards"]
    return {hit["_id"] for hit in body["hits"]["hits"]}


def _drop(cluster, engine) -> None:
    """Delete the test's indices (the cluster is shared by the session)."""
    try:
        url = cluster.urls[cluster.running()[0]]
        http_json(f"{url}/{engine.alias}-*", "DELETE")
    finally:
        engine.close()
