"""Query latency: our search service vs Datasette vs bare SQLite FTS5, on Reuters-21578.

    .venv/bin/python bench/search.py [--sizes 1000,10000,all] [--queries N] [--work DIR]

For each corpus size it builds (once; reused from --work afterwards) our
archive through `archive.store.Store` and `index.writer.rebuild`, and a
SQLite database with an FTS5 table (porter tokenizer) over the same
articles. It then runs the same queries -- single words, word pairs and
two-word phrases taken deterministically from the corpus vocabulary, each
with and without an outlet filter -- through:

- ours: the Flask app's JSON API over HTTP on loopback (top-10 hits with
  highlighted snippets, every facet and the histogram), served by
  `flask run` in a subprocess; in-process `SearchService` when the app
  cannot start (the output says which);
- Datasette 0.65.5 (`?_search=`, `_facet=outlet&_facet=month`,
  suggest_facets off) over HTTP on loopback;
- bare FTS5 in-process: top-10 by rank with `snippet()`, the total, and
  GROUP BY counts for outlet and month.

Every query runs once per system (after a short warm-up on other words), so
result caches do not flatter anyone; p50/p95 in milliseconds and our ratio
to each peer are printed per size. Bench-only dependency: datasette==0.65.5.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from archive.document import Article, Entity  # noqa: E402
from archive.store import FileState, Store  # noqa: E402

CORPUS = PROJECT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
PYTHON = sys.executable
STOP = set("the a an and or not of to in on for with by at from as is was are be this that it its "
           "said will would has have had mln pct dlrs vs cts reuter inc corp year".split())


# -- corpus ------------------------------------------------------------------------

def load_records(limit: int | None) -> list[dict]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            out.append(json.loads(line))
            if limit and len(out) >= limit:
                break
    return out


def to_article(rec: dict) -> Article:
    date = dt.date.fromisoformat(rec["date"][:10]) if rec.get("date") else None
    ents = tuple(Entity(slug=v, name=v.replace("-", " ").title(), type=t, count=1)
                 for t, key in (("place", "places"), ("person", "people"), ("org", "orgs"))
                 for v in dict.fromkeys(rec.get(key) or ()))
    return Article(id=rec["id"], slug=rec["id"], title=rec.get("title") or "", body=rec.get("body") or "",
                   source_path="reuters21578.jsonl.gz", record=int(rec["id"].split("-")[-1]),
                   fmt="jsonl", original="", outlet="Reuters", outlet_slug="reuters", date=date,
                   lang="en", entities=ents)


def build_ours(records: list[dict], root: Path) -> None:
    from index.writer import needs_rebuild, rebuild
    if (root / "index" / "current").exists() and not needs_rebuild(root / "index"):
        return  # reused: built with the current schema
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    with Store(root / "archive.sqlite3") as store:
        store.store_file(FileState("reuters21578.jsonl.gz", 1, 1, "bench"), map(to_article, records))
        rebuild(store, root / "index")


def build_sqlite(records: list[dict], path: Path) -> None:
    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = sqlite3.connect(tmp)
    db.executescript("""
        CREATE TABLE articles (rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, body TEXT,
                               outlet TEXT, date TEXT, month TEXT);
        CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content="articles",
                                                     content_rowid="rowid", tokenize="porter");
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_month ON articles(month);
    """)
    db.executemany("INSERT INTO articles(id, title, body, outlet, date, month) VALUES (?, ?, ?, ?, ?, ?)",
                   [(r["id"], r.get("title") or "", r.get("body") or "", "Reuters", (r.get("date") or "")[:10],
                     (r.get("date") or "")[:7]) for r in records])
    db.execute("INSERT INTO articles_fts(rowid, title, body) SELECT rowid, title, body FROM articles")
    db.commit()
    db.close()
    tmp.rename(path)


# -- queries -------------------------------------------------------------------------

def make_queries(records: list[dict], n: int) -> list[tuple[str, str, bool]]:
    """(our query, FTS5 MATCH expression, with outlet filter), deterministic."""
    words = Counter()
    titles = []
    for rec in records:
        toks = [w for w in re.findall(r"[a-z]{4,}", (rec.get("title") or "").lower()) if w not in STOP]
        titles.append(toks)
        words.update(set(re.findall(r"[a-z]{4,}", (rec.get("body") or "").lower())) - STOP)
    ranked = [w for w, c in words.most_common() if c >= 3]
    third = max(1, n // 3)
    singles = ranked[:: max(1, len(ranked) // third)][:third]
    pairs, phrases = [], []
    for toks in titles[::7]:
        if len(toks) >= 2 and len(pairs) < third and toks[0] != toks[-1]:
            pairs.append((toks[0], toks[-1]))
        if len(toks) >= 2 and len(phrases) < n - 2 * third:
            phrases.append((toks[0], toks[1]))
    base = ([(w, f'"{w}"') for w in singles]
            + [(f"{a} {b}", f'"{a}" "{b}"') for a, b in pairs]
            + [(f'"{a} {b}"', f'"{a} {b}"') for a, b in phrases])
    return [(q, m, False) for q, m in base] + [(q, m, True) for q, m in base]


# -- systems -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 90) -> bool:
    end = time.time() + seconds
    while time.time() < end:
        if proc.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return True
        except Exception:
            time.sleep(0.3)
    return False


def http_get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as resp:
        return resp.read()


class Ours:
    def __init__(self, root: Path):
        self.root = root
        self.proc = None
        self.port = free_port()
        env = dict(os.environ, ARCHIVE_DATA=str(root), PYTHONPATH=str(PROJECT))
        self.proc = subprocess.Popen(
            [PYTHON, "-m", "flask", "--app", "web:create_app()", "run", "--host", "127.0.0.1",
             "--port", str(self.port), "--no-reload", "--no-debugger"],
            cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.http = wait_for(f"http://127.0.0.1:{self.port}/api/search?q=warmup", self.proc)
        if not self.http:
            self.stop()
            from index.query import parse_request
            from index.search import SearchService
            self.parse = parse_request
            self.service = SearchService(root / "index")
        self.label = "ours (HTTP, Flask)" if self.http else "ours (in-process: web app did not start)"

    def run(self, q: str, outlet: bool) -> None:
        params = {"q": q, **({"outlet": "reuters"} if outlet else {})}
        if self.http:
            json.loads(http_get(f"http://127.0.0.1:{self.port}/api/search?" + urllib.parse.urlencode(params)))
        else:
            self.service.search(self.parse(params))

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Datasette:
    label = "datasette (HTTP)"

    def __init__(self, db: Path):
        self.port = free_port()
        exe = Path(PYTHON).with_name("datasette")
        self.proc = subprocess.Popen(
            [str(exe), "serve", str(db), "--host", "127.0.0.1", "--port", str(self.port),
             "--setting", "suggest_facets", "off", "--setting", "default_page_size", "10"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_for(f"http://127.0.0.1:{self.port}/-/versions.json", self.proc):
            raise RuntimeError("datasette did not start (pip install datasette==0.65.5)")
        self.base = f"http://127.0.0.1:{self.port}/{db.stem}/articles.json"

    def run(self, q: str, match: str, outlet: bool) -> None:
        params = [("_search", match), ("_searchmode", "raw"), ("_facet", "outlet"), ("_facet", "month"),
                  ("_size", "10"), ("_shape", "objects")]
        if outlet:
            params.append(("outlet", "Reuters"))
        json.loads(http_get(self.base + "?" + urllib.parse.urlencode(params)))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class BareFts:
    label = "bare FTS5 (in-process)"

    def __init__(self, db: Path):
        self.db = sqlite3.connect(db, check_same_thread=False)

    def run(self, match: str, outlet: bool) -> None:
        where = "articles_fts MATCH ?" + (" AND a.outlet = ?" if outlet else "")
        args = (match, "Reuters") if outlet else (match,)
        frm = "FROM articles_fts CROSS JOIN articles a ON a.rowid = articles_fts.rowid WHERE " + where
        self.db.execute(f"SELECT a.id, a.title, snippet(articles_fts, 1, '<mark>', '</mark>', '…', 24) "
                        f"{frm} ORDER BY rank LIMIT 10", args).fetchall()
        self.db.execute(f"SELECT COUNT(*) {frm}", args).fetchone()
        self.db.execute(f"SELECT a.outlet, COUNT(*) {frm} GROUP BY a.outlet", args).fetchall()
        self.db.execute(f"SELECT a.month, COUNT(*) {frm} GROUP BY a.month", args).fetchall()

    def stop(self) -> None:
        self.db.close()


# -- running --------------------------------------------------------------------------------

def timed(fn, queries) -> list[float]:
    out = []
    for args in queries:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_size(records: list[dict], label: str, work: Path, n_queries: int) -> None:
    t = time.perf_counter()
    build_ours(records, work / f"ours-{label}")
    build_sqlite(records, work / f"fts-{label}.db")
    print(f"\n== {label}: {len(records)} articles (built/reused in {time.perf_counter() - t:.0f} s)")
    queries = make_queries(records, n_queries)
    warm = [("warmup", '"warmup"', False), ("market", '"market"', False), ("trade", '"trade"', True)]
    ours = Ours(work / f"ours-{label}")
    ds = Datasette(work / f"fts-{label}.db")
    fts = BareFts(work / f"fts-{label}.db")
    try:
        runs = {}
        for name, fn, args in (
                (ours.label, ours.run, [(q, o) for q, _, o in queries]),
                (ds.label, ds.run, [(q, m, o) for q, m, o in queries]),
                (fts.label, fts.run, [(m, o) for _, m, o in queries])):
            warm_args = {ours.label: [(q, o) for q, _, o in warm], ds.label: [(q, m, o) for q, m, o in warm],
                         fts.label: [(m, o) for _, m, o in warm]}[name]
            timed(fn, warm_args)
            runs[name] = timed(fn, args)
    finally:
        ours.stop()
        ds.stop()
        fts.stop()
    print(f"{len(queries)} queries (single words, pairs, phrases; half with an outlet filter)")
    print(f"{'system':44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for name, times in runs.items():
        print(f"{name:44} {pct(times, 50):8.2f} {pct(times, 95):8.2f} {max(times):8.2f}")
    mine = runs[ours.label]
    for name, times in runs.items():
        if name != ours.label:
            print(f"ours / {name}: p50 x{pct(mine, 50) / pct(times, 50):.2f}, "
                  f"p95 x{pct(mine, 95) / pct(times, 95):.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,all")
    parser.add_argument("--queries", type=int, default=60, help="distinct queries (each run with and "
                                                                "without the outlet filter)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/news-archive-bench-search"))
    args = parser.parse_args(argv)
    if not CORPUS.exists():
        print(f"corpus not found: {CORPUS}", file=sys.stderr)
        return 1
    args.work.mkdir(parents=True, exist_ok=True)
    everything = load_records(None)
    for size in args.sizes.split(","):
        n = len(everything) if size.strip() == "all" else int(size)
        bench_size(everything[:n], size.strip(), args.work, args.queries)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
