"""Writers trust a store file just as the last clean session left it, and check any other.

`quick_check` reads the whole file before every write session (seconds to
a minute and more at half a million articles), so a session that ends
cleanly seals the file (archive.seal) and the next one skips the check only
while the file still matches. These tests watch which sessions skip it and
make sure that a file changed in any way since its seal is checked, and
damage refused, however soon after the seal it happens.
"""
from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from archive import seal, store as store_module
from archive.paths import SAMPLES_DIR, DataDir
from archive.store import Store
from ingest import cli


@pytest.fixture
def trusted(monkeypatch) -> list[bool]:
    """What each write session's check decided: True when it trusted the seal."""
    seen: list[bool] = []

    def spy(path):
        seen.append(seal.unchanged_since_sealed(path))
        return seen[-1]
    monkeypatch.setattr(store_module, "unchanged_since_sealed", spy)
    return seen


def add(data: DataDir, *paths) -> object:
    return CliRunner().invoke(cli, ["add", *map(str, paths), "--no-entities", "--data", str(data.root)])


def note(folder, name: str, text: str):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_clean_add_seals_the_store_and_the_next_writer_trusts_it(tmp_path, trusted):
    data = DataDir(tmp_path / "data")
    assert add(data, SAMPLES_DIR).exit_code == 0
    assert add(data, SAMPLES_DIR).exit_code == 0  # nothing new: sealed again, unchanged
    more = note(tmp_path / "more", "a.txt", "Harbour\n\nThe harbour reopened on Sunday after the storm passed.")
    assert add(data, more).exit_code == 0
    result = CliRunner().invoke(cli, ["reindex", "--data", str(data.root)])
    assert result.exit_code == 0, result.output
    assert trusted == [False, True, True, True]  # a new file has no seal; each clean session left one


def test_a_file_touched_after_its_seal_is_checked_again(tmp_path, trusted):
    data = DataDir(tmp_path / "data")
    assert add(data, SAMPLES_DIR).exit_code == 0
    st = data.store_path.stat()
    os.utime(data.store_path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))  # same bytes, one nanosecond later
    assert add(data, SAMPLES_DIR).exit_code == 0
    assert trusted == [False, False]


def test_damage_right_after_a_clean_add_is_refused_and_nothing_is_written(tmp_path, trusted):
    data = DataDir(tmp_path / "data")
    assert add(data, SAMPLES_DIR).exit_code == 0
    with Store(data.store_path) as store:
        page = store.db.execute("PRAGMA page_size").fetchone()[0]
        root = store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
    raw = bytearray(data.store_path.read_bytes())
    start = (root - 1) * page
    raw[start + 8:start + page] = b"\xff" * (page - 8)  # same size, the articles table's root page gone
    data.store_path.write_bytes(bytes(raw))
    more = note(tmp_path / "more", "a.txt", "Harbour\n\nThe harbour reopened on Sunday after the storm passed.")
    result = add(data, more)
    assert result.exit_code != 0 and "integrity_check" in result.output
    assert data.store_path.read_bytes() == bytes(raw)
    assert trusted == [False, False]
    assert not (data.root / (data.store_path.name + seal.SUFFIX)).exists()  # a failed session seals nothing


def test_check_reads_the_whole_file_on_demand(tmp_path):
    data = DataDir(tmp_path / "data")
    assert add(data, SAMPLES_DIR).exit_code == 0
    result = CliRunner().invoke(cli, ["check", "--data", str(data.root)])
    assert result.exit_code == 0 and result.output.strip() == f"{data.store_path}: ok"
    with Store(data.store_path) as store:
        page = store.db.execute("PRAGMA page_size").fetchone()[0]
        root = store.db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'").fetchone()[0]
    raw = bytearray(data.store_path.read_bytes())
    raw[(root - 1) * page + 8:root * page] = b"\xff" * (page - 8)
    data.store_path.write_bytes(bytes(raw))
    result = CliRunner().invoke(cli, ["check", "--data", str(data.root)])
    assert result.exit_code != 0 and "is damaged" in result.output and str(data.store_path) in result.output
