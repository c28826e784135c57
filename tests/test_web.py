"""The web app over a fixture archive, through Flask's test client.

Expected values are computed from the fixture's own Articles (see
test_web_fixture.py), never read back from the service under test.
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from archive.document import ENTITY_TYPES
from web import create_app

from test_web_fixture import build_web_archive

HEADER_NAMES = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return build_web_archive(tmp_path_factory.mktemp("web-archive"))


@pytest.fixture(scope="module")
def articles(archive):
    return archive[1]


@pytest.fixture(scope="module")
def app(archive):
    data, _ = archive
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    yield app
    app.extensions["search"].close()


@pytest.fixture()
def client(app):
    return app.test_client()


def api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()


def links(page: str, pattern: str) -> list[str]:
    """Unescaped hrefs in `page` matching `pattern`."""
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page) if re.search(pattern, html.unescape(h))]


def mentions(article, word: str) -> bool:
    return re.search(rf"\b{word}", f"{article.title}\n{article.body}", re.IGNORECASE) is not None


# -- the app factory ---------------------------------------------------------------

def test_create_app_reads_the_data_folder_from_the_environment(archive, monkeypatch):
    data, articles = archive
    monkeypatch.setenv("ARCHIVE_DATA", str(data.root))
    app = create_app({"TESTING": True})
    try:
        assert app.config["ARCHIVE_DATA"] == str(data.root)
        assert app.extensions["search"] is not None
        assert app.test_client().get("/api/stats").get_json()["articles"] == len(articles)
    finally:
        app.extensions["search"].close()


# -- search page --------------------------------------------------------------------

def test_a_query_shows_its_hits_with_highlighted_passages(client, articles):
    expected = {a.id for a in articles.values() if mentions(a, "airstrike")}
    page = client.get("/search?q=airstrike").get_data(as_text=True)
    shown = {urlsplit(h).path.rsplit("/", 1)[1] for h in links(page, r"^/article/[^/]+\?q=airstrike$")}
    assert shown == expected
    assert "<mark>" in page
    assert f"{len(expected)} results for" in page


def test_an_empty_query_browses_the_whole_archive_with_all_facets(client, articles):
    page = client.get("/").get_data(as_text=True)
    assert f"{len(articles)} articles in the archive" in page
    for facet in ("Outlet", "Person", "Place"):
        assert f"<h2>{facet}" in page
    data = api(client, "/api/search?sort=newest")
    dates = [h["date"] for h in data["hits"]]
    assert dates == sorted(dates, reverse=True)


def test_the_outlet_facet_narrows_results_and_its_chip_removes_it(client, articles):
    rt = next(a for a in articles.values() if a.outlet == "RT")
    page = client.get("/search").get_data(as_text=True)
    toggle = links(page, r"outlet=" + rt.outlet_slug + r"$")
    assert toggle, "the outlet facet links to its filter"
    narrowed = client.get(toggle[0]).get_data(as_text=True)
    assert "1 article in the archive matching the filters" in narrowed
    assert 'class="chip"' in narrowed
    remove = links(narrowed, r"^/search$")
    assert remove, "the chip's remove link drops the filter"
    assert f"{len(articles)} articles in the archive" in client.get(remove[0]).get_data(as_text=True)


def test_choosing_two_outlets_finds_articles_from_either(client, articles):
    chosen = {"rt", "rasa"}
    expected = {a.id for a in articles.values() if a.outlet_slug in chosen}
    data = api(client, "/api/search?outlet=rt&outlet=rasa&per_page=50")
    assert {h["id"] for h in data["hits"]} == expected


def test_timeline_bars_link_to_their_period(client, articles):
    page = client.get("/search").get_data(as_text=True)
    chart = page[page.index("<svg"):page.index("</svg>")]
    bar_links = links(chart, r"from=\d{4}-\d{2}-\d{2}")
    dated = [a for a in articles.values() if a.date]
    assert bar_links, "every bar with articles links to its period"
    found = set()
    for href in bar_links:
        data = api(client, "/api/search?per_page=50&" + urlsplit(href).query)
        query = parse_qs(urlsplit(href).query)
        start, end = query["from"][0], query["to"][0]
        expected = {a.id for a in dated if start <= a.date.isoformat() <= end}
        assert {h["id"] for h in data["hits"]} == expected and expected
        found |= expected
    assert found == {a.id for a in dated}


def test_a_date_range_keeps_the_articles_inside_it(client, articles):
    import datetime as dt
    start, end = dt.date(2016, 9, 18), dt.date(2016, 9, 27)
    data = api(client, f"/api/search?from={start}&to={end}&per_page=50")
    assert {h["id"] for h in data["hits"]} == {a.id for a in articles.values() if a.date and start <= a.date <= end}
    page = client.get(f"/search?from={start}&to={end}").get_data(as_text=True)
    assert 'value="2016-09-18"' in page and "Clear all" in page


def test_pages_split_the_results_and_link_to_each_other(client, articles):
    first = api(client, "/api/search?per_page=2&sort=oldest")
    second = api(client, "/api/search?per_page=2&sort=oldest&page=2")
    assert first["pages"] == -(-len(articles) // 2)
    assert not {h["id"] for h in first["hits"]} & {h["id"] for h in second["hits"]}
    page = client.get("/search?per_page=2&sort=oldest").get_data(as_text=True)
    assert links(page, r"page=2") and 'rel="next"' in page


def test_a_page_past_the_end_says_so_and_links_back_to_the_first(client):
    page = client.get("/search?page=99").get_data(as_text=True)
    assert "past the last page" in page and links(page, r"^/search$")


def test_sort_choices_are_offered_with_the_current_one_selected(client):
    page = client.get("/search?q=syria&sort=oldest").get_data(as_text=True)
    assert '<option value="oldest" selected>' in page


def test_did_you_mean_links_to_the_suggested_query(client, articles):
    assert any("konashenkov" in a.body.lower() for a in articles.values())
    data = api(client, "/api/search?q=konashenkv")
    assert data["suggestion"] == "konashenkov"
    page = client.get("/search?q=konashenkv").get_data(as_text=True)
    assert "Did you mean" in page and links(page, r"^/search\?q=konashenkov$")
    assert "Did you mean" not in client.get("/search?q=konashenkov").get_data(as_text=True)


# -- article page ---------------------------------------------------------------------

def test_the_article_page_shows_metadata_entities_and_related_coverage(client, articles):
    article = articles["000_033e566f6da3e044.txt"]
    page = client.get(f"/article/{article.id}").get_data(as_text=True)
    assert html.escape(article.title, quote=False) in page
    assert "News ID" in page and article.news_id in page
    assert page.count("(inferred)") == sum(article.is_inferred(f) for f in ("outlet", "date", "news_id", "lang", "url"))
    for entity in article.entities:
        assert links(page, rf"^/search\?{entity.type}={entity.slug}$"), entity
    assert "Related coverage" in page
    related = links(page, r"^/article/[^/?]+$")
    others = {a.id for a in articles.values()} - {article.id}
    assert related and {urlsplit(h).path.rsplit("/", 1)[1] for h in related} <= others
    assert links(page, rf"^/article/{article.id}/original$")
    assert links(page, rf"^/api/article/{article.id}$")


def test_arriving_from_a_search_highlights_the_query_in_the_body(client, articles):
    article = articles["003_e708c6bec30fd41c.txt"]
    plain = client.get(f"/article/{article.id}").get_data(as_text=True)
    marked = client.get(f"/article/{article.id}?q=recording").get_data(as_text=True)
    assert "<mark>" not in plain
    assert marked.count("<mark>") == len(re.findall(r"\brecording", article.title + article.body, re.I))


def test_the_original_is_served_as_plain_text_unchanged(client, articles):
    article = articles["001_f40835fafc506217.txt"]
    response = client.get(f"/article/{article.id}/original")
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == article.original


def test_the_article_json_twin_has_metadata_entities_and_related(client, articles):
    article = articles["000_033e566f6da3e044.txt"]
    data = api(client, f"/api/article/{article.id}")
    assert data["id"] == article.id and data["title"] == article.title
    assert data["date"] == article.date.isoformat()
    assert data["inferred"] == sorted(n for n in article.origins if article.is_inferred(n))
    assert {(e["type"], e["slug"]) for e in data["entities"]} == {(e.type, e.slug) for e in article.entities}
    assert "original" not in data
    assert data["links"]["original"].endswith(f"/article/{article.id}/original")
    assert all(set(r) == {"id", "title", "outlet", "date", "score"} for r in data["related"])


# -- JSON API -------------------------------------------------------------------------

def test_the_search_api_has_hits_facets_total_page_suggestion_and_timing(client, articles):
    data = api(client, "/api/search?q=syria")
    assert {"hits", "facets", "total", "page", "pages", "suggestion", "took_ms", "histogram", "query"} <= set(data)
    assert data["total"] == sum(mentions(a, "syria") for a in articles.values())
    hit = data["hits"][0]
    assert {"id", "title", "title_html", "outlet", "date", "news_id", "url", "snippets", "links"} <= set(hit)
    assert {"outlet", "person", "org", "place", "lang"} <= set(data["facets"])
    values = data["facets"]["outlet"]["values"]
    assert all({"value", "label", "count", "selected"} <= set(v) for v in values)


def test_the_stats_api_counts_the_archive(client, articles):
    data = api(client, "/api/stats")
    assert data["articles"] == len(articles)
    assert set(data["outlets"]) == {a.outlet or "(unknown)" for a in articles.values()}
    assert data["date_span"] == {"from": min(a.date for a in articles.values()).isoformat(),
                                 "to": max(a.date for a in articles.values()).isoformat()}
    assert data["generation"]


# -- help and OpenSearch ------------------------------------------------------------------

def test_help_explains_the_query_language_with_examples_that_find_articles(client, articles):
    page = client.get("/help").get_data(as_text=True)
    examples = links(page, r"^/search\?q=")
    assert len(examples) >= 8
    for href in examples:
        data = api(client, href.replace("/search", "/api/search", 1))
        assert data["total"] > 0, href
    assert f"<dd>{len(articles)}</dd>" in page


def test_opensearch_description_points_at_the_search_page(client):
    response = client.get("/opensearch.xml")
    assert response.mimetype == "application/opensearchdescription+xml"
    assert 'template="http://localhost/search?q={searchTerms}"' in response.get_data(as_text=True)
    assert links(client.get("/").get_data(as_text=True), r"/opensearch.xml$")


# -- exports ------------------------------------------------------------------------------

def test_csv_export_has_one_row_per_result_with_entities(client, articles):
    response = client.get("/export.csv?q=syria&sort=oldest")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["id", "title", "outlet", "date", "lang", "news_id", "url", "permalink", "entities", "story",
                       "cites", "shares"]
    expected = {a.id: a for a in articles.values() if mentions(a, "syria")}
    assert [r[0] for r in rows[1:]] == [h["id"] for h in api(client, "/api/search?q=syria&sort=oldest&per_page=100")["hits"]]
    for row in rows[1:]:
        article = expected[row[0]]
        assert row[1] == article.title and row[3] == (article.date.isoformat() if article.date else "")
        assert row[7] == f"http://localhost/article/{article.id}"
        for entity in article.entities:
            assert f"{entity.type}: {entity.name}" in row[8]


def test_jsonl_export_has_one_object_per_result(client, articles):
    response = client.get("/export.jsonl?outlet=rasa&outlet=rt")
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert {o["id"] for o in lines} == {a.id for a in articles.values() if a.outlet_slug in {"rasa", "rt"}}
    for item in lines:
        article = next(a for a in articles.values() if a.id == item["id"])
        assert set(item) == {"id", "title", "outlet", "date", "lang", "news_id", "url", "permalink", "entities",
                             "story", "cites", "shares"}
        assert item["entities"] == {t: [e.name for e in article.entities_of(t)] for t in ENTITY_TYPES}


def test_chosen_fields_come_in_the_order_asked_with_body_and_snippet(client, articles):
    rows = list(csv.reader(io.StringIO(client.get("/export.csv?q=airstrike&fields=snippet,id&fields=body")
                                       .get_data(as_text=True))))
    assert rows[0] == ["snippet", "id", "body"]
    by_id = {a.id: a for a in articles.values()}
    for snippet, article_id, body in rows[1:]:
        assert body == by_id[article_id].body
        assert "airstrike" in snippet.lower() and "<mark>" not in snippet
    lines = [json.loads(x) for x in client.get("/export.jsonl?q=airstrike&fields=lang,id").get_data(as_text=True)
             .splitlines()]
    assert lines and all(list(x) == ["lang", "id"] and x["lang"] == by_id[x["id"]].lang for x in lines)


def test_an_unknown_field_is_a_400_naming_it(client):
    response = client.get("/export.csv?fields=id,wordcount")
    assert response.status_code == 400 and "wordcount" in response.get_json()["error"]["message"]


def test_an_export_is_named_after_the_search_and_the_day(client):
    import datetime as dt
    disposition = client.get('/export.jsonl?q="defense ministry"&outlet=rt').headers["Content-Disposition"]
    assert disposition == (f'attachment; filename="archive-defense-ministry-outlet-rt-{dt.date.today()}.jsonl"')
    assert f'filename="archive-all-{dt.date.today()}.csv"' in client.get("/export.csv").headers["Content-Disposition"]


def test_exports_have_no_row_cap(archive):
    data, articles = archive
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root), "EXPORT_ROW_CAP": 2})
    try:
        client = app.test_client()
        lines = client.get("/export.jsonl").get_data(as_text=True).splitlines()
        assert len(lines) == len(articles)
        rows = list(csv.reader(io.StringIO(client.get("/export.csv").get_data(as_text=True))))
        assert len(rows) == 1 + len(articles)
    finally:
        app.extensions["search"].close()


# -- escaping and headers -----------------------------------------------------------------

def test_markup_in_articles_is_shown_as_text(client, articles):
    hostile = articles["hostile.txt"]
    page = client.get(f"/article/{hostile.id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>" not in page and "<img" not in page
    assert html.escape("<script>alert('owned')</script>", quote=False) in page
    assert "Evil &lt;b&gt;Outlet&lt;/b&gt;" in page
    results = client.get("/search?q=markup").get_data(as_text=True)
    assert "<script>alert" not in results and "<b>Outlet" not in results and "<img" not in results


def test_the_query_is_echoed_escaped(client):
    page = client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize("url", ["/", "/search?q=syria", "/help", "/api/stats", "/opensearch.xml"])
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    for name in HEADER_NAMES:
        assert name in response.headers, name
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client, articles):
    article = articles["002_c9631d2d550c0fb6.txt"]
    for url in ("/search?q=syria", f"/article/{article.id}", "/help", "/article/nope"):
        page = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert "<style" not in page and " style=" not in page, url
        assert not re.search(r"\son\w+=", page), url


def test_static_files_are_served_locally(client):
    for name in ("style.css", "app.js"):
        with client.get(f"/static/{name}") as response:
            assert response.status_code == 200
    page = client.get("/").get_data(as_text=True)
    assert not re.search(r'(src|href)="(https?:)?//', page)


# -- errors -------------------------------------------------------------------------------

def test_an_unknown_article_is_a_404_page(client):
    response = client.get("/article/no-such-article")
    assert response.status_code == 404
    assert "no-such-article" in response.get_data(as_text=True)
    assert client.get("/article/no-such-article/original").status_code == 404
    api_response = client.get("/api/article/no-such-article")
    assert api_response.status_code == 404 and api_response.get_json()["error"]["status"] == 404


@pytest.mark.parametrize("query", ["page=-1", "per_page=1000000000", "q=" + "x" * 10_000,
                                   "from=not-a-date", "sort=sideways", "page=abc"])
def test_bad_parameters_are_a_400_with_a_clear_message(client, query):
    for path in ("/search", "/api/search", "/export.csv", "/export.jsonl"):
        response = client.get(f"{path}?{query}")
        body = response.get_data(as_text=True)
        inline = path == "/search" and "data-form-error" in body   # said beside the form, the page answers
        assert response.status_code == (200 if inline else 400), (path, query)
        assert "Traceback" not in body
        if path == "/api/search":
            assert response.get_json()["error"]["message"]
        elif path == "/search":  # said beside the form when a field is at fault, else an error page
            assert inline or ('class="message"' in body and len(body) < 20_000)


def test_an_unexpected_error_is_a_plain_500_page(archive):
    data, _ = archive
    app = create_app({"ARCHIVE_DATA": str(data.root)})
    try:
        def boom():
            raise RuntimeError("secret internals")
        app.add_url_rule("/boom", "boom", boom)
        response = app.test_client().get("/boom")
        assert response.status_code == 500
        body = response.get_data(as_text=True)
        assert "Something went wrong" in body and "secret internals" not in body
    finally:
        app.extensions["search"].close()


def test_a_query_typed_while_browsing_is_ranked_by_relevance(client):
    page = client.get("/").get_data(as_text=True)
    search_form = page[page.index('role="search"'):page.index("</form>")]
    assert 'name="sort"' not in search_form
    assert api(client, "/api/search?q=airstrike")["query"]["sort"] == "relevance"


def test_an_archive_with_no_index_yet_shows_an_empty_page_not_an_error(tmp_path):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(tmp_path / "empty")})
    try:
        client = app.test_client()
        page = client.get("/").get_data(as_text=True)
        assert "0 articles in the archive" in page and "no index yet" in page
        assert client.get("/help").status_code == 200
        assert client.get("/api/stats").get_json()["articles"] == 0
    finally:
        app.extensions["search"].close()
