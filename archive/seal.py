"""A note of the store file as a clean write session left it, so the next one need not re-read it all.

Every writing command checks the store with SQLite's `quick_check` before it
writes, so that it never builds on a damaged file. That check reads the
whole file: at 510,000 articles (7 GB) it took 9 s with the file in the page
cache and 86 s without, on every `add`, however small. Yet the file a
session finds is nearly always the one the previous session closed.

So a session that ends cleanly writes a seal next to the file: the file's
size and modification time (and its write-ahead log's, if one is left).
The next session trusts a file that still matches its seal and checks any
other: one changed since (by anything, even a reader's checkpoint), copied
without its times, left by a killed session (which writes no seal), or with
no seal at all. File times come from a clock that moves in ticks of a few
milliseconds, so the seal is written only once the clock has passed the
file's time: a change after the seal always gets a later time. What a
seal cannot see is damage that changes neither size nor time (a failing
disk): `ingest.py check` runs SQLite's full integrity check on demand.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

#: Longer than a tick of the clock that stamps file times (1-10 ms on Linux).
CLOCK_TICK_NS = 20_000_000
SUFFIX = ".sealed"


def _seal_path(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


def _state(db: Path) -> dict:
    """Size and time of the file and of a non-empty log; an empty or absent log is the same state
    (opening a connection creates an empty one)."""
    out = {}
    for name, path in (("db", db), ("wal", db.with_name(db.name + "-wal"))):
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        if name == "db" or st.st_size:
            out[name] = [st.st_size, st.st_mtime_ns]
    return out


def seal(db: Path) -> None:
    """Note the file as it is now (after a clean session closed its connection)."""
    state = _state(db)
    if "db" not in state:
        return
    newest = max(t for _, t in state.values())
    while time.time_ns() <= newest + CLOCK_TICK_NS:
        time.sleep(0.005)
    tmp = db.with_name(db.name + SUFFIX + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    os.replace(tmp, _seal_path(db))


def unchanged_since_sealed(db: Path) -> bool:
    """Whether the file is as the last clean session left it; the seal is used up either way
    (the session now starting will change the file)."""
    path = _seal_path(db)
    try:
        sealed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    finally:
        path.unlink(missing_ok=True)
    return sealed == _state(db)
