"""The story index alone: CPU and memory of adding N signatures, now and as of another revision.

    .venv/bin/python bench/storyindex.py [--articles N] [--corpus PATH] [--before REV] [--rounds K]

Every `add` meets each new article's signature with the stored ones
(`StoryIndex.candidates`) and then indexes it (`StoryIndex.add`); at half a
million articles the index is the largest thing the main process holds.
This signs N synthetic articles once (`../shared/tools/scale_corpus.py`,
or --corpus, JSON Lines with title and body), then, in a fresh process per
run, adds them one by one to an empty index, each after its candidate
query, as an ingest does. It reports CPU per article, the growth of
resident memory and its peak, the time of a query against the full index,
and a digest of every article's candidates, so that two revisions can be
seen to find the same ones. With --before REV the runs alternate between
this code and REV's (a temporary worktree), K rounds each: the machine is
shared, so only figures from the same run compare.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCALE_CORPUS = ROOT.parent / "shared" / "tools" / "scale_corpus.py"
QUERIES = 2000


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(code: Path, signatures: Path) -> dict:
    """Runs with `code`'s archive package (this file may be newer than that revision)."""
    sys.path.insert(0, str(code))
    import gc

    from archive.coverage.storyindex import StoryIndex
    pairs = pickle.loads(signatures.read_bytes())
    gc.collect()
    start_rss = rss_mb()
    index = StoryIndex()
    digest = hashlib.sha256()
    found = 0
    t = time.process_time()
    for article_id, data in pairs:
        candidates = index.candidates(data, exclude=article_id)
        found += len(candidates)
        digest.update(("\n".join(candidates) + "\x00").encode())
        index.add(article_id, data)
    added = time.process_time() - t
    gc.collect()
    grown = rss_mb() - start_rss
    t = time.process_time()
    for article_id, data in pairs[:QUERIES]:
        index.candidates(data, exclude=article_id)
    query = (time.process_time() - t) / min(QUERIES, len(pairs))
    return {"us_per_article": added / len(pairs) * 1e6, "rss_growth_mb": grown,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "query_us": query * 1e6, "candidates": found, "digest": digest.hexdigest()[:16]}


def sign_corpus(corpus: Path, limit: int, out: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from archive.coverage.signatures import signature_of_words, signed_words
    from archive.coverage.words import norm_words
    pairs = []
    with corpus.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                break
            rec = json.loads(line)
            words = signed_words(rec.get("title") or "", norm_words(rec.get("body") or ""))
            pairs.append((f"a{n:08d}", signature_of_words(words).to_bytes()))
    out.write_bytes(pickle.dumps(pairs))
    return len(pairs)


def run(code: Path, signatures: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(code), "--signatures", str(signatures)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--corpus", type=Path, help="JSON Lines with title and body (default: a scale corpus)")
    parser.add_argument("--before", metavar="REV", help="Also run the story index as of git revision REV.")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--signatures", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.signatures)))
        return 0
    with tempfile.TemporaryDirectory(prefix="bench-storyindex-") as tmp:
        tmp = Path(tmp)
        corpus = args.corpus
        if corpus is None:
            corpus = tmp / "corpus.jsonl"
            subprocess.run([sys.executable, str(SCALE_CORPUS), str(args.articles), str(corpus)], check=True,
                           capture_output=True)
        signatures = tmp / "signatures.pickle"
        n = sign_corpus(corpus, args.articles, signatures)
        trees = [("now", ROOT)]
        if args.before:
            tree = tmp / "before"
            subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), args.before],
                           check=True, cwd=ROOT)
            trees.append((f"as of {args.before}", tree))
        try:
            print(f"{n:,} signatures added one by one, each after its candidate query")
            print(f"{'code':24} {'us/article':>10} {'RSS +MB':>8} {'peak MB':>8} {'query us':>9} "
                  f"{'candidates':>10}  digest")
            for _ in range(args.rounds):
                for label, tree in trees:
                    r = run(tree, signatures)
                    print(f"{label:24} {r['us_per_article']:10.0f} {r['rss_growth_mb']:8.0f} {r['peak_mb']:8.0f} "
                          f"{r['query_us']:9.0f} {r['candidates']:10d}  {r['digest']}")
        finally:
            if args.before:
                subprocess.run(["git", "worktree", "remove", "--force", str(tmp / "before")], cwd=ROOT)
                shutil.rmtree(tmp / "before", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
