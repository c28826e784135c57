"""Exports of the current result set as CSV and JSON Lines, streamed (see `web.exports`).

Every hit of the search is written, however many: rows go out as they are
made, so memory stays flat. From first row to last an export reads one
snapshot, one index generation and one store read transaction, so a commit
or a swap mid-stream cannot make it skip or repeat rows. `fields=` chooses
the columns; the file is named after the search and the day.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import itertools
from typing import Iterator
from urllib.parse import quote

from flask import Blueprint, Response, request, stream_with_context, url_for

from index.query import parse_request

from .. import exports, jsonsafe
from ..services import own_store, search_service

bp = Blueprint("export", __name__)

#: Kept for callers that imported it from here.
csv_cell = exports.csv_cell


def _rows(wanted: tuple[str, ...]) -> Iterator[dict]:
    req = parse_request(request.args)
    marker = "ARTICLE-ID"
    template = url_for("article.show", article_id=marker, _external=True)

    def permalink(article_id: str) -> str:
        return template.replace(marker, quote(article_id, safe=""))

    with own_store() as store, search_service().snapshot() as snapshot:
        yield from exports.rows(req, wanted, store, snapshot, permalink)


def _attachment(ext: str) -> dict[str, str]:
    name = exports.filename(parse_request(request.args), "", ext)
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@bp.get("/export.csv", endpoint="csv")
def csv_export():
    """Every result as CSV; entities as "type: name; ...", lists joined by "; "."""
    wanted = exports.columns(request.args)
    items = _started(_rows(wanted))

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for n, line in enumerate(exports.csv_rows(items, wanted)):
            writer.writerow(line)
            if n % 100 == 0:
                yield _drain(buffer)
        yield _drain(buffer)

    return Response(stream_with_context(generate()), mimetype="text/csv", headers=_attachment("csv"))


@bp.get("/export.jsonl", endpoint="jsonl")
def jsonl_export():
    """Every result as JSON Lines, one article per line."""
    wanted = exports.columns(request.args)
    items = _started(_rows(wanted))

    def generate() -> Iterator[str]:
        for item in items:
            yield jsonsafe.dumps(item, ensure_ascii=False) + "\n"

    return Response(stream_with_context(generate()), mimetype="application/x-ndjson",
                    headers=_attachment("jsonl"))


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
