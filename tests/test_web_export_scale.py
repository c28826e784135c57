"""A 100,000-row export streams in flat memory, every row, through the real engine.

Everything is real: 100,000 short generated articles (a title and two
sentences, five outlets, three years of dates) written through the store
(`Store.store_file`) and indexed by the project's own full build
(`index.writer.rebuild`, Whoosh's multiprocess writer), searched by the
Whoosh engine (`index.engines.WhooshEngine`, i.e. `index.search.SearchService`)
the web app makes for its data folder, and exported by the Flask views.
The archive is built once per test session; it costs about 295 s of CPU
(storing 10 s, Whoosh's writer processes the rest), which two cores
spread over 2.5-5 minutes; the two exports add about 30 s of CPU each. Memory
is the process's resident size, read while the response is consumed: from
the 10,000th row to the last it must not grow with the rows written.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import resource
import time

import pytest

from archive.document import Article
from archive.paths import DataDir
from archive.store import FileState, Store
from index.engines import WhooshEngine
from index.writer import rebuild
from web import create_app

pytestmark = pytest.mark.slow

ROWS = 100_000
#: Resident memory may grow by at most this much between the 10,000th row and the last.
MAX_GROWTH_MB = 30
OUTLETS = ("Reuters", "TASS", "Al Jazeera", "BBC News", "RT")
GOODS = ("oil", "wheat", "copper", "gold", "coffee", "cotton", "sugar")
FIRST_DAY = dt.date(2014, 1, 1)
DAYS = 3 * 365


def _id(i: int) -> str:
    return f"a{i:06d}"


def _date(i: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=(i * 7919) % DAYS)   # shuffled: id order is not date order


def _article(i: int) -> Article:
    good, outlet = GOODS[i % len(GOODS)], OUTLETS[i % len(OUTLETS)]
    title = f"{good.capitalize()} prices in market report {i}"
    body = (f"{good.capitalize()} prices moved in report {i} from {outlet}. "
            f"Traders said supply of {good} was tight this week.")
    return Article(id=_id(i), slug=f"{good}-report-{i}", title=title, body=body, source_path="bulk.jsonl",
                   record=i, fmt="jsonl", original=body, outlet=outlet,
                   outlet_slug=outlet.lower().replace(" ", "-"), date=_date(i), news_id=None,
                   url=f"https://example.org/{i}", lang="en", origins={}, entities=())


@pytest.fixture(scope="session")
def archive_100k(tmp_path_factory) -> DataDir:
    """The 100,000 articles stored and indexed, once per session."""
    data = DataDir(tmp_path_factory.mktemp("export-100k"))
    started, cpu = time.perf_counter(), cpu_seconds()
    with Store(data.store_path) as store:
        store.store_file(FileState("bulk.jsonl", 1, 0, "0" * 64, ROWS), (_article(i) for i in range(ROWS)))
        stored, stored_cpu = time.perf_counter(), cpu_seconds()
        assert rebuild(store, data.index_root) == ROWS
        assert store.pending_ids() == []
    print(f"\n100k archive: stored in {stored - started:.1f} s ({stored_cpu - cpu:.1f} s CPU), indexed in "
          f"{time.perf_counter() - stored:.1f} s ({cpu_seconds() - stored_cpu:.1f} s CPU, writer processes "
          f"included); load average {os.getloadavg()[0]:.1f}")
    return data


@pytest.fixture(scope="module")
def client(archive_100k):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(archive_100k.root)})
    engine = app.extensions["search"]
    assert isinstance(engine, WhooshEngine) and engine.stats()["documents"] == ROWS
    yield app.test_client()
    engine.close()


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (Whoosh's writer processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


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


def test_a_100k_row_csv_export_streams_every_row_in_order_in_flat_memory(client):
    # oldest first, ties by id: the order is known without the engine
    expected = iter(sorted(range(ROWS), key=lambda i: (_date(i), _id(i))))
    started, cpu = time.perf_counter(), cpu_seconds()
    response = client.get("/export.csv?q=prices&sort=oldest&fields=id,date,title,outlet,permalink,body",
                          buffered=False)
    assert response.status_code == 200
    assert "archive-prices-" in response.headers["Content-Disposition"]
    wrong: list[str] = []

    def check(n, line):
        if n == 0:
            assert line.strip() == "id,date,title,outlet,permalink,body"
        elif line:
            i = next(expected)
            (row,) = csv.reader(io.StringIO(line))
            a = _article(i)
            if row[:4] != [a.id, a.date.isoformat(), a.title, a.outlet] or row[5] != a.body \
                    or not row[4].endswith(f"/article/{a.id}"):
                wrong.append(line)

    lines, at_10k, peak = consume(response, check)
    print(f"csv: {lines:,} lines in {time.perf_counter() - started:.1f} s ({cpu_seconds() - cpu:.1f} s CPU), "
          f"resident {at_10k:.1f} MB at 10k rows, peak {peak:.1f} MB")
    assert lines == ROWS + 1   # the header and every row, no cap
    assert next(expected, None) is None and not wrong, wrong[:3]
    assert peak - at_10k < MAX_GROWTH_MB, f"memory grew {peak - at_10k:.1f} MB over {ROWS:,} rows"


def test_a_100k_row_jsonl_export_newest_first_holds_every_article_once_in_flat_memory(client):
    # newest first, not by relevance: a relevance walk ranks every earlier page again (17 ms a page
    # at page 2, 110 ms at page 1,000), which would make this the suite's slowest test; relevance
    # paging itself is checked on both engines in test_engines_behaviour.py
    seen = bytearray(ROWS)   # allocated before the stream: the check itself must not grow
    repeated: list[str] = []
    started, cpu = time.perf_counter(), cpu_seconds()
    response = client.get("/export.jsonl?q=prices&sort=newest&fields=id,outlet", buffered=False)
    assert response.status_code == 200

    def check(n, line):
        item = json.loads(line)
        i = int(item["id"][1:])
        if seen[i] or item["outlet"] != OUTLETS[i % len(OUTLETS)]:
            repeated.append(line)
        seen[i] = 1

    lines, at_10k, peak = consume(response, check)
    print(f"jsonl: {lines:,} lines in {time.perf_counter() - started:.1f} s ({cpu_seconds() - cpu:.1f} s CPU), "
          f"resident {at_10k:.1f} MB at 10k rows, peak {peak:.1f} MB")
    assert lines == ROWS and not repeated and all(seen), repeated[:3]
    assert peak - at_10k < MAX_GROWTH_MB, f"memory grew {peak - at_10k:.1f} MB over {ROWS:,} rows"
