"""Coverage cost: what story signatures and attribution add per article.

    .venv/bin/python bench/coverage.py [--limit N] [--recall N]

Same run, same articles (Reuters-21578 from ../shared/corpora):
1. baseline: read + tokenise each article as ingest does for its body;
2. + signature (MinHash) and attribution;
3. index all of them, then time finding one new article's story group;
4. recall: exact links among the first --recall articles (every pair that
   shares a shingle, scored exactly) against what LSH + verification found.
5. --batches JSONL [--processes N] [--per-batch]: coverage alone, as `add` runs it (batches of
   2,000, forked workers), over the articles of a JSON Lines corpus stored
   beforehand without coverage (cached beside the corpus): CPU of the main
   process and of the workers per article, and the main process's CPU by
   part (signing and verifying count their waiting only; with
   --processes 1 they are computed in the main process), so a change in
   coverage reads off its own CPU, not the ingest's.
6. borrowed passages (--passages N): the first N articles covered at ingest
   (`CoverageStep` over a temporary store), the passage finder's time beside
   the rest of coverage's in the same run; and its recall over the first
   --passage-recall articles against every pair that `shared_passages` finds
   by brute force.
The machine is shared: compare the rates, not their absolute values.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import json
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"

from archive.coverage import StoryIndex, StoryLinker, attributions, signature  # noqa: E402
from archive.coverage.groups import GROUP_JACCARD, WINDOW_DAYS, shingle_set  # noqa: E402


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    body: str
    date: dt.date | None


def load(limit: int | None) -> list[Story]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, limit):
            r = json.loads(line)
            out.append(Story(r["id"], r.get("title") or "", r.get("body") or "",
                             dt.date.fromisoformat(r["date"][:10]) if r.get("date") else None))
    return out


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f} articles/s ({seconds * 1000 / n:.3f} ms each)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--recall", type=int, default=3000)
    ap.add_argument("--passages", type=int, default=0, help="Articles for the borrowed-passage run (0: none).")
    ap.add_argument("--passage-recall", type=int, default=600)
    ap.add_argument("--only-passages", action="store_true")
    ap.add_argument("--batches", type=Path, help="JSON Lines corpus: coverage alone over its stored articles.")
    ap.add_argument("--processes", type=int, default=None, help="With --batches: coverage processes.")
    ap.add_argument("--per-batch", action="store_true",
                    help="With --batches: one line per batch (CPU, memory), to see what grows with the archive.")
    ap.add_argument("--keep", type=Path, help="With --batches: save the covered archive there (for --on).")
    ap.add_argument("--on", type=Path, help="With --batches: cover the corpus on top of this covered archive "
                                            "(made with --keep), to time batches at a size without covering "
                                            "everything before them in the same run.")
    args = ap.parse_args()
    if args.batches:
        batches_bench(args.batches, args.processes, args.per_batch, args.keep, args.on)
        return
    if args.only_passages:
        passages_bench(load(args.passages or 3000), args.passage_recall)
        return
    stories = load(args.limit)
    n = len(stories)

    t = time.perf_counter()
    for s in stories:  # what ingest already does per article: decode + split
        json.dumps({"title": s.title, "body": s.body}); s.body.split()
    base = time.perf_counter() - t

    t = time.perf_counter()
    sigs = {s.id: signature(s) for s in stories}
    sig_s = time.perf_counter() - t
    t = time.perf_counter()
    cites = Counter(c.source_slug for s in stories for c in attributions(s.body, publisher="Reuters"))
    att_s = time.perf_counter() - t
    print(f"articles: {n}")
    print(f"baseline (decode+split):  {rate(n, base)}")
    print(f"signature:                {rate(n, sig_s)}")
    print(f"attribution:              {rate(n, att_s)}")
    print(f"with both:                {rate(n, base + sig_s + att_s)}")
    print(f"top cited: {cites.most_common(8)}")

    by_id = {s.id: s for s in stories}
    index = StoryIndex()
    linker = StoryLinker(index, lambda ids: {i: by_id[i] for i in ids})
    t = time.perf_counter()
    links = []
    for s in stories:
        links.extend(linker.add(s.id, s, sigs[s.id]))
    build = time.perf_counter() - t
    print(f"index + link all: {build:.1f} s; links {len(links)} "
          f"({Counter(link.kind for link in links)}); candidate comparisons {index.comparisons}, "
          f"exact verifications {linker.verifications}")
    times = []
    for s in stories[:: max(1, n // 200)]:
        t = time.perf_counter()
        linker.links_for(s.id + "-new", s)
        times.append(time.perf_counter() - t)
    print(f"story group of a new article in an archive of {n}: median {statistics.median(times) * 1000:.2f} ms, "
          f"max {max(times) * 1000:.2f} ms (signature included)")

    m = min(args.recall, n)
    sub = stories[:m]
    sets = {s.id: shingle_set(s) for s in sub}
    holders = defaultdict(list)
    for sid, (_, grams) in sets.items():
        for g in grams:
            holders[g].append(sid)
    pairs = set()
    for ids in holders.values():
        pairs.update(itertools.combinations(sorted(ids), 2))
    truth, hist = set(), Counter()
    for a, b in pairs:
        (ta, sa), (tb, sb) = sets[a], sets[b]
        j = len(sa & sb) / len(sa | sb)
        close = abs((by_id[a].date - by_id[b].date).days) <= WINDOW_DAYS
        hist[(min(int(j * 10), 9), close)] += 1
        if ta == tb or (j >= GROUP_JACCARD and close):
            truth.add((a, b))
    ids = set(by_id[s.id].id for s in sub)
    found = {tuple(sorted((link.a, link.b))) for link in links if link.a in ids and link.b in ids}
    print(f"exact pairs by Jaccard decile (within {WINDOW_DAYS} days?): "
          f"{sorted((k, v) for k, v in hist.items() if k[0] >= 2)}")
    print(f"recall over first {m}: {len(found & truth)}/{len(truth)} = {len(found & truth) / max(1, len(truth)):.3f}; "
          f"false links {len(found - truth)}")
    if args.passages:
        passages_bench(stories[:args.passages], args.passage_recall)


def batches_bench(corpus: Path, processes: int | None, per_batch: bool = False, keep: Path | None = None,
                  on: Path | None = None) -> None:
    """Coverage of a stored corpus in add's batches: CPU per article, main process and workers.

    With `on`, the corpus's articles are added (uncovered) to a copy of that covered archive and then
    covered: the batches are timed at the archive's size without covering all of it in the same run.
    """
    import os
    import resource
    import shutil
    import tempfile

    from archive.coverage import borrowed
    from archive.coverage import store as coverage_store
    from archive.coverage.ingest import CoverageStep
    from archive.pipeline import BATCH_SIZE, Ingest
    from archive.store import Store

    cached = Path(tempfile.gettempdir()) / f"bench-coverage-{corpus.stem}-{corpus.stat().st_size}.sqlite3"
    if not cached.exists():  # the corpus read and extracted once, without coverage or index
        with Store(cached) as store:
            Ingest(store).run([corpus])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "archive.sqlite3"
        if on is None:
            shutil.copy(cached, path)
        else:
            shutil.copy(on, path)
            with Store(path) as store:
                store.db.execute("ATTACH DATABASE ? AS extra", (str(cached),))
                store.db.execute("INSERT OR IGNORE INTO articles SELECT * FROM extra.articles")
                store.db.commit()
                store.db.execute("DETACH DATABASE extra")
        with Store(path) as store:
            covered = {r[0] for r in store.db.execute("SELECT article_id FROM story_signatures")} if on else set()
            ids = [r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY rowid") if r[0] not in covered]
            found = store.get_many(ids)
            articles = [found[i] for i in ids]
            coverage_store.ensure_schema(store)
            if on is None:
                coverage_store.clear_passages(store)  # as a fresh archive: no passages to find again
            step = CoverageStep(processes=processes)
            parts: dict[str, float] = {}

            def timed(owner, name):
                inner = getattr(owner, name)

                def wrapper(*a, **k):
                    t = time.process_time()
                    try:
                        return inner(*a, **k)
                    finally:
                        parts[name] = parts.get(name, 0.0) + time.process_time() - t
                setattr(owner, name, wrapper)

            for name in ("sign", "verify", "verify_soon"):  # (verify_soon: reading bodies, sending checks)
                if hasattr(step.workers, name):  # (older revisions verified in one call)
                    timed(step.workers, name)
            for name in ("fingerprint_holders", "holder_arrays", "crowded_fingerprints", "record_kept_passages",
                         "record_passages_many", "record_many", "forget", "bodies"):
                if hasattr(coverage_store, name):  # (run from an older revision's tree, some are not there)
                    timed(coverage_store, name)
            for name in ("follow", "follow_batch", "crowded_after"):
                if hasattr(borrowed, name):
                    timed(borrowed, name)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                step.load(store)
                if per_batch:
                    print("batch: stored before, main / workers CPU ms/article, wall s, main RSS MB, "
                          "pymalloc arenas, live blocks (k), main ms/article by part")
                for start in range(0, len(articles), BATCH_SIZE):
                    seen = _batch_figures(step, parts) if per_batch else None
                    step.stored(store, articles[start:start + BATCH_SIZE], [])
                    if per_batch:
                        _print_batch(start, min(BATCH_SIZE, len(articles) - start), seen,
                                     _batch_figures(step, parts))
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            finally:
                step.close()  # the workers reaped: their CPU is in RUSAGE_CHILDREN
            kids = resource.getrusage(resource.RUSAGE_CHILDREN)
            kids_cpu = kids.ru_utime + kids.ru_stime - before.ru_utime - before.ru_stime
            n = len(articles)
            tables = getattr(coverage_store, "HOLDER_TABLES", None) or (
                ("passage_holders",) if hasattr(coverage_store, "fingerprint_rows") else ("passage_fingerprints",))
            rows = sum(store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)
            shares = "passage_shares" if store.db.execute(  # (the view's join would name each pair first)
                "SELECT 1 FROM sqlite_master WHERE name = 'passage_shares'").fetchone() else "shared_passages"
            pairs = store.db.execute(f"SELECT COUNT(*) FROM (SELECT DISTINCT a, b FROM {shares})").fetchone()[0]
        size = os.path.getsize(path) / 1e6
        if keep is not None:
            shutil.copy(path, keep)
    print(f"coverage of {n} stored articles, {step.workers.processes} process(es); load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"CPU ms/article: main {cpu * 1000 / n:.2f}, workers {kids_cpu * 1000 / n:.2f}, "
          f"total {(cpu + kids_cpu) * 1000 / n:.2f}; wall {wall:.1f} s")
    print("main process CPU ms/article by part: " + ", ".join(f"{k} {v * 1000 / n:.3f}" for k, v in parts.items()))
    print(f"fingerprints kept {rows} ({rows / n:.0f} per article), passage pairs {pairs}, "
          f"texts compared {step.passage_checks}, archive {size:.0f} MB")


def _pool_cpu(step) -> float:
    """CPU seconds the step's live worker processes have used so far (from /proc)."""
    import os
    pool = getattr(step.workers, "_pool", None)
    total = 0.0
    for pid in (getattr(pool, "_processes", None) or {}):
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _arenas() -> int | None:
    """pymalloc arenas allocated now (sys._debugmallocstats, which writes to fd 2)."""
    import os
    import tempfile
    with tempfile.TemporaryFile("w+") as out:
        saved = os.dup(2)
        try:
            os.dup2(out.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        for line in out:
            if line.startswith("# arenas allocated current"):
                return int(line.split("=")[1].replace(",", ""))
    return None


def _batch_figures(step, parts: dict[str, float]) -> dict:
    rss = 0
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) // 1024
    return {"cpu": time.process_time(), "workers": _pool_cpu(step), "wall": time.perf_counter(),
            "parts": dict(parts), "rss": rss, "arenas": _arenas(), "blocks": sys.getallocatedblocks(),
            "checks": step.passage_checks, "hits": step.verifier.hits, "misses": step.verifier.misses}


def _print_batch(start: int, n: int, before: dict, after: dict) -> None:
    by_part = ", ".join(f"{k} {(v - before['parts'].get(k, 0.0)) * 1000 / n:.2f}"
                        for k, v in after["parts"].items())
    print(f"batch: {start} before, {(after['cpu'] - before['cpu']) * 1000 / n:.2f} / "
          f"{(after['workers'] - before['workers']) * 1000 / n:.2f} ms, {after['wall'] - before['wall']:.1f} s, "
          f"{after['rss']} MB, {after['arenas']} arenas, {after['blocks'] // 1000}k blocks, "
          f"{(after['checks'] - before['checks']) / n:.1f} texts compared per article, main verifier cache "
          f"{after['hits'] - before['hits']} hits / {after['misses'] - before['misses']} misses; {by_part}", flush=True)


def passages_bench(stories: list[Story], recall_n: int) -> None:
    """Ingest-time coverage with borrowed passages: the finder's share of the time, in one run.

    One `CoverageStep` covers the articles over a temporary store, in this
    process; the time spent finding passages (fingerprint lookups,
    verification, storing them) and the time of everything else coverage
    does (signature, story links, citations, storing) are summed side by
    side, batch by batch, so a busy machine slows both alike. The
    fingerprints themselves are computed with the signatures, so they count
    in the rest.
    """
    import tempfile

    from archive.coverage import shared_passages
    from archive.coverage import store as coverage_store
    from archive.coverage.ingest import CoverageStep
    from archive.document import Article
    from archive.store import Store

    class Timed(CoverageStep):
        passage_seconds = 0.0

        def _passages(self, store, chunk, fingerprints):
            t = time.perf_counter()
            super()._passages(store, chunk, fingerprints)
            self.passage_seconds += time.perf_counter() - t

    articles = [Article(id=s.id, slug=s.id, title=s.title, body=s.body, source_path="bench", record=i,
                        fmt="jsonl", original=s.body, date=s.date) for i, s in enumerate(stories)]
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite3") as store:
        with store.transaction():
            for a in articles:
                store.put(a)
        step = Timed(processes=1)  # in this process: the two parts' times are both its own
        step.load(store)
        t = time.perf_counter()
        for start in range(0, len(articles), 100):
            step.stored(store, articles[start:start + 100], [])
        total = time.perf_counter() - t
        rest = total - step.passage_seconds
        n = len(articles)
        print(f"coverage at ingest, {n} articles: {rate(n, total)}; of which borrowed passages "
              f"{step.passage_seconds * 1000 / n:.2f} ms per article, the rest (signature, links, citations, "
              f"storing) {rest * 1000 / n:.2f} ms; passages / rest = {step.passage_seconds / rest:.2f}x; "
              f"texts compared {step.passage_checks} ({step.passage_checks / n:.1f} per article)")
        ids = [a.id for a in articles]
        found = coverage_store.passage_partners(store, ids)
        pairs = sum(len(v) for v in found.values()) // 2
        rows = sum(store.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in coverage_store.HOLDER_TABLES)
        print(f"pairs sharing passages: {pairs}; fingerprints kept: {rows} ({rows / n:.0f} per article)")
        m = min(recall_n, n)
        sub = articles[:m]
        t = time.perf_counter()
        truth = {(a.id, b.id) for a, b in itertools.combinations(sub, 2) if shared_passages(a.body, b.body)}
        brute = time.perf_counter() - t
        got = {(a.id, b.id) for a, b in itertools.combinations(sub, 2) if b.id in found.get(a.id, ())}
        print(f"passage recall over the first {m}: {len(got & truth)}/{len(truth)} = "
              f"{len(got & truth) / max(1, len(truth)):.3f}; pairs found that brute force does not: "
              f"{len(got - truth)}; brute force over those {m}: {brute:.1f} s")


if __name__ == "__main__":
    main()
