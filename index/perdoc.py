"""Whoosh's per-document column reader, remembering which columns a segment lacks.

`W3PerDocReader._cached_reader` keeps the column readers it opened, but not
the columns it found missing: for a field without a lengths column (our
unscored keyword fields: entities, cites, spellings) every call asks the
storage again whether the file exists. Whoosh's writer asks for a field's
length once per posting when it writes a segment
(`FieldWriter.add_postings`), so a bulk build spent 13% of its CPU there,
9.1% in `file_exists` alone (py-spy over `add --no-entities`). A segment's
files never change once written, so a miss can be remembered like a hit.

`install()` (run when `index.writer` is imported, so the writer's forked
workers have it too) replaces the method on the class; `original` keeps
Whoosh's own for comparison.
"""
from __future__ import annotations

from whoosh.codec.whoosh3 import W3PerDocReader

original = W3PerDocReader._cached_reader


def cached_reader(self, fieldname, column):
    """As Whoosh's, with a column found missing remembered (as None) instead of looked for again."""
    readers = self._readers
    try:
        return readers[fieldname]
    except KeyError:
        pass
    if not self.has_column(fieldname):
        readers[fieldname] = None
        return None
    reader = readers[fieldname] = self.column_reader(fieldname, column)
    return reader


def install() -> None:
    """Use `cached_reader` for every Whoosh 3 segment (idempotent)."""
    W3PerDocReader._cached_reader = cached_reader


def installed() -> bool:
    return W3PerDocReader._cached_reader is cached_reader
