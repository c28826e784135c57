"""Readers, on real files from ../shared/corpora and on files made in tmp_path.

Expected values come from the raw files read another way (gzip + json,
warcio directly, regexes over the raw HTML, the csv module), never from the
readers under test.
"""
from __future__ import annotations

import csv
import gzip
import json
import os
import re
import shutil
import zlib
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.document import RawDocument
from archive.errors import BadRecord, UnreadableFile
from archive.paths import SAMPLES_DIR
from archive.readers import ReadOptions, discover, read

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
REUTERS = CORPORA / "reuters21578" / "reuters21578.jsonl.gz"
SCRAPINGHUB = CORPORA / "html" / "scrapinghub-article-extraction-benchmark"
MEDIACLOUD = CORPORA / "html" / "htmldate-mediacloud"
WARCS = CORPORA / "warc"


def corpus(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"corpus not available: {path}")
    return path


def read_all(path: Path, options: ReadOptions = ReadOptions()):
    """(documents, bad records) of one file."""
    docs, bad = [], []
    for item in read(path, options):
        (bad if isinstance(item, BadRecord) else docs).append(item)
    return docs, bad


def ingest_like_the_pipeline(paths, options: ReadOptions = ReadOptions()):
    """Documents and failures (path, record, reason) the way ingest reads them."""
    docs, failures = [], []
    for found in discover(paths):
        if isinstance(found, UnreadableFile):
            failures.append((found.path, None, found.reason))
            continue
        try:
            for item in read(found, options):
                if isinstance(item, BadRecord):
                    failures.append((item.path, item.record, item.reason))
                else:
                    docs.append(item)
        except UnreadableFile as exc:
            failures.append((exc.path, None, exc.reason))
    return docs, failures


def words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def reuters_records(count: int) -> list[dict]:
    with gzip.open(corpus(REUTERS), "rt", encoding="utf-8") as f:
        return [json.loads(line) for _, line in zip(range(count), f)]


# --- JSON Lines and JSON ---------------------------------------------------------------

@pytest.mark.corpus
def test_reuters_jsonl_gz_gives_every_record_with_its_line_number():
    with gzip.open(corpus(REUTERS), "rt", encoding="utf-8") as f:
        expected = [json.loads(line) for line in f]
    docs, bad = read_all(REUTERS)
    empty = [n for n, r in enumerate(expected, 1) if not r["body"].strip() and not r["title"].strip()]
    assert len(docs) + len(bad) == len(expected) == 21578
    assert [b.record for b in bad] == empty  # the conversion left these with no words at all
    assert all(b.reason.endswith("no article text (no text, content or body field, or it is empty)")
               for b in bad)
    assert sorted(d.record for d in docs) == sorted(set(range(1, 21579)) - set(empty))
    assert {d.fmt for d in docs} == {"jsonl"}
    by_id = {d.hints["news_id"]: d for d in docs}
    for raw in [r for r in expected if r["body"].strip()][::997]:
        doc = by_id[raw["id"]]
        assert doc.text == raw["body"]
        assert doc.hints.get("title") == (raw["title"] or None)


@pytest.mark.corpus
def test_reuters_record_newid_2_has_its_fields_as_hints():
    raw = reuters_records(2)[1]
    docs, _ = read_all(REUTERS)
    [doc] = [d for d in docs if d.record == 2]
    assert doc.record == 2
    assert doc.hints["title"] == "STANDARD OIL <SRD> TO FORM FINANCIAL UNIT"
    assert doc.hints["news_id"] == "reuters-2"
    assert doc.hints["outlet"] == "Reuters"
    assert doc.hints["date"] == raw["date"]
    assert doc.hints["folder"] == "reuters21578"
    assert doc.text.startswith("Standard Oil Co and BP North America")
    assert doc.html is None


def test_a_bad_jsonl_line_is_reported_and_the_other_lines_kept(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"title": "One", "text": "first"}\n'
                    '{"title": "Two", "text": "second",,}\n'
                    '\n'
                    '["not", "an", "object"]\n'
                    '{"headline": "Five", "content": "fifth"}\n', encoding="utf-8")
    docs, bad = read_all(path)
    assert [(d.record, d.hints["title"], d.text) for d in docs] == [(1, "One", "first"), (5, "Five", "fifth")]
    assert [(b.record, b.path) for b in bad] == [(2, str(path)), (4, str(path))]
    assert bad[0].reason.startswith("line 2: invalid JSON: Expecting property name")
    assert "array, not an object" in bad[1].reason


def test_a_json_array_is_read_with_record_numbers_from_one(tmp_path):
    records = [{"title": f"Title {i}", "body": f"Body {i}", "publisher": "Agency", "id": i}
               for i in range(1, 6)]
    path = tmp_path / "array.json"
    path.write_text(json.dumps(records, indent=2), encoding="utf-8")
    docs, bad = read_all(path)
    assert bad == []
    assert [(d.record, d.fmt, d.hints["title"], d.text, d.hints["outlet"], d.hints["news_id"])
            for d in docs] == [(i, "json", f"Title {i}", f"Body {i}", "Agency", str(i)) for i in range(1, 6)]


@pytest.mark.corpus
def test_a_truncated_json_array_keeps_the_records_before_the_damage(tmp_path):
    records = [r for r in reuters_records(80) if r["body"].strip()][:40]
    full = json.dumps(records, indent=1)
    cut = full.index(json.dumps(records[30]["body"])[:40])  # inside element 31
    path = tmp_path / "truncated.json"
    path.write_text(full[:cut], encoding="utf-8")
    docs, bad = read_all(path)
    assert [d.hints["news_id"] for d in docs] == [r["id"] for r in records[:30]]
    assert len(bad) == 1 and bad[0].record == 31
    assert "invalid JSON" in bad[0].reason and "line" in bad[0].reason


def test_articles_nested_under_an_articles_key_are_read(tmp_path):
    path = tmp_path / "newsapi.json"
    path.write_text(json.dumps({"status": "ok", "articles": [
        {"source": {"id": None, "name": "BBC News"}, "author": "A. Writer", "title": "Nested",
         "publishedAt": "2020-01-02T03:04:05Z", "url": "https://example.org/a", "content": "Text."}]}))
    [doc], bad = read_all(path)
    assert bad == []
    assert doc.record == 1
    assert doc.hints == {"folder": tmp_path.name, "outlet": "BBC News", "author": "A. Writer",
                         "title": "Nested", "date": "2020-01-02T03:04:05Z", "url": "https://example.org/a"}


def test_a_json_file_that_is_really_json_lines_is_read_line_by_line(tmp_path):
    path = tmp_path / "lines.json"
    path.write_text('{"title": "A", "text": "a"}\n{"title": "B", "text": "b"}\n')
    docs, bad = read_all(path)
    assert bad == [] and [(d.record, d.text) for d in docs] == [(1, "a"), (2, "b")]


def test_a_record_without_text_or_title_is_a_bad_record(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text('{"url": "https://example.org/"}\n{"title": "Headline only"}\n')
    docs, bad = read_all(path)
    assert [d.hints["title"] for d in docs] == ["Headline only"]
    assert bad[0].record == 1 and "no article text" in bad[0].reason


def test_map_overrides_the_json_key_conventions(tmp_path):
    path = tmp_path / "mapped.jsonl"
    path.write_text('{"title": "Kicker", "hed": "Real headline", "text": "Body"}\n')
    [doc], _ = read_all(path, ReadOptions(column_map={"title": "hed"}))
    assert doc.hints["title"] == "Real headline"


def test_a_gzipped_jsonl_of_5000_records_streams_every_record_in_order(tmp_path):
    """Bulk files are read as a stream: every record, in file order (speed is bench/ingest.py's)."""
    path = tmp_path / "many.jsonl.gz"
    record = {"id": "x", "title": "A title", "body": "word " * 300, "outlet": "Reuters", "date": "1987-02-26"}
    with gzip.open(path, "wt") as f:
        for i in range(5000):
            f.write(json.dumps({**record, "id": f"x-{i}"}) + "\n")
    records = read(path)
    assert not isinstance(records, (list, tuple))   # a generator: nothing is held for the whole file
    read_back = [(r.record, r.hints.get("news_id"), r.hints.get("outlet")) for r in records]
    assert read_back == [(i + 1, f"x-{i}", "Reuters") for i in range(5000)]


# --- CSV ------------------------------------------------------------------------------------

@pytest.mark.corpus
def test_csv_with_unusual_headers_is_mapped_by_convention(tmp_path):
    records = reuters_records(12)
    path = tmp_path / "reuters.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Headline", "Article Content", "Publisher", "Publish Date", "Article ID"])
        for r in records:
            writer.writerow([r["title"], r["body"], r["outlet"], r["date_raw"], r["id"]])
    docs, bad = read_all(path)
    assert bad == []
    assert [(d.record, d.fmt) for d in docs] == [(i, "csv") for i in range(1, 13)]
    for doc, raw in zip(docs, records):
        assert doc.text == raw["body"]
        assert doc.hints == {"folder": tmp_path.name, "title": raw["title"], "outlet": "Reuters",
                             "date": raw["date_raw"], "news_id": raw["id"]}


@pytest.mark.corpus
def test_map_names_the_columns_conventions_do_not_know(tmp_path):
    records = reuters_records(3)
    path = tmp_path / "odd.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(["Story Headline", "Copy", "Wire"])
        for r in records:
            writer.writerow([r["title"], r["body"], r["outlet"]])
    with pytest.raises(UnreadableFile, match="no text column"):
        read_all(path)
    options = ReadOptions.from_pairs(["title=Story Headline", "text=copy", "outlet=Wire"])
    docs, bad = read_all(path, options)
    assert bad == []
    assert [(d.hints["title"], d.text, d.hints["outlet"]) for d in docs] == [
        (r["title"], r["body"], r["outlet"]) for r in records]


def test_map_naming_a_missing_column_makes_the_file_unreadable_with_its_name(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("title,text\nA,b\n")
    with pytest.raises(UnreadableFile, match="'Byline'"):
        read_all(path, ReadOptions(column_map={"author": "Byline"}))


def test_map_with_an_unknown_field_is_refused_when_parsed():
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        ReadOptions.from_pairs(["colour=red"])
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        ReadOptions.from_pairs(["title"])


def test_ragged_rows_and_broken_quotes_are_reported_and_the_rest_kept(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_text('title,text,source,date\n'
                    'One,"First body, with a comma",Agency,2020-01-01\n'
                    'Two,Second body,Agency,2020-01-02,extra\n'
                    'Three,"Unclosed quote,Agency,2020-01-03\n'
                    'Four,"Fourth body\nover two lines",Agency,2020-01-04\n'
                    'Five,Fifth body,Agency\n'
                    'Six,Sixth body,Agency,2020-01-06\n', encoding="utf-8")
    docs, bad = read_all(path)
    assert [d.hints["title"] for d in docs] == ["One", "Four", "Six"]
    assert docs[1].text == "Fourth body\nover two lines"
    assert [b.record for b in bad] == [2, 3, 5]
    assert bad[0].reason == "row 2 (line 3) has 5 fields, header has 4"
    assert bad[1].reason.startswith("row 3 (line 4): ")
    assert bad[2].reason == "row 5 (line 7) has 3 fields, header has 4"


def test_a_field_larger_than_pythons_default_limit_is_read(tmp_path):
    body = "A long sentence of the article. " * 20000  # 640 KB, over csv's 128 KB default
    path = tmp_path / "huge.csv"
    with path.open("w", newline="") as f:
        csv.writer(f).writerows([["title", "body"], ["Huge", body]])
    [doc], bad = read_all(path)
    assert bad == [] and doc.text == body


def test_tsv_uses_tabs(tmp_path):
    path = tmp_path / "t.tsv"
    path.write_text("headline\tarticle\tlink\nA, with comma\tText; semicolon\thttps://example.org/a\n")
    [doc], _ = read_all(path)
    assert (doc.hints["title"], doc.text, doc.hints["url"]) == ("A, with comma", "Text; semicolon",
                                                                "https://example.org/a")


# --- plain text -----------------------------------------------------------------------------

def test_each_sample_article_is_one_text_document():
    samples = sorted(SAMPLES_DIR.glob("*.txt"))
    assert len(samples) == 5
    for path in samples:
        [doc], bad = read_all(path)
        assert bad == []
        assert (doc.path, doc.record, doc.fmt, doc.html) == (str(path), None, "txt", None)
        assert doc.text == path.read_bytes().decode("utf-8").lstrip("\ufeff")
        assert doc.hints == {"folder": "samples"}


def test_invalid_utf8_bytes_are_replaced_not_fatal(tmp_path):
    path = tmp_path / "broken.txt"
    path.write_bytes("Déjà vu in Zürich.\n".encode("utf-8") + b"bad \xff\xfe byte\n" + "Ende – gut.".encode("utf-8"))
    [doc], _ = read_all(path)
    assert doc.text.startswith("Déjà vu in Zürich.")
    assert doc.text.endswith("Ende – gut.")
    assert "\ufffd" in doc.text


def test_a_latin1_file_is_decoded_as_latin1(tmp_path):
    text = "Le président a déclaré à Genève que la réunion était terminée. Ça coûte cher."
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    [doc], _ = read_all(path)
    assert doc.text == text


def test_byte_order_marks_are_stripped(tmp_path):
    for name, data in {"utf8.txt": "\ufeffHello world".encode("utf-8"),
                       "utf16.txt": "Hello world".encode("utf-16")}.items():
        (tmp_path / name).write_bytes(data)
        [doc], _ = read_all(tmp_path / name)
        assert doc.text == "Hello world"


def test_binary_data_named_txt_is_unreadable(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(UnreadableFile, match="binary file, not text"):
        read_all(path)


def test_images_and_pdfs_are_unsupported(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    for name in ("scan.pdf", "photo.png"):
        with pytest.raises(UnreadableFile, match="unsupported format"):
            read_all(tmp_path / name)


def test_an_empty_file_is_unreadable(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.csv").write_text("  \n\n")
    for name in ("empty.txt", "blank.csv"):
        with pytest.raises(UnreadableFile, match="empty file"):
            read_all(tmp_path / name)


def test_files_without_extension_are_sniffed(tmp_path):
    (tmp_path / "README").write_text("Just an article in plain text.\n")
    (tmp_path / "page").write_text("<!DOCTYPE html><html><head><title>T</title></head><body><article>"
                                   "<p>" + "A sentence of the story. " * 20 + "</p></article></body></html>")
    [text_doc], _ = read_all(tmp_path / "README")
    [page_doc], _ = read_all(tmp_path / "page")
    assert (text_doc.fmt, page_doc.fmt) == ("txt", "html")
    assert "A sentence of the story." in page_doc.text and page_doc.html is not None


# --- gzip -----------------------------------------------------------------------------------

def gzip_copy(path: Path) -> Path:
    target = path.with_name(path.name + ".gz")
    target.write_bytes(gzip.compress(path.read_bytes()))
    return target


def test_gzipped_files_read_as_their_inner_format(tmp_path):
    (tmp_path / "a.txt").write_text("Plain article text.")
    (tmp_path / "b.csv").write_text("title,text\nCSV title,CSV text\n")
    (tmp_path / "c.json").write_text('[{"title": "JSON title", "text": "JSON text"}]')
    (tmp_path / "d.jsonl").write_text('{"title": "JSONL title", "text": "JSONL text"}\n')
    shutil.copy(SAMPLES_DIR / "000_033e566f6da3e044.txt", tmp_path / "e.txt")
    for name, fmt, text in [("a.txt", "txt", "Plain article text."), ("b.csv", "csv", "CSV text"),
                            ("c.json", "json", "JSON text"), ("d.jsonl", "jsonl", "JSONL text")]:
        [doc], bad = read_all(gzip_copy(tmp_path / name))
        assert bad == [] and (doc.fmt, doc.text) == (fmt, text)


@pytest.mark.corpus
def test_gzipped_html_page_is_read_as_html():
    page = sorted(corpus(SCRAPINGHUB).glob("html/*.html.gz"))[0]
    [doc], _ = read_all(page)
    assert doc.fmt == "html"
    assert doc.html == gzip.decompress(page.read_bytes()).decode("utf-8").lstrip("\ufeff")


def test_a_corrupt_gzip_is_reported(tmp_path):
    (tmp_path / "notgzip.txt.gz").write_bytes(b"plain bytes, not gzip")
    with pytest.raises(UnreadableFile, match="corrupt gzip"):
        read_all(tmp_path / "notgzip.txt.gz")
    broken = gzip.compress(b"x" * 1000)[:20]
    (tmp_path / "broken.txt.gz").write_bytes(broken)
    with pytest.raises(UnreadableFile, match="corrupt gzip"):
        read_all(tmp_path / "broken.txt.gz")


@pytest.mark.corpus
def test_a_truncated_jsonl_gz_keeps_the_lines_before_the_damage(tmp_path):
    data = REUTERS.read_bytes()
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 10])
    complete_lines = zlib.decompressobj(31).decompress(data[: len(data) // 10]).split(b"\n")[:-1]
    with_words = [n for n, line in enumerate(complete_lines, 1)
                  if any(json.loads(line)[k].strip() for k in ("title", "body"))]
    docs, bad = read_all(path)
    assert [d.record for d in docs][:len(with_words)] == with_words
    assert len(docs) - len(with_words) in (0, 1)  # + a cut last line that happens to parse
    assert "corrupt gzip" in bad[-1].reason


# --- HTML -----------------------------------------------------------------------------------

@pytest.mark.corpus
def test_scrapinghub_pages_give_their_article_text_and_url():
    truth = json.loads((corpus(SCRAPINGHUB) / "ground-truth.json").read_text(encoding="utf-8"))
    pages = sorted((SCRAPINGHUB / "html").glob("*.html.gz"))
    assert len(pages) == len(truth) == 181
    recalls, same_url, with_url = [], 0, 0
    for page in pages:
        [doc], bad = read_all(page)
        assert bad == [] and doc.fmt == "html" and doc.record is None
        expected = truth[page.name.split(".")[0]]
        wanted = words(expected["articleBody"])
        recalls.append(sum((wanted & words(doc.text)).values()) / sum(wanted.values()))
        if "url" in doc.hints:
            with_url += 1
            assert urlsplit(doc.hints["url"]).scheme in ("http", "https")
            same_url += doc.hints["url"] == expected["url"]
    assert sum(recalls) / len(recalls) > 0.95
    assert sum(r > 0.8 for r in recalls) >= 0.95 * len(recalls)
    assert with_url >= 0.9 * len(pages)
    assert same_url >= 0.85 * with_url


@pytest.mark.corpus
def test_mediacloud_pages_are_read_with_their_markup_dates():
    import datetime as dt
    truth = json.loads((corpus(MEDIACLOUD) / "eval_mediacloud_2020.json").read_text(encoding="utf-8"))
    expected_date = {v["file"] + ".gz": v["date"] for v in truth.values()}
    docs, failures = ingest_like_the_pipeline([MEDIACLOUD / "test_set"])
    assert len(docs) + len(failures) == len(expected_date) == 200
    assert len(docs) >= 195
    for path, record, reason in failures:
        assert reason == "no article text found in the page"
        page = gzip.decompress(Path(path).read_bytes()).decode("utf-8", "replace")
        visible = re.sub(r"(?s)<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page)
        assert len(visible.split()) < 20
    dated = [(d.hints["date"], expected_date[Path(d.path).name]) for d in docs
             if "date" in d.hints and isinstance(expected_date[Path(d.path).name], str)]
    assert len(dated) >= 150
    close = sum(abs(dt.date.fromisoformat(got[:10]) - dt.date.fromisoformat(want)) <= dt.timedelta(days=1)
                for got, want in dated)
    assert close >= 0.9 * len(dated)


def test_a_page_with_no_text_is_unreadable(tmp_path):
    path = tmp_path / "blank.html"
    path.write_text("<html><head><title>Nothing</title><script>var x = 1;</script></head><body></body></html>")
    with pytest.raises(UnreadableFile, match="no article text found in the page"):
        read_all(path)


def test_canonical_link_and_page_language_are_hints(tmp_path):
    path = tmp_path / "story.html"
    path.write_text('<html lang="fr"><head><title>Titre | Le Site</title>'
                    '<link rel="canonical" href="/2020/01/story.html">'
                    '<meta property="og:url" content="https://www.example.fr/2020/01/story.html">'
                    '<meta property="og:site_name" content="Le Site">'
                    '<meta property="article:published_time" content="2020-01-05T10:00:00+01:00">'
                    '</head><body><article><h1>Titre</h1><p>' + "Une phrase de l'article. " * 30 +
                    "</p></article></body></html>", encoding="utf-8")
    [doc], _ = read_all(path)
    assert doc.hints["canonical_url"] == "https://www.example.fr/2020/01/story.html"
    assert doc.hints["url"] == "https://www.example.fr/2020/01/story.html"
    assert doc.hints["lang"] == "fr"
    assert doc.hints["site_name"] == "Le Site"
    assert doc.hints["date"] == "2020-01-05"


# --- WARC -----------------------------------------------------------------------------------

def html_responses(path: Path) -> list[tuple[int, str, str]]:
    """(ordinal, target URI, WARC-Date) of each 2xx HTML response, read with warcio alone."""
    found = []
    with path.open("rb") as f:
        for ordinal, record in enumerate(ArchiveIterator(f), 1):
            if record.rec_type == "response" and record.http_headers.get_statuscode().startswith("2") \
                    and "html" in (record.http_headers.get_header("Content-Type") or ""):
                found.append((ordinal, record.rec_headers.get_header("WARC-Target-URI"),
                              record.rec_headers.get_header("WARC-Date")))
    return found


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["warcio/example.warc.gz", "warcio/example-iana.org-chunked.warc"])
def test_exactly_the_html_responses_of_a_warc_become_documents(name):
    path = corpus(WARCS / name)
    expected = html_responses(path)
    assert expected  # the file has at least one page
    docs, bad = read_all(path)
    assert bad == []
    assert [(d.record, d.hints["url"], d.hints["crawl_date"]) for d in docs] == expected
    assert all(d.fmt == "warc" and d.html and d.text.strip() for d in docs)
    for doc in docs:
        title = re.search(r"<title>\s*(.*?)\s*</title>", doc.html, re.S).group(1)
        assert doc.hints["title"] == title


@pytest.mark.corpus
def test_the_clipped_houston_press_record_still_gives_its_article():
    path = corpus(WARCS / "resiliparse" / "clipped.warc.gz")
    raw = zlib.decompressobj(31).decompress(path.read_bytes())
    declared = int(re.search(rb"Content-Length: (\d+)", raw).group(1))
    assert declared > len(raw)  # the record really is clipped
    og_title = re.search(rb'og:title" content="([^"]+)"', raw).group(1).decode()
    [doc], bad = read_all(path)
    assert bad == []
    assert doc.record == 1
    assert doc.hints["url"] == ("http://www.houstonpress.com/music/"
                                "a-humble-chance-the-rapper-leads-a-spiritual-awakening-at-revention-8866723")
    assert doc.hints["crawl_date"] == "2016-10-17T14:57:38Z"
    assert doc.hints["title"] == og_title == "A Humble Chance The Rapper Leads a Spiritual Awakening at Revention"
    assert doc.hints["author"] == "Brandon Caldwell"
    assert "Chance" in doc.text and len(doc.text.split()) > 300


@pytest.mark.corpus
def test_a_record_clipped_before_any_text_is_a_bad_record_after_the_good_ones(tmp_path):
    clipped = zlib.decompressobj(31).decompress(corpus(WARCS / "resiliparse" / "clipped.warc.gz").read_bytes())
    http_body_start = clipped.index(b"\r\n\r\n", clipped.index(b"HTTP/1.")) + 4
    path = tmp_path / "two.warc"
    path.write_bytes((WARCS / "warcio" / "example-iana.org-chunked.warc").read_bytes()
                     + clipped[:http_body_start + 1000])
    docs, bad = read_all(path)
    assert [d.hints["url"] for d in docs] == ["http://www.iana.org/"]
    assert [(b.record, b.reason) for b in bad] == [(4, "record 4: no article text found in the page")]


# --- finding files --------------------------------------------------------------------------

def test_discover_walks_folders_sorted_and_skips_hidden_files(tmp_path):
    for name in ["b/2.txt", "b/1.txt", "a.txt", ".hidden.txt", ".git/config.txt", "c/d/e.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["a.txt", "b/1.txt", "b/2.txt", "c/d/e.txt"]


def test_a_missing_path_is_reported_not_raised(tmp_path):
    [missing] = list(discover([tmp_path / "nope"]))
    assert isinstance(missing, UnreadableFile) and missing.reason == "no such file or folder"


def test_symlink_loops_end_and_each_real_folder_is_read_once(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "story.txt").write_text("x")
    (tmp_path / "news" / "loop").symlink_to(tmp_path / "news")
    (tmp_path / "alias").symlink_to(tmp_path / "news")
    found = list(discover([tmp_path]))
    assert [p.name for p in found] == ["story.txt"]


def test_file_names_that_are_not_utf8_can_be_read(tmp_path):
    folder = os.fsencode(tmp_path)
    raw_name = os.path.join(folder, b"caf\xe9 report.txt")
    with open(raw_name, "wb") as f:
        f.write(b"An article behind an odd name.")
    [path] = list(discover([tmp_path]))
    assert os.fsencode(path) == raw_name
    [doc], _ = read_all(path)
    assert doc.text == "An article behind an odd name."


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_a_file_without_read_permission_is_unreadable(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(UnreadableFile, match="permission denied"):
        read_all(path)


def test_a_bad_file_in_a_folder_of_good_ones_is_reported_and_the_rest_read(tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SAMPLES_DIR / "000_033e566f6da3e044.txt", folder / "good-1.txt")
    shutil.copy(SAMPLES_DIR / "003_e708c6bec30fd41c.txt", folder / "good-2.txt")
    (folder / "good.jsonl").write_text('{"title": "A", "text": "a"}\n{"title": "B", "text": "b"}\n')
    (folder / "good.csv").write_text("headline,body\nC,c\n")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "truncated.json").write_text('[{"title": "D", "text": "d"}, {"title": "E", "te')
    (folder / "ragged.csv").write_text("title,text\nF,f,extra\n")
    docs, failures = ingest_like_the_pipeline([folder])
    got = sorted((Path(d.path).name, d.record) for d in docs)
    assert got == [("good-1.txt", None), ("good-2.txt", None), ("good.csv", 1),
                   ("good.jsonl", 1), ("good.jsonl", 2), ("truncated.json", 1)]
    reasons = {Path(path).name: (record, reason) for path, record, reason in failures}
    assert set(reasons) == {"empty.txt", "binary.txt", "truncated.json", "ragged.csv"}
    assert reasons["empty.txt"] == (None, "empty file")
    assert reasons["binary.txt"] == (None, "binary file, not text")
    assert reasons["truncated.json"][0] == 2 and "invalid JSON" in reasons["truncated.json"][1]
    assert reasons["ragged.csv"] == (1, "row 1 (line 2) has 3 fields, header has 2")
    assert all(Path(path).parent == folder for path, _, _ in failures)


def test_every_document_carries_its_folder_name(tmp_path):
    outlet = tmp_path / "rt"
    outlet.mkdir()
    (outlet / "story.txt").write_text("Moscow said something.")
    [doc], _ = read_all(outlet / "story.txt")
    assert doc.hints["folder"] == "rt"
    assert isinstance(doc, RawDocument)


def test_a_text_file_far_larger_than_any_article_is_refused_without_reading_it(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_bytes(b"word " * (ReadOptions().max_article_bytes // 5 + 1))
    with pytest.raises(UnreadableFile, match=r"too large for one article \(16\.0 MB; the limit is 16 MB\)"):
        read_all(path)
    small = ReadOptions(max_article_bytes=1024)
    (tmp_path / "small.txt.gz").write_bytes(gzip.compress(b"word " * 1000))
    with pytest.raises(UnreadableFile, match="too large for one article"):
        read_all(tmp_path / "small.txt.gz", small)


@pytest.mark.corpus
def test_a_warc_cut_inside_a_record_header_reports_that_record(tmp_path):
    clipped = zlib.decompressobj(31).decompress(corpus(WARCS / "resiliparse" / "clipped.warc.gz").read_bytes())
    header_end = clipped.index(b"\r\n\r\n")
    iana = (WARCS / "warcio" / "example-iana.org-chunked.warc").read_bytes()
    for cut in (20, 90, header_end // 2, header_end):
        path = tmp_path / f"cut-header-{cut}.warc"
        path.write_bytes(iana + clipped[:cut])
        docs, bad = read_all(path)
        assert [d.record for d in docs] == [2]
        assert [b.record for b in bad] == [4], cut
        assert re.search(r"header cannot be read|ends inside its header", bad[0].reason)


def test_mojibake_in_a_text_file_is_undone_line_by_line(tmp_path):
    # UTF-8 that a scraper read as Windows-1252 and saved again as UTF-8; the
    # second line was saved correctly and must come through untouched.
    damaged = "Erlangen-Höchstadt und Nürnberg – «Tatort» aus München".encode("utf-8").decode("cp1252")
    clean = "Le président a déclaré à Genève — “ça coûte cher”."
    path = tmp_path / "copy.txt"
    path.write_text(f"{damaged}\n{clean}\nСамые популярные блоги\n", encoding="utf-8")
    [doc], _ = read_all(path)
    assert doc.text.splitlines() == [
        "Erlangen-Höchstadt und Nürnberg – «Tatort» aus München", clean, "Самые популярные блоги"]


def test_mojibake_in_json_fields_is_undone(tmp_path):
    path = tmp_path / "feed.jsonl"
    title = "Присяжные оправдали мужчину"
    record = {"title": title.encode("utf-8").decode("latin-1"),
              "text": "Quintal dentro do apê: três dicas".encode("utf-8").decode("cp1252")}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    [doc], _ = read_all(path)
    assert doc.hints["title"] == title
    assert doc.text == "Quintal dentro do apê: três dicas"


# --- HTML metadata: the publication day of a stamp written in UTC ------------------------

def _stamped_page(host: str, stamp: str, shown: str = "") -> str:
    article = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"
    return (f'<html lang="en"><head><meta charset="utf-8">'
            f'<meta property="og:url" content="https://{host}/news/bridge-vote">'
            f'<meta property="article:published_time" content="{stamp}"></head><body><article>'
            f"<h1>Council approves the new bridge</h1>{shown}{article}</article></body></html>")


def _stated_date(html: str) -> str | None:
    from archive.readers.html_page import page_document
    return page_document(html, path="page.html", record=None, fmt="html", hints={}).hints.get("date")


def test_a_utc_stamp_after_midnight_is_the_day_before_for_a_publisher_west_of_greenwich():
    # 00:23 UTC on the 25th is the evening of the 24th anywhere in Canada
    assert _stated_date(_stamped_page("ici.radio-canada.ca", "2020-08-25T00:23:33Z")) == "2020-08-24"


def test_a_utc_stamp_after_midnight_stays_in_doubt_for_a_publisher_whose_country_is_not_known():
    assert _stated_date(_stamped_page("www.dailyplanet.com", "2020-08-25T00:23:33Z")) is None


def test_the_date_shown_under_the_headline_settles_a_utc_stamp_before_the_domains_country():
    # an Australian publisher whose page shows the UTC day: what the page shows wins
    html = _stamped_page("www.dailyplanet.com.au", "2020-10-28T22:22:49Z", "<p>28 October 2020</p>")
    assert _stated_date(html) == "2020-10-28"


def _undated_page(header: str, under_headline: str) -> str:
    article = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"
    return ('<html lang="en"><head><meta charset="utf-8">'
            '<meta property="og:url" content="https://www.dailyplanet.com/news/bridge-vote">'
            '<meta property="og:title" content="Council approves the new bridge"></head><body>'
            f'<div class="top">{header}</div><article><h1>Council approves the new bridge</h1>'
            f"{under_headline}{article}</article></body></html>")


def _hints(html: str) -> dict:
    from archive.readers.html_page import page_document
    return dict(page_document(html, path="page.html", record=None, fmt="html", hints={}).hints)


def test_a_time_element_under_the_headline_showing_no_date_gives_its_datetime():
    html = _undated_page("", '<p>Start date <time datetime="2020-03-18T12:22:42-0400">1 minute ago</time></p>'
                             "<p>Joined May 11, 2017</p>")
    hints = _hints(html)
    assert (hints["date_inferred"], hints["date_rule"]) == ("2020-03-18", "near-headline")


def test_the_sites_today_in_its_header_gives_way_to_the_date_under_the_headline():
    html = _undated_page('<span class="date">Tue, 14 Jan 2020</span>', "<p>By Lois Lane, 13 January 2020</p>")
    hints = _hints(html)
    assert "date" not in hints
    assert hints["date_inferred"] == "2020-01-13"


# --- HTML metadata: the outlet when the page's URL does not name it ------------------------

def _outlet_page(head: str, links_to: str = "", links: int = 0, footer: str = "") -> str:
    article = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"
    nav = "".join(f'<a href="https://{links_to}/section/{k}">Section {k}</a>' for k in range(links))
    return (f'<html lang="en"><head><meta charset="utf-8">{head}</head><body><nav>{nav}</nav>'
            f"<article><h1>Council approves the new bridge</h1>{article}</article>"
            f"<footer>{footer}</footer></body></html>")


def _outlet_of(html: str) -> str | None:
    from archive.extract import extract
    from archive.readers.html_page import page_document
    return extract(page_document(html, path="page.html", record=None, fmt="html", hints={})).outlet


def test_a_story_syndicated_from_a_sister_paper_keeps_the_site_that_serves_it():
    # the canonical URL names the paper it came from; the site name and the navigation the one showing it
    head = ('<link rel="canonical" href="https://www.mercuryplanet.com/bridge-vote">'
            '<meta property="og:site_name" content="East Bay Planet">')
    assert _outlet_of(_outlet_page(head, "www.eastbayplanet.com", 20)) == "East Bay Planet"


def test_a_page_stating_no_url_is_named_by_its_copyright_notice():
    assert _outlet_of(_outlet_page("", footer="<p>©2019 Ascom</p>")) == "Ascom"


def test_a_page_stating_no_url_checks_its_site_name_against_the_site_its_links_go_to():
    head = '<meta property="og:site_name" content="Lose ten kilos. Reviews">'  # a tagline
    page = _outlet_page(head, "vse-diety.com", 30, footer="<p>© Lose ten kilos. Reviews</p>")
    assert _outlet_of(page) == "vse-diety.com"


def test_a_long_site_name_spelling_the_domain_is_the_outlet():
    head = ('<meta property="og:url" content="https://www.elsoldesanjuandelrio.com.mx/local/x">'
            '<meta property="og:site_name" content="El Sol de San Juan del Río">'
            '<meta name="twitter:site" content="@ElSoldeSnJuan">')
    assert _outlet_of(_outlet_page(head)) == "El Sol de San Juan del Río"


def test_an_ip_address_in_og_url_gives_way_to_the_canonical_domain():
    head = ('<meta property="og:url" content="https://52.16.95.170/article/825076">'
            '<link rel="canonical" href="https://www.almadenahnews.com/article/825076">'
            '<meta name="publisher" content="Jordan Broadcast Channels Company">'
            '<meta name="twitter:site" content="@almadenahnews">')
    assert _outlet_of(_outlet_page(head)) == "almadenahnews"
