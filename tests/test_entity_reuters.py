"""Issue 15's junk values on Reuters-21578, through the real extraction path.

The articles are the first of the corpus whose text writes one of the
triggers (a currency after a country's initials, a company name hard-wrapped
or cut before its suffix, "Quoting", Cuba), at most a few hundred so the
test runs in seconds; each goes through `archive.extract.extract` (so its
language is detected as at ingest), the entity extractor, and attribution.
"""
from __future__ import annotations

import dataclasses
import gzip
import itertools
import json
import re

import pytest

from archive.coverage.attribution import article_citations
from archive.document import Article, RawDocument
from archive.entities import EntityExtractor
from archive.entities.extractor import fallback_language
from archive.extract import extract

pytestmark = pytest.mark.corpus

SCAN = 4000
MAX_ARTICLES = 250
TRIGGERS = re.compile(r"[A-Z]\.[A-Z]\. Dlrs|\n\s*(?:Inc|Co|Ltd|Corp|Department)\b|Poor's Corp|Quoting|\bCuba\b|"
                      r"Pizza Inn|Petrobras")
JUNK_NAMES = {"U.S. Dlrs", "N.Z. Dlrs", "H.K. Dlrs", "Quoting", "Inc", "Co", "Ltd", "Corp", "Co Inc",
              "Poor's Corp", "Department"}
EARNINGS_TABLE = re.compile(r"^\s*Shr\b", re.M)


@pytest.fixture(scope="module")
def reuters(corpora):
    path = corpora / "reuters21578" / "reuters21578.jsonl.gz"
    picked, tables = [], []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for record, line in enumerate(itertools.islice(fh, SCAN)):
            d = json.loads(line)
            if not d.get("body"):
                continue
            raw = RawDocument(str(path), record, "jsonl", text=d["body"], hints={"title": d["title"], "outlet": "Reuters"})
            if len(picked) < MAX_ARTICLES and TRIGGERS.search(f"{d['title']}\n{d['body']}"):
                picked.append(raw)
            if EARNINGS_TABLE.search(d["body"]):
                tables.append(raw)
    return picked, tables


@pytest.fixture(scope="module")
def extracted(reuters):
    picked, _ = reuters
    articles = [extract(raw) for raw in picked]
    per_article = EntityExtractor().extract(articles)
    return [dataclasses.replace(a, entities=e) for a, e in zip(articles, per_article)]


def test_the_sample_holds_every_trigger(reuters):
    picked, _ = reuters
    text = "\n".join(f"{r.hints['title']}\n{r.text}" for r in picked)
    for trigger in ("N.Z. Dlrs", "U.S. Dlrs", "Poor's Corp", "Quoting", "Cuba", "\nInc said"):
        assert trigger in text, trigger


def test_no_junk_value_is_an_entity(extracted):
    found = {(e.type, e.name) for a in extracted for e in a.entities
             if e.name in JUNK_NAMES or (e.name == "Cuba" and e.type != "place")
             or (e.type == "person" and e.name in ("Pizza Inn", "Petrobras"))}
    assert found == set()


def test_no_junk_value_is_a_cited_source(extracted):
    cited = {c.source_name for a in extracted for c in article_citations(a)}
    assert cited & JUNK_NAMES == set()


def test_cut_and_wrapped_company_names_are_whole(extracted):
    names = {e.name for a in extracted for e in a.entities}
    assert "Standard and Poor's Corp" in names
    assert any(n.startswith("BP North America") for n in names)


def test_cuba_is_a_place(extracted):
    assert {e.type for a in extracted for e in a.entities if e.name == "Cuba"} == {"place"}


def test_earnings_tables_are_english_or_unknown_never_volapuk_or_danish(reuters):
    _, tables = reuters
    assert len(tables) >= 100
    langs = {extract(raw).lang for raw in tables}
    assert langs <= {"en", None}


def test_a_table_of_unknown_language_is_read_with_the_english_model(reuters):
    _, tables = reuters
    unknown = [a for a in (extract(raw) for raw in tables[:300]) if a.lang is None]
    assert unknown
    assert {fallback_language(a) for a in unknown} == {"en"}


def test_unknown_language_latin_text_gets_entities_but_another_script_does_not():
    table = ("Shr 45 cts vs 58 cts\nNet 1.1 mln vs 829,000\nRevs 7.9 mln vs 9.4 mln\n"
             "The company said chairman Robert Wilkins will retire and move to Toronto next month.")
    cyrillic = "Министерство заявило в понедельник, что Сергей Лавров прибудет в Женеву."
    articles = [Article(id=str(i), slug=str(i), title="", body=body, source_path="x", record=None, fmt="txt",
                        original=body, lang=None) for i, body in enumerate((table, cyrillic))]
    latin, other = EntityExtractor().extract(articles)
    assert {"Robert Wilkins", "Toronto"} <= {e.name for e in latin}
    assert other == ()


# --- through ingest, the index and the web: facets and /sources ---------------------------------

@pytest.fixture(scope="module")
def reuters_app(reuters, tmp_path_factory):
    """The first few articles of each trigger, ingested as `ingest.py add` does (entities, coverage,
    index), and served."""
    from archive.paths import DataDir
    from conftest import build_archive
    from web import create_app

    picked, _ = reuters
    chosen: dict[int, RawDocument] = {}
    for trigger in ("Dlrs", "Poor's Corp", "Quoting", "Cuba", "Pizza Inn", "Petrobras", "\nInc", "\nCo", "\nLtd"):
        for raw in [r for r in picked if trigger in f"{r.hints['title']}\n{r.text}"][:6]:
            chosen[raw.record] = raw
    folder = tmp_path_factory.mktemp("reuters-junk")
    with open(folder / "reuters.jsonl", "w", encoding="utf-8") as fh:
        for raw in chosen.values():
            fh.write(json.dumps({"title": raw.hints["title"], "body": raw.text, "outlet": "Reuters"}) + "\n")
    data = DataDir(folder / "data")
    report = build_archive(data, [folder / "reuters.jsonl"])
    assert not report.failures, report.failures
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    yield app.test_client()
    app.extensions["search"].close()


def _junk(label: str) -> bool:
    """A junk cited source (Pizza Inn and Petrobras are companies and Cuba a government that speaks:
    they were junk as people or as an organisation, not as sources)."""
    return label in JUNK_NAMES


def test_no_junk_value_is_a_facet_value_of_the_ingested_articles(reuters_app):
    for facet in ("person", "org", "place", "cites"):
        data = reuters_app.get(f"/api/search?more={facet}&per_page=1").get_json()
        labels = [v["label"] for v in data["facets"][facet]["values"]]
        assert labels, facet
        bad = [v for v in labels if v in JUNK_NAMES or (facet == "person" and v in ("Pizza Inn", "Petrobras"))
               or (facet in ("person", "org") and v == "Cuba")]
        assert bad == [], facet


def test_no_junk_value_is_a_column_of_the_sources_page(reuters_app):
    data = reuters_app.get("/api/sources").get_json()
    names = [s["name"] for s in data["sources"]]
    assert names and not [n for n in names if _junk(n)]
    page = reuters_app.get("/sources").get_data(as_text=True)
    headers = re.findall(r'<th[^>]*scope="col"[^>]*>(.*?)</th>', page, re.S)
    assert headers and not [h for h in headers if _junk(re.sub(r"<[^>]+>", "", h).strip())]
