"""Searching while the archive is written, and two writers at once.

Three searcher processes query the archive through the search service (the
same object the web app and `ingest.py search` use) while `ingest.py add`
and then `ingest.py reindex` run in other processes. Every search must
answer without an error, and a word that had hits before the writes must
have hits during them. The load is bounded in count and time, and stays on
this machine (no sockets at all).

Two `add` runs at once: the second is refused with a message naming the
writer, or waits its turn with `--wait`; the store stays intact.
"""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.paths import DataDir
from archive.store import Store
from index.writer import open_current

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

PROJECT = Path(__file__).resolve().parents[1]
SEARCHERS = 3
#: Per searcher: at most this many searches, and at most this many seconds.
MAX_SEARCHES = 1500
MAX_SECONDS = 90
#: Pause between one searcher's searches, so the load spans the writes
#: (searchers run until told to stop, within the bounds above).
PAUSE = 0.05
WORDS = ("oil", "bank", "trade", "prices", "shares", "dollar")

SEARCHER = r"""
import json, sys, time
from pathlib import Path
from index.query import parse_request
from index.search import SearchService

root, stop, words = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
limit, seconds, pause = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
service = SearchService(root)
served, errors, empty, generations = 0, [], [], set()
started = time.monotonic()
while served < limit and time.monotonic() - started < seconds and not stop.exists():
    word = words[served % len(words)]
    try:
        result = service.search(parse_request({"q": word}))
        if result.total == 0 or not result.hits:
            empty.append(word)
        generations.add(service.generation())
    except Exception as exc:
        errors.append(f"{word}: {type(exc).__name__}: {exc}")
    served += 1
    time.sleep(pause)
service.close()
print(json.dumps({"served": served, "errors": errors[:20], "error_count": len(errors),
                  "empty": empty[:20], "empty_count": len(empty),
                  "generations": sorted(g for g in generations if g)}))
"""


def python(*args: str, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    return subprocess.Popen([sys.executable, *args], cwd=PROJECT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def ingest(*args: str) -> subprocess.Popen:
    return python("ingest.py", *args)


def done(proc: subprocess.Popen, timeout: float = 180) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def write_reuters(folder: Path, corpora: Path, start: int, count: int, per_file: int = 300) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(corpora / "reuters21578" / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [line for i, line in zip(range(start + count), fh) if i >= start]
    for n in range(0, len(lines), per_file):
        (folder / f"reuters-{start + n:05d}.jsonl").write_text("".join(lines[n:n + per_file]),
                                                               encoding="utf-8")


def integrity(data: DataDir) -> str:
    with Store(data.store_path) as store:
        return store.integrity()


def assert_store_and_index_agree(data: DataDir) -> int:
    assert integrity(data) == "ok"
    with Store(data.store_path) as store:
        ids = store.ids()
        assert store.pending_ids() == []
    ix = open_current(data.index_root)
    try:
        with ix.searcher() as searcher:
            assert searcher.doc_count() == len(ids)
            assert [aid for aid in ids if searcher.document(id=aid) is None] == []
    finally:
        ix.close()
    return len(ids)


def hits(root: Path, word: str) -> int:
    from index.query import parse_request
    from index.search import SearchService
    service = SearchService(root)
    try:
        return service.search(parse_request({"q": word})).total
    finally:
        service.close()


@pytest.fixture
def archive(tmp_path, corpora) -> tuple[DataDir, Path]:
    """An archive of 600 Reuters articles, and a folder of 900 more to add."""
    first, more = tmp_path / "first", tmp_path / "more"
    write_reuters(first, corpora, 0, 600)
    write_reuters(more, corpora, 600, 900)
    data = DataDir(tmp_path / "data")
    code, out, err = done(ingest("add", str(first), "--data", str(data.root), "--no-entities"))
    assert code == 0, err[-2000:]
    return data, more


def test_searches_during_add_and_reindex_never_fail_or_come_back_empty(archive, tmp_path, record_property):
    data, more = archive
    assert all(hits(data.index_root, word) > 0 for word in WORDS)
    stop = tmp_path / "stop-searching"
    searchers = [python("-c", SEARCHER, str(data.index_root), str(stop), ",".join(WORDS),
                        str(MAX_SEARCHES), str(MAX_SECONDS), str(PAUSE)) for _ in range(SEARCHERS)]
    try:
        time.sleep(1.0)  # let the searchers open the index before the writes start
        writers = [ingest("add", str(more), "--data", str(data.root), "--no-entities", "--wait", "120"),
                   ingest("reindex", "--data", str(data.root), "--wait", "120")]
        outcomes = [done(w) for w in writers]
        time.sleep(1.0)  # let every searcher search the reindexed generation once
    finally:
        stop.touch()
        reports = [done(s, timeout=MAX_SECONDS + 60) for s in searchers]
    for code, out, err in outcomes:
        assert code == 0, err[-2000:]
    summaries = []
    for code, out, err in reports:
        assert code == 0, err[-2000:]
        summaries.append(json.loads(out.strip().splitlines()[-1]))
    served = sum(s["served"] for s in summaries)
    errors = [e for s in summaries for e in s["errors"]]
    empty = [e for s in summaries for e in s["empty"]]
    seen_generations = {g.split(".")[0] for s in summaries for g in s["generations"]}
    record_property("searches_served", served)
    print(f"searches served during add + reindex: {served}, errors: {len(errors)}, empty: {len(empty)}, "
          f"index generations seen: {sorted(seen_generations)}")
    assert errors == [] and empty == []
    assert served >= 100
    assert len(seen_generations) >= 2, "the searchers never saw the reindexed generation"
    assert assert_store_and_index_agree(data) > 600


def wait_for_lock_holder(data: DataDir, pid: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the first writer ended before the second could try"
        try:
            if data.lock_path.read_text().strip() == f"pid {pid}":
                return
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise AssertionError("the first writer never took the lock")


def test_a_second_add_is_refused_with_a_clear_message_or_waits_its_turn(archive, corpora):
    data, more = archive
    first = ingest("add", str(more), "--data", str(data.root), "--no-entities")
    try:
        wait_for_lock_holder(data, first.pid, first)
        refused = done(ingest("add", str(more), "--data", str(data.root), "--no-entities"))
        waiting = ingest("add", str(more), "--data", str(data.root), "--no-entities", "--wait", "120")
        first_outcome = done(first)
        waited = done(waiting)
    finally:
        for proc in (first,):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    code, out, err = refused
    assert code != 0
    assert f"being written by pid {first.pid}" in err and "--wait" in err
    assert first_outcome[0] == 0, first_outcome[2][-2000:]
    assert waited[0] == 0, waited[2][-2000:]
    assert "0 added" in waited[1], waited[1]  # the first run had already added everything
    assert assert_store_and_index_agree(data) > 600
