"""Decompressing gzip without losing the good part of a damaged file.

Python's gzip module raises as soon as it meets damage, and a buffered
reader above it then drops the bytes it had already decompressed for that
read. This stream instead ends at the damage as if the file ended there and
records what went wrong in `damage`, so a reader keeps every complete record
before the damage and reports the damage itself.
"""
from __future__ import annotations

import io
import zlib
from typing import BinaryIO

#: zlib window bits meaning "gzip header and trailer".
GZIP_WBITS = 31
CHUNK = 1 << 16


class GzipStream(io.RawIOBase):
    """Raw, read-only decompressed bytes of a gzip file (members concatenated)."""

    def __init__(self, file: BinaryIO):
        super().__init__()
        self._file = file
        self._decompressor = zlib.decompressobj(GZIP_WBITS)
        self._pending = b""
        self._finished = False
        #: why decompression stopped early, or None
        self.damage: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending and not self._finished:
            self._pending = self._decompress_some()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _decompress_some(self) -> bytes:
        """The next piece of output; b"" with `_finished` set at the end."""
        try:
            if self._decompressor.eof:
                return self._next_member()
            data = self._decompressor.unconsumed_tail or self._file.read(CHUNK)
            if not data:
                self._finished = True
                self.damage = "compressed file ended before the end-of-stream marker was reached"
                return b""
            return self._decompressor.decompress(data, CHUNK * 4)
        except zlib.error as exc:
            self._finished = True
            self.damage = f"corrupt gzip data ({exc})"
            return b""

    def _next_member(self) -> bytes:
        """Start on the gzip member after the one just ended, if there is one."""
        data = self._decompressor.unused_data.lstrip(b"\x00")
        while not data:
            chunk = self._file.read(CHUNK)
            if not chunk:
                self._finished = True
                return b""
            data = chunk.lstrip(b"\x00")  # zero padding after the last member
        self._decompressor = zlib.decompressobj(GZIP_WBITS)
        return self._decompressor.decompress(data, CHUNK * 4)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._file.close()


def damage_of(stream) -> str | None:
    """The damage a (possibly buffered) gzip stream ended at, if any."""
    raw = getattr(stream, "raw", stream)
    return getattr(raw, "damage", None)
