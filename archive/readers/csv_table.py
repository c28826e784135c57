"""CSV and TSV tables: one article per data row, streamed.

The header row names the columns; `fields.plan_fields` maps them to article
fields by convention or by the user's `--map`. A row that cannot be read (a
wrong number of fields, a broken quote) is reported with its row and line
number and the rest of the table goes on: after a quoting error the parser
restarts on the line after the one where the bad row began, so an unclosed
quote costs one row, not the rest of the file.
"""
from __future__ import annotations

import csv
import io
from collections import deque
from typing import Iterator

from ..document import RawDocument
from ..errors import BadRecord, UnreadableFile
from . import encoding
from .fields import CONVENTIONS, document_from_fields, plan_fields, resolve_column
from .options import MAPPABLE_FIELDS, ReadOptions
from .gzip_stream import damage_of
from .sources import Source, gzip_reason, os_reason, read_head

#: Largest field accepted (article bodies can be long; Python's default is 128 KB).
FIELD_SIZE_LIMIT = 64 * 2**20
csv.field_size_limit(max(csv.field_size_limit(), FIELD_SIZE_LIMIT))

#: Delimiters a .csv file may use, in order of preference on a tie.
CANDIDATE_DELIMITERS = ",;\t|"

#: After this many quoting errors the table is too damaged to re-parse.
MAX_QUOTING_ERRORS = 100


class LineFeed:
    """Lines for csv.reader, able to give back the lines of a bad row.

    It remembers the lines taken since `mark()`; `replay_after_first()`
    puts all but the first of them back, so parsing resumes on the line
    after the start of the row that failed.
    """

    def __init__(self, lines: Iterator[str]):
        self._lines = lines
        self._pending: deque[str] = deque()
        self._taken: list[str] = []
        self.lineno = 0
        self.row_start = 1

    def __iter__(self) -> "LineFeed":
        return self

    def __next__(self) -> str:
        line = self._pending.popleft() if self._pending else next(self._lines)
        self._taken.append(line)
        self.lineno += 1
        return line

    def mark(self) -> None:
        self._taken.clear()
        self.row_start = self.lineno + 1

    def replay_after_first(self) -> None:
        self._pending.extendleft(reversed(self._taken[1:]))
        self.lineno = self.row_start
        self._taken.clear()


def choose_delimiter(first_line: str) -> str:
    """The candidate delimiter used most in the header line (',' if none)."""
    counts = {d: first_line.count(d) for d in CANDIDATE_DELIMITERS}
    best = max(CANDIDATE_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(source: Source, options: ReadOptions) -> Iterator[RawDocument | BadRecord]:
    """A .csv (delimiter sniffed from the header) or .tsv (tab) table."""
    path = str(source.path)
    head = read_head(source)
    text_encoding = encoding.detect_encoding(head)
    with source.open() as stream:
        lines = io.TextIOWrapper(stream, encoding=text_encoding, errors="replace", newline="")
        delimiter = "\t" if source.fmt == "tsv" else choose_delimiter(
            head.decode(text_encoding, errors="replace").lstrip("\ufeff").split("\n", 1)[0])
        feed = LineFeed(lines)
        rows = csv.reader(feed, delimiter=delimiter, strict=True)
        try:
            header = read_header(rows, path)
            columns = plan_columns(header, options, path)
            yield from data_rows(rows, feed, header, columns, source)
        except OSError as exc:
            yield BadRecord(path, None, f"line {feed.lineno + 1}: read failed: {os_reason(exc)}")
        if damage_of(stream):
            yield BadRecord(path, None, f"after line {feed.lineno}: {gzip_reason(damage_of(stream))}; "
                                        f"the rest of the file is lost")


def read_header(rows: Iterator[list[str]], path: str) -> list[str]:
    """The first non-blank row, cleaned; UnreadableFile when there is none."""
    try:
        for row in rows:
            if any(cell.strip() for cell in row):
                return [cell.strip().lstrip("\ufeff") for cell in row]
    except csv.Error as exc:
        raise UnreadableFile(path, f"header row cannot be read: {exc}") from None
    raise UnreadableFile(path, "no header row (the table is empty)")


def plan_columns(header: list[str], options: ReadOptions, path: str) -> list[tuple[str, int]]:
    """(field, column index) pairs; UnreadableFile for a bad map or no text column."""
    for name, wanted in options.column_map.items():
        if name not in MAPPABLE_FIELDS:
            raise UnreadableFile(path, f"--map {name}={wanted}: unknown field {name!r}")
        if resolve_column(wanted, header) is None:
            raise UnreadableFile(path, f"--map {name}={wanted}: no column {wanted!r} in the header "
                                       f"(columns: {', '.join(header)})")
    plan = plan_fields(header, options.column_map)
    if "text" not in plan and "html" not in plan:
        raise UnreadableFile(path, f"no text column (looked for {', '.join(CONVENTIONS['text'][:5])}, ...; "
                                   f"columns: {', '.join(header)}); name it with --map text=COLUMN")
    return [(name, header.index(column)) for name, column in plan.items()]


def data_rows(rows, feed: LineFeed, header: list[str], columns: list[tuple[str, int]],
              source: Source) -> Iterator[RawDocument | BadRecord]:
    """One document per data row; record = data row number (header excluded)."""
    path, folder, fmt = str(source.path), source.folder, "csv"
    row_no = quoting_errors = 0
    while True:
        feed.mark()
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            row_no += 1
            quoting_errors += 1
            yield BadRecord(path, row_no, f"row {row_no} (line {feed.row_start}): {exc}")
            if quoting_errors >= MAX_QUOTING_ERRORS:
                yield BadRecord(path, None, f"{quoting_errors} rows with broken quoting; "
                                            f"the rest of the file is skipped")
                return
            feed.replay_after_first()
            continue
        if not any(cell.strip() for cell in row):
            continue
        row_no += 1
        if len(row) != len(header):
            yield BadRecord(path, row_no, f"row {row_no} (line {feed.row_start}) has {len(row)} fields, "
                                          f"header has {len(header)}")
            continue
        result = document_from_fields({name: row[i] for name, i in columns},
                                      path=path, record=row_no, fmt=fmt, folder=folder)
        if isinstance(result, BadRecord):
            result = BadRecord(path, row_no, f"row {row_no}: {result.reason}")
        yield result
