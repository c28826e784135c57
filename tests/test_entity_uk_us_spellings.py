"""British and American spellings of ordinary words are one word to the search.

Articles are written here, each spelling one way; what each search must find
is the fixture's definition (the titles), not computed by the analysis.
"""
from __future__ import annotations

import json

import pytest

from archive.paths import DataDir
from archive.store import Store
from conftest import build_archive
from index.schema import text_analyzer
from index.stems import DIALECT_PAIRS, NOT_FOLDED
from web import create_app

ARTICLES = {
    "UK ministry": "The defence ministry said the organisation had moved its centre to the capital.",
    "US ministry": "The defense ministry said the organization had moved its center to the capital.",
    "Mixed ministry": "A Ministry of Defence spokesman visited the Defense Ministry and its new centres.",
    "Tyres": "Lorries need new tyres before winter, the haulier said.",
    "Tired": "Voters tire of long campaigns, the pollster said.",
    "Grey": "The sky over the harbour stayed grey all week.",
    "Gray": "Mr Gray, the harbor master, retired on Friday.",
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dialects")
    with open(folder / "articles.jsonl", "w", encoding="utf-8") as fh:
        for title, body in ARTICLES.items():
            fh.write(json.dumps({"title": title, "body": body, "outlet": "Test Wire", "date": "2020-01-02"}) + "\n")
    data = DataDir(folder / "data")
    report = build_archive(data, [folder / "articles.jsonl"], entities=False)
    assert not report.failures, report.failures
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    yield app.test_client()
    app.extensions["search"].close()


def titles(client, q: str) -> set[str]:
    return {h["title"] for h in client.get("/api/search", query_string={"q": q, "per_page": 100}).get_json()["hits"]}


@pytest.mark.parametrize("q", ['"defence ministry"', '"defense ministry"', '"Defence Ministry"'])
def test_defence_ministry_and_defense_ministry_find_the_same_articles(client, q):
    assert titles(client, q) == {"UK ministry", "US ministry", "Mixed ministry"}


@pytest.mark.parametrize("uk, us", [("organisation", "organization"), ("centre", "center"), ("harbour", "harbor")])
def test_a_word_finds_both_spellings(client, uk, us):
    assert titles(client, uk) == titles(client, us) != set()


def test_both_spellings_are_marked_as_written(client):
    hits = client.get("/api/search", query_string={"q": '"defence ministry"', "per_page": 100}).get_json()["hits"]
    snippets = {h["title"]: " ".join(h["snippets"]) for h in hits}
    assert "<mark>defence ministry</mark>" in snippets["UK ministry"]
    assert "<mark>defense ministry</mark>" in snippets["US ministry"]
    assert "<mark>Defense Ministry</mark>" in snippets["Mixed ministry"]


def test_pairs_whose_american_form_is_another_word_stay_apart(client):
    assert titles(client, "tyres") == {"Tyres"}
    assert "Tyres" not in titles(client, "tire")
    assert titles(client, "grey") == {"Grey"}
    assert titles(client, "Gray") == {"Gray"}


def test_the_word_list_is_the_packages_less_the_exceptions():
    from breame.spelling import BRITISH_ENGLISH_SPELLINGS
    assert len(DIALECT_PAIRS) > 1500
    assert not NOT_FOLDED & set(DIALECT_PAIRS)
    assert {uk for uk in BRITISH_ENGLISH_SPELLINGS if uk not in NOT_FOLDED} == set(DIALECT_PAIRS)


def test_the_analysis_writes_british_spellings_american_and_keeps_positions():
    tokens = [(t.text, t.startchar, t.endchar) for t in text_analyzer()("Centre of the Labour party", positions=True, chars=True)]
    assert tokens == [("center", 0, 6), ("of", 7, 9), ("the", 10, 13), ("labor", 14, 20), ("party", 21, 26)]
