"""Coverage in the web app: the compare page, the sources matrix, the article page and API.

Runs over the sample archive built by the real pipeline (`sample_data`);
expected values are computed from the stored articles with the library.
"""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from archive.coverage import article_citations, shared_passages
from archive.store import Store
from web import create_app

MARK = re.compile(r'<mark class="shared-passage" data-shared-with="([A-D ]+)"[^>]*>(.*?)</mark>', re.S)


@pytest.fixture(scope="module")
def articles(sample_data):
    with Store(sample_data.store_path) as store:
        return list(store.iter_articles())


@pytest.fixture(scope="module")
def client(sample_data):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(sample_data.root)})
    yield app.test_client()
    app.extensions["search"].close()


def by_outlet(articles, outlet):
    return next(a for a in articles if a.outlet == outlet)


def unattributed(articles):
    return next(a for a in articles if a.original.lstrip().startswith("Skip to main content"))


def columns_of(page: str) -> dict[str, list[tuple[str, str]]]:
    """Per column letter, the marked passages: (shared-with letters, text)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for cell in re.finditer(r'<td data-column="([A-D])">(.*?)</td>', page, re.S):
        for shared, text in MARK.findall(cell.group(2)):
            out.setdefault(cell.group(1), []).append((shared, html.unescape(text)))
    return out


def test_compare_marks_the_al_tharda_passage_as_shared_in_both_columns(client, articles):
    a, b = by_outlet(articles, "Before It's News"), unattributed(articles)
    # the library, run on the bodies directly, finds the passage in both
    expected = [p for p in shared_passages(a.body, b.body) if "al-Tharda Mountain" in p.text]
    assert expected
    response = client.get(f"/compare?id={a.id}&id={b.id}")
    assert response.status_code == 200
    marks = columns_of(response.get_data(as_text=True))
    assert any(s == "B" and "al-Tharda Mountain" in t for s, t in marks["A"])
    assert any(s == "A" and "al-Tharda Mountain" in t for s, t in marks["B"])
    assert any("Defense Ministry said" in t for _, t in marks["A"])


def test_compare_keeps_every_word_of_each_text_in_its_column(client, articles):
    a, b = by_outlet(articles, "Before It's News"), unattributed(articles)
    page = client.get(f"/compare?id={a.id}&id={b.id}").get_data(as_text=True)
    for letter, article in (("A", a), ("B", b)):
        cells = re.findall(rf'<td data-column="{letter}">(.*?)</td>', page, re.S)
        text = html.unescape(re.sub(r"<[^>]+>", "", "".join(cells)))
        assert text.split() == article.body.split()


def test_compare_has_no_inline_script_or_style(client, articles):
    a, b = by_outlet(articles, "RT"), by_outlet(articles, "Before It's News")
    page = client.get(f"/compare?id={a.id}&id={b.id}").get_data(as_text=True)
    assert "<script>" not in page and "style=" not in page and "<style" not in page


def test_compare_wants_two_to_four_known_articles(client, articles):
    one = articles[0].id
    for query in (f"id={one}", f"id={one}&id={one}", "&".join(f"id={a.id}" for a in articles)):
        response = client.get(f"/compare?{query}")
        assert response.status_code == 400
        assert "2 to 4" in response.get_data(as_text=True)
    missing = client.get(f"/compare?id={one}&id=no-such-article")
    assert missing.status_code == 404 and "no-such-article" in missing.get_data(as_text=True)
    api = client.get(f"/api/compare?id={one}&id=no-such-article")
    assert api.status_code == 404 and api.get_json()["error"]["status"] == 404


def test_compare_json_twin_lists_articles_passages_and_columns(client, articles):
    a, b = by_outlet(articles, "Before It's News"), unattributed(articles)
    data = client.get(f"/api/compare?id={a.id}&id={b.id}").get_json()
    assert [x["id"] for x in data["articles"]] == [a.id, b.id]
    (pair,) = data["passages"]
    expected = shared_passages(a.body, b.body)
    assert [(p["a_start"], p["b_start"]) for p in pair["passages"]] == [(p.a_start, p.b_start) for p in expected]
    assert "".join(s["text"] for s in data["columns"][1]) == b.body


def test_the_sources_matrix_counts_citing_articles_per_outlet(client, articles):
    data = client.get("/api/sources").get_json()
    expected: dict[tuple[str, str], int] = {}
    for article in articles:
        for slug in {c.source_slug for c in article_citations(article)}:
            key = (article.outlet_slug, slug)
            expected[key] = expected.get(key, 0) + 1
    shown = {s["slug"] for s in data["sources"]}
    got = {(row["outlet_slug"], slug): cell["count"] for row in data["outlets"]
           for slug, cell in row["cells"].items()}
    assert got == {k: v for k, v in expected.items() if k[1] in shown}
    assert "sana" in shown


def test_a_sources_cell_links_to_that_outlets_articles_citing_the_source(client, articles):
    page = client.get("/sources").get_data(as_text=True)
    repost = by_outlet(articles, "Before It's News")
    row = re.search(rf'<tr data-outlet="{repost.outlet_slug}">(.*?)</tr>', page, re.S).group(1)
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', row)]
    queries = [parse_qs(urlsplit(h).query) for h in hrefs]
    assert {"cites": ["zero-hedge"], "outlet": [repost.outlet_slug]} in queries
    href = hrefs[queries.index({"cites": ["zero-hedge"], "outlet": [repost.outlet_slug]})]
    found = client.get(href.replace("/search", "/api/search", 1)).get_json()
    assert [h["id"] for h in found["hits"]] == [repost.id]


def test_the_article_page_lists_sources_cited_with_search_links(client, articles):
    article = by_outlet(articles, "RT")
    page = client.get(f"/article/{article.id}").get_data(as_text=True)
    section = page[page.index('class="sources-cited"'):]
    assert "Sources cited" in page and "Same story elsewhere" in page
    assert "as cited by Sputnik Arabic" in section
    assert '/search?cites=sputnik' in section


def test_the_article_json_has_stories_and_cites(client, articles):
    article = by_outlet(articles, "Before It's News")
    data = client.get(f"/api/article/{article.id}").get_json()
    assert data["stories"] == []
    expected = list(dict.fromkeys(c.source_slug for c in sorted(article_citations(article),
                                                                key=lambda c: (c.start, c.source_slug))))
    assert [c["slug"] for c in data["cites"]] == expected


def test_same_story_elsewhere_lists_a_repost_with_its_overlap_and_a_compare_link(tmp_path):
    import shutil

    from archive.coverage import overlap
    from archive.paths import SAMPLES_DIR, DataDir
    from conftest import build_archive

    folder = tmp_path / "in"
    folder.mkdir()
    text = (SAMPLES_DIR / "002_c9631d2d550c0fb6.txt").read_text(encoding="utf-8")
    shutil.copy(SAMPLES_DIR / "002_c9631d2d550c0fb6.txt", folder / "first.txt")
    (folder / "second.txt").write_text(text.replace("Sixty-two Syrian soldiers", "Sixty-two Syrian army soldiers"),
                                       encoding="utf-8")
    data = DataDir(tmp_path / "data")
    build_archive(data, [folder], entities=False)
    with Store(data.store_path) as store:
        first, second = sorted(store.iter_articles(), key=lambda a: a.source_path)
    share = overlap(first, second).a_in_b
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    try:
        client = app.test_client()
        page = client.get(f"/article/{first.id}").get_data(as_text=True)
        section = page[page.index('class="same-story"'):page.index('class="sources-cited"')]
        assert f'href="/article/{second.id}"' in section
        assert f"{round(100 * share)}% overlap" in section
        assert "repost" in section
        compare = html.unescape(re.search(r'class="compare-link" href="([^"]+)"', section).group(1))
        assert parse_qs(urlsplit(compare).query)["id"] == [first.id, second.id]
        assert client.get(compare).status_code == 200
        (story,) = client.get(f"/api/article/{first.id}").get_json()["stories"]
        assert story["id"] == second.id and story["label"] == "repost"
    finally:
        app.extensions["search"].close()


def test_the_sources_page_counts_only_the_articles_of_the_current_search(client, articles):
    repost = by_outlet(articles, "Before It's News")
    everything = client.get("/api/sources").get_json()
    scoped = client.get("/api/sources?q=Konashenkov").get_json()
    assert scoped["search"]["matched"] == 1 and everything["search"]["matched"] is None
    assert [row["outlet_slug"] for row in scoped["outlets"]] == [repost.outlet_slug]
    assert sum(len(r["cells"]) for r in scoped["outlets"]) < sum(len(r["cells"]) for r in everything["outlets"])
    for cell in scoped["outlets"][0]["cells"].values():
        assert "q=Konashenkov" in cell["search"], "a cell keeps the search it was counted within"
    page = client.get("/sources?q=Konashenkov").get_data(as_text=True)
    assert "Counting only the 1 article that matches" in page


def test_the_search_page_links_to_who_cites_whom_in_its_results(client):
    page = client.get("/search?q=Syria&outlet=rt").get_data(as_text=True)
    link = re.search(r'href="([^"]*/sources\?[^"]*)"', page).group(1)
    assert "q=Syria" in html.unescape(link) and "outlet=rt" in html.unescape(link)
    assert client.get(html.unescape(link)).status_code == 200
