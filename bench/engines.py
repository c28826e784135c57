"""The two engines side by side: the same store, the same queries, Whoosh and a 3-node OpenSearch cluster.

    .venv/bin/python bench/engines.py [--size 100000] [--queries 60] [--work DIR] [--shards 3]

Builds (once; reused from --work afterwards) a synthetic archive of --size
articles written by ../shared/tools/scale_corpus.py (Reuters sentences,
400 outlets, dates over 2008-2026), stored through `archive.store.Store`.
Then, in one run:

- bulk indexing: `Engine.rebuild` of the whole store on each engine (Whoosh:
  a new generation folder; OpenSearch: a new index of --shards shards with
  1 replica behind an alias, on the test cluster of tests/opensearch_cluster.py
  started with the full JIT), articles per second;
- search latency: the same queries (single words, word pairs, two-word
  phrases taken deterministically from the corpus, each with and without an
  outlet filter) through `Engine.search`, in process, as the web app calls
  it: a page of 10 hits with highlights, every facet, the timeline. Each
  query runs once per engine after a warm-up of as many queries on other
  words (the JVMs compile their hot code, Whoosh fills its caches), so no
  result cache flatters either; p50/p95 in milliseconds, and the ratio.

The three nodes and this script share the machine (2 cores here), so the
cluster's figures are those of a cluster with no hardware of its own: they
show what the distribution costs, not what separate machines would give.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from slugify import slugify

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "tests"))

from archive.document import Article  # noqa: E402
from archive.store import FileState, Store  # noqa: E402

SCALE = PROJECT.parent / "shared" / "tools" / "scale_corpus.py"
STOP = set("the a an and or not of to in on for with by at from as is was are be this that it its "
           "said will would has have had mln pct dlrs vs cts reuter inc corp year".split())
CHUNK = 5000


# -- the archive ---------------------------------------------------------------------

def corpus(work: Path, size: int) -> Path:
    path = work / f"scale-{size}.jsonl"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        subprocess.run([sys.executable, str(SCALE), str(size), str(tmp)], check=True)
        tmp.rename(path)
    return path


def records(path: Path):
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            yield n, json.loads(line)


def to_article(n: int, rec: dict) -> Article:
    aid = f"scale-{n:07d}"
    return Article(id=aid, slug=aid, title=rec["title"], body=rec["body"], source_path="scale.jsonl",
                   record=n, fmt="jsonl", original="", outlet=rec["outlet"], outlet_slug=slugify(rec["outlet"]),
                   date=dt.date.fromisoformat(rec["date"]), lang="en", url=rec.get("url"))


def build_store(path: Path, root: Path) -> Path:
    """The articles in a store (as a reader would have stored them; no extraction is timed)."""
    store_path = root / "archive.sqlite3"
    done = root / "stored"
    if done.exists():
        return store_path
    root.mkdir(parents=True, exist_ok=True)
    store_path.unlink(missing_ok=True)
    with Store(store_path) as store:
        batch: list[Article] = []
        part = 0
        for n, rec in records(path):
            batch.append(to_article(n, rec))
            if len(batch) == CHUNK:
                store.store_file(FileState(f"scale-{part}.jsonl", 1, 1, f"p{part}"), batch)
                batch, part = [], part + 1
        if batch:
            store.store_file(FileState(f"scale-{part}.jsonl", 1, 1, f"p{part}"), batch)
    done.touch()
    return store_path


# -- the queries -----------------------------------------------------------------------

def make_queries(path: Path, n: int, offset: int = 0) -> tuple[list[dict], str]:
    """Query parameters (half with the commonest outlet as filter), and that outlet's slug;
    another `offset` gives other words (the warm-up)."""
    words, titles, outlets = Counter(), [], Counter()
    for i, rec in records(path):
        if i >= 20000:
            break
        outlets[rec["outlet"]] += 1
        titles.append([w for w in re.findall(r"[a-z]{4,}", rec["title"].lower()) if w not in STOP])
        words.update(set(re.findall(r"[a-z]{4,}", rec["body"].lower())) - STOP)
    ranked = [w for w, c in words.most_common() if c >= 3]
    third = max(1, n // 3)
    singles = ranked[offset:: max(1, len(ranked) // third)][:third]
    pairs, phrases = [], []
    for toks in titles[offset::7]:
        if len(toks) >= 2 and len(pairs) < third and toks[0] != toks[-1]:
            pairs.append(f"{toks[0]} {toks[-1]}")
        if len(toks) >= 2 and len(phrases) < n - 2 * third:
            phrases.append(f'"{toks[0]} {toks[1]}"')
    outlet = slugify(outlets.most_common(1)[0][0])
    base = singles + pairs + phrases
    return [{"q": q} for q in base] + [{"q": q, "outlet": outlet} for q in base], outlet


def timed_searches(engine, queries: list[dict]) -> tuple[list[float], list[int]]:
    from index.query import parse_request
    times, totals = [], []
    for params in queries:
        request = parse_request(params)
        t = time.perf_counter()
        result = engine.search(request)
        times.append((time.perf_counter() - t) * 1000)
        totals.append(result.total)
    return times, totals


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- running ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60, help="distinct queries (each run with and "
                                                                "without the outlet filter)")
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--heap-mb", type=int, default=1024, help="heap of each OpenSearch node")
    parser.add_argument("--work", type=Path, default=Path("/tmp/news-archive-bench-engines"))
    args = parser.parse_args(argv)
    if not SCALE.exists():
        print(f"corpus generator not found: {SCALE}", file=sys.stderr)
        return 1

    from index.engines import EngineOptions, WhooshEngine
    from index.opensearch import OpenSearchEngine
    from opensearch_cluster import Cluster, ClusterError

    args.work.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    source = corpus(args.work, args.size)
    root = args.work / f"archive-{args.size}"
    store_path = build_store(source, root)
    queries, outlet = make_queries(source, args.queries)
    warm, _ = make_queries(source, args.queries, offset=3)  # other words: no query runs twice
    print(f"== {args.size} articles (corpus and store built/reused in {time.perf_counter() - t:.0f} s); "
          f"{len(queries)} queries, half filtered on outlet {outlet}")

    index_rate, search_ms = {}, {}
    whoosh = WhooshEngine(root / "index")
    with Store(store_path) as store:
        t = time.perf_counter()
        n = whoosh.rebuild(store)
        index_rate["whoosh"] = n / (time.perf_counter() - t)
    timed_searches(whoosh, warm)
    search_ms["whoosh"], whoosh_totals = timed_searches(whoosh, queries)
    whoosh.close()

    try:
        cluster = Cluster(heap_mb=args.heap_mb, quick_jit=False).start(nodes=3)
    except ClusterError as error:
        print(f"the OpenSearch cluster did not start: {error}", file=sys.stderr)
        return 1
    with cluster:
        print(f"3-node cluster green in {cluster.startup_seconds:.0f} s ({args.heap_mb} MB heap each)")
        options = EngineOptions(engine="opensearch", urls=tuple(cluster.urls),
                                index=f"bench-{uuid.uuid4().hex[:8]}")
        engine = OpenSearchEngine(options, shards=args.shards, replicas=1)
        with Store(store_path) as store:
            t = time.perf_counter()
            n = engine.rebuild(store)
            index_rate["opensearch"] = n / (time.perf_counter() - t)
        cluster.wait_for("green", timeout=300)
        timed_searches(engine, warm)
        search_ms["opensearch"], os_totals = timed_searches(engine, queries)
        engine.close()

    differ = sum(1 for a, b in zip(whoosh_totals, os_totals) if a != b)
    label = {"whoosh": "Whoosh (embedded)", "opensearch": f"OpenSearch 3 nodes, {args.shards} shards x 2"}
    print(f"\n{'engine':34} {'index art/s':>12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name in ("whoosh", "opensearch"):
        times = search_ms[name]
        print(f"{label[name]:34} {index_rate[name]:12.0f} {pct(times, 50):8.1f} {pct(times, 95):8.1f} "
              f"{max(times):8.1f}")
    w, o = search_ms["whoosh"], search_ms["opensearch"]
    print(f"opensearch / whoosh: indexing x{index_rate['opensearch'] / index_rate['whoosh']:.2f}, "
          f"search p50 x{pct(o, 50) / pct(w, 50):.2f}, p95 x{pct(o, 95) / pct(w, 95):.2f}")
    print(f"queries whose totals differ between the engines: {differ} of {len(queries)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
