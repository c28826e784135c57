"""Load: 8 clients for 30 s against a threaded server over a 20k-article archive while `add` and `reindex` run.

The server is the app factory under Werkzeug's threaded server in a child
process, on loopback only (127.0.0.1, a port the kernel picks); the clients
are threads of this process, each sending the next request as soon as the
last one answered. Every query has hits in every state of the archive
(its words are in every article written, before and after the `add`), so
each answer must be a 200 with a positive total and hits: 0 errors, 0
empty answers. Requests/s and the 95th percentile are printed and recorded.
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from archive.document import Article
from archive.paths import DataDir
from archive.store import FileState, Store
from index.writer import generation, rebuild

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[1]
ARTICLES = 20_000
ADDED = 1_000
CLIENTS = 8
SECONDS = 30
HOST = "127.0.0.1"
WORDS = ("harbour", "glacier", "tariff", "vaccine", "orchard", "lighthouse", "turbine", "quarry",
         "meadow", "falcon", "copper", "lantern", "ferry", "granite", "pepper", "violin")
OUTLETS = ("RT News", "Sputnik", "TASS", "Reuters", "Fars News Agency")
#: Every article's body holds the first three words, so these always have hits.
ALWAYS = WORDS[:3]
QUERIES = (
    {"q": "harbour"}, {"q": "glacier tariff"}, {"q": '"harbour glacier"'}, {"q": "harb*"},
    {"q": "tariff", "outlet": "tass"}, {"q": "harbour", "sort": "newest"}, {"q": "glacier", "page": "2"},
    {"q": "tariff OR falcon"}, {"q": "harbour -nothingatall"}, {"q": "glacier", "from": "2016-01-01"},
    {"q": ""}, {"q": "tarif~"},
)

SERVER = r"""
import sys
from werkzeug.serving import make_server
from web import create_app
app = create_app({"ARCHIVE_DATA": sys.argv[1]})
server = make_server("127.0.0.1", 0, app, threaded=True)
print(server.server_port, flush=True)
server.serve_forever()
"""


def body(rng: random.Random) -> str:
    words = list(ALWAYS) + [rng.choice(WORDS) for _ in range(45)]
    rng.shuffle(words)
    return "harbour glacier " + " ".join(words) + "."


def make_articles(n: int, seed: int, prefix: str) -> list[Article]:
    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    out = []
    for i in range(n):
        outlet = OUTLETS[i % len(OUTLETS)]
        out.append(Article(id=f"{prefix}-{i:05d}", slug=f"{prefix}-{i:05d}", title=f"{rng.choice(WORDS)} report {i}",
                           body=body(rng), source_path=f"/load/{prefix}-{i // 1000:03d}.jsonl", record=i % 1000,
                           fmt="jsonl", original="", outlet=outlet, outlet_slug=outlet.lower().replace(" ", "-"),
                           date=start + dt.timedelta(days=i % 900), lang="en"))
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> tuple[DataDir, Path]:
    """A 20k-article archive (stored, indexed), and a folder of JSON Lines with more to add."""
    root = tmp_path_factory.mktemp("load")
    data = DataDir(root / "data")
    articles = make_articles(ARTICLES, 1, "a")
    with Store(data.store_path) as store:
        by_file: dict[str, list[Article]] = {}
        for a in articles:
            by_file.setdefault(a.source_path, []).append(a)
        for n, (path, group) in enumerate(sorted(by_file.items())):
            store.store_file(FileState(path, 1, 1, f"d{n}"), group)
        rebuild(store, data.index_root)
    more = root / "more"
    more.mkdir()
    rng = random.Random(2)
    for f in range(ADDED // 250):
        lines = [json.dumps({"title": f"Added {rng.choice(WORDS)} report {f}-{i}", "text": body(rng) * 3,
                             "outlet": rng.choice(OUTLETS), "date": f"2017-0{1 + i % 9}-1{i % 10}"})
                 for i in range(250)]
        (more / f"added-{f}.jsonl").write_text("\n".join(lines) + "\n")
    return data, more


def _python(*args: str, log: Path) -> subprocess.Popen:
    """A child Python; stdout piped, stderr to `log` (a request log would fill a pipe)."""
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    with open(log, "w") as err:
        return subprocess.Popen([sys.executable, *args], cwd=PROJECT, env=env, stdout=subprocess.PIPE,
                                stderr=err, text=True)


def _ended(proc: subprocess.Popen, timeout: float = 300) -> int:
    code = proc.wait(timeout=timeout)
    proc.stdout.close()
    return code


class Client(threading.Thread):
    def __init__(self, port: int, n: int, until: float):
        super().__init__(daemon=True)
        self.port, self.n, self.until = port, n, until
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.empty: list[str] = []

    def run(self) -> None:
        i = self.n
        while time.monotonic() < self.until:
            params = QUERIES[i % len(QUERIES)]
            i += 1
            path = "/api/search?" + urlencode(params)
            began = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                conn.request("GET", path)
                response = conn.getresponse()
                raw = response.read()
                conn.close()
            except OSError as exc:
                self.errors.append(f"{path}: {type(exc).__name__}: {exc}")
                continue
            self.latencies.append(time.perf_counter() - began)
            if response.status != 200:
                self.errors.append(f"{path}: HTTP {response.status}: {raw[:200]!r}")
                continue
            result = json.loads(raw)
            if result["total"] <= 0 or not result["hits"]:
                self.empty.append(path)


def test_eight_clients_for_thirty_seconds_while_add_and_reindex_run(archive, record_property, tmp_path):
    data, more = archive
    server = _python("-c", SERVER, str(data.root), log=tmp_path / "server.log")
    try:
        port = int(server.stdout.readline())
        for params in QUERIES:  # opened and warm: the figures are for steady serving
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            conn.request("GET", "/api/search?" + urlencode(params))
            assert conn.getresponse().status == 200
            conn.close()
        before = generation(data.index_root)
        started = time.monotonic()
        clients = [Client(port, n, started + SECONDS) for n in range(CLIENTS)]
        for c in clients:
            c.start()
        writers = [_python("ingest.py", "add", str(more), "--data", str(data.root), "--no-entities",
                           "--no-coverage", log=tmp_path / "add.log")]
        _ended(writers[0], 120)
        added = time.monotonic() - started
        writers.append(_python("ingest.py", "reindex", "--data", str(data.root), log=tmp_path / "reindex.log"))
        for c in clients:
            c.join(SECONDS + 60)
        elapsed = time.monotonic() - started
        outcomes = [_ended(w) for w in writers]
        reindexed = time.monotonic() - started
    finally:
        server.terminate()
        _ended(server, 30)
    for code, name in zip(outcomes, ("add", "reindex")):
        assert code == 0, (tmp_path / f"{name}.log").read_text()[-2000:]
    assert "Traceback" not in (tmp_path / "server.log").read_text()
    latencies = sorted(x for c in clients for x in c.latencies)
    errors = [e for c in clients for e in c.errors]
    empty = [e for c in clients for e in c.empty]
    rate = len(latencies) / elapsed
    p95 = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("nan")
    print(f"\nload: {len(latencies)} requests in {elapsed:.1f}s by {CLIENTS} clients = {rate:.1f} requests/s, "
          f"p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 {p95:.0f} ms, "
          f"errors {len(errors)}, empty {len(empty)}; add done at {added:.0f}s, reindex at {reindexed:.0f}s; "
          f"generations {before} -> {generation(data.index_root)}")
    record_property("requests_per_second", round(rate, 1))
    record_property("p95_ms", round(p95))
    assert errors == [], errors[:5]
    assert empty == [], empty[:5]
    assert generation(data.index_root) != before
    assert len(latencies) >= CLIENTS * 10
    with Store(data.store_path) as store:
        assert store.count() == ARTICLES + ADDED
