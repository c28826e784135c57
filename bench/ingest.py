"""Ingest throughput: our pipeline beside a bare Whoosh baseline, same run.

    .venv/bin/python bench/ingest.py [--limit N] [--corpus PATH] [--entities] [--coverage] [--before REV]

Both sides read the same JSON Lines corpus, gzip'd or plain (default:
Reuters-21578 from ../shared/corpora; `../shared/tools/scale_corpus.py N`
makes longer synthetic ones). The baselines add title and body to a
two-field Whoosh index with a plain `ix.writer()` and with Whoosh's own
two-process writer (`procs=2, multisegment=True`, the ratio's column); ours runs `Ingest` end to end (read,
extract, store, index; entities only with --entities). With --coverage a
third run adds story signatures, story links and attribution, so their cost
reads off the same run. Each run has its own process so that peak memory
(max RSS, with child processes) is its own.
With --before REV a fourth run executes ours as of another git revision (a
temporary worktree), so a change's cost reads off the same run.
The machine is shared and noisy, so the ratio matters more than the rates,
and CPU seconds (of each run's whole process tree) more than wall time.
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


def _records(corpus: Path):
    """The corpus's records: gzip'd or plain JSON Lines."""
    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


def run_baseline(corpus: Path, workdir: Path, procs: int = 1) -> dict:
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    started = time.perf_counter()
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
                    body=TEXT(stored=True, analyzer=StemmingAnalyzer()))
    ix = index.create_in(str(workdir), schema)
    writer = ix.writer(procs=procs, limitmb=256, multisegment=True) if procs > 1 else ix.writer()
    n = 0
    for rec in _records(corpus):
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
            "peak_mb": _peak_mb(), "failures": len(report.failures), "indexed": report.indexed,
            "stages": report.stage_seconds}


def limited_copy(corpus: Path, limit: int, into: Path) -> Path:
    out = into / f"corpus-{limit}.jsonl"
    with open(out, "w", encoding="utf-8") as dst:
        for i, rec in enumerate(_records(corpus)):
            if i >= limit:
                break
            dst.write(json.dumps(rec) + "\n")
    return out


def child(kind: str, corpus: str, workdir: str, entities: bool) -> None:
    if kind.startswith("baseline"):
        result = run_baseline(Path(corpus), Path(workdir), procs=2 if kind == "baseline2" else 1)
    else:
        result = run_ours(Path(corpus), Path(workdir), entities, coverage=kind == "coverage")
    print(json.dumps(result))


def spawn(kind: str, corpus: Path, workdir: Path, entities: bool, tree: Path = ROOT) -> dict:
    """One run in its own process; `tree` is the checkout whose code runs (another revision's)."""
    workdir.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, str(tree / "bench" / "ingest.py"), "--child", kind, "--corpus", str(corpus),
           "--workdir", str(workdir)]
    if entities:
        cmd.append("--entities")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tree)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # CPU of the child and every process under it, whatever revision runs there
    result["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


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
    parser.add_argument("--coverage-only", action="store_true",
                        help="With --coverage: skip the runs without coverage (ours, and as of --before).")
    parser.add_argument("--before", metavar="REV",
                        help="Also run ours as of git revision REV (e.g. the commit before a change).")
    parser.add_argument("--child", choices=["baseline", "baseline2", "ours", "coverage"], help=argparse.SUPPRESS)
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
        base2 = spawn("baseline2", corpus, tmp / "baseline2", False)
        ours = None if args.coverage_only and args.coverage else spawn("ours", corpus, tmp / "ours", args.entities)
        covered = spawn("coverage", corpus, tmp / "coverage", args.entities) if args.coverage else None
        before = before_covered = None
        if args.before:
            tree = checkout(args.before, tmp)
            try:
                if ours is not None:
                    before = spawn("ours", corpus, tmp / "before", args.entities, tree)
                if args.coverage:
                    before_covered = spawn("coverage", corpus, tmp / "before-coverage", args.entities, tree)
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    label = "ours, end to end" + (" + entities" if args.entities else "")
    rows = [("bare Whoosh, plain writer", base), ("bare Whoosh, 2-process writer", base2)]
    if ours:
        rows.append((label, ours))
    if before:
        rows.append((f"ours as of {args.before}", before))
    if covered:
        rows.append((label + " + coverage", covered))
    if before_covered:
        rows.append((f"ours as of {args.before} + coverage", before_covered))
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"corpus: {args.corpus.name}{f' (first {args.limit})' if args.limit else ''}; cores: {os.cpu_count()}; "
          f"load average at the end: {load}")
    print(f"{'':40s} {'articles':>9s} {'seconds':>8s} {'art/s':>8s} {'peak MB':>8s} {'/ 2-proc':>8s} "
          f"{'CPU s':>8s} {'ms CPU/art':>10s}")
    rate2 = base2["articles"] / base2["seconds"]
    for name, r in rows:
        rate = r["articles"] / r["seconds"]
        cpu = r["cpu"]
        print(f"{name:40s} {r['articles']:9d} {r['seconds']:8.2f} {rate:8.0f} {r['peak_mb']:8.0f} "
              f"{rate / rate2:8.2f} {cpu:8.1f} {cpu / r['articles'] * 1000:10.2f}")
    staged = [(name, r["stages"]) for name, r in rows if r.get("stages")]
    if staged:
        print("wall seconds by stage (main process):")
        for name, stages in staged:
            print(f"  {name:38s} " + ", ".join(f"{k} {v:.1f}" for k, v in stages.items() if v >= 0.05))
    if before_covered:
        print(f"ours + coverage now / as of {args.before}: x{before_covered['seconds'] / covered['seconds']:.2f} "
              f"wall, x{before_covered['cpu'] / covered['cpu']:.2f} CPU")
    if not ours:
        return
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
