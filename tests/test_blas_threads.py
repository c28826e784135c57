"""Importing the archive holds OpenBLAS to one thread before numpy loads, unless the user chose a count."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import ctypes, os
import archive, numpy
count = None
for line in open("/proc/self/maps"):
    path = line.split(None, 5)[5].strip() if len(line.split(None, 5)) == 6 else ""
    if "openblas" in path.rsplit("/", 1)[-1].lower():
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
            if hasattr(lib, name):
                count = getattr(lib, name)()
        break
print(os.environ.get("OPENBLAS_NUM_THREADS"), count)
"""


def _probe(**env: str) -> list[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**base, **env},
                         capture_output=True, text=True, check=True).stdout.split()
    return out


def test_openblas_starts_with_one_thread_when_the_user_set_none():
    setting, threads = _probe()
    assert setting == "1"
    assert threads in ("1", "None")  # None: this numpy is not built on OpenBLAS


def test_a_thread_count_the_user_set_is_kept():
    setting, threads = _probe(OPENBLAS_NUM_THREADS="2")
    assert setting == "2"
    assert threads in ("2", "None")
