"""Ingest throughput: our pipeline beside a bare Whoosh baseline, same run.

    .venv/bin/python bench/ingest.py [--limit N] [--corpus PATH] [--entities] [--coverage] [--before REV]

Both sides read the same JSON Lines corpus (default: Reuters-21578 from
../shared/corpora). The baseline adds title and body to a two-field Whoosh
index with a plain `ix.writer()`; ours runs `Ingest` end to end (read,
extract, store, index; entities only with --entities). With --coverage a
third run adds story signatures, story links and attribution, so their cost
reads off the same run. Each run has its own process so that peak memory
(max RSS, with child processes) is its own.
With --before REV a fourth run executes ours as of another git revision (a
temporary worktree), so a change's cost reads off the same run.
The machine is shared and noisy, so the ratio matters more than the rates.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + kids) / 1024


def run_baseline(corpus: Path, workdir: Path) -> dict:
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    started = time.perf_counter()
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
                    body=TEXT(stored=True, analyzer=StemmingAnalyzer()))
    ix = index.create_in(str(workdir), schema)
    writer = ix.writer()
    n = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            writer.add_document(id=str(rec.get("id", n)), title=rec.get("title") or "",
                                body=rec.get("body") or "")
            n += 1
    writer.commit()
    return {"articles": n, "seconds": time.perf_counter() - started, "peak_mb": _peak_mb()}


def run_ours(corpus: Path, workdir: Path, entities: bool, coverage: bool = False) -> dict:
    from archive.pipeline import Ingest
    from archive.store import Store
    from index.writer import IndexFeed

    started = time.perf_counter()
    extractor = None
    if entities:
        from archive.entities import EntityExtractor
        extractor = EntityExtractor(n_process=min(2, os.cpu_count() or 1))
    step = None
    if coverage:
        from archive.coverage.ingest import CoverageStep
        step = CoverageStep()
    with Store(workdir / "archive.sqlite3") as store:
        report = Ingest(store, entities=extractor, coverage=step,
                        index=lambda s, p: IndexFeed(s, workdir / "index")).run([corpus])
    seconds = time.perf_counter() - started
    return {"articles": report.added + report.updated + report.unchanged, "seconds": seconds,
            "peak_mb": _peak_mb(), "failures": len(report.failures), "indexed": report.indexed}


def limited_copy(corpus: Path, limit: int, into: Path) -> Path:
    out = into / f"corpus-{limit}.jsonl.gz"
    with gzip.open(corpus, "rt", encoding="utf-8") as src, gzip.open(out, "wt", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= limit:
                break
            dst.write(line)
    return out


def child(kind: str, corpus: str, workdir: str, entities: bool) -> None:
    result = (run_baseline(Path(corpus), Path(workdir)) if kind == "baseline"
              else run_ours(Path(corpus), Path(workdir), entities, coverage=kind == "coverage"))
    print(json.dumps(result))


def spawn(kind: str, corpus: Path, workdir: Path, entities: bool, tree: Path = ROOT) -> dict:
    """One run in its own process; `tree` is the checkout whose code runs (another revision's)."""
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(tree / "bench" / "ingest.py"), "--child", kind, "--corpus", str(corpus),
           "--workdir", str(workdir)]
    if entities:
        cmd.append("--entities")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tree)
    return json.loads(out.stdout.strip().splitlines()[-1])


def checkout(rev: str, into: Path) -> Path:
    """A detached worktree of `rev` (the code before a change), removed by the caller's cleanup."""
    tree = into / f"tree-{rev}"
    subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), rev], check=True, cwd=ROOT)
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="Only the first N records.")
    parser.add_argument("--entities", action="store_true", help="Include entity extraction in ours.")
    parser.add_argument("--coverage", action="store_true",
                        help="Also run ours with story signatures, links and attribution.")
    parser.add_argument("--before", metavar="REV",
                        help="Also run ours as of git revision REV (e.g. the commit before a change).")
    parser.add_argument("--child", choices=["baseline", "ours", "coverage"], help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.corpus), args.workdir, args.entities)
        return
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        tmp = Path(tmp)
        corpus = limited_copy(args.corpus, args.limit, tmp) if args.limit else args.corpus
        base = spawn("baseline", corpus, tmp / "baseline", False)
        ours = spawn("ours", corpus, tmp / "ours", args.entities)
        covered = spawn("coverage", corpus, tmp / "coverage", args.entities) if args.coverage else None
        before = None
        if args.before:
            tree = checkout(args.before, tmp)
            try:
                before = spawn("ours", corpus, tmp / "before", args.entities, tree)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    label = "ours, end to end" + (" + entities" if args.entities else "")
    rows = [("bare Whoosh, plain writer", base), (label, ours)]
    if before:
        rows.append((f"ours as of {args.before}", before))
    if covered:
        rows.append((label + " + coverage", covered))
    print(f"corpus: {args.corpus.name}{f' (first {args.limit})' if args.limit else ''}; cores: {os.cpu_count()}")
    print(f"{'':32s} {'articles':>9s} {'seconds':>8s} {'art/s':>8s} {'peak MB':>8s}")
    for name, r in rows:
        print(f"{name:32s} {r['articles']:9d} {r['seconds']:8.2f} {r['articles'] / r['seconds']:8.0f} "
              f"{r['peak_mb']:8.0f}")
    ratio = (ours["articles"] / ours["seconds"]) / (base["articles"] / base["seconds"])
    print(f"ours / baseline throughput: {ratio:.2f}x")
    if before:
        then = (before["articles"] / before["seconds"]) / (base["articles"] / base["seconds"])
        print(f"ours as of {args.before} / baseline: {then:.2f}x; "
              f"now / then: {(ours['articles'] / ours['seconds']) / (before['articles'] / before['seconds']):.2f}x")
    if covered:
        cost = (covered["seconds"] - ours["seconds"]) / covered["articles"] * 1000
        print(f"coverage / without coverage throughput: {ours['seconds'] / covered['seconds']:.2f}x "
              f"({cost:.2f} ms more per article)")
    if ours.get("failures"):
        print(f"failures reported by ours: {ours['failures']}")


if __name__ == "__main__":
    main()
