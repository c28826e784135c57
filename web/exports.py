"""What the exports write: file names, columns and rows, apart from the views that stream them.

A file someone downloads should say what it holds: its name carries the
query (or "all"), the filters' values and the day it was made, so two
exports of different searches never overwrite each other as
`archive-export.csv`.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from slugify import slugify

from index.model import SearchRequest, SearchResult

#: Characters of the query and of the filters kept in a file name.
NAME_PART_LENGTH = 60


def filename(req: SearchRequest, what: str, ext: str, today: dt.date | None = None) -> str:
    """e.g. `archive-defense-ministry-outlet-rt-2026-12-01.csv` (`what` is "" or "timeline")."""
    filters = "-".join(f"{name}-{'-'.join(values)}" for name, values in req.filters().items())
    if req.date_from or req.date_to:
        filters += f"-from-{req.date_from or 'start'}-to-{req.date_to or 'end'}"
    parts = ["archive", what, slugify(req.q)[:NAME_PART_LENGTH] or "all",
             slugify(filters)[:NAME_PART_LENGTH], (today or dt.date.today()).isoformat()]
    return "-".join(p for p in parts if p) + "." + ext


TIMELINE_COLUMNS = ("start", "end", "label", "count", "selected")


def timeline_rows(result: SearchResult) -> Iterator[list]:
    """The timeline's bars, one row each (the header first), as the chart draws them."""
    yield [*TIMELINE_COLUMNS, "unit"]
    for bar in result.histogram:
        yield [bar.start, bar.end, bar.label, bar.count, "yes" if bar.selected else "", result.histogram_unit]
