"""Date provenance: explicit, inferred (with its rule) or missing, as a facet, a filter and words.

The fixture is the search corpus (tests/search_corpus.py) with a date origin
given to each article by a fixed rule below; every expected value is
computed from that assignment in plain Python, not by the code under test.
"""
from __future__ import annotations

import dataclasses
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent))
import search_corpus  # noqa: E402

from archive.document import Article  # noqa: E402
from archive.paths import DataDir  # noqa: E402
from index import writer  # noqa: E402
from index.query import InvalidRequest, parse_request  # noqa: E402
from index.schema import SCHEMA_VERSION, build_schema, document_fields  # noqa: E402
from index.search import SearchService  # noqa: E402
from ingest import cli  # noqa: E402
from web import create_app  # noqa: E402

#: (origin recorded for the date, expected kind, expected rule), by article number mod 5.
ORIGINS = (
    ("explicit:date", "explicit", None),
    ("inferred:date-line", "inferred", "date-line"),
    ("inferred:url-path", "inferred", "url-path"),
    (None, "explicit", None),                      # a date with no origin recorded counts as stated
    ("inferred:htmldate", "inferred", "htmldate"),
)


def _with_origin(n: int, article: Article) -> tuple[Article, str, str | None]:
    origin, kind, rule = ORIGINS[n % len(ORIGINS)]
    if article.date is None:  # an undated article is missing, whatever origin was left behind
        origin, kind, rule = ("inferred:date-line" if n % 2 else None), "missing", None
    origins = dict(article.origins)
    if origin:
        origins["date"] = origin
    return dataclasses.replace(article, origins=origins), kind, rule


def _corpus() -> tuple[list[Article], dict[str, tuple[str, str | None]]]:
    articles, expected = [], {}
    for n, article in enumerate(search_corpus.all_articles()):
        changed, kind, rule = _with_origin(n, article)
        articles.append(changed)
        expected[changed.id] = (kind, rule)
    return articles, expected


ARTICLES, EXPECTED = _corpus()
BY_ID = {a.id: a for a in ARTICLES}
KINDS = ("explicit", "inferred", "missing")
LABELS = {"explicit": "Stated by the source", "inferred": "Inferred", "missing": "No date"}


def _store(root: Path, articles: list[Article]) -> None:
    search_corpus.build(root, articles)


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> DataDir:
    root = tmp_path_factory.mktemp("provenance-archive")
    _store(root, ARTICLES)
    return DataDir(root)


@pytest.fixture(scope="module")
def service(data):
    svc = SearchService(data.index_root)
    yield svc
    svc.close()


@pytest.fixture(scope="module")
def app(data):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    yield app
    app.extensions["search"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


def search(service, **params):
    return service.search(parse_request({"per_page": "100", **params}))


def words(article: Article) -> set[str]:
    return search_corpus.words_of(article)


def kind_of(article: Article) -> str:
    return EXPECTED[article.id][0]


def expected_ids(word: str | None = None, kinds=(), outlets=()) -> set[str]:
    return {a.id for a in ARTICLES
            if (word is None or word in words(a))
            and (not kinds or kind_of(a) in kinds)
            and (not outlets or a.outlet_slug in outlets)}


def all_ids(service, **params) -> set[str]:
    result = search(service, **params)
    assert result.total <= 100, "the fixture is meant to fit on one page"
    return {h.id for h in result.hits}


# -- the fixture itself -------------------------------------------------------------------

def test_the_fixture_holds_every_kind_and_several_rules():
    kinds = Counter(kind for kind, _ in EXPECTED.values())
    assert all(kinds[k] >= 3 for k in KINDS), kinds
    assert {rule for kind, rule in EXPECTED.values() if kind == "inferred"} == {"date-line", "url-path", "htmldate"}


# -- search service -----------------------------------------------------------------------

@pytest.mark.parametrize("kinds", [("explicit",), ("inferred",), ("missing",), ("explicit", "missing")])
def test_the_filter_keeps_only_the_chosen_kinds(service, kinds):
    assert all_ids(service, date_provenance=list(kinds)) == expected_ids(kinds=kinds)
    assert all_ids(service, q="harbour", date_provenance=list(kinds)) == expected_ids("harbour", kinds)


def test_the_facet_counts_each_kind_in_a_fixed_order_with_readable_labels(service):
    facet = search(service).facet("date_provenance")
    assert facet.label == "Date source"
    counts = Counter(kind_of(a) for a in ARTICLES)
    assert [(v.value, v.label, v.count) for v in facet.values] == [(k, LABELS[k], counts[k]) for k in KINDS]


@pytest.mark.parametrize("filters", [
    {"date_provenance": ["explicit"]},
    {"date_provenance": ["inferred", "missing"], "outlet": ["tass"]},
    {"outlet": ["reuters", "sputnik"]},
])
def test_the_facet_counts_ignore_its_own_filter_and_obey_the_others(service, filters):
    result = search(service, q="harbour", **filters)
    kinds, outlets = filters.get("date_provenance", ()), filters.get("outlet", ())
    own = Counter(kind_of(BY_ID[i]) for i in expected_ids("harbour", outlets=outlets))
    facet = result.facet("date_provenance")
    assert {v.value: v.count for v in facet.values if v.count} == dict(own)
    assert {v.value for v in facet.values if v.selected} == set(kinds)
    outlet_counts = Counter(BY_ID[i].outlet_slug for i in expected_ids("harbour", kinds=kinds))
    assert {v.value: v.count for v in result.facet("outlet").values if v.count} == dict(outlet_counts)
    assert result.total == len(expected_ids("harbour", kinds, outlets))


def test_hits_say_where_their_date_comes_from(service):
    for hit in search(service, q="harbour").hits:
        kind, rule = EXPECTED[hit.id]
        assert (hit.date_provenance, hit.date_rule) == (kind, rule), hit.id


def test_collapsed_counts_count_stories_per_kind(service):
    result = search(service, collapse="1", date_provenance="explicit")
    assert result.total <= len(expected_ids(kinds=("explicit",)))
    assert {v.value for v in result.facet("date_provenance").values} == set(KINDS)


def test_filter_values_are_checked_and_case_does_not_matter():
    assert parse_request({"date_provenance": ["Explicit", "MISSING"]}).date_provenance == ("explicit", "missing")
    with pytest.raises(InvalidRequest, match=r"date source \(date_provenance\) must be one of explicit, inferred, missing"):
        parse_request({"date_provenance": "guessed"})


# -- JSON API and the search page ----------------------------------------------------------

def test_the_api_filters_and_lists_the_facet(client):
    data = client.get("/api/search?date_provenance=inferred&per_page=100").get_json()
    assert {h["id"] for h in data["hits"]} == expected_ids(kinds=("inferred",))
    assert all(h["date_provenance"] == "inferred" and h["date_rule"] == EXPECTED[h["id"]][1]
               for h in data["hits"])
    facet = data["facets"]["date_provenance"]
    assert facet["label"] == "Date source"
    counts = Counter(kind_of(a) for a in ARTICLES)
    assert {v["value"]: v["count"] for v in facet["values"]} == dict(counts)
    assert data["query"]["date_provenance"] == ["inferred"]


@pytest.mark.parametrize("url", ["/api/search?date_provenance=sometimes", "/search?date_provenance=sometimes",
                                 "/export.csv?date_provenance=sometimes"])
def test_a_bad_filter_value_is_a_clear_400(client, url):
    response = client.get(url)
    text = response.get_data(as_text=True)
    # the search page says it beside its form (and searches without it); the API and exports answer 400
    assert response.status_code == (200 if url.startswith("/search") else 400)
    assert "The date source (date_provenance) must be one of explicit, inferred, missing" in text
    assert "Traceback" not in text


def test_the_search_page_has_the_facet_with_toggle_links_and_a_chip(client):
    page = client.get("/search?q=harbour").get_data(as_text=True)
    section = re.search(r'<section class="facet" data-facet="date_provenance">(.*?)</section>', page, re.S).group(1)
    assert "<h2>Date source</h2>" in section
    assert re.findall(r'data-value="(\w+)"', section) == [k for k in KINDS if expected_ids("harbour", (k,))]
    assert "date_provenance=explicit" in section.replace("&amp;", "&")
    chosen = client.get("/search?q=harbour&date_provenance=explicit").get_data(as_text=True)
    assert re.search(r'Date source:</span> Stated by the source', chosen)
    assert len(re.findall(r"data-hit", chosen)) == min(10, len(expected_ids("harbour", ("explicit",))))
    assert "(date inferred)" not in chosen


def test_inferred_dates_are_marked_in_the_hit_list(client):
    page = client.get("/search?date_provenance=inferred&per_page=100").get_data(as_text=True)
    assert page.count("data-date-inferred") == len(expected_ids(kinds=("inferred",)))
    assert "from the date in the article&#39;s web address" in page


# -- the article page -----------------------------------------------------------------------

def _one(kind: str, rule: str | None = None) -> Article:
    return next(a for a in ARTICLES if EXPECTED[a.id] == (kind, rule))


@pytest.mark.parametrize("kind, rule, words", [
    ("explicit", None, "The source stated this date"),
    ("inferred", "url-path", "Inferred from the date in the article&#39;s web address"),
    ("inferred", "date-line", "Inferred from a date line near the headline"),
    ("inferred", "htmldate", "Inferred from dates in the web page&#39;s code"),
    ("missing", None, "The archive found no publication date"),
])
def test_the_article_page_says_where_the_date_comes_from(client, kind, rule, words):
    article = _one(kind, rule)
    page = client.get(f"/article/{article.id}").get_data(as_text=True)
    row = re.search(r'<div class="row[^"]*" data-date-provenance="(\w+)">(.*?)</div>', page, re.S)
    assert row and row.group(1) == kind
    assert words in row.group(2)
    assert ("No date found" in row.group(2)) == (kind == "missing")
    if article.date:
        assert article.date.isoformat() in row.group(2)


def test_the_article_json_twin_says_the_same(client):
    for kind, rule in (("explicit", None), ("inferred", "url-path"), ("missing", None)):
        article = _one(kind, rule)
        found = client.get(f"/api/article/{article.id}").get_json()["date_provenance"]
        assert (found["kind"], found["rule"], found["label"]) == (kind, rule, LABELS[kind])
        assert found["explanation"]
        assert found["hint"] == ("date" if article.origins.get("date") == "explicit:date" else None)


def test_the_help_page_explains_the_filter(client):
    page = client.get("/help").get_data(as_text=True)
    assert "Where a date comes from" in page and "date_provenance=explicit" in page


# -- command line -------------------------------------------------------------------------------

def invoke(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


def test_cli_search_takes_the_filter(data):
    out = json.loads(invoke("search", "harbour", "--data", data.root, "--date-provenance", "missing",
                            "--date-provenance", "explicit", "--limit", "100", "--json").output)
    assert {h["id"] for h in out["hits"]} == expected_ids("harbour", ("missing", "explicit"))
    bad = invoke("search", "--data", data.root, "--date-provenance", "maybe")
    assert bad.exit_code != 0 and "maybe" in bad.output


def test_cli_text_output_marks_inferred_dates(data):
    out = invoke("search", "--data", data.root, "--date-provenance", "inferred", "--limit", "100").output
    assert out.count("(inferred: ") == len(expected_ids(kinds=("inferred",)))


def test_cli_stats_counts_the_three(data):
    stats = json.loads(invoke("stats", "--data", data.root, "--json").output)
    counts = Counter(kind_of(a) for a in ARTICLES)
    rules = Counter(rule for kind, rule in EXPECTED.values() if kind == "inferred")
    assert {k: stats["date_provenance"][k] for k in KINDS} == dict(counts)
    assert stats["date_provenance"]["inferred_rules"] == dict(rules)
    text = invoke("stats", "--data", data.root).output
    assert (f"date source: {counts['explicit']} stated by the source, {counts['inferred']} inferred"
            in text and f"{counts['missing']} with no date" in text)


# -- an index built before the facet ----------------------------------------------------------------

def _legacy_generation(root: Path, articles: list[Article]) -> None:
    """Swap in an index as schema 4 wrote it: no provenance fields."""
    from whoosh import index as windex
    schema = build_schema()
    for name in ("date_provenance", "date_rule"):
        schema.remove(name)
    path = root / "index" / "gen-000099"
    path.mkdir(parents=True)
    ix = windex.create_in(str(path), schema)
    with ix.writer() as w:
        for a in articles:
            doc = document_fields(a)
            doc.pop("date_provenance"), doc.pop("date_rule", None)
            w.add_document(**doc)
    ix.close()
    (path / "SCHEMA_VERSION").write_text("4")
    writer._swap(root / "index", path)


@pytest.mark.parametrize("how", ["add", "reindex"])
def test_an_old_index_still_searches_and_the_next_add_or_reindex_rebuilds_it(tmp_path, how):
    articles = search_corpus.special_articles() + [dataclasses.replace(
        search_corpus.special_articles()[0], id="inferred-one", slug="inferred-one", record=9,
        origins={"date": "inferred:url-path"})]
    _store(tmp_path, articles)
    _legacy_generation(tmp_path, articles)
    svc = SearchService(tmp_path / "index")
    try:
        old = svc.search(parse_request({}))
        assert old.notice is None and old.total == len(articles)
        assert old.facet("date_provenance").values == ()
        if how == "add":
            empty = tmp_path / "nothing-new"
            empty.mkdir()
            assert invoke("add", empty, "--data", tmp_path, "--no-entities").exit_code == 0
        else:
            assert invoke("reindex", "--data", tmp_path).exit_code == 0
        assert (writer.current_dir(tmp_path / "index") / "SCHEMA_VERSION").read_text() == SCHEMA_VERSION
        new = svc.search(parse_request({"date_provenance": "inferred"}))
        assert [h.id for h in new.hits] == ["inferred-one"]
        assert {v.value: v.count for v in new.facet("date_provenance").values} == {
            "explicit": len(articles) - 1, "inferred": 1}
    finally:
        svc.close()
