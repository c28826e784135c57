"""The faults of issue 13, 3 to 9, each reproduced as it was found.

(1 and 2, the index disagreeing with the store, are in
test_index_agrees_with_store.py.) Each test fails on the code as it was:
a failing search answered as "no hits", races between two queries and two
pages of an export, binary data stored as text, spreadsheet formulas in
CSV cells, searches queued on one lock, and a glibc-only date format.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import random
import re
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

import index.search as search_module
from archive.document import Article
from archive.paths import DataDir
from archive.pipeline import Ingest
from archive.store import FileState, Store
from index import writer
from index.errors import IndexUnavailable, SearchError
from index.query import compile_query, parse_request
from index.search import SearchService
from web import create_app

PROJECT = Path(__file__).resolve().parents[1]


def synthetic(n: int, prefix: str, start: dt.date, title: str = "Harbour report {i}") -> list[Article]:
    """`n` articles with one shared word ("harbour"), a day apart from `start`."""
    return [Article(id=f"{prefix}-{i:04d}", slug=f"{prefix}-{i:04d}", title=title.format(i=i),
                    body=f"The harbour was busy on day {i}. Ships came and went.",
                    source_path=f"/fixture/{prefix}.jsonl", record=i, fmt="jsonl", original="",
                    outlet="TASS", outlet_slug="tass", date=start + dt.timedelta(days=i), lang="en")
            for i in range(n)]


def store_and_index(data: DataDir, articles: list[Article], name: str, fresh: bool = False) -> None:
    with Store(data.store_path) as store:
        store.store_file(FileState(f"/fixture/{name}.jsonl", 1, 1, name), articles)
        if fresh:
            writer.rebuild(store, data.index_root)
        else:
            writer.sync(store, data.index_root)


@pytest.fixture
def small(tmp_path) -> DataDir:
    data = DataDir(tmp_path / "data")
    store_and_index(data, synthetic(30, "a", dt.date(2016, 1, 1)), "a", fresh=True)
    return data


@pytest.fixture
def client_of():
    apps = []

    def make(data: DataDir):
        app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
        apps.append(app)
        return app.test_client()
    yield make
    for app in apps:
        app.extensions["search"].close()


# -- 3. failures dressed as answers ------------------------------------------------------

def _broken_run(*_args, **_kwargs):
    raise RuntimeError("disk read error")


def test_a_search_that_raises_is_an_error_response_never_an_empty_200(small, client_of, monkeypatch):
    client = client_of(small)
    monkeypatch.setattr(SearchService, "_run", _broken_run)
    api = client.get("/api/search?q=harbour")
    assert api.status_code >= 500
    assert "search failed" in api.get_json()["error"]["message"].lower()
    page = client.get("/search?q=harbour")
    assert page.status_code >= 500 and b"Traceback" not in page.data
    assert b"search failed" in page.data.lower()


def test_a_search_that_raises_is_a_failed_command_on_the_command_line(small, monkeypatch):
    from click.testing import CliRunner

    from ingest import cli
    monkeypatch.setattr(SearchService, "_run", _broken_run)
    result = CliRunner().invoke(cli, ["search", "harbour", "--data", str(small.root)])
    assert result.exit_code == 1 and "search failed" in result.output.lower()


def test_a_prefix_expansion_that_fails_fails_the_search_instead_of_matching_nothing(small, monkeypatch):
    from whoosh import query as wq

    def broken(self, reader):
        raise OSError("unreadable term list")
    monkeypatch.setattr(wq.Prefix, "_btexts", broken)
    service = SearchService(small.index_root)
    try:
        with pytest.raises(SearchError):
            service.search(parse_request({"q": "harb*"}))
    finally:
        service.close()


def test_an_index_that_cannot_be_read_is_named_not_taken_for_no_index(small, monkeypatch):
    from whoosh import index as windex

    def denied(*_args):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(windex.TOC, "_latest_generation", denied)
    with pytest.raises(IndexUnavailable) as raised:
        writer.generation(small.index_root)
    assert str(small.index_root) in str(raised.value) and "permission denied" in str(raised.value).lower()
    service = SearchService(small.index_root)
    try:
        with pytest.raises(SearchError):
            service.search(parse_request({"q": "harbour"}))
    finally:
        service.close()


def test_a_spelling_variant_lookup_that_fails_is_logged(monkeypatch, caplog):
    import archive.entities

    def broken(*_args, **_kwargs):
        raise ValueError("registry unreadable")
    monkeypatch.setattr(archive.entities, "query_variants", broken)
    compile_query.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="index.query"):
            without = compile_query('"Deir ez-Zor"')
        assert any("spelling variants" in r.getMessage() for r in caplog.records)
        monkeypatch.undo()
        assert compile_query('"Deir ez-Zor"') != without, "the failed lookup was cached"
    finally:
        compile_query.cache_clear()


# -- 4. a race on /sources ------------------------------------------------------------------

class _CommitsBetweenQueries:
    """A connection that lets another writer commit a new cited source right after the first query."""

    def __init__(self, db: sqlite3.Connection, path: Path, article_id: str):
        self._db, self._path, self._article = db, path, article_id
        self.fired = False

    def __getattr__(self, name):
        return getattr(self._db, name)

    def execute(self, sql, *args):
        cursor = self._db.execute(sql, *args)
        if not self.fired and "GROUP BY source_slug, source_name, kind" in sql:
            self.fired = True
            rows = cursor.fetchall()
            other = sqlite3.connect(self._path, timeout=10)
            other.execute('INSERT INTO citations(article_id, source_slug, source_name, kind, phrase, sentence,'
                          ' "start", "end", rule) VALUES (?, ?, ?, ?, ?, ?, 0, 1, ?)',
                          (self._article, "new-source", "New Source", "outlet", "told", "s", "test"))
            other.commit()
            other.close()
            return iter(rows)
        return cursor


def test_citation_counts_read_one_snapshot_while_a_source_is_committed(sample_data, tmp_path):
    from archive.coverage.store import citation_counts, ensure_schema
    root = tmp_path / "copy"
    shutil.copytree(sample_data.root, root)
    data = DataDir(root)
    with Store(data.store_path) as store:
        ensure_schema(store)
        article_id = store.ids()[0]
        store.db = _CommitsBetweenQueries(store.db, data.store_path, article_id)
        counts = citation_counts(store)  # KeyError: 'new-source' when the two queries see two states
        assert store.db.fired
        assert "new-source" not in {c.source_slug for c in counts}
        store.db = store.db._db
        assert "new-source" in {c.source_slug for c in citation_counts(store)}


# -- 5. exports read one snapshot ---------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_export_neither_skips_nor_repeats_rows_when_the_index_changes_mid_stream(tmp_path, client_of, fmt):
    data = DataDir(tmp_path / "data")
    first = synthetic(250, "a", dt.date(2016, 1, 1))
    store_and_index(data, first, "a", fresh=True)
    client = client_of(data)
    response = client.get(f"/export.{fmt}?q=harbour&sort=oldest", buffered=False)
    assert response.status_code == 200
    chunks = iter(response.response)
    text = ""
    while text.count("\n") < 60:
        text += next(chunks).decode()
    # meanwhile an ingest commits 50 articles that sort before all of them, and removes 20
    store_and_index(data, synthetic(50, "b", dt.date(2015, 1, 1)), "b")
    with Store(data.store_path) as store:
        store.store_file(FileState("/fixture/a.jsonl", 1, 1, "a2"), first[20:])
        writer.sync(store, data.index_root)
    text += "".join(c.decode() for c in chunks)
    response.close()
    if fmt == "csv":
        ids = [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]
    else:
        ids = [json.loads(line)["id"] for line in text.splitlines()]
    assert len(ids) == len(set(ids)), "rows repeated"
    assert ids == [a.id for a in first], "the export mixed two states of the index"


# -- 6. binary data is not an article ---------------------------------------------------------

def test_random_bytes_named_txt_are_reported_not_stored(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(random.Random(3).randbytes(20_000))  # a seed the old 10% rule let through
    data = DataDir(tmp_path / "data")
    with Store(data.store_path) as store:
        report = Ingest(store).run([path])
        assert store.count() == 0
    assert [f.path for f in report.failures] == [str(path)]
    assert "binary" in report.failures[0].reason


def test_a_text_whose_tail_opens_like_a_pdf_is_still_text(tmp_path):
    from archive.readers.sources import identify
    path = tmp_path / "notes.txt"
    lines = [f"Paragraph {n} of a long article about the harbour." for n in range(400)]
    # the tail read starts at a line; make that line look like a PDF signature
    path.write_text("\n".join(lines) + "\n" + "%PDF-1.4 is the version the report cites.\n" * 100)
    assert identify(path).fmt == "txt"


def test_text_in_legacy_encodings_is_still_text():
    from archive.readers.sources import binary_kind
    assert binary_kind("Привет, это новости из Москвы.\n".encode("cp1251") * 300) is None
    assert binary_kind("Grüße aus Köln, später mehr.\n".encode("latin-1") * 300) is None
    assert binary_kind("東京で会議が開かれた。\n".encode("shift_jis") * 300) is None


# -- 7. spreadsheet formula injection --------------------------------------------------------------

HOSTILE_TITLES = ("=HYPERLINK(\"http://evil.example\",\"x\")", "+1+2", "-3+4", "@SUM(A1)", "\tTabbed", "\rReturn")


def test_csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote_and_jsonl_stays_exact(tmp_path, client_of):
    data = DataDir(tmp_path / "data")
    articles = [Article(id=f"h{i}", slug=f"h{i}", title=t, body="The harbour was hostile.",
                        source_path="/fixture/h.jsonl", record=i, fmt="jsonl", original="",
                        outlet="=cmd|' /C calc'!A0", outlet_slug="cmd", date=dt.date(2016, 1, 1 + i))
                for i, t in enumerate(HOSTILE_TITLES)]
    store_and_index(data, articles, "h", fresh=True)
    client = client_of(data)
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?q=harbour&sort=oldest").get_data(as_text=True))))
    assert [r["title"] for r in rows] == ["'" + t for t in HOSTILE_TITLES]
    assert all(r["outlet"] == "'=cmd|' /C calc'!A0" for r in rows)
    lines = client.get("/export.jsonl?q=harbour&sort=oldest").get_data(as_text=True).splitlines()
    assert [json.loads(line)["title"] for line in lines] == list(HOSTILE_TITLES)


def test_the_readme_says_how_csv_cells_are_neutralised():
    readme = (PROJECT / "README.md").read_text()
    assert re.search(r"formula", readme, re.I) and "'" in readme


# -- 8. searches run in parallel ---------------------------------------------------------------------

def test_a_slow_search_does_not_hold_up_the_others(small, monkeypatch):
    service = SearchService(small.index_root)
    original = SearchService._run

    def run(self, state, request, started):
        if request.q == "slow":
            time.sleep(2.0)
        return original(self, state, request, started)
    monkeypatch.setattr(SearchService, "_run", run)
    slow = threading.Thread(target=service.search, args=(parse_request({"q": "slow"}),))
    try:
        service.search(parse_request({"q": "ships"}))  # opened
        slow.start()
        time.sleep(0.2)
        began = time.perf_counter()
        result = service.search(parse_request({"q": "harbour"}))
        took = time.perf_counter() - began
        assert result.total == 30 and took < 1.0, f"a fast search waited {took:.2f}s for a slow one"
    finally:
        slow.join()
        service.close()


def test_a_new_generation_is_prepared_aside_while_the_previous_one_answers(small, monkeypatch):
    service = SearchService(small.index_root)
    try:
        assert service.search(parse_request({"q": "harbour"})).total == 30
        real = search_module.IndexColumns

        def slow_columns(searcher):
            time.sleep(2.0)
            return real(searcher)
        monkeypatch.setattr(search_module, "IndexColumns", slow_columns)
        store_and_index(small, synthetic(5, "b", dt.date(2017, 1, 1)), "b")  # a commit: a new generation
        preparing = threading.Thread(target=service.search, args=(parse_request({"q": "ships"}),))
        preparing.start()
        time.sleep(0.2)
        began = time.perf_counter()
        during = service.search(parse_request({"q": "harbour"}))
        took = time.perf_counter() - began
        preparing.join()
        assert took < 1.0, f"a search waited {took:.2f}s for the new generation's arrays"
        assert during.total in (30, 35)
        assert service.search(parse_request({"q": "harbour"})).total == 35
    finally:
        service.close()


# -- 9. portable dates -------------------------------------------------------------------------

def test_day_labels_need_no_glibc_only_format():
    from web.histogram import _label
    assert _label("2016-09-05", "day") == "5 Sep 2016"


def test_no_module_uses_platform_only_strftime_flags():
    found = []
    for package in ("archive", "index", "web", "bench"):
        for path in (PROJECT / package).rglob("*.py"):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"""["'][^"']*%[-#_^][a-zA-Z][^"']*["']""", line) and "strftime" in line:
                    found.append(f"{path.relative_to(PROJECT)}:{n}")
    for path in (PROJECT / "web" / "templates").rglob("*.html"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""strftime\(["'][^"']*%[-#_^][a-zA-Z]""", line):
                found.append(f"{path.relative_to(PROJECT)}:{n}")
    assert not found, f"glibc/Windows-only strftime flags: {found}"
