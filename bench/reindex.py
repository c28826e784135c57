"""Reindex cost of entity fields: the same articles with and without entities.

    .venv/bin/python bench/reindex.py [--limit N]

Builds two stores from Reuters-21578 (../shared/corpora): one whose articles
carry entities (the collection's hand-assigned places, people and
organisations, standing in for cached NER output: reindex reads entities
from the store and never runs NER), one with the same articles and no
entities. Times `index.writer.rebuild` on each in the same run and prints
the ratio (the entity issue asks for at most about 2x).
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from archive.document import Article, Entity  # noqa: E402
from archive.store import FileState, Store  # noqa: E402
from index.writer import rebuild  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
TYPES = {"places": "place", "people": "person", "orgs": "org"}


def articles(limit: int, with_entities: bool):
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit and n >= limit:
                return
            rec = json.loads(line)
            if not rec["body"]:
                continue
            ents = ()
            if with_entities:
                ents = tuple(Entity(slug, slug.replace("-", " ").title(), etype, 1, (slug,))
                             for key, etype in TYPES.items() for slug in rec[key])
            yield Article(id=rec["id"], slug=rec["id"], title=rec["title"], body=rec["body"],
                          source_path=str(CORPUS), record=n + 1, fmt="jsonl", original="",
                          outlet="Reuters", outlet_slug="reuters",
                          date=dt.date.fromisoformat(rec["date"][:10]) if rec["date"] else None,
                          lang="en", entities=ents)


def timed_rebuild(folder: Path, limit: int, with_entities: bool) -> tuple[int, float, int]:
    with Store(folder / "archive.sqlite3") as store:
        batch = list(articles(limit, with_entities))
        store.store_file(FileState(str(CORPUS), 0, 0, "bench"), batch)
        started = time.perf_counter()
        n = rebuild(store, folder / "index")
        return n, time.perf_counter() - started, sum(len(a.entities) for a in batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="Only the first N records.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reindex-") as tmp:
        tmp = Path(tmp)
        n0, plain, _ = timed_rebuild(tmp / "plain", args.limit, False)
        n1, with_ents, count = timed_rebuild(tmp / "entities", args.limit, True)
    print(f"reindex of {n0} Reuters articles")
    print(f"  without entity fields: {plain:7.2f} s  ({n0 / plain:6.0f} articles/s)")
    print(f"  with {count} entities:  {with_ents:7.2f} s  ({n1 / with_ents:6.0f} articles/s)")
    print(f"  ratio with/without: {with_ents / plain:.2f}x")


if __name__ == "__main__":
    main()
