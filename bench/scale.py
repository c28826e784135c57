"""Ingest and search at scale: archives of N synthetic articles, beside Whoosh alone and SQLite FTS5.

    .venv/bin/python bench/scale.py [--sizes 100000,500000] [--extra 10000] [--queries 60] [--cache DIR]

For each size N it builds (once; cached under --cache, default
~/.cache/news-archive-bench/scale, outside the repository) a corpus from
`../shared/tools/scale_corpus.py N` and an archive of it with
`ingest.py add --no-entities`, in a child process whose whole process tree's
peak memory is measured twice: the largest process's RSS (getrusage
(RUSAGE_CHILDREN)) and the whole tree's summed PSS, sampled from /proc (forked
workers share pages, so the tree's PSS is what it holds). Beside it, in the same
run, Whoosh's own two-process writer (`procs=2, multisegment=True`) indexes
the same titles and bodies into a two-field index: the baseline. Then, on
a copy of the archive:

- `add` of --extra more articles (another seed), while a thread searches
  the running web app over HTTP four times a second; its failures are counted;
- `reindex`: time and peak RSS;
- index and store size on disk;
- `/api/search` p50/p95 over HTTP (top 10, every facet, highlights),
  beside Datasette and bare SQLite FTS5 on the same articles and queries,
  in two passes of different queries: the first reads the files of an
  archive just written (and opens our index generation), the second runs
  as many other queries on the same warm processes. The passes share no
  query, because our search caches whole results by request: a query run
  twice would time that cache, not the search (bench/search.py's queries
  and peers; queries without its Reuters outlet filter, which the
  synthetic outlets do not have), and the web server's resident memory
  after the queries.

Cached builds are reused and say so, with the figures they were built with.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "bench"))
sys.path.insert(0, str(PROJECT))

import search as search_bench  # noqa: E402  (bench/search.py: queries and peers)

SCALE_CORPUS = PROJECT.parent / "shared" / "tools" / "scale_corpus.py"
DEFAULT_CACHE = Path.home() / ".cache" / "news-archive-bench" / "scale"
PYTHON = sys.executable

#: Runs a command as a child and prints its wall seconds, the largest RSS any one process of its
#: tree reached (kB, getrusage(RUSAGE_CHILDREN)), and the peak of the whole tree's summed PSS and
#: RSS, sampled twice a second from /proc. The tree's PSS is the memory it really holds: forked
#: workers share their parent's pages, which a sum of RSS counts once per process.
MEASURE = """
import json, os, resource, subprocess, sys, time

def tree(root):
    parents = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                parents[int(d)] = int(open(f"/proc/{d}/stat").read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    found, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                grew = True
    return found

def memory(pids):
    rss = pss = 0
    for pid in pids:
        try:
            for line in open(f"/proc/{pid}/smaps_rollup"):
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024

t = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
tree_rss = tree_pss = 0.0
while child.poll() is None:
    rss, pss = memory(tree(child.pid))
    tree_rss, tree_pss = max(tree_rss, rss), max(tree_pss, pss)
    time.sleep(0.5)
if child.returncode:
    sys.exit(f"{sys.argv[1:]} exited with {child.returncode}")
print(json.dumps({"seconds": time.perf_counter() - t,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "tree_pss_mb": tree_pss, "tree_rss_mb": tree_rss}))
"""

BASELINE = """
import json, sys, time
from whoosh import index
from whoosh.analysis import RegexTokenizer, LowercaseFilter
from whoosh.fields import ID, TEXT, Schema
corpus, out = sys.argv[1], sys.argv[2]
analyzer = RegexTokenizer(r"\\w+(?:[.'’]\\w+)*") | LowercaseFilter()
schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True, analyzer=analyzer),
                body=TEXT(stored=True, analyzer=analyzer))
ix = index.create_in(out, schema)
writer = ix.writer(procs=2, limitmb=256, multisegment=True)
with open(corpus, encoding="utf-8") as fh:
    for n, line in enumerate(fh):
        rec = json.loads(line)
        writer.add_document(id=str(n), title=rec.get("title") or "", body=rec.get("body") or "")
writer.commit()
"""


def _load() -> str:
    """The 1/5/15-minute load averages: the machine is shared, and figures mean little without them."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def measured(cmd: list[str]) -> dict:
    out = subprocess.run([PYTHON, "-c", MEASURE, *cmd], check=True, capture_output=True, text=True,
                         cwd=PROJECT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def tree(figures: dict) -> str:
    """The whole process tree's peak memory, where the run measured it (older cached runs did not)."""
    if "tree_pss_mb" not in figures:
        return "tree not measured"
    return f"tree PSS {figures['tree_pss_mb']:.0f} MB, RSS {figures['tree_rss_mb']:.0f} MB"


def corpus(cache: Path, n: int, seed: int) -> Path:
    path = cache / f"corpus-{n}-seed{seed}.jsonl"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        subprocess.run([PYTHON, str(SCALE_CORPUS), str(n), str(tmp), "--seed", str(seed)], check=True)
        tmp.rename(path)
    return path


def ingest_cmd(data: Path, *args: str) -> list[str]:
    return [PYTHON, str(PROJECT / "ingest.py"), *args, "--data", str(data)]


def cached(path: Path, build) -> tuple[dict, bool]:
    """The figures of a build, made now or read back from an earlier run (True)."""
    marker = path / "bench.json"
    if marker.exists():
        return json.loads(marker.read_text()), True
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    figures = build()
    marker.write_text(json.dumps(figures))
    return figures, False


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def rss_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Searcher(threading.Thread):
    """Searches the web app every `pause` seconds until stopped; counts answers and failures.

    A few researchers at work, not a load test: searched back to back, the
    thread and the server took most of a core away from the `add` it runs
    beside (19,300 answers during one add of 10,000 articles), which then
    timed the two together.
    """

    def __init__(self, port: int, words: list[str], pause: float = 0.25):
        super().__init__(daemon=True)
        self.port, self.words, self.pause = port, words, pause
        self.ok = self.failed = 0
        self.errors: list[str] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        i = 0
        while not self.stopping.wait(self.pause if i else 0):
            word = self.words[i % len(self.words)]
            i += 1
            try:
                json.loads(search_bench.http_get(f"http://127.0.0.1:{self.port}/api/search?"
                                                 + urllib.parse.urlencode({"q": word})))
                self.ok += 1
            except Exception as exc:  # the figure is how many failed, and why
                self.failed += 1
                self.errors.append(f"{type(exc).__name__}: {exc}"[:200])


def records_of(path: Path) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            rec["id"] = rec.get("url") or str(len(out))
            out.append(rec)
    return out


def bench_size(n: int, extra: int, cache: Path, n_queries: int) -> None:
    print(f"\n== {n:,} articles (cores: {os.cpu_count()}; load average {_load()})", flush=True)
    main = corpus(cache, n, seed=1)
    more = corpus(cache, extra, seed=2)
    archive = cache / f"archive-{n}"
    ours, reused = cached(archive, lambda: measured(ingest_cmd(archive / "data", "add", "--no-entities",
                                                               str(main))))
    base, base_reused = cached(cache / f"whoosh-mp-{n}",
                               lambda: measured([PYTHON, "-c", BASELINE, str(main), str(cache / f"whoosh-mp-{n}")]))
    note = " (cached from an earlier run)"
    print(f"{'ingest':44} {'art/s':>8} {'seconds':>8} {'peak MB':>8}  (largest process; whole tree's PSS / RSS)")
    print(f"{'ours, add --no-entities' + (note if reused else ''):44} {n / ours['seconds']:8.0f} "
          f"{ours['seconds']:8.1f} {ours['peak_mb']:8.0f}  {tree(ours)}")
    print(f"{'Whoosh 2-process writer alone' + (note if base_reused else ''):44} {n / base['seconds']:8.0f} "
          f"{base['seconds']:8.1f} {base['peak_mb']:8.0f}  {tree(base)}")
    print(f"ours / Whoosh alone: x{base['seconds'] / ours['seconds']:.2f}")

    work = cache / f"work-{n}"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(archive / "data", work, symlinks=True)
    server = search_bench.Ours(work)
    try:
        searcher = Searcher(server.port, ["market", "trade", "oil", "bank", "said", "prices"])
        if server.http:
            searcher.start()
        added = measured(ingest_cmd(work, "add", "--no-entities", str(more)))
        searcher.stopping.set()
        if server.http:
            searcher.join(60)
        print(f"add {extra:,} more: {added['seconds']:.1f} s ({extra / added['seconds']:.0f} art/s), "
              f"peak {added['peak_mb']:.0f} MB ({tree(added)}); searches meanwhile: {searcher.ok} answered, "
              f"{searcher.failed} failed" + (f" ({searcher.errors[0]})" if searcher.errors else ""))
        reindexed = measured(ingest_cmd(work, "reindex"))
        print(f"reindex {n + extra:,}: {reindexed['seconds']:.1f} s, peak {reindexed['peak_mb']:.0f} MB "
              f"({tree(reindexed)})")
        live = (work / "index" / "current").resolve()
        index_mb = size_mb(work / "index")
        print(f"on disk: index {size_mb(live):.0f} MB live, {index_mb - size_mb(live):.0f} MB in the generation the "
              f"reindex replaced (kept until the next one for searchers still on it), "
              f"store {size_mb(work) - index_mb:.0f} MB")
    finally:
        server.stop()

    records = records_of(main) + records_of(more)
    fts_db = cache / f"fts-{n}.db"
    search_bench.build_sqlite(records, fts_db)
    queries = [(q, m, o) for q, m, o in search_bench.make_queries(records, 2 * n_queries) if not o]
    passes = {"first pass": queries[0::2], "second pass, other queries": queries[1::2]}  # the same mix of kinds
    del records
    ours_http = search_bench.Ours(work)
    ds = search_bench.Datasette(fts_db)
    fts = search_bench.BareFts(fts_db)
    try:
        runs = {}
        for name, fn, args in ((ours_http.label, ours_http.run, lambda qs: [(q, False) for q, _, _ in qs]),
                               (ds.label, ds.run, lambda qs: [(q, m, False) for q, m, _ in qs]),
                               (fts.label, fts.run, lambda qs: [(m, False) for _, m, _ in qs])):
            fn(*args([("warmup", '"warmup"', False)])[0])  # a word no pass asks for
            for label, some in passes.items():
                runs[f"{name}, {label}"] = search_bench.timed(fn, args(some))
        server_rss = rss_mb(ours_http.proc.pid) if ours_http.http else float("nan")
    finally:
        ours_http.stop()
        ds.stop()
        fts.stop()
    print(f"{len(passes['first pass'])} queries per pass over {n + extra:,} articles")
    print(f"{'system':44} {'p50 ms':>8} {'p95 ms':>8}")
    for name, times in runs.items():
        print(f"{name:44} {search_bench.pct(times, 50):8.1f} {search_bench.pct(times, 95):8.1f}")
    print(f"our web server's resident memory after the queries: {server_rss:.0f} MB; load average {_load()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,500000")
    parser.add_argument("--extra", type=int, default=10_000, help="articles added to the built archive")
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    for n in (int(s) for s in args.sizes.split(",")):
        bench_size(n, args.extra, args.cache, args.queries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
