"""Whoosh's in-memory file objects read their buffer in place instead of copying it.

A segment's files are parts of one memory-mapped compound file, each opened
as a `whoosh.filedb.structfile.BufferFile` over a memoryview of the map. Its
constructor wraps the view in `io.BytesIO` for the reads that go through a
file object (seek, read, pickle.load), and BytesIO copies what it is given:
every postings file, term table and stored-fields column of every segment is
copied whole into the process's own memory when a searcher first touches it.
At 100,000 articles that is 480 MB of copies (two postings files of 158 MB,
two stored-fields columns of 66 MB, two term tables of 15 MB), 0.25 s of CPU
to open a searcher and 0.11 s more on the first search that shows hits; it
grows with the archive, and it is most of the web server's memory.

`ViewFile` is a read-only file over the view itself; `install()` (called
when `index.search` is imported: the reading side only) makes BufferFile use
it. `get` already slices the view and is unchanged.
"""
from __future__ import annotations

from whoosh.filedb.structfile import BufferFile

original = BufferFile.__init__


class ViewFile:
    """The file operations Whoosh and pickle use (read, readline, seek, tell), over a buffer, not a copy."""

    def __init__(self, buf):
        self._buf = buf if isinstance(buf, memoryview) else memoryview(buf)
        self._size = len(self._buf)
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = self._size if size is None or size < 0 else min(self._size, start + size)
        self._pos = max(start, end)
        return bytes(self._buf[start:end])

    def readline(self, size: int | None = -1) -> bytes:
        start = self._pos
        limit = self._size if size is None or size < 0 else min(self._size, start + size)
        step = 256
        end = start
        while end < limit:
            chunk = bytes(self._buf[end:min(limit, end + step)])
            found = chunk.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(chunk)
            step *= 2
        self._pos = end
        return bytes(self._buf[start:end])

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 1:
            offset += self._pos
        elif whence == 2:
            offset += self._size
        if offset < 0:
            raise ValueError(f"negative seek position {offset}")
        self._pos = offset
        return offset

    def tell(self) -> int:
        return self._pos

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._buf = memoryview(b"")
        self._size = 0


def viewing_init(self, buf, name=None, onclose=None):
    """As Whoosh's BufferFile.__init__, with a `ViewFile` over `buf` in place of a BytesIO copy of it."""
    self._buf = buf
    self._name = name
    self.file = ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


def install() -> None:
    """Make every BufferFile read its buffer in place (idempotent)."""
    BufferFile.__init__ = viewing_init


def installed() -> bool:
    return BufferFile.__init__ is viewing_init

