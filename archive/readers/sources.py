"""Which format a file is in, and how to open it (gzip included).

The extension says what a file claims to be; the first bytes say what it is.
Content wins where it is unambiguous (a PDF named .txt is still a PDF, a
gzip stream is decompressed whatever its name), and the extension decides
the rest. Every way opening can fail becomes an UnreadableFile with a short
reason, so a reader never has to think about OSError.
"""
from __future__ import annotations

import codecs
import errno
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import UnreadableFile
from .gzip_stream import GzipStream, damage_of

#: Bytes read to sniff a file's format.
HEAD_SIZE = 8192

GZIP_MAGIC = b"\x1f\x8b"

#: Extension (without ".gz") -> format name used by `read` and RawDocument.fmt.
EXTENSION_FORMATS = {
    ".txt": "txt", ".text": "txt",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".jsonlines": "jsonl",
    ".warc": "warc", ".arc": "warc",
}

#: Leading bytes of formats we cannot read, named for the error message.
BINARY_SIGNATURES = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "executable"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"RIFF", "media file"),
    (b"OggS", "media file"),
    (b"ID3", "MP3 audio"),
)

#: Extensions known to hold no readable article text.
UNSUPPORTED_EXTENSIONS = frozenset({
    ".pdf", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff", ".svg",
    ".ico", ".zip", ".7z", ".rar", ".tar", ".bz2", ".xz", ".doc", ".docx", ".odt",
    ".xls", ".xlsx", ".ppt", ".pptx", ".mp3", ".mp4", ".wav", ".avi", ".mov", ".exe",
    ".so", ".dll", ".pyc", ".sqlite", ".sqlite3", ".db", ".epub", ".mobi",
})

_TEXT_CONTROL = set(b"\t\n\r\f\v\x1b")


@dataclass(frozen=True)
class Source:
    """A file to read: where it is, whether it is gzipped, and its format."""

    path: Path
    fmt: str
    gzipped: bool

    @property
    def folder(self) -> str:
        """Name of the folder holding the file (a possible outlet name)."""
        return self.path.absolute().parent.name

    def folder_hint(self) -> dict[str, str]:
        """The `folder` hint every document from this file starts with."""
        return {"folder": self.folder} if self.folder else {}

    def open(self) -> BinaryIO:
        """The file's bytes, decompressed; raises UnreadableFile."""
        raw = open_file(self.path)
        if not self.gzipped:
            return raw
        return io.BufferedReader(GzipStream(raw), buffer_size=1 << 16)

    def read_all(self, limit: int) -> bytes:
        """The whole (decompressed) content, refused above `limit` bytes."""
        chunks: list[bytes] = []
        size = 0
        with self.open() as stream:
            if not self.gzipped:
                size = os.fstat(stream.fileno()).st_size
                if size > limit:
                    raise UnreadableFile(str(self.path), too_large(size, limit))
                size = 0
            try:
                while chunk := stream.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        raise UnreadableFile(str(self.path), too_large(size, limit, at_least=True))
                    chunks.append(chunk)
            except OSError as exc:
                raise UnreadableFile(str(self.path), os_reason(exc)) from None
            if damage_of(stream):
                raise UnreadableFile(str(self.path), gzip_reason(damage_of(stream)))
        return b"".join(chunks)


def too_large(size: int, limit: int, at_least: bool = False) -> str:
    """Why a one-article file is refused: its size against the limit."""
    over = "over " if at_least else ""
    return f"too large for one article ({over}{size / 2**20:.1f} MB; the limit is {limit // 2**20} MB)"


def gzip_reason(damage: str) -> str:
    """The reason given for a damaged gzip file."""
    return damage if damage.startswith("corrupt gzip") else f"corrupt gzip data: {damage}"


def os_reason(exc: OSError) -> str:
    """A short, human reason for an OSError (no path, no errno number)."""
    if exc.errno == errno.ENOENT:
        return "file vanished before it could be read"
    return exc.strerror.lower() if exc.strerror else str(exc)


def open_file(path: Path) -> BinaryIO:
    """Open a regular file for reading; UnreadableFile when that cannot be done."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            raise UnreadableFile(str(path), "is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise UnreadableFile(str(path), "not a regular file")
        return open(path, "rb")
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise UnreadableFile(str(path), "broken symbolic link") from None
        raise UnreadableFile(str(path), os_reason(exc)) from None


def binary_kind(head: bytes) -> str | None:
    """What a non-text file is ("PDF document", "binary file"), or None for text.

    Text in any ASCII-compatible encoding (UTF-8, the Windows and ISO code
    pages, Shift JIS, GBK, ...) holds almost no NUL, C0 control or DEL
    bytes; random or compressed data holds about one in nine. Valid UTF-8 is
    given more room (a scraped page may carry stray controls).
    """
    for signature, kind in BINARY_SIGNATURES:
        if head.startswith(signature):
            return kind
    if not head or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # empty, or UTF-16/32 text with a byte-order mark
    return "binary file" if looks_binary(head) else None


def looks_binary(data: bytes) -> bool:
    """Are there more NUL and control bytes than text holds (see binary_kind)?

    Signatures mean something only at a file's start; this test holds
    anywhere, so it also judges a file's tail.
    """
    sample = data[:4096]
    if not sample:
        return False
    if sample.count(0) > len(sample) // 100:
        return True
    odd = sum(1 for b in sample if b in _NOT_TEXT)
    allowed = len(sample) // 10 if _is_utf8(sample) else len(sample) // 200
    return odd > allowed


#: Bytes that text does not hold: C0 controls other than whitespace and ESC, and DEL.
_NOT_TEXT = frozenset(set(range(32)) - _TEXT_CONTROL) | {0x7F}


def _is_utf8(sample: bytes) -> bool:
    """Whether `sample` is UTF-8 (a character cut off at its end allowed)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def sniff_text_format(head: bytes) -> str:
    """Format of a text file whose name does not say: html, json, warc or txt."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or (
            start.startswith(b"<") and (b"<head" in head.lower() or b"<body" in head.lower())):
        return "html"
    if start.startswith((b"{", b"[")):
        return "json"
    return "txt"


def identify(path: Path) -> Source:
    """Decide how to read `path`; raises UnreadableFile when nothing fits."""
    name = path.name.lower()
    gz_name = name.endswith((".gz", ".gzip"))
    inner = name.rsplit(".", 1)[0] if gz_name else name
    ext = os.path.splitext(inner)[1]
    with open_file(path) as raw:
        try:
            magic = raw.read(len(GZIP_MAGIC))
        except OSError as exc:
            raise UnreadableFile(str(path), os_reason(exc)) from None
    if not magic:
        raise UnreadableFile(str(path), "empty file")
    gzipped = magic == GZIP_MAGIC
    if gz_name and not gzipped:
        raise UnreadableFile(str(path), "corrupt gzip data: not a gzip file")
    if ext in EXTENSION_FORMATS and EXTENSION_FORMATS[ext] == "warc":
        return Source(path, "warc", gzipped)  # warcio reads gzip members itself
    head = read_head(Source(path, "", gzipped))
    if not head.strip():
        raise UnreadableFile(str(path), "empty file" if not head else "empty file (only whitespace)")
    kind = binary_kind(head) or (None if gzipped or not looks_binary(_tail(path, len(head)))
                                 else "binary file")
    if kind:
        reason = "binary file, not text" if kind == "binary file" else f"unsupported format ({kind})"
        raise UnreadableFile(str(path), reason)
    if head.lstrip().lower().startswith(b"warc/"):
        return Source(path, "warc", gzipped)
    if ext in UNSUPPORTED_EXTENSIONS:
        raise UnreadableFile(str(path), f"unsupported format ({ext})")
    fmt = EXTENSION_FORMATS.get(ext)
    if fmt is None or (fmt == "txt" and sniff_text_format(head) == "html"):
        fmt = sniff_text_format(head)
    return Source(path, fmt, gzipped)


def _tail(path: Path, skip: int) -> bytes:
    """The last few kilobytes of a plain file past its first `skip` bytes (b"" when it has none)."""
    with open_file(path) as raw:
        try:
            size = os.fstat(raw.fileno()).st_size
            if size <= skip:
                return b""
            start = max(skip, size - 4096)
            raw.seek(start)
            tail = raw.read(4096)
        except OSError as exc:
            raise UnreadableFile(str(path), os_reason(exc)) from None
    if start > skip:  # begin at a line so as not to start inside a multibyte character
        tail = tail[tail.find(b"\n") + 1:] if b"\n" in tail else tail
    return tail


def read_head(source: Source) -> bytes:
    """Up to HEAD_SIZE first bytes, decompressed.

    A gzip stream damaged after its first bytes still gives those bytes (the
    reader reports the damage where it is); one that gives nothing at all is
    an UnreadableFile.
    """
    with source.open() as stream:
        try:
            head = stream.read(HEAD_SIZE)
        except OSError as exc:
            raise UnreadableFile(str(source.path), os_reason(exc)) from None
        if not head and damage_of(stream):
            raise UnreadableFile(str(source.path), gzip_reason(damage_of(stream)))
    return head
