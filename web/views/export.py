"""Exports of the current result set as CSV and JSON Lines, streamed.

An export walks the results page by page (so memory stays flat) and stops
at the app's `EXPORT_ROW_CAP`; the cap is stated in the response headers
and, when reached, in a last line of the file itself. From first row to
last it reads one snapshot: one index generation and one store read
transaction, so a commit or a swap mid-stream cannot make it skip or repeat
rows.

Scraped text is hostile: a CSV cell starting with `=`, `+`, `-`, `@`, a tab
or a carriage return would be run as a formula by Excel or LibreOffice, so
such cells get a leading `'` (OWASP's advice). JSON Lines stay exact.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import itertools
from typing import Iterator

from flask import Blueprint, Response, current_app, request, stream_with_context

from archive.document import ENTITY_TYPES, Article
from index.model import SearchRequest
from index.query import parse_request

from .. import exports, jsonsafe
from ..services import hit_pages, own_store, search_service

bp = Blueprint("export", __name__)

#: `story` is the story group id (smallest member id; empty when in none),
#: `cites` the names of the sources the article cites ("; " between them), `shares` the ids
#: of the articles it shares passages with ("; " between them).
COLUMNS = ("id", "title", "outlet", "date", "news_id", "url", "entities", "story", "cites", "shares")


#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def rows(req: SearchRequest, limit: int) -> Iterator[dict]:
    """Export rows for every hit of `req`, in its order, at most `limit` of them (one snapshot)."""
    sent = 0
    with own_store() as store, store.snapshot(), search_service().snapshot() as index:
        for hits in hit_pages(req, index):
            articles = store.get_many([h.id for h in hits])
            for hit in hits[: limit - sent]:
                yield row(hit, articles.get(hit.id))
                sent += 1
            if sent >= limit:
                return


def csv_cell(value) -> str:
    """A CSV cell that no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row(hit, article: Article | None) -> dict:
    """One export row; the store's copy of the article is the truth when present."""
    if article is not None:
        entities = {t: [e.name for e in article.entities_of(t)] for t in ENTITY_TYPES}
        return {"id": article.id, "title": article.title, "outlet": article.outlet,
                "date": article.date.isoformat() if article.date else None,
                "news_id": article.news_id, "url": article.url, "story": hit.story,
                "cites": list(hit.cites), "shares": list(hit.shares), "entities": entities}
    entities = {t: [e.name for e in hit.entities if e.type == t] for t in ENTITY_TYPES}
    return {"id": hit.id, "title": hit.title, "outlet": hit.outlet,
            "date": hit.date.isoformat() if hit.date else None,
            "news_id": hit.news_id, "url": hit.url, "story": hit.story, "cites": list(hit.cites),
            "shares": list(hit.shares),
            "entities": entities}


def _cap_note(cap: int) -> str:
    return f"export stopped at the cap of {cap} rows; narrow the search to export the rest"


def _headers(cap: int, filename: str) -> dict[str, str]:
    return {"X-Export-Row-Cap": str(cap),
            "Content-Disposition": f'attachment; filename="{filename}"'}


@bp.get("/export.csv", endpoint="csv")
def csv_export():
    """The current results as CSV; entities as "type: name; ..." per row."""
    req = parse_request(request.args)
    cap = current_app.config["EXPORT_ROW_CAP"]

    items = _started(rows(req, cap + 1))

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for n, item in enumerate(items, 1):
            if n > cap:
                writer.writerow([f"# {_cap_note(cap)}"])
                break
            entities = "; ".join(f"{t}: {name}" for t in ENTITY_TYPES for name in item["entities"][t])
            writer.writerow([csv_cell(item[c]) for c in COLUMNS[:6]]
                            + [csv_cell(entities), csv_cell(item["story"]), csv_cell("; ".join(item["cites"])),
                               csv_cell("; ".join(item["shares"]))])
            yield _drain(buffer)
        yield _drain(buffer)

    return Response(stream_with_context(generate()), mimetype="text/csv",
                    headers=_headers(cap, "archive-export.csv"))


@bp.get("/export.jsonl", endpoint="jsonl")
def jsonl_export():
    """The current results as JSON Lines, one article per line."""
    req = parse_request(request.args)
    cap = current_app.config["EXPORT_ROW_CAP"]

    items = _started(rows(req, cap + 1))

    def generate() -> Iterator[str]:
        for n, item in enumerate(items, 1):
            if n > cap:
                yield jsonsafe.dumps({"truncated": True, "cap": cap, "note": _cap_note(cap)}) + "\n"
                break
            yield jsonsafe.dumps(item, ensure_ascii=False) + "\n"

    return Response(stream_with_context(generate()), mimetype="application/x-ndjson",
                    headers=_headers(cap, "archive-export.jsonl"))


@bp.get("/export.timeline.csv", endpoint="timeline")
def timeline_csv():
    """The timeline's data: one row per bar (period, label, count, whether selected)."""
    req = dataclasses.replace(parse_request(request.args), page=1, per_page=1, highlight=False)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(exports.timeline_rows(search_service().search(req)))
    return Response(buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{exports.filename(req, "timeline", "csv")}"'})


def _started(items: Iterator[dict]) -> Iterator[dict]:
    """`items` with its first row read now, so a search that fails is an error response, not a cut-off file."""
    first = next(items, None)
    return items if first is None else itertools.chain([first], items)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
