"""Readers: one module per input format, each `read_*(source, options)`.

`discover` walks the paths a user gave; `read` picks the reader for a file
and yields one RawDocument per article, or a BadRecord for a record that
could not be read (the rest of the file goes on). A file that cannot be read
at all raises UnreadableFile.

Formats: plain text, HTML, CSV/TSV, JSON arrays, JSON Lines, WARC/ARC, and
any of them gzipped (`name.jsonl.gz`). The extension says which reader to
use, except where the first bytes say otherwise (see `sources.identify`).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from ..document import RawDocument
from ..errors import BadRecord, UnreadableFile
from .csv_table import read_csv
from .html_page import read_html
from .json_records import read_json, read_jsonl
from .options import MAPPABLE_FIELDS, ReadOptions
from .plain_text import read_text
from .sources import Source, identify
from .walk import discover
from .web_archive import read_warc

Reader = Callable[[Source, ReadOptions], Iterator["RawDocument | BadRecord"]]

#: Format name (see sources.EXTENSION_FORMATS) -> reader.
READERS: dict[str, Reader] = {
    "txt": read_text,
    "html": read_html,
    "csv": read_csv,
    "tsv": read_csv,
    "json": read_json,
    "jsonl": read_jsonl,
    "warc": read_warc,
}


def read(path: Path, options: ReadOptions = ReadOptions()) -> Iterator[RawDocument | BadRecord]:
    """The articles in one file, in file order.

    Raises UnreadableFile (when iteration starts) if the file cannot be
    read at all; a record that cannot be read is yielded as a BadRecord.
    """
    path = Path(path)
    source = identify(path)
    yield from READERS[source.fmt](source, options)


__all__ = ["ReadOptions", "MAPPABLE_FIELDS", "discover", "read", "READERS",
           "RawDocument", "BadRecord", "UnreadableFile"]
