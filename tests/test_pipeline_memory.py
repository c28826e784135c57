"""An ingest batch's freed memory goes back to the kernel.

glibc returns freed memory only from the top of its heap, so the pages a
batch's texts or the loaded signatures sat in stayed resident, pinned by
whatever was allocated after them; `release_freed_memory` (called after
each batch and after coverage loads) hands them back.
"""
from __future__ import annotations

import sys

import pytest

from archive.pipeline import _MALLOC_TRIM, release_freed_memory

MB = 1 << 20


def resident_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(_MALLOC_TRIM is None or not sys.platform.startswith("linux"), reason="glibc only")
def test_memory_freed_under_live_objects_is_returned():
    release_freed_memory()
    pinned, freed = [], []
    for i in range(160_000):  # 600-byte texts come from malloc's heap, not Python's arenas
        (pinned if i % 40 == 0 else freed).append(bytes(600) + i.to_bytes(4, "little"))
    held = resident_mb()
    del freed
    before = resident_mb()  # what is freed under the pinned texts stays resident
    release_freed_memory()
    after = resident_mb()
    freed_mb = 156_000 * 640 / MB
    assert before - after > freed_mb / 2, (held, before, after, freed_mb)
    assert len(pinned) == 4000
