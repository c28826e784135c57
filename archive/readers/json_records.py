"""JSON arrays and JSON Lines: one article per object.

JSON Lines are streamed line by line (a 21,578-line .jsonl.gz never sits in
memory whole) and a bad line costs only that line. A JSON array is read
whole but decoded one element at a time, so a truncated file keeps every
element before the damage and reports where the damage is. A .json file
that turns out to be JSON Lines is read as such; an object holding the
articles under a usual key ({"articles": [...]}) is unwrapped.
"""
from __future__ import annotations

import json
import re
from typing import Any, Generator, Iterable, Iterator, Mapping

from ..document import RawDocument
from ..errors import BadRecord, UnreadableFile
from . import encoding
from .fields import document_from_fields, plan_fields
from .options import ReadOptions
from .gzip_stream import damage_of
from .sources import Source, gzip_reason, os_reason

#: Keys under which a JSON object commonly holds its list of articles.
CONTAINER_KEYS = ("articles", "items", "data", "results", "records", "documents",
                  "docs", "posts", "entries", "news", "stories")

#: A JSON array file is read whole; above this it is refused.
MAX_JSON_BYTES = 1 << 30

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class RecordMaker:
    """Turns decoded JSON values into documents, planning fields once per key set."""

    def __init__(self, source: Source, fmt: str, column_map: Mapping[str, str]):
        self.path = str(source.path)
        self.folder = source.folder
        self.fmt = fmt
        self.column_map = column_map
        self._plans: dict[tuple, dict[str, str]] = {}

    def make(self, value: Any, record: int | None, where: str) -> RawDocument | BadRecord:
        if not isinstance(value, dict):
            return BadRecord(self.path, record, f"{where}: a JSON {json_type(value)}, not an object")
        keys = tuple(value)
        plan = self._plans.get(keys)
        if plan is None:
            plan = self._plans[keys] = plan_fields(keys, self.column_map)
        result = document_from_fields({name: value[key] for name, key in plan.items()},
                                      path=self.path, record=record, fmt=self.fmt, folder=self.folder)
        if isinstance(result, BadRecord) and where:
            return BadRecord(self.path, record, f"{where}: {result.reason}")
        return result


def json_type(value: Any) -> str:
    """JSON's name for a decoded value's type."""
    names = {list: "array", str: "string", int: "number", float: "number",
             bool: "boolean", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def read_jsonl(source: Source, options: ReadOptions) -> Iterator[RawDocument | BadRecord]:
    """A JSON Lines file, streamed; record = line number."""
    maker = RecordMaker(source, "jsonl", options.column_map)
    with source.open() as stream:
        last_line = yield from lines_to_documents(stream, maker, str(source.path))
        if damage_of(stream):
            yield BadRecord(maker.path, None, f"after line {last_line}: {gzip_reason(damage_of(stream))}; "
                                              f"the rest of the file is lost")


def lines_to_documents(lines: Iterable[bytes | str], maker: RecordMaker,
                       path: str) -> Generator[RawDocument | BadRecord, None, int]:
    """One document per non-blank line; returns the number of lines read."""
    lineno = 0
    try:
        for lineno, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except UnicodeDecodeError:
                line = line.decode("utf-8", errors="replace")
                try:
                    value = json.loads(line)
                except ValueError as exc:
                    yield BadRecord(path, lineno, f"line {lineno}: invalid JSON: {describe(exc)}")
                    continue
            except ValueError as exc:
                yield BadRecord(path, lineno, f"line {lineno}: invalid JSON: {describe(exc)}")
                continue
            yield maker.make(value, lineno, f"line {lineno}")
    except OSError as exc:
        yield BadRecord(path, lineno + 1, f"line {lineno + 1}: read failed: {os_reason(exc)}")
    return lineno


def describe(exc: ValueError) -> str:
    """A JSON error as "Expecting ',' delimiter (column 45)"."""
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg} (column {exc.colno})"
    return str(exc)


def read_json(source: Source, options: ReadOptions) -> Iterator[RawDocument | BadRecord]:
    """A .json file: an array, an object holding an array, one article, or JSON Lines."""
    text = encoding.decode(source.read_all(MAX_JSON_BYTES))
    path = str(source.path)
    start = _WHITESPACE.match(text).end()
    if text.startswith("[", start):
        yield from array_documents(text, start, RecordMaker(source, "json", options.column_map))
        return
    try:
        value, end = _DECODER.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        if "\n{" in text:  # JSON Lines whose first line is damaged
            yield from lines_to_documents(text.split("\n"), RecordMaker(source, "jsonl", options.column_map), path)
            return
        raise UnreadableFile(path, f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    if _WHITESPACE.match(text, end).end() < len(text):
        yield from lines_to_documents(text.split("\n"), RecordMaker(source, "jsonl", options.column_map), path)
        return
    maker = RecordMaker(source, "json", options.column_map)
    if isinstance(value, dict):
        for key in CONTAINER_KEYS:
            if isinstance(value.get(key), list):
                for index, item in enumerate(value[key]):
                    yield maker.make(item, index + 1, f"{key} item {index + 1}")
                return
    result = maker.make(value, None, "")
    if isinstance(result, BadRecord):
        raise UnreadableFile(path, result.reason)
    yield result


def array_documents(text: str, start: int, maker: RecordMaker) -> Iterator[RawDocument | BadRecord]:
    """Elements of the array at `start`, decoded one by one until any damage."""
    path = maker.path
    pos = _WHITESPACE.match(text, start + 1).end()
    if text.startswith("]", pos):
        raise UnreadableFile(path, "no articles (empty JSON array)")
    index = 0
    while True:
        index += 1
        try:
            value, pos = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield BadRecord(path, index, f"item {index}: invalid JSON: {exc.msg} at line "
                                         f"{exc.lineno} column {exc.colno}; the rest of the file is skipped")
            return
        yield maker.make(value, index, f"item {index}")
        pos = _WHITESPACE.match(text, pos).end()
        if text.startswith(",", pos):
            pos = _WHITESPACE.match(text, pos + 1).end()
        elif text.startswith("]", pos):
            return
        elif pos >= len(text):
            yield BadRecord(path, index + 1, f"item {index + 1}: the file ends after item {index} "
                                             f"without closing the array (truncated)")
            return
        else:
            line = text.count("\n", 0, pos) + 1
            yield BadRecord(path, index + 1, f"item {index + 1}: expected ',' or ']' at line {line}; "
                                             f"the rest of the file is skipped")
            return
