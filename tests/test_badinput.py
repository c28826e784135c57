"""Bad input never costs a run, a good article, or the archive's consistency.

Every bad file here is made by the test itself, in a `badinput/` folder under
the test's temporary directory, next to a folder of good articles (copies of
the bundled samples). One `ingest.py add` over the lot must finish with exit
code 0, report each bad file (and record) with a reason a person can act on,
keep every good article, and leave store and index agreeing: `stats --json`
counts what the store holds and every stored id is a document in the index.

Permissions do not bite when tests run as root, so "a file that loses read
permission during the run" is simulated: the file is chmod 000 *and* `open`
is patched to raise PermissionError for it (what a non-root user would get).
"""
from __future__ import annotations

import builtins
import gzip
import io
import json
import os
import random
import re
import shutil
import signal
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

import archive.pipeline as pipeline
from archive.paths import DataDir
from archive.pipeline import display_path
from archive.store import Store
from index.writer import open_current
from ingest import cli

#: Upper bound for any one ingest run here; a hang (a symlink loop followed
#: for ever) becomes a test failure instead of a stuck suite.
RUN_TIME_LIMIT = 120

#: A run holding one 50 MB file must still end within this many seconds.
LARGE_FILE_TIME_LIMIT = 20

SCRAPINGHUB_PAGE = "04a6711caa7c687592777718866e781e976e0fe684faebe8b3cedcef8cd0ea34"


# -- running the command line and checking the archive ------------------------------

@contextmanager
def time_limit(seconds: int):
    def expire(signum, frame):
        raise TimeoutError(f"ingest did not finish within {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def ingest(data: DataDir, *paths, limit: int = RUN_TIME_LIMIT) -> dict:
    """`ingest.py add --json` in-process; the run must complete (exit 0) in `limit` s."""
    args = ["add", "--data", str(data.root), "--no-entities", "--json", *map(str, paths)]
    with time_limit(limit):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def stats_json(data: DataDir) -> dict:
    result = CliRunner().invoke(cli, ["stats", "--data", str(data.root), "--json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_consistent(data: DataDir) -> list:
    """Store, stats and index agree; returns the stored articles."""
    with Store(data.store_path) as store:
        articles = list(store)
        failures = store.failures()
        assert store.pending_ids() == [] and store.pending_deletes() == []
    stats = stats_json(data)
    assert stats["articles"] == len(articles)
    assert sum(stats["outlets"].values()) == len(articles)
    assert sum(stats["months"].values()) == len(articles)
    assert stats["failures"] == failures
    if articles:
        ix = open_current(data.index_root)
        try:
            with ix.searcher() as searcher:
                assert searcher.doc_count() == len(articles)
                missing = [a.id for a in articles if searcher.document(id=a.id) is None]
        finally:
            ix.close()
        assert missing == [], f"stored but not findable in the index: {missing}"
    return articles


def from_file(articles, failures, path: Path):
    """The articles and failures that came from one file."""
    key = display_path(path)
    return ([a for a in articles if a.source_path == key],
            [f for f in failures if f["path"] == key])


def copy_good_articles(samples_dir: Path, folder: Path) -> Path:
    good = folder / "good"
    shutil.copytree(samples_dir, good)
    for path in good.iterdir():
        path.chmod(0o644)
    return good


def prose(words: int, seed: int, marker: str = "") -> str:
    """Readable sentences of ordinary words (seeded), ending with `marker`."""
    vocabulary = ("the harbour authority said ships cargo grain port officials reported "
                  "delays weather inspectors customs trade minister council agreed prices "
                  "tonnes river bridge workers strike talks resumed week market").split()
    rng = random.Random(seed)
    sentences, n = [], 0
    while n < words:
        length = rng.randint(8, 16)
        sentence = " ".join(rng.choice(vocabulary) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        n += length
    return " ".join(sentences) + (f" {marker}." if marker else "")


# -- the bad files ---------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and what the run must make of it.

    `articles`: how many articles the file must give (the good records in
    it); `failed`: the record numbers (None = the whole file) that must be
    reported; `either`: records that may come out as an article or as a
    reported failure, but must come out as one of them; `reason`: a pattern
    every reported reason for this file must match.
    """

    name: str
    make: Callable[[Path], Path]
    articles: int
    failed: frozenset = frozenset()
    reason: str = r"."
    either: frozenset = frozenset()


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def empty_file(folder):
    return write(folder / "empty.txt", b"")


def whitespace_only(folder):
    return write(folder / "blank.txt", b" \n\t\r\n  \n")


def empty_jsonl(folder):
    return write(folder / "nothing.jsonl", b"")


def binary_named_txt(folder):
    rng = random.Random(6)
    return write(folder / "photo.txt", b"\x00\x01\x02" + rng.randbytes(20_000))


def pdf_named_txt(folder):
    return write(folder / "report.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
                 + random.Random(7).randbytes(4000))


def invalid_utf8(folder):
    text = prose(120, seed=1, marker="Quayside")
    data = text.encode("utf-8")
    cut = len(data) // 2
    return write(folder / "invalid-utf8.txt", data[:cut] + b" \xff\xfe\xc3\x28\xa0\xa1 " + data[cut:])


def mixed_encodings(folder):
    first = ("Café owners in Zürich said the harbour would reopen next week. " * 4).encode("utf-8")
    second = ("Les négociations reprendront à Genève, selon le ministère. " * 4).encode("latin-1")
    third = ("Дождь задержал грузовые суда в порту. " * 3).encode("cp1251")
    return write(folder / "mixed-encodings.txt", first + b"\n\n" + second + b"\n\n" + third)


def one_megabyte_line(folder):
    line = prose(170_000, seed=2, marker="Zanzibarine")
    assert len(line) >= 1_000_000 and "\n" not in line
    return write(folder / "one-line.txt", line)


def csv_ragged_rows(folder):
    return write(folder / "ragged.csv",
                 "title,text,outlet\n"
                 "Grain ships wait,Grain ships waited outside the port for a week.,Reuters\n"
                 "Too few fields\n"
                 "Too many,Bridge workers went on strike.,Reuters,extra,cells\n"
                 "Talks resume,Trade talks resumed on Monday after a pause.,Reuters\n")


def csv_unknown_columns(folder):
    return write(folder / "unknown-columns.csv",
                 "title,body,shoe_size,favourite_colour\n"
                 "River bridge reopens,The river bridge reopened to traffic on Friday.,42,teal\n"
                 "Customs delays ease,Customs inspectors cleared the backlog of cargo.,38,ochre\n")


def csv_without_text_column(folder):
    return write(folder / "no-text-column.csv", "shoe_size,favourite_colour\n42,teal\n38,ochre\n")


def csv_quote_left_open(folder):
    return write(folder / "open-quote.csv",
                 "title,text\n"
                 "Port reopens,The port reopened after the storm passed.\n"
                 "\"Council agrees,The council agreed the budget on Tuesday.\n"
                 "Prices fall,Grain prices fell for a third week.\n")


def json_truncated_mid_record(folder):
    records = [{"title": f"Harbour story {i}", "body": prose(60, seed=10 + i), "outlet": "Reuters"}
               for i in range(3)]
    text = json.dumps(records, indent=1)
    cut = text.index('"body"', text.index("Harbour story 2"))
    return write(folder / "truncated.json", text[:cut + 20])


def json_truncated_single_object(folder):
    return write(folder / "truncated-object.json", '{"title": "Cut short", "body": "The text stops he')


def jsonl_with_bad_lines(folder):
    good = [json.dumps({"title": f"Cargo line {i}", "body": prose(40, seed=20 + i)}) for i in range(3)]
    lines = [good[0], '{"title": "broken", "body": ', "not json at all", good[1], "[1, 2, 3]", "", good[2]]
    return write(folder / "bad-lines.jsonl", "\n".join(lines) + "\n")


def scrapinghub_page(corpora: Path) -> tuple[str, bytes]:
    folder = corpora / "html" / "scrapinghub-article-extraction-benchmark"
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    html = gzip.decompress((folder / "html" / f"{SCRAPINGHUB_PAGE}.html.gz").read_bytes())
    return truth[SCRAPINGHUB_PAGE]["url"], html


def warc_record(rec_type: str, uri: str, payload: bytes, content_type: str | None,
                status: str = "200 OK", gzipped: bool = False) -> bytes:
    """One WARC record as bytes, written by warcio."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    if rec_type == "response":
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload),
                                           length=len(payload), http_headers=http)
    elif rec_type == "warcinfo":
        record = writer.create_warcinfo_record("badinput.warc", {"software": "tests"})
    else:
        record = writer.create_warc_record(uri, rec_type, payload=io.BytesIO(payload),
                                           length=len(payload), warc_content_type=content_type)
    writer.write_record(record)
    return out.getvalue()


def clipped_warc_record(corpora: Path) -> bytes:
    """The real (already clipped) Houston Press response record, decompressed."""
    import zlib
    raw = (corpora / "warc" / "resiliparse" / "clipped.warc.gz").read_bytes()
    return zlib.decompressobj(31).decompress(raw)


def warc_cases(corpora: Path) -> list[Case]:
    url, html = scrapinghub_page(corpora)
    clipped = clipped_warc_record(corpora)

    def truncated_mid_record(folder):
        good = warc_record("response", url, html, "text/html; charset=utf-8")
        return write(folder / "truncated.warc", good + clipped[: len(clipped) // 2])

    def truncated_in_header(folder):
        good = warc_record("response", url, html, "text/html; charset=utf-8")
        return write(folder / "cut-in-header.warc", good + clipped[:90])

    def gzip_member_truncated(folder):
        good = warc_record("response", url, html, "text/html; charset=utf-8", gzipped=True)
        second = gzip.compress(clipped)
        return write(folder / "truncated.warc.gz", good + second[: len(second) // 3])

    def non_html_records(folder):
        records = [
            warc_record("warcinfo", "", b"", None),
            warc_record("request", url, b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n",
                        "application/http; msgtype=request"),
            warc_record("response", "http://example.org/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(500),
                        "image/png"),
            warc_record("response", "http://example.org/api", b'{"title": "not a page"}',
                        "application/json"),
            warc_record("response", "http://example.org/missing", b"<html><body><p>Not found</p></body></html>",
                        "text/html", status="404 Not Found"),
            warc_record("response", url, html, "text/html; charset=utf-8"),
            warc_record("metadata", url, b"via: tests\n", "application/warc-fields"),
        ]
        return write(folder / "non-html.warc", b"".join(records))

    return [
        Case("warc truncated mid-record", truncated_mid_record, articles=1,
             either=frozenset({2})),
        Case("warc cut inside a record header", truncated_in_header, articles=1,
             failed=frozenset({2}), reason=r"record 2"),
        Case("warc.gz cut inside a gzip member", gzip_member_truncated, articles=1,
             either=frozenset({2})),
        Case("warc with non-html records", non_html_records, articles=1),
    ]


def html_without_body(folder):
    return write(folder / "no-body.html",
                 "<!doctype html><html><head><title>A title and nothing else</title></head></html>")


def html_with_empty_body(folder):
    return write(folder / "empty-body.html",
                 "<html><head><title>Empty</title></head><body>  <div></div>  </body></html>")


def dangling_symlink(folder):
    link = folder / "gone.txt"
    os.symlink(folder / "never-existed.txt", link)
    return link


def self_symlink_loop(folder):
    link = folder / "loop.txt"
    os.symlink(link.name, link)
    return link


def non_utf8_file_name(folder):
    return write(Path(os.fsdecode(os.fsencode(folder) + b"/r\xe9sum\xe9-\xff.txt")),
                 prose(80, seed=3, marker="Latinname"))


def non_utf8_folder_name(folder):
    return write(Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9-\xfe/story.txt")),
                 prose(80, seed=4, marker="Foldername"))


def non_utf8_name_of_empty_file(folder):
    return write(Path(os.fsdecode(os.fsencode(folder) + b"/vide-\xe9.txt")), b"")


EMPTY = r"empty"
NO_TEXT = r"no (article )?text"
STATIC_CASES = [
    Case("empty file", empty_file, articles=0, failed=frozenset({None}), reason=EMPTY),
    Case("whitespace-only file", whitespace_only, articles=0, failed=frozenset({None}), reason=EMPTY),
    Case("empty json lines file", empty_jsonl, articles=0, failed=frozenset({None}), reason=EMPTY),
    Case("binary data named .txt", binary_named_txt, articles=0, failed=frozenset({None}),
         reason=r"binary"),
    Case("pdf named .txt", pdf_named_txt, articles=0, failed=frozenset({None}), reason=r"pdf"),
    Case("invalid utf-8", invalid_utf8, articles=1),
    Case("mixed encodings", mixed_encodings, articles=1),
    Case("a 1 MB single line", one_megabyte_line, articles=1),
    Case("csv with ragged rows", csv_ragged_rows, articles=2, failed=frozenset({2, 3}),
         reason=r"fields"),
    Case("csv with unknown columns", csv_unknown_columns, articles=2),
    Case("csv with no text column", csv_without_text_column, articles=0, failed=frozenset({None}),
         reason=r"text column"),
    Case("csv with a quote left open", csv_quote_left_open, articles=2, failed=frozenset({2}),
         reason=r"quot|end of (data|file)|eof|unterminated|fields"),
    Case("json truncated mid-record", json_truncated_mid_record, articles=2, failed=frozenset({3}),
         reason=r"invalid json|truncated|unterminated|expecting"),
    Case("json object truncated", json_truncated_single_object, articles=0, failed=frozenset({None}),
         reason=r"invalid json|truncated|unterminated"),
    Case("json lines with bad lines", jsonl_with_bad_lines, articles=3, failed=frozenset({2, 3, 5}),
         reason=r"line \d+: (invalid json|.*not an object)"),
    Case("html with no body", html_without_body, articles=0, failed=frozenset({None}), reason=NO_TEXT),
    Case("html with an empty body", html_with_empty_body, articles=0, failed=frozenset({None}),
         reason=NO_TEXT),
    Case("dangling symlink", dangling_symlink, articles=0, failed=frozenset({None}),
         reason=r"broken symbolic link|no such file|vanished"),
    Case("symlink pointing at itself", self_symlink_loop, articles=0, failed=frozenset({None}),
         reason=r"symbolic link|loop"),
    Case("file name not valid utf-8", non_utf8_file_name, articles=1),
    Case("folder name not valid utf-8", non_utf8_folder_name, articles=1),
    Case("empty file whose name is not valid utf-8", non_utf8_name_of_empty_file, articles=0,
         failed=frozenset({None}), reason=EMPTY),
]


def all_cases(corpora: Path) -> list[Case]:
    return STATIC_CASES + warc_cases(corpora)


CASE_NAMES = [c.name for c in STATIC_CASES] + [
    "warc truncated mid-record", "warc cut inside a record header",
    "warc.gz cut inside a gzip member", "warc with non-html records"]


def make_folder_loops(folder: Path) -> None:
    """Folders that link back to themselves and to their parent."""
    inner = folder / "loops" / "inner"
    inner.mkdir(parents=True)
    os.symlink("..", inner / "up")
    os.symlink(".", inner / "here")
    os.symlink(folder, folder / "loops" / "root")
    write(inner / "kept.txt", prose(60, seed=5, marker="Loopkept"))


# -- one run over every bad file at once ------------------------------------------------

@dataclass
class BadRun:
    folder: Path
    good: Path
    data: DataDir
    report: dict
    articles: list
    paths: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory, samples_dir, corpora) -> BadRun:
    base = tmp_path_factory.mktemp("badrun")
    folder = base / "badinput"
    folder.mkdir()
    good = copy_good_articles(samples_dir, folder)
    paths = {case.name: case.make(folder) for case in all_cases(corpora)}
    make_folder_loops(folder)
    data = DataDir(base / "data")
    report = ingest(data, folder)
    return BadRun(folder, good, data, report, assert_consistent(data), paths)


def test_a_run_over_bad_input_keeps_every_good_article(bad_run, samples_dir):
    from_good = [a for a in bad_run.articles if a.source_path.startswith(display_path(bad_run.good))]
    assert len(from_good) == len(list(samples_dir.iterdir()))


def test_a_run_over_bad_input_leaves_store_stats_and_index_consistent(bad_run):
    assert bad_run.report["added"] == len(bad_run.articles)
    assert bad_run.report["indexed"] == len(bad_run.articles)
    assert bad_run.report["failed"] == len(bad_run.report["failures"]) > 0


def test_every_reported_failure_names_its_file_and_a_reason(bad_run):
    for failure in bad_run.report["failures"]:
        assert failure["path"].startswith(display_path(bad_run.folder))
        assert len(failure["reason"].strip()) >= 5, failure


def test_folders_that_loop_through_symlinks_are_walked_once(bad_run):
    kept = [a for a in bad_run.articles if "Loopkept" in a.body]
    assert len(kept) == 1
    assert kept[0].source_path == display_path(bad_run.folder / "loops" / "inner" / "kept.txt")


@pytest.mark.parametrize("name", CASE_NAMES)
def test_each_bad_input_is_reported_or_kept_as_the_issue_demands(bad_run, corpora, name):
    case = next(c for c in all_cases(corpora) if c.name == name)
    articles, failures = from_file(bad_run.articles, bad_run.report["failures"], bad_run.paths[name])
    described = f"articles={[(a.record, a.title[:40]) for a in articles]} failures={failures}"
    records_kept = {a.record for a in articles}
    records_failed = {f["record"] for f in failures}
    assert len(articles) - len(case.either & records_kept) == case.articles, described
    assert records_failed - case.either == set(case.failed), described
    assert case.either <= records_kept | records_failed, described
    for failure in failures:
        assert re.search(case.reason, failure["reason"], re.IGNORECASE), described


def test_a_one_megabyte_line_is_kept_whole_with_a_short_title(bad_run):
    key = display_path(bad_run.paths["a 1 MB single line"])
    (article,) = [a for a in bad_run.articles if a.source_path == key]
    assert article.body.rstrip().endswith("Zanzibarine.")
    assert 0 < len(article.title) <= 500


def test_undecodable_bytes_are_replaced_and_the_words_around_them_kept(bad_run):
    key = display_path(bad_run.paths["invalid utf-8"])
    (article,) = [a for a in bad_run.articles if a.source_path == key]
    assert "Quayside" in article.body
    key = display_path(bad_run.paths["mixed encodings"])
    (article,) = [a for a in bad_run.articles if a.source_path == key]
    assert "harbour would reopen" in article.body and "reprendront" in article.body


def test_articles_from_paths_that_are_not_utf8_are_searchable(bad_run):
    ix = open_current(bad_run.data.index_root)
    try:
        with ix.searcher() as searcher:
            from whoosh.query import Term
            for word in ("latinname", "foldername"):  # the markers, as indexed (lowercased)
                hits = searcher.search(Term("body", word))
                assert len(hits) == 1, word
    finally:
        ix.close()


# -- bad input that appears while the run is going ------------------------------------------

def run_with_good(tmp_path, samples_dir, limit: int = RUN_TIME_LIMIT) -> tuple[DataDir, Path, dict, list]:
    folder = tmp_path / "badinput"
    folder.mkdir(exist_ok=True)
    good = copy_good_articles(samples_dir, folder)
    data = DataDir(tmp_path / "data")
    report = ingest(data, folder, limit=limit)
    return data, good, report, assert_consistent(data)


def patch_read_to(monkeypatch, before_reading: Callable[[Path], None]) -> None:
    """Call `before_reading(path)` each time the pipeline opens a file."""
    real_read = pipeline.read

    def read(path, *args, **kwargs):
        before_reading(Path(path))
        return real_read(path, *args, **kwargs)
    monkeypatch.setattr(pipeline, "read", read)


def test_a_file_that_vanishes_before_it_is_read_is_reported_and_the_rest_kept(
        tmp_path, samples_dir, monkeypatch):
    folder = tmp_path / "badinput"
    doomed = write(folder / "zz-vanishes.txt", prose(50, seed=8))
    good_names = sorted(p.name for p in samples_dir.iterdir())

    def delete_the_doomed_file(path):
        if path.name == good_names[-1]:
            doomed.unlink(missing_ok=True)
    patch_read_to(monkeypatch, delete_the_doomed_file)
    data, good, report, articles = run_with_good(tmp_path, samples_dir)
    assert len(articles) == len(good_names)
    (failure,) = report["failures"]
    assert failure["path"] == display_path(doomed)
    assert re.search(r"vanish|no such file", failure["reason"], re.IGNORECASE)


def test_a_file_that_vanishes_while_it_is_being_read_is_reported(tmp_path, samples_dir, monkeypatch):
    folder = tmp_path / "badinput"
    doomed = write(folder / "vanishes-mid-read.txt", prose(50, seed=9))
    patch_read_to(monkeypatch, lambda path: path.unlink() if path.name == doomed.name else None)
    data, good, report, articles = run_with_good(tmp_path, samples_dir)
    assert len(articles) == len(list(good.iterdir()))
    (failure,) = report["failures"]
    assert failure["path"] == display_path(doomed) and failure["record"] is None
    assert re.search(r"vanish|no such file", failure["reason"], re.IGNORECASE)


def test_a_file_replaced_by_a_folder_during_the_run_is_reported(tmp_path, samples_dir, monkeypatch):
    folder = tmp_path / "badinput"
    target = write(folder / "becomes-a-folder.txt", prose(50, seed=11))

    def replace_with_folder(path):
        if path.name == target.name:
            target.unlink()
            target.mkdir()
    patch_read_to(monkeypatch, replace_with_folder)
    data, good, report, articles = run_with_good(tmp_path, samples_dir)
    assert len(articles) == len(list(good.iterdir()))
    (failure,) = report["failures"]
    assert failure["path"] == display_path(target)
    assert re.search(r"folder|directory|not a regular file", failure["reason"], re.IGNORECASE)


def test_a_file_that_loses_read_permission_during_the_run_is_reported(tmp_path, samples_dir, monkeypatch):
    """chmod 000 after discovery; as root, `open` is made to refuse like the kernel would."""
    folder = tmp_path / "badinput"
    locked = write(folder / "locked.txt", prose(50, seed=12))
    denied: set[str] = set()
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, bytes, os.PathLike)) and os.path.abspath(os.fsdecode(file)) in denied:
            raise PermissionError(13, "Permission denied", os.fsdecode(file))
        return real_open(file, *args, **kwargs)

    def lose_permission(path):
        if path.name == locked.name:
            locked.chmod(0)
            denied.add(str(locked.absolute()))
    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(io, "open", guarded_open)
    patch_read_to(monkeypatch, lose_permission)
    try:
        data, good, report, articles = run_with_good(tmp_path, samples_dir)
    finally:
        locked.chmod(0o644)
    assert len(articles) == len(list(good.iterdir()))
    (failure,) = report["failures"]
    assert failure["path"] == display_path(locked)
    assert re.search(r"permission", failure["reason"], re.IGNORECASE)


def test_a_fifty_megabyte_text_file_is_refused_as_too_large_in_bounded_time(tmp_path, samples_dir):
    """No news article is 50 MB: indexing one as a single article takes most
    of a minute and makes every search that hits it useless, so the run must
    report it as too large, quickly, and go on."""
    folder = tmp_path / "badinput"
    folder.mkdir()
    block = (prose(2000, seed=13) + "\n\n").encode("ascii")
    big = folder / "fifty-megabytes.txt"
    with open(big, "wb") as fh:
        for _ in range(50 * 2**20 // len(block) + 1):
            fh.write(block)
    assert big.stat().st_size >= 50 * 2**20
    data, good, report, articles = run_with_good(tmp_path, samples_dir, limit=LARGE_FILE_TIME_LIMIT)
    mine, failures = from_file(articles, report["failures"], big)
    assert mine == [] and len(failures) == 1, failures
    assert re.search(r"too large", failures[0]["reason"], re.IGNORECASE)
    assert len(articles) == len(list(good.iterdir()))
