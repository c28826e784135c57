"""A killed ingest never costs the archive an article or a working index.

`ingest.py add` and `ingest.py reindex` run as real processes over a slice of
Reuters-21578 (split into several JSON Lines files) plus a few real HTML
pages, and are SIGKILLed at seeded random moments. After every kill, what a
reader sees must be a complete earlier or later state: `stats --json`
answers, the store passes SQLite's integrity check, every article the store
marks as indexed is in the index, the index holds no id twice and nothing
that is not an article, and a word found before is still found. Then
re-running `add` must finish the job with exactly the articles an
uninterrupted run stores: none lost, none duplicated.

Only the ingest process itself is killed (as the kernel's OOM killer would);
Whoosh's multiprocess writer workers it forked are left to die on their own,
so the test also shows that they do not keep the archive locked. To reach
that writer at this small size, the runs lower `index.writer.BULK_THRESHOLD`.
"""
from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.paths import DataDir
from archive.store import Store
from index.writer import current_dir, open_current
from ingest import cli

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

PROJECT = Path(__file__).resolve().parents[1]
REUTERS_FILES = 2
REUTERS_PER_FILE = 300
HTML_PAGES = 2
KILLS = 20
REINDEX_KILLS_PER_EPISODE = 2
#: The kill loop gives up (and fails) rather than run longer than this many seconds, or this
#: many reference runs per kill if that is longer (a loaded machine slows every run alike).
TIME_BUDGET = 240
RUNS_PER_KILL_BUDGET = 6
SEED = 6
#: A word (stemmed as the index stems it) in nearly every Reuters article.
KNOWN_WORD = "said"
#: Runs lower the multiprocess-writer threshold so that path is exercised.
LAUNCHER = ("import sys, index.writer as w; w.BULK_THRESHOLD = 200; "
            "sys.argv[0] = 'ingest.py'; from ingest import cli; cli()")


def ingest_process(log: Path, *args: str) -> subprocess.Popen:
    """Start `ingest.py ARGS` in its own session, output to `log`.

    Not a pipe: orphaned workers would hold a pipe open after the kill.
    """
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-c", LAUNCHER, *args], cwd=PROJECT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def finish(proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    proc.wait(timeout=timeout)
    assert proc.returncode == 0, log.read_text(errors="replace")[-2000:]


def command(op: str, data: DataDir, corpus: Path) -> list[str]:
    if op == "add":
        return ["add", str(corpus), "--data", str(data.root), "--no-entities"]
    return ["reindex", "--data", str(data.root)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, corpora) -> Path:
    folder = tmp_path_factory.mktemp("crash") / "corpus"
    folder.mkdir()
    with gzip.open(corpora / "reuters21578" / "reuters21578.jsonl.gz", "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(REUTERS_FILES * REUTERS_PER_FILE)]
    for i in range(REUTERS_FILES):
        chunk = lines[i * REUTERS_PER_FILE:(i + 1) * REUTERS_PER_FILE]
        (folder / f"reuters-{i}.jsonl").write_text("".join(chunk), encoding="utf-8")
    pages = sorted((corpora / "html" / "scrapinghub-article-extraction-benchmark" / "html").iterdir())
    for page in pages[:HTML_PAGES]:
        (folder / page.name).write_bytes(page.read_bytes())
    return folder


def records_with_text(corpus: Path) -> int:
    """Reuters records a reader can make an article of: a non-blank body."""
    n = 0
    for path in corpus.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            n += bool(json.loads(line)["body"].strip())
    return n


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus):
    """An uninterrupted run: the ids every crashed-and-resumed run must end with."""
    data = DataDir(tmp_path_factory.mktemp("reference"))
    log = data.root / "runs.log"
    started = time.monotonic()
    finish(ingest_process(log, *command("add", data, corpus)), log)
    add_seconds = time.monotonic() - started
    started = time.monotonic()
    finish(ingest_process(log, *command("reindex", data, corpus)), log)
    reindex_seconds = time.monotonic() - started
    print(f"uninterrupted: add {add_seconds:.1f} s, reindex {reindex_seconds:.1f} s")
    with Store(data.store_path) as store:
        ids = set(store.ids())
    return ids, add_seconds, reindex_seconds


def integrity(data: DataDir) -> str:
    with Store(data.store_path) as store:
        return store.integrity()


def check_readable_state(data: DataDir, expected: set[str], index_seen: bool) -> bool:
    """What readers see after a kill is whole; returns whether an index exists."""
    result = CliRunner().invoke(cli, ["stats", "--data", str(data.root), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    stats = json.loads(result.stdout)
    assert integrity(data) == "ok"
    with Store(data.store_path) as store:
        stored = set(store.ids())
        indexed = stored - set(store.pending_ids())
    assert stats["articles"] == len(stored)
    assert stored <= expected, f"articles no clean run stores: {sorted(stored - expected)[:5]}"
    if current_dir(data.index_root) is None:
        assert not index_seen, "the index vanished after a kill"
        assert not indexed, "the store marks articles indexed but there is no index"
        return False
    ix = open_current(data.index_root)
    try:
        with ix.searcher() as searcher:
            in_index = [doc["id"] for doc in searcher.all_stored_fields()]
            missing = [aid for aid in indexed if searcher.document(id=aid) is None]
            hits = searcher.search(_word_query(ix), limit=1)
            found = len(hits)
            assert searcher.doc_count() == len(in_index)
    finally:
        ix.close()
    assert len(set(in_index)) == len(in_index), "an id is in the index twice"
    assert set(in_index) <= expected, "the index holds something that is not an article"
    assert missing == [], f"marked indexed but not in the index: {missing[:5]}"
    assert found > 0, f"no hit for {KNOWN_WORD!r} in an index of {len(in_index)} documents"
    return True


def _word_query(ix):
    from whoosh.qparser import QueryParser
    return QueryParser("body", ix.schema).parse(KNOWN_WORD)


def check_complete(data: DataDir, expected: set[str]) -> None:
    assert integrity(data) == "ok"
    with Store(data.store_path) as store:
        stored = store.ids()
        assert store.pending_ids() == [] and store.pending_deletes() == []
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected, (f"lost: {sorted(expected - set(stored))[:5]}, "
                                     f"extra: {sorted(set(stored) - expected)[:5]}")
    ix = open_current(data.index_root)
    try:
        with ix.searcher() as searcher:
            assert searcher.doc_count() == len(expected)
            assert [aid for aid in expected if searcher.document(id=aid) is None] == []
    finally:
        ix.close()


def end_leftover_workers(procs: list[subprocess.Popen]) -> None:
    """Kill the process groups this test started (orphaned writer workers)."""
    for proc in procs:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        proc.wait()


def test_the_reference_run_stores_every_record_that_has_text(reference, corpus):
    ids, _, _ = reference
    assert len(ids) == records_with_text(corpus) + HTML_PAGES


def test_sigkill_during_add_and_reindex_never_loses_or_duplicates_an_article(
        tmp_path, corpus, reference, record_property):
    expected, add_seconds, reindex_seconds = reference
    rng = random.Random(SEED)
    procs: list[subprocess.Popen] = []
    log = tmp_path / "runs.log"
    kills = {"add": 0, "reindex": 0}
    episodes = 0
    started = time.monotonic()
    budget = max(TIME_BUDGET, RUNS_PER_KILL_BUDGET * KILLS * max(add_seconds, reindex_seconds))

    def run_and_maybe_kill(op: str, data: DataDir) -> bool:
        """Start `op`, SIGKILL it at a random moment; True if it finished first."""
        proc = ingest_process(log, *command(op, data, corpus))
        procs.append(proc)
        time.sleep(rng.uniform(0.5, reindex_seconds if op == "reindex" else add_seconds))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            kills[op] += 1
            return False
        finish(proc, log)
        return True

    try:
        while sum(kills.values()) < KILLS:
            assert time.monotonic() - started < budget, f"only {kills} kills in {budget:.0f} s"
            episodes += 1
            data = DataDir(tmp_path / f"episode-{episodes}")
            index_seen = complete = False
            while not complete:  # kill `add` (or a reindex, once there is an index) until an add completes
                op = "reindex" if index_seen and rng.random() < 0.3 else "add"
                complete = run_and_maybe_kill(op, data)
                index_seen = check_readable_state(data, expected, index_seen)
            check_complete(data, expected)
            for _ in range(REINDEX_KILLS_PER_EPISODE):  # a rebuild killed over a complete archive
                run_and_maybe_kill("reindex", data)
                check_readable_state(data, expected, index_seen=True)
                check_complete(data, expected)
    finally:
        end_leftover_workers(procs)
    record_property("kills", dict(kills))
    print(f"kills survived: {kills} over {episodes} episodes; articles lost: 0")
    assert sum(kills.values()) >= KILLS and kills["reindex"] >= KILLS // 4
