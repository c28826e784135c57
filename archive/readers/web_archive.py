"""WARC (and ARC) web archives: one article per archived HTML page.

warcio does the format work (gzip members, chunked transfer encoding,
content encodings); each successful HTML `response` (or `resource`) record
goes through the same `page_document` as an .html file, with the record's
target URI as the page URL and its WARC-Date as `crawl_date` (when it was
fetched, which is not when it was published). Requests, metadata, revisits,
non-HTML and non-2xx responses carry no article and are skipped.

A record cut short (a clipped crawl) still gives its article when the part
that is there has text; damage that stops warcio reading further keeps the
records before it and is reported with the record's ordinal number.
"""
from __future__ import annotations

import zlib
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..document import RawDocument
from ..errors import BadRecord, UnreadableFile
from .html_page import page_document
from .options import ReadOptions
from .sources import Source, open_file

#: WARC record types that can hold a page.
PAGE_RECORD_TYPES = ("response", "resource")

_DAMAGE = (ArchiveLoadFailed, ValueError, OSError, EOFError, zlib.error)


def read_warc(source: Source, options: ReadOptions) -> Iterator[RawDocument | BadRecord]:
    """Each HTML page in the archive; record = the record's ordinal in the file."""
    path, folder = str(source.path), source.folder
    ordinal = 0
    with open_file(source.path) as stream:
        try:
            records = ArchiveIterator(stream)
            end = 0
            for ordinal, record in enumerate(records, 1):
                if not record.rec_type:  # warcio's sign of a header it could not parse
                    yield BadRecord(path, ordinal, f"record {ordinal}: its header cannot be read "
                                                   f"(the file is cut or damaged there)")
                    return
                try:
                    page = html_payload(record)
                except _DAMAGE as exc:
                    yield BadRecord(path, ordinal, f"record {ordinal}: its content cannot be read: {exc}")
                    continue
                if page is None:
                    end = records.get_record_offset() + records.get_record_length()
                    continue
                body, charset = page
                hints = {"folder": folder, "url": record.rec_headers.get_header("WARC-Target-URI") or "",
                         "crawl_date": record.rec_headers.get_header("WARC-Date") or ""}
                result = page_document(body, path=path, record=ordinal, fmt="warc", charset=charset,
                                       hints={k: v.strip() for k, v in hints.items() if v and v.strip()})
                if isinstance(result, BadRecord):
                    result = BadRecord(path, ordinal, f"record {ordinal}: {result.reason}")
                yield result
                end = records.get_record_offset() + records.get_record_length()
            if ordinal and bytes_after(stream, end):
                yield BadRecord(path, ordinal + 1, f"record {ordinal + 1}: the file ends inside "
                                                   f"its header (truncated)")
        except _DAMAGE as exc:
            if ordinal == 0:
                raise UnreadableFile(path, f"not a readable WARC file: {exc}") from None
            yield BadRecord(path, ordinal + 1, f"record {ordinal + 1}: damaged archive, "
                                               f"the rest of the file is skipped: {exc}")


def bytes_after(stream, offset: int) -> bool:
    """True when something other than padding follows `offset` in the file.

    warcio silently drops a record whose header is cut short; what is left
    after the last record it gave shows that one was there.
    """
    stream.seek(offset)
    return bool(stream.read(4096).strip(b"\r\n\x00 \t"))


def html_payload(record) -> tuple[bytes, str | None] | None:
    """(body, declared charset) of a record holding an HTML page, else None."""
    if record.rec_type not in PAGE_RECORD_TYPES:
        return None
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    body = record.content_stream().read()
    return (body, declared_charset(content_type)) if body.strip() else None


def declared_charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
