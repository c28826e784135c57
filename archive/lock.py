"""One writer at a time: an advisory lock on the data folder.

Two ingests writing at once would race on the index; the second one waits
for the first (up to a timeout) and otherwise refuses with a clear message.
The lock is released by the kernel if its holder dies, so a killed ingest
never leaves the archive locked.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import StoreBusy


@contextmanager
def write_lock(path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the archive's write lock; wait up to `wait` seconds for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                    raise StoreBusy(
                        f"the archive in {path.parent} is being written by {holder}; "
                        "wait for it to finish (or pass --wait SECONDS)") from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        yield
    finally:
        os.close(fd)
