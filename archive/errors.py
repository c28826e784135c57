"""Errors the archive raises. Each names what went wrong in its docstring."""
from __future__ import annotations


class ArchiveError(Exception):
    """Something went wrong in the archive."""


class UnreadableFile(ArchiveError):
    """A whole file could not be read (missing, unreadable, unknown format)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class BadRecord(ArchiveError):
    """One record inside a file could not be turned into an article.

    Readers yield these instead of raising, so one bad line of a JSON Lines
    file does not cost the other lines.
    """

    def __init__(self, path: str, record: int | None, reason: str):
        where = path if record is None else f"{path}#{record}"
        super().__init__(f"{where}: {reason}")
        self.path = path
        self.record = record
        self.reason = reason


class ArticleNotFound(ArchiveError, KeyError):
    """No article with this id is in the store."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return f"no article with id {self.args[0]!r}"


class StoreBusy(ArchiveError):
    """Another ingest or reindex holds the archive's write lock."""
