"""Worker processes that die with the process that started them.

A killed ingest (`kill`, the OOM killer, a closed terminal) runs no clean-up,
and its workers did not notice: forked pool workers wait on their task
queue, whose other end each of them still holds, and Whoosh's writer
workers wait on theirs under a fork server that stays up as long as any of
its children lives. Left behind after one killed `add`: two coverage workers,
the fork server and two writer workers, 760 MB resident, for good. Linux
can send a process a signal when its parent dies (`PR_SET_PDEATHSIG`); a
worker asks for SIGKILL as it starts. Elsewhere this does nothing.
"""
from __future__ import annotations

import ctypes
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
