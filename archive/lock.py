"""One writer at a time: an advisory lock on the data folder.

Two ingests writing at once would race on the index; the second one waits
for the first (up to a timeout) and otherwise refuses with a clear message.
The lock is released by the kernel if its holder dies, so a killed ingest
never leaves the archive locked. flock() locks belong to the open file, which
a forked child shares: Whoosh's multiprocess writer forks workers that outlive
a killed parent by seconds, and would keep the archive locked in the name of a
dead process. Children therefore close their copy of the lock's descriptor as
soon as they are forked; only the process that took the lock holds it.
"""
from __future__ import annotations

import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import StoreBusy

#: Descriptors of the write locks this process holds (closed in forked children).
_HELD: set[int] = set()


def _drop_inherited_locks() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextmanager
def write_lock(path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the archive's write lock; wait up to `wait` seconds for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _HELD.add(fd)
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
        _HELD.discard(fd)
        os.close(fd)
