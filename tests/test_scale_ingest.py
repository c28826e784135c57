"""Ingest at scale: memory does not grow with the file, and a killed add resumes without loss or duplicates.

The corpora come from `../shared/tools/scale_corpus.py` (Reuters sentences,
400 outlets). Sizes are small so the module stays fast; the batch size is
lowered in proportion, so the small files still span many batches and
several index commits, which is what bounded memory is about: memory may
depend on the batch and on the batches one index commit takes, never on
the file.
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SCALE_CORPUS = PROJECT.parent / "shared" / "tools" / "scale_corpus.py"
BATCH = 100
#: The small file fills one index commit (IndexFeed.COMMIT_BATCHES batches), the large one four.
SMALL, LARGE = 1000, 4000

pytestmark = pytest.mark.slow

#: Runs `ingest.py add` as a child and prints the peak RSS (kB) of its whole process tree.
PEAK = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    if not SCALE_CORPUS.exists():
        pytest.skip(f"{SCALE_CORPUS} not found")
    folder = tmp_path_factory.mktemp("scale")
    large = folder / "large.jsonl"
    subprocess.run([sys.executable, str(SCALE_CORPUS), str(LARGE), str(large)], check=True)
    return large


def head(source: Path, n: int, out: Path) -> Path:
    with open(source, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def add_command(data: Path, path: Path) -> list[str]:
    return [sys.executable, str(PROJECT / "ingest.py"), "add", "--no-entities", "--no-coverage",
            "--batch-size", str(BATCH), "--data", str(data), "--json", str(path)]


def peak_rss_kb(data: Path, path: Path) -> int:
    out = subprocess.run([sys.executable, "-c", PEAK, *add_command(data, path)], check=True,
                         capture_output=True, text=True, cwd=PROJECT)
    return int(out.stdout.split()[-1])


def test_peak_memory_of_add_does_not_grow_with_the_file(corpus, tmp_path):
    small = head(corpus, SMALL, tmp_path / "small.jsonl")
    small_kb = peak_rss_kb(tmp_path / "small-data", small)
    large_kb = peak_rss_kb(tmp_path / "large-data", corpus)
    assert large_kb <= small_kb * 1.05, (
        f"{LARGE} articles peaked at {large_kb // 1024} MB, {SMALL} at {small_kb // 1024} MB")


def stored_records(store: Path) -> list[int]:
    with sqlite3.connect(store) as db:
        return [r[0] for r in db.execute("SELECT record FROM articles ORDER BY record")]


def descendants(pid: int) -> set[int]:
    """Every process below `pid` (each /proc/N/stat names N's parent)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, below = set(), [pid]
    while below:
        kids = children.get(below.pop(), [])
        below.extend(kids)
        found.update(kids)
    return found


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with their parent on Linux only")
def test_the_workers_of_a_killed_add_do_not_outlive_it(corpus, tmp_path):
    # coverage workers, Whoosh's fork server and its writer workers (a first batch of 1,000
    # articles takes the multiprocess writer): only the ingest itself is killed, as `kill` or the
    # OOM killer would, and it runs no clean-up
    command = add_command(tmp_path / "data", corpus)
    command = [c for c in command if c != "--no-coverage"]
    command[command.index("--batch-size") + 1] = "1000"
    proc = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None and len(workers) < 5:
            time.sleep(0.1)
            workers = {p for p in descendants(proc.pid) if running(p)}
        assert proc.poll() is None and len(workers) >= 5, f"the add had {len(workers)} workers when it ended"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(running(p) for p in workers):
            time.sleep(0.2)
        assert not [p for p in workers if running(p)], "workers outlived the killed add"
    finally:
        os.killpg(proc.pid, signal.SIGKILL) if proc.poll() is None else None
        for pid in workers if "workers" in locals() else ():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def test_a_kill_in_the_middle_of_a_file_resumes_with_every_record_once(corpus, tmp_path):
    data = tmp_path / "data"
    store = data / "archive.sqlite3"
    with open(corpus, encoding="utf-8") as fh:
        lines = sum(1 for line in fh if line.strip())
    proc = subprocess.Popen(add_command(data, corpus), cwd=PROJECT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        try:
            stored = len(stored_records(store))
        except sqlite3.Error:
            continue  # not created yet
        if stored >= lines // 3:
            break
    assert proc.poll() is None, "the add finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = len(stored_records(store))
    assert 0 < before < lines

    out = subprocess.run(add_command(data, corpus), cwd=PROJECT, check=True, capture_output=True, text=True)
    report = json.loads(out.stdout)
    assert report["resumed"] == before, "the second run picks up where the first one's last batch ended"
    assert report["articles_read"] == lines - before
    assert stored_records(store) == list(range(1, lines + 1))
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM articles WHERE indexed = 0").fetchone()[0] == 0

    from whoosh import index as windex
    ix = windex.open_dir(str(data / "index" / "current"))
    try:
        with ix.searcher() as searcher:
            ids = [fields["id"] for fields in searcher.all_stored_fields()]
    finally:
        ix.close()
    assert len(ids) == lines and len(set(ids)) == lines
