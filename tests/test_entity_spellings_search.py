"""Searching any spelling finds every spelling: the multi-spelling fixture through the real pipeline.

`tests/fixtures/spellings_deir_ez_zor.jsonl` holds 19 short reports, each
naming Deir ez-Zor in one of the spellings issue 15 counted (titled "Report
N from the east"), and ten articles that must stay apart: Aleppo and Idlib,
Syria and the Syrian Army, the EC, the ICC and the EEC, two other places
called Deir (Deir al-Balah, Deir Hafer) and the common noun "zor". The
expected answers are the fixture's own definition (the titles), not
computed by the code under test.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.paths import DataDir
from archive.store import Store
from conftest import build_archive
from web import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "spellings_deir_ez_zor.jsonl"
SPELLINGS = (
    "Deir Ezzor", "Deir ez-Zor", "Deir al-Zor", "Deir el-Zour", "Deir az-Zour", "Deir Ezour",
    "Deir Ezzur", "DeirEzzor", "Der-Ezzor", "Deir al Zour", "DEIR EZ-ZOR", "Deir-ez-Zor",
    "Dayr az-Zawr", "Dayr al-Zawr", "Deir Al-Zour", "Deir Ez-Zour", "Deyr ez-Zor", "Deir Azour",
    "Deir el-Zor",
)
#: Other names, each with the titles of the articles that write it (and no other).
APART = {
    "Aleppo": {"Aleppo markets reopen", "Frontline town"},
    "Idlib": {"Idlib under pressure"},
    "Syrian Army": {"Army statement"},
    "EC": {"Trade proposal"},
    "ICC": {"Court hearing"},
    "EEC": {"A history lesson"},
    "Deir al-Balah": {"Gaza town hit"},
    "Deir Hafer": {"Frontline town"},
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = DataDir(tmp_path_factory.mktemp("spellings"))
    report = build_archive(data, [FIXTURE])
    assert not report.failures, report.failures
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    with Store(data.store_path) as store:
        app.config["TITLES"] = {a.id: a.title for a in store.iter_articles()}
    yield app.test_client()
    app.extensions["search"].close()


def titles(client, q: str) -> set[str]:
    data = client.get("/api/search", query_string={"q": q, "per_page": 100}).get_json()
    assert data["total"] == len(data["hits"])
    names = client.application.config["TITLES"]
    return {names[h["id"]] for h in data["hits"]}


REPORTS = {f"Report {n} from the east" for n in range(1, 20)}


def test_the_fixture_holds_nineteen_reports_and_ten_others(client):
    names = set(client.application.config["TITLES"].values())
    assert REPORTS <= names and len(names) == 29


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_a_phrase_of_any_spelling_finds_every_report_and_nothing_else(client, spelling):
    assert titles(client, f'"{spelling}"') == REPORTS


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_any_spelling_typed_plainly_finds_every_report_and_nothing_else(client, spelling):
    assert titles(client, spelling) == REPORTS


@pytest.mark.parametrize("spelling", [s for s in SPELLINGS if " " in s or "-" in s])
def test_a_lowercase_spelling_finds_every_report(client, spelling):
    assert titles(client, spelling.lower()) == REPORTS


#: Spellings run together in lower case: only "deirezzor" is one the archive writes ("DeirEzzor").
FUSED_LOWER = ("deirezzor", "deirezzur", "deiralzor", "dayralzawr", "derezzor", "deirazour", "deyrezzor")


@pytest.mark.parametrize("spelling", FUSED_LOWER)
def test_a_spelling_run_together_in_lower_case_finds_every_report(client, spelling):
    assert titles(client, spelling) == REPORTS
    assert titles(client, f'"{spelling}"') == REPORTS


@pytest.mark.parametrize("spelling", ["Deir Ezzor", "DEIR EZ-ZOR", "Dayr al-Zawr"])
def test_the_place_facet_counts_every_report_under_one_value(client, spelling):
    # the facet is what a reader counts by: one place, all nineteen reports ("DEIR EZ-ZOR" too)
    data = client.get("/api/search", query_string={"q": f'"{spelling}"', "per_page": 100}).get_json()
    deir = [(v["label"], v["count"]) for v in data["facets"]["place"]["values"] if "zor" in v["value"]]
    assert deir == [("Deir ez-Zor", 19)]


@pytest.mark.parametrize("name", sorted(APART))
def test_other_names_find_only_their_own_articles(client, name):
    assert titles(client, f'"{name}"') == APART[name]


def test_syria_does_not_find_the_syrian_army_by_spelling(client):
    found = client.get("/api/search", query_string={"q": '"Syria"'}).get_json()
    assert not any("Army" in s for s in found["also_written"])


def test_the_results_offer_the_other_spellings_as_written_in_the_archive(client):
    data = client.get("/api/search", query_string={"q": '"Deir Ezzor"'}).get_json()
    offered = set(data["also_written"])
    assert {"Deir ez-Zor", "Dayr al-Zawr", "Der-Ezzor", "Deir Azour", "DeirEzzor"} <= offered  # as written
    assert "Deir Ezzor" not in offered  # what was typed is not offered again
    assert not any("Balah" in s or "Hafer" in s for s in offered)


def test_each_spelling_is_marked_as_written_in_the_hits(client):
    data = client.get("/api/search", query_string={"q": '"Deir Ezzor"', "per_page": 100}).get_json()
    marked = {m for hit in data["hits"] for m in re.findall(r"<mark>(.*?)</mark>", " ".join(hit["snippets"]))}
    assert {"Dayr al-Zawr", "Der-Ezzor", "DeirEzzor", "DEIR EZ-ZOR", "Deir ez-Zor"} <= marked


def test_the_search_page_offers_also_written_as_with_a_search_for_each(client):
    import html as html_lib
    page = client.get("/search", query_string={"q": '"Deir Ezzor"'}).get_data(as_text=True)
    line = re.search(r'<p class="also-written">(.*?)</p>', page, re.S).group(1)
    links = dict((html_lib.unescape(text), html_lib.unescape(href))
                 for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', line))
    assert "Dayr al-Zawr" in links
    from urllib.parse import parse_qs, urlsplit
    [q] = parse_qs(urlsplit(links["Dayr al-Zawr"]).query)["q"]
    assert q == '"Dayr al-Zawr"' and titles(client, q) == REPORTS


def test_short_names_are_not_joined_by_their_few_letters(tmp_path):
    import json
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "people.jsonl", "w", encoding="utf-8") as fh:
        for title, body in (("Analyst view", "Stephen Hess, an analyst at the Brookings Institution, said on Monday "
                                             "that the budget talks would fail. Hess expects no deal."),
                            ("Ford news", "Walter Hayes, vice chairman of Ford of Europe, said on Tuesday that sales "
                                          "rose. Hayes gave no figures.")):
            fh.write(json.dumps({"title": title, "body": body, "outlet": "Test Wire"}) + "\n")
    data = DataDir(tmp_path / "data")
    assert not build_archive(data, [folder / "people.jsonl"]).failures
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    try:
        c = app.test_client()
        for q, title in (("Hess", "Analyst view"), ('"Hayes"', "Ford news")):
            found = c.get("/api/search", query_string={"q": q}).get_json()
            assert [h["title"] for h in found["hits"]] == [title] and found["also_written"] == [], q
    finally:
        app.extensions["search"].close()
