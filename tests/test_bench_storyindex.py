"""bench/storyindex.py runs end to end and counts the candidates an ingest would meet.

A corpus of distinct articles, some of them given twice: the second copy of
each must meet the first as a candidate, and nothing else may be found
(the texts share no sentence), so the bench's candidate count is the number
of copies.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench" / "storyindex.py"
WORDS = ("harbour bridge market school river council budget railway festival hospital election museum "
         "factory airport stadium library garden forest mountain island").split()


def article(n: int) -> dict:
    # every article its own words: a different pair of topic words per sentence, and its number
    body = " ".join(f"The {WORDS[(n + k) % len(WORDS)]} report number {n} said item {k} of "
                    f"{WORDS[(n * 7 + k) % len(WORDS)]} matters {n * 31 + k} times." for k in range(30))
    return {"title": f"Report {n}", "body": body}


def test_the_bench_finds_each_copy_and_nothing_else(tmp_path):
    records = [article(n) for n in range(40)]
    copies = [records[n] for n in (3, 17, 29)]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records + copies), encoding="utf-8")
    out = subprocess.run([sys.executable, str(BENCH), "--corpus", str(corpus), "--articles", "1000", "--rounds", "1"],
                         check=True, capture_output=True, text=True, timeout=300).stdout
    rows = [line.split() for line in out.splitlines() if line.startswith("now ")]
    assert out.startswith("43 signatures")
    assert len(rows) == 1 and int(rows[0][5]) == len(copies)
