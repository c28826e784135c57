"""The two engines side by side: the same store, the same queries, Whoosh and a 3-node OpenSearch cluster.

    nice .venv/bin/python bench/engines.py [--size 100000] [--queries 60] [--shards 1] [--work DIR]
                                           [--urls URL,URL,...] [--rebuild] [--skip-whoosh|--skip-opensearch]

Builds (once; reused from --work, by default ~/.cache/news-archive-bench,
afterwards) a synthetic archive of --size articles written by
../shared/tools/scale_corpus.py (Reuters sentences, 400 outlets, dates over
2008-2026), stored through `archive.store.Store`, and both engines' indexes
of it. Then, in one run:

- bulk indexing: `Engine.rebuild` of the whole store on each engine (Whoosh:
  a new generation folder; OpenSearch: a new index of --shards shards with
  1 replica behind an alias, on the test cluster of tests/opensearch_cluster.py
  started with the full JIT and its data kept under --work), articles per
  second. Measured when an index is built (the first run, or --rebuild) and
  kept beside it with the load of that moment; later runs print the kept figure.
- search latency: the same queries (single words, word pairs, two-word
  phrases taken deterministically from the corpus, each with and without an
  outlet filter) through `Engine.search`, in process, as the web app calls
  it: a page of 10 hits with highlights, every facet, the timeline. Each
  query runs once per engine after a warm-up of as many queries on other
  words (the JVMs compile their hot code, Whoosh fills its caches), so no
  result cache flatters either; p50/p95 in milliseconds, and the ratio.
  For a cluster on this machine, also the CPU the three JVMs spent per
  search (from /proc), which a busy machine inflates far less than wall time.

The three nodes and this script share the machine (2 cores here, shared with
other work: the load average is printed beside each figure), so the
cluster's figures are those of a cluster with no hardware of its own: they
show what the distribution costs, not what separate machines would give.
With --urls the searches go to an existing cluster and its alias
bench-<size>-<shards>s (built there if missing).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
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

def load() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def jvm_cpu_ms(pids: list[int]) -> float:
    """CPU time (user + system) the processes `pids` used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def local_jvms(urls) -> list[int]:
    """The processes on this machine started with the HTTP port of one of `urls` (test-cluster nodes)."""
    ports = {f"http.port={u.rsplit(':', 1)[-1].strip('/')}" for u in urls
             if "//127.0.0.1:" in u or "//localhost:" in u}
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(a.decode(errors="replace") in ports for a in args):
            found.append(int(cmdline.parent.name))
    return found


def kept_rate(root: Path, name: str) -> dict | None:
    path = root / "rates.json"
    return json.loads(path.read_text()).get(name) if path.exists() else None


def keep_rate(root: Path, name: str, rate: float, shards: int | None = None) -> dict:
    path = root / "rates.json"
    rates = json.loads(path.read_text()) if path.exists() else {}
    rates[name] = {"rate": rate, "when": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                   "load": load(), "shards": shards}
    path.write_text(json.dumps(rates, indent=1))
    return rates[name]


def whoosh_index(root: Path, store_path: Path, size: int, rebuild: bool) -> dict:
    """The Whoosh index of the store (built unless kept with all `size` articles), and its build rate."""
    from index.engines import WhooshEngine
    engine = WhooshEngine(root / "index")
    try:
        kept = kept_rate(root, "whoosh")
        if not rebuild and kept and engine.stats().get("documents") == size:
            return kept
        with Store(store_path) as store:
            t = time.perf_counter()
            n = engine.rebuild(store)
            return keep_rate(root, "whoosh", n / (time.perf_counter() - t))
    finally:
        engine.close()


def opensearch_index(engine, root: Path, store_path: Path, size: int, rebuild: bool, name: str) -> dict:
    """The alias's index of the store on the cluster (built unless it holds all `size` articles)."""
    from index.opensearch.mapping import MAPPING_VERSION
    kept = kept_rate(root, name)
    live = engine.generation()
    if not rebuild and kept and live is not None and engine.stats()["documents"] == size:
        meta = engine.client.indices.get_mapping(index=live)[live]["mappings"].get("_meta", {})
        if meta.get("mapping_version") == MAPPING_VERSION:
            return kept
    with Store(store_path) as store:
        t = time.perf_counter()
        n = engine.rebuild(store)
        return keep_rate(root, name, n / (time.perf_counter() - t), engine.indexer.shards)


def opensearch_run(args, root: Path, store_path: Path, warm: list[dict], queries: list[dict]):
    """The 3-node cluster's index (built or reused) and its searches: rate, times, totals, load,
    the JVMs' CPU per search (None when they are not on this machine)."""
    from index.engines import EngineOptions
    from index.opensearch import OpenSearchEngine
    from opensearch_cluster import Cluster

    cluster = None
    if args.urls:
        urls = tuple(u.strip() for u in args.urls.split(",") if u.strip())
    else:
        cluster = Cluster(heap_mb=args.heap_mb, quick_jit=False, root=args.work / "cluster-3").start(nodes=3)
        urls = tuple(cluster.urls)
        print(f"3-node cluster green in {cluster.startup_seconds:.0f} s ({args.heap_mb} MB heap each); {load()}",
              flush=True)
    try:
        name = f"bench-{args.size}-{args.shards}s"
        engine = OpenSearchEngine(EngineOptions(engine="opensearch", urls=urls, index=name),
                                  shards=args.shards, replicas=1)
        rate = opensearch_index(engine, root, store_path, args.size, args.rebuild, name)
        engine.client.cluster.health(params={"wait_for_status": "green", "timeout": "300s", "request_timeout": 310})
        timed_searches(engine, warm)
        pids = cluster.pids if cluster is not None else local_jvms(urls)
        before = jvm_cpu_ms(pids)
        times, totals = timed_searches(engine, queries)
        searched_at = load()
        cpu = (jvm_cpu_ms(pids) - before) / len(queries) if pids else None
        engine.close()
        return rate, times, totals, searched_at, cpu
    finally:
        if cluster is not None:
            cluster.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60, help="distinct queries (each run with and "
                                                                "without the outlet filter)")
    parser.add_argument("--shards", type=int, default=1, help="primary shards of the OpenSearch index "
                                                              "(1 replica each); the engine's default is 1")
    parser.add_argument("--heap-mb", type=int, default=512, help="heap of each OpenSearch node")
    parser.add_argument("--work", type=Path, default=Path.home() / ".cache" / "news-archive-bench")
    parser.add_argument("--urls", help="an existing cluster (comma-separated) instead of starting one")
    parser.add_argument("--rebuild", action="store_true", help="rebuild (and time) both indexes")
    parser.add_argument("--skip-whoosh", action="store_true")
    parser.add_argument("--skip-opensearch", action="store_true")
    args = parser.parse_args(argv)
    if not SCALE.exists():
        print(f"corpus generator not found: {SCALE}", file=sys.stderr)
        return 1

    from index.engines import WhooshEngine
    from opensearch_cluster import ClusterError

    args.work.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    source = corpus(args.work, args.size)
    root = args.work / f"archive-{args.size}"
    store_path = build_store(source, root)
    queries, outlet = make_queries(source, args.queries)
    warm, _ = make_queries(source, args.queries, offset=3)  # other words: no query runs twice
    print(f"== {args.size} articles (corpus and store built/reused in {time.perf_counter() - t:.0f} s); "
          f"{len(queries)} queries, half filtered on outlet {outlet}; {load()}", flush=True)

    index_rate, search_ms, search_load, totals, cpu = {}, {}, {}, {}, {}
    if not args.skip_whoosh:
        index_rate["whoosh"] = whoosh_index(root, store_path, args.size, args.rebuild)
        whoosh = WhooshEngine(root / "index")
        timed_searches(whoosh, warm)
        began = time.process_time()
        search_ms["whoosh"], totals["whoosh"] = timed_searches(whoosh, queries)
        cpu["whoosh"] = (time.process_time() - began) * 1000 / len(queries)
        search_load["whoosh"] = load()
        whoosh.close()

    if not args.skip_opensearch:
        try:
            found = opensearch_run(args, root, store_path, warm, queries)
        except ClusterError as error:
            print(f"the OpenSearch cluster did not start: {error}", file=sys.stderr)
            return 1
        index_rate["opensearch"], search_ms["opensearch"], totals["opensearch"], search_load["opensearch"], \
            cpu["opensearch"] = found

    label = {"whoosh": "Whoosh (embedded)", "opensearch": f"OpenSearch 3 nodes, {args.shards} shard(s) x 2"}
    print(f"\n{'engine':32} {'index art/s':>11} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}  searched at")
    for name, times in search_ms.items():
        rate = index_rate[name]
        print(f"{label[name]:32} {rate['rate']:11.0f} {pct(times, 50):7.1f} {pct(times, 95):7.1f} "
              f"{max(times):7.1f}  {search_load[name]}")
    for name, rate in index_rate.items():
        print(f"  {name} indexing measured {rate['when']} at {rate['load']}")
    if cpu.get("whoosh") is not None:
        print(f"  Whoosh CPU per search: {cpu['whoosh']:.1f} ms (this process)")
    if cpu.get("opensearch") is not None:
        print(f"  OpenSearch JVMs' CPU per search: {cpu['opensearch']:.1f} ms (3 nodes together; "
              "the client's own CPU not counted)")
    if len(search_ms) == 2:
        w, o = search_ms["whoosh"], search_ms["opensearch"]
        print(f"opensearch / whoosh: indexing x{index_rate['opensearch']['rate'] / index_rate['whoosh']['rate']:.2f}, "
              f"search p50 x{pct(o, 50) / pct(w, 50):.2f}, p95 x{pct(o, 95) / pct(w, 95):.2f}")
        differ = sum(1 for a, b in zip(totals["whoosh"], totals["opensearch"]) if a != b)
        print(f"queries whose totals differ between the engines: {differ} of {len(queries)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
