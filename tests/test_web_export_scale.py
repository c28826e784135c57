"""A 100,000-row export streams in flat memory, every row in order.

The archive is 100,000 articles in a real store (written through
`Store.store_file`). Indexing that many with Whoosh takes several minutes on
a shared machine, so the search side is an engine double that pages through
the store's ids in order, as an `index.engines.Engine` does; everything
after it (the export view, `web.exports`, store reads in one transaction,
CSV and JSON Lines writing, Flask's streaming) is the real code. Memory is
the process's resident size, read while the response is consumed: it must
not grow with the rows written.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
from contextlib import contextmanager

import pytest

from archive.document import Article
from archive.paths import DataDir
from archive.store import FileState, Store
from index.model import Hit, SearchResult
from web import create_app

pytestmark = pytest.mark.slow

ROWS = 100_000
#: Resident memory may grow by at most this much between the 10,000th row and the last.
MAX_GROWTH_MB = 30


def _article(i: int) -> Article:
    body = f"Crude oil prices moved in report {i}. Traders said supply was tight, the agency said."
    return Article(id=f"a{i:06d}", slug=f"oil-report-{i}", title=f"Oil report {i}", body=body,
                   source_path="bulk.jsonl", record=i, fmt="jsonl", original=body, outlet=f"Outlet {i % 40}",
                   outlet_slug=f"outlet-{i % 40}", date=dt.date(2008, 1, 1) + dt.timedelta(days=i % 6000),
                   news_id=None, url=f"https://example.org/{i}", lang="en", origins={}, entities=())


class PagedIds:
    """An engine double: every search matches the ids given, in their order, page by page."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        self.snapshots = 0

    def search(self, request):
        first = (request.page - 1) * request.per_page
        hits = tuple(Hit(i, "", "", None, None, None, None, None, None, ())
                     for i in self.ids[first:first + request.per_page])
        return SearchResult(request, hits, len(self.ids), ())

    @contextmanager
    def snapshot(self):
        self.snapshots += 1
        yield self

    def close(self):
        pass


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = DataDir(tmp_path_factory.mktemp("export-100k"))
    with Store(data.store_path) as store:
        store.store_file(FileState("bulk.jsonl", 1, 0, "0" * 64, 1), (_article(i) for i in range(ROWS)))
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    app.extensions["search"].close()
    app.extensions["search"] = engine = PagedIds([f"a{i:06d}" for i in range(ROWS)])
    yield app.test_client(), engine


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


def consume(response, on_line):
    """Read a streamed response chunk by chunk; the resident size after 10,000 lines and at its peak."""
    at_10k, peak, lines, tail = None, 0.0, 0, ""
    for chunk in response.response:
        text = tail + (chunk.decode() if isinstance(chunk, bytes) else chunk)
        *complete, tail = text.split("\n")
        for line in complete:
            on_line(lines, line)
            lines += 1
        if at_10k is None and lines >= 10_000:
            at_10k = resident_mb()
        if lines % 5_000 < 120:
            peak = max(peak, resident_mb())
    response.close()
    return lines, at_10k, max(peak, resident_mb())


def test_a_100k_row_csv_export_streams_every_row_in_flat_memory(client):
    client, engine = client
    response = client.get("/export.csv?fields=id,date,title,permalink,body", buffered=False)
    assert response.status_code == 200
    first_rows = []

    def check(n, line):
        if n <= 2:
            first_rows.append(line)
        elif n == ROWS:
            assert line.startswith(f"a{ROWS - 1:06d},")

    lines, at_10k, peak = consume(response, check)
    print(f"csv: {lines:,} lines, resident {at_10k:.1f} MB at 10k rows, peak {peak:.1f} MB")
    assert lines == ROWS + 1   # the header and every row, no cap
    header, row = list(csv.reader(io.StringIO("\n".join(first_rows[:2]))))
    assert header == ["id", "date", "title", "permalink", "body"]
    assert row[:3] == ["a000000", "2008-01-01", "Oil report 0"] and row[3].endswith("/article/a000000")
    assert row[4] == _article(0).body
    assert peak - at_10k < MAX_GROWTH_MB, f"memory grew {peak - at_10k:.1f} MB over {ROWS:,} rows"


def test_a_100k_row_jsonl_export_streams_in_flat_memory_from_one_snapshot(client):
    client, engine = client
    before = engine.snapshots
    response = client.get("/export.jsonl?fields=id,outlet", buffered=False)
    seen = {"last": None}

    def check(n, line):
        if line:
            seen["last"] = json.loads(line)

    lines, at_10k, peak = consume(response, check)
    print(f"jsonl: {lines:,} lines, resident {at_10k:.1f} MB at 10k rows, peak {peak:.1f} MB")
    assert lines == ROWS and seen["last"] == {"id": f"a{ROWS - 1:06d}", "outlet": f"Outlet {(ROWS - 1) % 40}"}
    assert engine.snapshots == before + 1
    assert peak - at_10k < MAX_GROWTH_MB, f"memory grew {peak - at_10k:.1f} MB over {ROWS:,} rows"
