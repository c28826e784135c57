"""Entity extraction throughput: articles/s and words/s, 1 and 2 processes.

Runs on Reuters-21578 (../shared/corpora, JSON Lines) beside two baselines
measured in the same run: a plain word count (the floor of any pass over the
text) and extraction without entities (`archive.extract.extract`: what an
ingest costs per article before NER). Usage:

    .venv/bin/python bench/entities.py [--articles 2000] [--batch-sizes 32,64,128]
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.document import Article, RawDocument  # noqa: E402
from archive.entities import EntityExtractor  # noqa: E402
from archive.extract import extract  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
WORD = re.compile(r"\w+")


def load(n: int) -> tuple[list[RawDocument], list[Article]]:
    raws, articles = [], []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for record, line in enumerate(fh, start=1):
            d = json.loads(line)
            if not d.get("body"):
                continue
            title, body = d.get("title") or "", d["body"]
            raws.append(RawDocument(str(CORPUS), record, "jsonl", text=body, hints={"title": title}))
            articles.append(Article(id=d["id"], slug=d["id"], title=title, body=body,
                                    source_path=str(CORPUS), record=record, fmt="jsonl", original=body,
                                    lang="en"))
            if len(articles) >= n:
                break
    return raws, articles


def timed(label: str, fn, n_articles: int, n_words: int) -> float:
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s {n_articles / seconds:10.1f} art/s {n_words / seconds:12.0f} words/s",
          flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch-sizes", default="32")
    parser.add_argument("--processes", default="1,2")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"corpus not found: {CORPUS}")
    raws, articles = load(args.articles)
    words = sum(len(WORD.findall(a.title)) + len(WORD.findall(a.body)) for a in articles)
    print(f"{len(articles)} Reuters articles, {words} words "
          f"({sum(len(a.body) for a in articles)} body chars)\n")
    timed("baseline: word count", lambda: [WORD.findall(a.body) for a in articles], len(articles), words)
    timed("baseline: extraction without entities", lambda: [extract(r) for r in raws], len(articles), words)

    warm = EntityExtractor()
    timed("model load (first extract of 1 article)", lambda: warm.extract(articles[:1]), 1, 0)
    found = 0
    for n_process in [int(p) for p in args.processes.split(",")]:
        for batch_size in [int(b) for b in args.batch_sizes.split(",")]:
            extractor = EntityExtractor(n_process=n_process, batch_size=batch_size)
            extractor._nlp = warm._nlp  # measure extraction, not loading, in this process
            result: list = []
            timed(f"entities: n_process={n_process} batch_size={batch_size}",
                  lambda: result.extend(extractor.extract(articles)), len(articles), words)
            found = sum(len(r) for r in result)
    print(f"\nentities per article: {found / len(articles):.1f}")


if __name__ == "__main__":
    main()
