"""What the exports write: file names, columns and rows, apart from the views that stream them.

An export holds every hit of a search, however many: it walks the results a
page at a time inside one engine snapshot and one store read transaction
(so a commit or an index swap mid-stream cannot make it skip or repeat
rows), and yields rows as it goes, so memory stays flat whatever the size.

Columns are chosen with `fields=` (comma-separated or repeated); the body
and the snippet are there on request only, being long or costly.

A file someone downloads should say what it holds: its name carries the
query (or "all"), the filters' values and the day it was made, so two
exports of different searches never overwrite each other as
`archive-export.csv`.

Scraped text is hostile: a CSV cell starting with `=`, `+`, `-`, `@`, a tab
or a carriage return would be run as a formula by Excel or LibreOffice, so
such cells get a leading `'` (OWASP's advice). JSON Lines stay exact.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re
from typing import Any, Callable, Iterable, Iterator

from slugify import slugify

from archive.document import ENTITY_TYPES, Article
from index.model import MAX_PER_PAGE, Hit, SearchRequest, SearchResult
from index.query import InvalidRequest

#: Every column an export can have, in the order they are written. `permalink` is the
#: article's page in this archive, `snippet` the passages that matched (plain text),
#: `story` the story group id, `cites` the cited sources' names, `shares` the ids of the
#: articles it shares passages with.
COLUMNS = ("id", "title", "outlet", "date", "lang", "news_id", "url", "permalink", "snippet", "body",
           "entities", "story", "cites", "shares")
#: Columns written when `fields=` is not given: all but the long (body) and costly (snippet) ones.
DEFAULT_COLUMNS = tuple(c for c in COLUMNS if c not in ("snippet", "body"))
#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TAG = re.compile(r"<[^>]+>")


def columns(args) -> tuple[str, ...]:
    """The columns `fields=` asks for, in the order asked (raises `InvalidRequest`)."""
    asked = [f.strip().lower() for value in args.getlist("fields") for f in value.split(",") if f.strip()]
    if not asked:
        return DEFAULT_COLUMNS
    unknown = [f for f in asked if f not in COLUMNS]
    if unknown:
        raise InvalidRequest(f"fields: no column named {unknown[0][:40]!r}; the columns are "
                             f"{', '.join(COLUMNS)}", ("fields",))
    return tuple(dict.fromkeys(asked))


def pages(request: SearchRequest, snapshot, highlight: bool) -> Iterator[tuple[Hit, ...]]:
    """Every hit of `request` in its order, a page at a time, from one engine snapshot."""
    page = 1
    while True:
        result = snapshot.search(dataclasses.replace(request, page=page, per_page=MAX_PER_PAGE,
                                                     highlight=highlight))
        if result.hits:
            yield result.hits
        if page >= result.pages or not result.hits:
            return
        page += 1


def rows(request: SearchRequest, wanted: tuple[str, ...], store, snapshot,
         permalink: Callable[[str], str]) -> Iterator[dict[str, Any]]:
    """One dict per hit with the `wanted` columns; `store` is read inside its own snapshot."""
    needs_article = bool(set(wanted) & {"title", "outlet", "date", "news_id", "url", "lang", "body", "entities"})
    with store.snapshot():
        for hits in pages(request, snapshot, highlight="snippet" in wanted):
            articles = store.get_many([h.id for h in hits]) if needs_article else {}
            for hit in hits:
                values = row(hit, articles.get(hit.id), permalink)
                yield {c: values[c]() for c in wanted}


def row(hit: Hit, article: Article | None, permalink: Callable[[str], str]) -> dict[str, Callable[[], Any]]:
    """Each column's value, computed on demand; the store's copy of the article is the truth when present."""
    a = article
    return {
        "id": lambda: hit.id,
        "title": lambda: a.title if a else hit.title,
        "outlet": lambda: a.outlet if a else hit.outlet,
        "date": lambda: (a.date if a else hit.date).isoformat() if (a.date if a else hit.date) else None,
        "lang": lambda: a.lang if a else hit.lang,
        "news_id": lambda: a.news_id if a else hit.news_id,
        "url": lambda: a.url if a else hit.url,
        "permalink": lambda: permalink(hit.id),
        "snippet": lambda: " … ".join(html.unescape(_TAG.sub("", s)) for s in hit.snippets),
        "body": lambda: a.body if a else None,
        "entities": lambda: ({t: [e.name for e in a.entities_of(t)] for t in ENTITY_TYPES} if a else
                             {t: [e.name for e in hit.entities if e.type == t] for t in ENTITY_TYPES}),
        "story": lambda: hit.story,
        "cites": lambda: list(hit.cites),
        "shares": lambda: list(hit.shares),
    }


def csv_cell(value) -> str:
    """A CSV cell that no spreadsheet runs as a formula; lists joined by "; "."""
    if isinstance(value, dict):   # entities
        value = "; ".join(f"{t}: {name}" for t, names in value.items() for name in names)
    elif isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(items: Iterable[dict[str, Any]], wanted: tuple[str, ...]) -> Iterator[list[str]]:
    yield list(wanted)
    for item in items:
        yield [csv_cell(item[c]) for c in wanted]

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
    """The timeline's bars, one row each (the header first), as the chart draws them; with
    `timeline=outlets` or `shares`, one more column per outlet line (its count or share)."""
    kind = "share" if result.request.timeline == "shares" else "count"
    yield [*TIMELINE_COLUMNS, "unit", *(f"{s.label} ({kind})" for s in result.series)]
    for i, bar in enumerate(result.histogram):
        yield [bar.start, bar.end, bar.label, bar.count, "yes" if bar.selected else "", result.histogram_unit,
               *(s.values[i] if kind == "share" else int(s.values[i]) for s in result.series)]
