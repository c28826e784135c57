"""Whoosh's BufferFile reads its buffer in place (index.buffers): same reads as the BytesIO copy it made."""
from __future__ import annotations

import pickle
from io import BytesIO

import pytest
from whoosh.filedb.structfile import BufferFile

from index import buffers, search  # noqa: F401  (importing the search service installs it)


def test_the_search_side_installs_the_viewing_buffer_file():
    assert buffers.installed()
    assert isinstance(BufferFile(memoryview(b"abc")).file, buffers.ViewFile)


def test_a_buffer_file_reads_the_buffer_itself_not_a_copy():
    data = bytearray(b"0123456789")
    f = BufferFile(memoryview(data))
    data[0:2] = b"AB"  # a copy would not see this
    assert f.read(4) == b"AB23"
    assert f.get(8, 2) == b"89"


def test_reads_seeks_lines_and_pickles_answer_as_bytesio_does():
    payload = (b"head\nline two\n" + pickle.dumps((1, 2.5, "x"), 2) + b"W3Bl" + (12345).to_bytes(4, "big")
               + b"no newline at the end")
    mine, theirs = buffers.ViewFile(memoryview(payload)), BytesIO(payload)
    for f in (mine, theirs):
        f.seek(0)
    assert mine.readline() == theirs.readline() == b"head\n"
    assert mine.read(4) == theirs.read(4)
    assert mine.readline() == theirs.readline()
    assert pickle.load(mine) == pickle.load(theirs) == (1, 2.5, "x")
    assert mine.tell() == theirs.tell()
    assert mine.read(4) == theirs.read(4) == b"W3Bl"
    assert mine.seek(-3, 2) == theirs.seek(-3, 2)
    assert mine.read() == theirs.read() == b"end"
    assert mine.read(5) == theirs.read(5) == b""
    assert mine.readline() == theirs.readline() == b""
    assert mine.seek(2) == theirs.seek(2) and mine.seek(3, 1) == theirs.seek(3, 1)
    assert mine.read(100) == theirs.read(100)
    assert list(buffers.ViewFile(b"a\nb\nc")) == list(BytesIO(b"a\nb\nc")) == [b"a\n", b"b\n", b"c"]
    with pytest.raises(ValueError):
        mine.seek(-1)
