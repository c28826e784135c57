"""Faults on the data folder: each a clear message naming the path, nothing stored lost, recovery next run.

The commands run as real child processes: the disk filling up is a
file-size limit (`RLIMIT_FSIZE`, so writes fail with EFBIG as on a full
disk), a read-only folder is a child without the capabilities that let root
ignore file modes, a damaged index segment and a damaged SQLite page are
bytes overwritten in the files themselves.
"""
from __future__ import annotations

import ctypes
import hashlib
import os
import resource
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.paths import SAMPLES_DIR, DataDir
from archive.store import Store
from index.query import parse_request
from index.search import SearchService
from index.writer import current_dir, generation_dirs, open_current
from ingest import cli
from web import create_app

PROJECT = Path(__file__).resolve().parents[1]
MORE = 40
_PR_CAPBSET_DROP = 24


def _file_size_limit(limit: int):
    def limit_writes() -> None:  # Python ignores SIGXFSZ, so writes past it fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return limit_writes


def _without_capabilities() -> None:
    """Drop every capability for the exec'd command, so file modes bind even for root."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in range(64):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)


def ingest(data: DataDir, *args: str, preexec=None) -> subprocess.CompletedProcess:
    """`ingest.py ARGS`: in a child process when it needs limits of its own, else in this one (faster)."""
    if preexec is None:
        result = CliRunner().invoke(cli, [*args, "--data", str(data.root)])
        stderr = result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            stderr += "Traceback (in process): " + repr(result.exception)
        return subprocess.CompletedProcess(args, result.exit_code, result.stdout, stderr)
    env = dict(os.environ, PYTHONPATH=str(PROJECT))
    return subprocess.run([sys.executable, "ingest.py", *args, "--data", str(data.root)], cwd=PROJECT,
                          env=env, capture_output=True, text=True, timeout=300, preexec_fn=preexec)


def assert_clean_failure(result: subprocess.CompletedProcess, *names: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("Error: ") and any(n in message for n in names), message


@pytest.fixture
def more(tmp_path) -> Path:
    folder = tmp_path / "more"
    folder.mkdir()
    for i in range(MORE):
        body = " ".join(f"The harbour of town {i} was busy on day {n} and the ships came and went."
                        for n in range(40))
        (folder / f"a{i:03d}.txt").write_text(f"Harbour news number {i}\n\n{body}\n")
    return folder


@pytest.fixture
def data(tmp_path) -> DataDir:
    data = DataDir(tmp_path / "data")
    result = ingest(data, "add", str(SAMPLES_DIR), "--no-entities")
    assert result.returncode == 0, result.stderr
    return data


def stored_ids(data: DataDir) -> list[str]:
    with Store(data.store_path) as store:
        assert store.integrity() == "ok"
        return store.ids()


def indexed_ids(data: DataDir) -> list[str]:
    ix = open_current(data.index_root)
    try:
        with ix.searcher() as searcher:
            return sorted(f["id"] for f in searcher.all_stored_fields())
    finally:
        ix.close()


def hits(data: DataDir, q: str) -> int:
    service = SearchService(data.index_root)
    try:
        return service.search(parse_request({"q": q})).total
    finally:
        service.close()


def biggest_file(folder: Path) -> int:
    return max(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- the disk fills up -----------------------------------------------------------------------

def test_the_disk_filling_up_during_add_loses_nothing_and_the_next_add_finishes(data, more):
    before = stored_ids(data)
    limit = (data.store_path.stat().st_size) + 64 * 1024
    result = ingest(data, "add", str(more), "--no-entities", preexec=_file_size_limit(limit))
    assert_clean_failure(result, str(data.root))
    assert set(before) <= set(stored_ids(data)), "an article stored before was lost"
    assert hits(data, "Deir") > 0, "the index no longer answers"
    again = ingest(data, "add", str(more), "--no-entities")
    assert again.returncode == 0, again.stderr
    assert len(stored_ids(data)) == len(before) + MORE
    assert indexed_ids(data) == stored_ids(data)


def test_the_disk_filling_up_during_reindex_keeps_the_live_index_and_the_next_reindex_finishes(data, more):
    assert ingest(data, "add", str(more), "--no-entities").returncode == 0
    live, ids = current_dir(data.index_root), stored_ids(data)
    result = ingest(data, "reindex", preexec=_file_size_limit(biggest_file(live) // 3))
    assert_clean_failure(result, str(data.root))
    assert current_dir(data.index_root) == live and generation_dirs(data.index_root) == [live]
    assert indexed_ids(data) == ids and hits(data, "harbour") == MORE
    again = ingest(data, "reindex")
    assert again.returncode == 0, again.stderr
    assert current_dir(data.index_root) != live and indexed_ids(data) == ids


# -- a read-only data folder ---------------------------------------------------------------

def _chmod_tree(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        write = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
        path.chmod((mode | stat.S_IWUSR) if writable else (mode & ~write))


def test_a_read_only_data_folder_is_named_and_nothing_changes_until_it_is_writable(data, more):
    before = stored_ids(data)
    _chmod_tree(data.root, writable=False)
    try:
        for command in (["add", str(more), "--no-entities"], ["reindex"], ["coverage"]):
            result = ingest(data, *command, preexec=_without_capabilities)
            assert_clean_failure(result, str(data.root))
            assert "not writable" in result.stderr or "read-only" in result.stderr
    finally:
        _chmod_tree(data.root, writable=True)
    assert stored_ids(data) == before and indexed_ids(data) == before
    assert ingest(data, "add", str(more), "--no-entities").returncode == 0
    assert indexed_ids(data) == stored_ids(data) and len(stored_ids(data)) == len(before) + MORE


# -- a damaged index segment ------------------------------------------------------------------

def _damage_segment(data: DataDir) -> Path:
    segment = next(current_dir(data.index_root).glob("*.seg"))
    raw = bytearray(segment.read_bytes())
    raw[-256:] = b"\xa5" * 256  # the compound file's directory
    raw[len(raw) // 2:len(raw) // 2 + 4096] = b"\x5a" * 4096
    segment.write_bytes(bytes(raw))
    return segment


def test_a_damaged_index_segment_is_reported_by_the_app_and_reindex_rebuilds_it(data):
    ids = stored_ids(data)
    _damage_segment(data)
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    try:
        client = app.test_client()
        api = client.get("/api/search?q=Deir")
        assert api.status_code == 503
        message = api.get_json()["error"]["message"]
        assert str(data.index_root) in message and "reindex" in message
        page = client.get("/search?q=Deir")
        assert page.status_code == 503 and b"reindex" in page.data and b"Traceback" not in page.data
        assert_clean_failure(ingest(data, "search", "Deir"), "reindex")
        rebuilt = ingest(data, "reindex")
        assert rebuilt.returncode == 0, rebuilt.stderr
        again = client.get("/api/search?q=Deir")
        assert again.status_code == 200 and again.get_json()["total"] > 0
    finally:
        app.extensions["search"].close()
    assert indexed_ids(data) == ids


def test_add_on_a_damaged_index_says_to_reindex_and_keeps_what_it_stored(data, more):
    _damage_segment(data)
    result = ingest(data, "add", str(more), "--no-entities")
    assert_clean_failure(result, "reindex")
    assert ingest(data, "reindex").returncode == 0
    assert indexed_ids(data) == stored_ids(data)


def test_a_big_add_on_a_damaged_index_says_to_reindex_too(data, more, monkeypatch):
    # a batch this size goes through the bulk writer, whose errors arrive while writing, not at the commit
    import index.writer
    monkeypatch.setattr(index.writer, "BULK_THRESHOLD", MORE // 2)
    _damage_segment(data)
    result = ingest(data, "add", str(more), "--no-entities")
    assert_clean_failure(result, "reindex")
    assert ingest(data, "reindex").returncode == 0
    assert indexed_ids(data) == stored_ids(data)
    assert ingest(data, "add", str(more), "--no-entities").returncode == 0  # the next run finishes the job
    assert indexed_ids(data) == stored_ids(data) and len(stored_ids(data)) == 5 + MORE


# -- a damaged SQLite page ---------------------------------------------------------------------

def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_store_page_is_named_with_integrity_check_and_nothing_is_written(data, more):
    with Store(data.store_path) as store:
        page = store.db.execute("PRAGMA page_size").fetchone()[0]
        root = store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
    raw = bytearray(data.store_path.read_bytes())
    start = (root - 1) * page
    raw[start + 8:start + page] = b"\xff" * (page - 8)  # the articles table's root page, header kept
    data.store_path.write_bytes(bytes(raw))
    before = _digest(data.store_path)
    for command in (["add", str(more), "--no-entities"], ["reindex"]):
        result = ingest(data, *command)
        assert_clean_failure(result, "PRAGMA integrity_check")
        assert str(data.store_path) in result.stderr
        assert _digest(data.store_path) == before, f"{command[0]} wrote to a damaged store"
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    try:
        stats = app.test_client().get("/api/stats")
        assert stats.status_code == 503 and "integrity_check" in stats.get_json()["error"]["message"]
    finally:
        app.extensions["search"].close()
