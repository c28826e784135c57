"""Links out of a search carry the whole search; the article page's back link restores it."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from web import create_app

from test_web_fixture import build_web_archive

SEARCH = [("q", "deir"), ("outlet", "rt"), ("outlet", "rasa"), ("sort", "oldest"),
          ("collapse", "1"), ("per_page", "1"), ("page", "2")]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data, _ = build_web_archive(tmp_path_factory.mktemp("state-archive"))
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    yield app.test_client()
    app.extensions["search"].close()


def hrefs(page: str, pattern: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page) if re.search(pattern, html.unescape(h))]


def back_link(page: str) -> str:
    return html.unescape(re.search(r'<a href="([^"]*)" data-back>', page).group(1))


def query(url: str) -> list[tuple[str, str]]:
    return sorted(parse_qsl(urlsplit(url).query))


def test_result_links_carry_the_whole_search_and_the_back_link_restores_it(client):
    from urllib.parse import urlencode
    page = client.get("/search?" + urlencode(SEARCH)).get_data(as_text=True)
    article = hrefs(page, r"^/article/")
    assert article and query(article[0]) == sorted(SEARCH)
    assert query(back_link(client.get(article[0]).get_data(as_text=True))) == sorted(SEARCH)


def test_a_filter_only_browse_gets_a_back_link_too(client):
    page = client.get("/search?outlet=rt&outlet=rasa").get_data(as_text=True)
    article = hrefs(page, r"^/article/")[0]
    text = client.get(article).get_data(as_text=True)
    assert "Back to the results" in text
    assert query(back_link(text)) == [("outlet", "rasa"), ("outlet", "rt")]


def test_an_article_reached_from_no_search_has_no_back_link(client):
    article = hrefs(client.get("/search").get_data(as_text=True), r"^/article/")[0]
    assert "data-back" not in client.get(article.split("?")[0]).get_data(as_text=True)


def test_the_sources_link_carries_the_search(client):
    page = client.get("/search?q=airstrike&outlet=rt&sort=oldest").get_data(as_text=True)
    sources = hrefs(page, r"^/sources")
    assert sources and query(sources[0]) == [("outlet", "rt"), ("q", "airstrike"), ("sort", "oldest")]


def test_reversed_dates_are_said_on_the_search_page_with_the_query_kept(client):
    response = client.get("/search?q=deir&outlet=rt&from=2016-09-30&to=2016-09-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 200   # the page answers, with the message beside the form
    assert "The start date 2016-09-30 is after the end date 2016-09-01" in page
    assert 'value="deir"' in page and 'name="from" value="2016-09-30" aria-invalid="true"' in page
    assert '<li class="hit"' in page   # the search ran without the faulty dates
    assert client.get("/api/search?from=2016-09-30&to=2016-09-01").status_code == 400  # the API stays strict


def test_results_can_be_picked_for_compare_and_the_compare_page_leads_back(client):
    page = client.get("/search?q=deir&sort=oldest").get_data(as_text=True)
    picks = re.findall(r'<input type="checkbox" name="id" value="([^"]+)" form="compare-form"', page)
    assert len(picks) >= 2
    form = page[page.index('id="compare-form"'):page.index("</form>", page.index('id="compare-form"'))]
    assert 'name="q" value="deir"' in form and 'name="sort" value="oldest"' in form
    compare = client.get(f"/compare?id={picks[0]}&id={picks[1]}&q=deir&sort=oldest")
    assert compare.status_code == 200
    assert query(back_link(compare.get_data(as_text=True))) == [("q", "deir"), ("sort", "oldest")]


def test_related_coverage_has_compare_links(client):
    article = hrefs(client.get("/search?q=deir").get_data(as_text=True), r"^/article/")[0]
    page = client.get(article).get_data(as_text=True)
    related = page[page.index('class="related"'):]
    compare = hrefs(related, r"^/compare\?")
    assert compare and client.get(compare[0]).status_code == 200


def test_a_query_that_finds_articles_through_another_spelling_gets_no_did_you_mean(client):
    data = client.get("/api/search?q=Deir%20Ezzor").get_json()   # the fixture writes "Deir ez-Zor", "Deir Ezzur"
    assert data["total"] > 0 and data["suggestion"] is None


def test_the_json_twins_show_no_server_paths(tmp_path):
    from archive.store import Store
    data, _ = build_web_archive(tmp_path)
    with Store(data.store_path) as store:
        store.record_file_failure("/srv/private/feeds/broken.warc", "not a WARC file")
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    try:
        client = app.test_client()
        article = hrefs(client.get("/search").get_data(as_text=True), r"^/article/")[0].split("?")[0]
        assert client.get("/api" + article).get_json()["source_path"].endswith(".txt")
        assert "/" not in client.get("/api" + article).get_json()["source_path"]
        (failure,) = client.get("/api/stats").get_json()["failures"]
        assert failure["path"] == "broken.warc" and failure["reason"] == "not a WARC file"
    finally:
        app.extensions["search"].close()


def test_api_sources_links_are_absolute_like_api_search(sample_data):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(sample_data.root)})
    try:
        data = app.test_client().get("/api/sources").get_json()
        links = [c["search"] for row in data["outlets"] for c in row["cells"].values()]
        assert links and all(link.startswith("http://localhost/search?") for link in links)
    finally:
        app.extensions["search"].close()
