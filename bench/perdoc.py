"""Index build CPU with Whoosh's per-document column reader beside ours (index.perdoc), same run.

    .venv/bin/python bench/perdoc.py [--corpus PATH] [--limit N] [--rounds 2]

Stores N articles of a JSON Lines corpus (default: 10,000 synthetic ones
from ../shared/tools/scale_corpus.py, cached under
~/.cache/news-archive-bench/perdoc) with two entities each, then rebuilds
the index from that store in a child process per run, alternately with
Whoosh's `W3PerDocReader._cached_reader` and with `index.perdoc`'s, which
remembers missing columns. Each run's CPU seconds (the child and its
writer workers) and wall seconds are printed, with the ratio of the CPU
medians and the load average (the machine is shared: CPU seconds, not
wall time, are the figure to read).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SCALE_CORPUS = ROOT.parent / "shared" / "tools" / "scale_corpus.py"
CACHE = Path.home() / ".cache" / "news-archive-bench" / "perdoc"

CHILD = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from whoosh.codec.whoosh3 import W3PerDocReader
from archive.store import Store
from index import perdoc
from index.writer import rebuild
if sys.argv[2] == "whoosh":
    W3PerDocReader._cached_reader = perdoc.original
started = time.perf_counter()
with Store(sys.argv[3]) as store:
    n = rebuild(store, __import__("pathlib").Path(sys.argv[4]))
wall = time.perf_counter() - started
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"n": n, "wall": wall, "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime}))
"""


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def corpus(limit: int) -> Path:
    path = CACHE / f"corpus-{limit}.jsonl"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(SCALE_CORPUS), str(limit), str(path)], check=True)
    return path


def fill(store_path: Path, source: Path, limit: int) -> int:
    from archive.document import Article, Entity
    from archive.store import FileState, Store

    batch = []
    with open(source, encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                break
            rec = json.loads(line)
            ents = (Entity(f"place-{n % 300}", f"Place {n % 300}", "place", 1, (f"Place {n % 300}",)),
                    Entity(f"person-{n % 5000}", f"Person {n % 5000}", "person", 1, (f"Person {n % 5000}",)))
            batch.append(Article(id=f"b{n:07d}", slug=f"b{n:07d}", title=rec.get("title") or "",
                                 body=rec.get("body") or "", source_path=str(source), record=n + 1, fmt="jsonl",
                                 original="", outlet=rec.get("outlet"), outlet_slug=None,
                                 date=dt.date(2008 + n % 18, 1 + n % 12, 1 + n % 28), lang="en", entities=ents))
    with Store(store_path) as store:
        store.store_file(FileState(str(source), 0, 0, "bench"), batch)
    return len(batch)


def run(variant: str, store_path: Path, index_root: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), variant, str(store_path), str(index_root)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    source = args.corpus or corpus(args.limit)
    with tempfile.TemporaryDirectory(prefix="bench-perdoc-") as tmp:
        tmp = Path(tmp)
        n = fill(tmp / "archive.sqlite3", source, args.limit)
        print(f"rebuild of {n:,} articles; load average {load()}")
        cpu: dict[str, list[float]] = {"whoosh": [], "memo": []}
        for r in range(args.rounds):
            for variant in ("whoosh", "memo"):
                found = run(variant, tmp / "archive.sqlite3", tmp / f"index-{variant}-{r}")
                cpu[variant].append(found["cpu"])
                print(f"  {variant:7} round {r + 1}: CPU {found['cpu']:6.1f} s, wall {found['wall']:6.1f} s")
        whoosh, memo = statistics.median(cpu["whoosh"]), statistics.median(cpu["memo"])
        print(f"median CPU: Whoosh's reader {whoosh:.1f} s, memoising {memo:.1f} s; "
              f"ratio memo/whoosh {memo / whoosh:.3f}; load average {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
