"""The help page: the parser's own forms, each with an example from this archive that finds something."""
from __future__ import annotations

import html
import re

import pytest

from index.query import QUERY_FORMS, compile_query
from web import create_app

from test_web_fixture import build_web_archive


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data, _ = build_web_archive(tmp_path_factory.mktemp("help-archive"))
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    yield app.test_client()
    app.extensions["search"].close()


def test_every_form_is_one_the_parser_reads_without_a_notice():
    for form in QUERY_FORMS:
        sample = {"month": "2016-09", "day_from": "2016-09-01", "day_to": "2016-09-28", "news_id": "423733",
                  "lang": "en", "phrase": "deir ez", "typo": "syrai"}
        example = re.sub(r"{(\w+)}", lambda m: sample.get(m.group(1), "syria"), form.example)
        compiled = compile_query(example)
        assert compiled.query is not None and compiled.notice is None, (form.name, example)


def test_the_help_lists_every_form_and_each_shown_example_finds_articles(client):
    page = client.get("/help").get_data(as_text=True)
    rows = re.findall(r'<tr data-form="(\w+)">(.*?)</tr>', page, re.S)
    assert [name for name, _ in rows] == [f.name for f in QUERY_FORMS]
    shown = 0
    for name, row in rows:
        link = re.search(r'<a href="([^"]+)"><code>(.*?)</code></a> <span class="count">([\d,]+)</span>', row)
        if link is None:
            assert "no example finds anything" in row
            continue
        shown += 1
        href, query, count = html.unescape(link.group(1)), html.unescape(link.group(2)), int(link.group(3))
        data = client.get(href.replace("/search", "/api/search", 1)).get_json()
        assert data["total"] == count > 0, (name, query)
    assert shown >= len(QUERY_FORMS) - 2   # the fixture has no news ID on most articles, but every other form


def test_the_help_names_fuzzy_dates_ranges_fields_and_the_pages_beyond_search(client):
    page = client.get("/help").get_data(as_text=True)
    for needle in ("word~", "date:YYYY-MM", "date:[start TO end]", "outlet:name", "lang:code", "news_id:number",
                   "(… OR …) AND …", "Compare", "Who cites whom", "Collapse reposts"):
        assert html.escape(needle, quote=False) in page or needle in page, needle
    assert "Sorted oldest first" not in page
