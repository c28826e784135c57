"""Borrowed passages: found at ingest, kept in the store, shown on pages, in JSON, search and exports.

Runs over the sample archive built by the real pipeline (`sample_data`) and
small archives written here. Expected values are computed with
`shared_passages` over every pair of stored bodies (brute force), never read
from the tables under test.
"""
from __future__ import annotations

import csv
import html
import io
import itertools
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from archive.coverage import borrowed, shared_passages
from archive.coverage import store as coverage_store
from archive.coverage.words import norm_words
from archive.paths import DataDir
from archive.store import Store
from conftest import build_archive
from ingest import cli
from web import create_app

SANA = "the bombing took place on al tharda mountain"
MINISTRY = "the aircraft which carried out the bombings had entered syrian airspace from the territory of iraq"


def words(text: str) -> str:
    return " ".join(norm_words(text))


@pytest.fixture(scope="module")
def articles(sample_data):
    with Store(sample_data.store_path) as store:
        return {a.id: a for a in store.iter_articles()}


@pytest.fixture(scope="module")
def expected(articles):
    """Every pair of sample articles sharing a passage, by brute force over all pairs."""
    out: dict[str, set[str]] = {i: set() for i in articles}
    for a, b in itertools.combinations(articles.values(), 2):
        if shared_passages(a.body, b.body):
            out[a.id].add(b.id)
            out[b.id].add(a.id)
    return out


@pytest.fixture(scope="module")
def client(sample_data):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(sample_data.root)})
    yield app.test_client()
    app.extensions["search"].close()


def repost_and_unattributed(articles):
    repost = next(a for a in articles.values() if a.outlet == "Before It's News")
    other = next(a for a in articles.values() if a.original.lstrip().startswith("Skip to main content"))
    return repost, other


def section(page: str) -> str:
    return page[page.index('class="shares-passages"'):page.index('class="sources-cited"')]


# --- finding -------------------------------------------------------------------------

def test_every_shared_run_of_eight_words_meets_a_common_fingerprint():
    run = "one two three four five six seven eight"
    for offset in range(12):  # the run at every place relative to the windows
        a = " ".join(f"alpha{i}" for i in range(offset)) + f" {run} " + " ".join(f"gamma{i}" for i in range(30))
        b = " ".join(f"beta{i}" for i in range(25)) + f" {run} " + " ".join(f"delta{i}" for i in range(offset))
        assert borrowed.fingerprints(a) & borrowed.fingerprints(b), offset


def test_a_fingerprint_held_by_too_many_articles_is_not_followed():
    crowded = [f"a{i}" for i in range(borrowed.MAX_HOLDERS + 1)]
    holders = {1: list(crowded), 2: ["rare"]}
    ranked, kept = borrowed.follow([1, 2], holders, "new")
    assert ranked == ["rare"]
    assert kept == [2] and holders == {1: crowded, 2: ["rare", "new"]}  # nor kept, nor joined


def test_an_article_joins_the_holders_so_the_next_one_in_its_batch_meets_it():
    holders: dict[int, list[str]] = {}
    assert borrowed.follow([7, 8], holders, "first") == ([], [7, 8])
    assert borrowed.follow([8, 9], holders, "second") == (["first"], [8, 9])
    assert holders == {7: ["first"], 8: ["first", "second"], 9: ["second"]}


def test_the_stored_partners_are_every_pair_that_shares_a_passage(sample_data, articles, expected):
    with Store(sample_data.store_path) as store:
        found = coverage_store.passage_partners(store, list(articles))
    assert {i: found.get(i, set()) for i in articles} == expected
    assert any(expected.values())


def test_the_repost_and_the_unattributed_article_share_the_sana_and_ministry_passages_both_ways(
        sample_data, articles):
    repost, other = repost_and_unattributed(articles)
    with Store(sample_data.store_path) as store:
        [seen_from_repost] = [s for s in coverage_store.shares_of(store, repost) if s.id == other.id]
        [seen_from_other] = [s for s in coverage_store.shares_of(store, other) if s.id == repost.id]
    for mine, theirs, share in ((repost, other, seen_from_repost), (other, repost, seen_from_other)):
        texts = [words(p.text) for p in share.passages]
        assert any(SANA in t for t in texts) and any(MINISTRY in t for t in texts)
        for p in share.passages:
            assert words(mine.body[p.start:p.end]) == words(theirs.body[p.other_start:p.other_end]) == words(p.text)
            assert len(norm_words(p.text)) >= 8
    assert seen_from_repost.words == seen_from_other.words
    assert seen_from_repost.first == seen_from_other.first == coverage_store.UNDATED  # one has no date


# --- the article page, its JSON, search and exports --------------------------------------

def test_the_article_pages_list_each_other_under_shares_passages_with_both_passages(client, articles):
    repost, other = repost_and_unattributed(articles)
    for mine, theirs in ((repost, other), (other, repost)):
        page = client.get(f"/article/{mine.id}").get_data(as_text=True)
        assert "Shares passages with" in page
        part = section(page)
        item = part[part.index(f'data-article="{theirs.id}"'):]
        item = item[:item.index("</ol>")]
        quoted = [words(html.unescape(q)) for q in re.findall(r'<q class="shared-passage">(.*?)</q>', item, re.S)]
        assert any(SANA in q for q in quoted) and any(MINISTRY in q for q in quoted)
        assert (theirs.outlet or "Unknown outlet") in html.unescape(item)
        assert "which came first is unknown" in item
        compare = html.unescape(re.search(r'class="compare-link" href="([^"]+)"', item).group(1))
        assert parse_qs(urlsplit(compare).query)["id"] == [mine.id, theirs.id]
        assert client.get(compare).status_code == 200


def test_which_came_first_follows_the_dates(client, articles):
    repost = next(a for a in articles.values() if a.outlet == "Before It's News")
    later = next(a for a in articles.values() if a.outlet == "RT")
    assert repost.date < later.date
    data = client.get(f"/api/article/{repost.id}").get_json()
    [rt] = [s for s in data["shares"] if s["id"] == later.id]
    assert rt["first"] == "this"
    back = client.get(f"/api/article/{later.id}").get_json()
    assert [s["first"] for s in back["shares"] if s["id"] == repost.id] == ["other"]


def test_an_article_without_shared_passages_says_so(client, articles, expected):
    alone = next(i for i, found in expected.items() if not found)
    page = client.get(f"/article/{alone}").get_data(as_text=True)
    assert "No other article in the archive shares a passage" in section(page)
    assert client.get(f"/api/article/{alone}").get_json()["shares"] == []


def test_the_article_json_lists_the_shares_with_positions_and_links(client, articles, expected):
    for article_id, partners in expected.items():
        data = client.get(f"/api/article/{article_id}").get_json()
        assert {s["id"] for s in data["shares"]} == partners
        for s in data["shares"]:
            other = articles[s["id"]]
            assert s["words"] == sum(p["words"] for p in s["passages"])
            for p in s["passages"]:
                assert articles[article_id].body[p["start"]:p["end"]] == p["text"]
                assert words(other.body[p["other_start"]:p["other_end"]]) == words(p["text"])
            assert s["links"]["compare"].endswith(f"id={article_id}&id={s['id']}")


def test_the_shares_filter_finds_exactly_the_articles_sharing_passages(client, expected):
    for article_id, partners in expected.items():
        found = client.get(f"/api/search?shares={article_id}&per_page=100").get_json()
        assert {h["id"] for h in found["hits"]} == partners
        for hit in found["hits"]:
            assert article_id in hit["shares"]


def test_the_article_page_links_to_the_shares_search(client, articles, expected):
    article_id = next(i for i, found in expected.items() if found)
    part = section(client.get(f"/article/{article_id}").get_data(as_text=True))
    href = html.unescape(re.search(r'<p class="more"><a href="([^"]+)"', part).group(1))
    assert parse_qs(urlsplit(href).query) == {"shares": [article_id]}


def test_exports_carry_the_shares_column(client, expected):
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?per_page=100").get_data(as_text=True))))
    assert {r["id"]: set(filter(None, r["shares"].split("; "))) for r in rows} == expected
    lines = client.get("/export.jsonl").get_data(as_text=True).splitlines()
    import json
    assert {o["id"]: set(o["shares"]) for o in map(json.loads, lines)} == expected


# --- incremental and rebuilt ---------------------------------------------------------------

STATEMENT = ("The ministry said in a statement that the convoy of forty trucks had crossed the border "
             "at dawn on Tuesday without any escort.")


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def partners(data: DataDir) -> dict[str, set[str]]:
    with Store(data.store_path) as store:
        ids = [a.id for a in store.iter_articles()]
        return {i: coverage_store.passage_partners(store, ids).get(i, set()) for i in ids}


def test_an_article_added_later_is_linked_to_the_older_one_both_ways_and_in_the_index(tmp_path):
    data = DataDir(tmp_path / "data")
    write(tmp_path / "one", "old.txt", f"Aid convoy crosses\n\nOfficials in the capital spoke on Monday. {STATEMENT} "
                                       "Nothing more was said about the route.")
    build_archive(data, [tmp_path / "one"], entities=False)
    assert all(not found for found in partners(data).values())
    write(tmp_path / "two", "new.txt", f"Border news\n\nA local paper reported the crossing. {STATEMENT} "
                                       "Residents watched from the road.")
    build_archive(data, [tmp_path / "two"], entities=False)
    found = partners(data)
    old, new = sorted(found, key=lambda i: "convoy" not in i)  # titles make the ids
    assert found == {old: {new}, new: {old}}
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    try:
        hits = app.test_client().get(f"/api/search?shares={new}").get_json()["hits"]
        assert [h["id"] for h in hits] == [old], "the older article's index document was rewritten"
    finally:
        app.extensions["search"].close()


def test_reindex_finds_the_passages_again_when_the_store_has_none(tmp_path):
    data = DataDir(tmp_path / "data")
    write(tmp_path / "in", "a.txt", f"First\n\nSomething happened. {STATEMENT}")
    write(tmp_path / "in", "b.txt", f"Second\n\nSomething else happened. {STATEMENT}")
    build_archive(data, [tmp_path / "in"], entities=False)
    before = partners(data)
    assert all(before.values())
    with Store(data.store_path) as store:  # an archive from before passages were kept
        store.db.execute("DELETE FROM passage_shares")
        store.db.execute("DELETE FROM passage_holders")
        store.db.execute("DELETE FROM passage_articles")
        store.db.execute("DELETE FROM coverage_meta")
        store.db.commit()
    assert all(not found for found in partners(data).values())
    result = CliRunner().invoke(cli, ["reindex", "--data", str(data.root)])
    assert result.exit_code == 0, result.output
    assert partners(data) == before


def test_reextract_finds_the_passages_again_when_the_store_has_none(tmp_path):
    data = DataDir(tmp_path / "data")
    write(tmp_path / "in", "a.txt", f"First\n\nSomething happened. {STATEMENT}")
    write(tmp_path / "in", "b.txt", f"Second\n\nSomething else happened. {STATEMENT}")
    build_archive(data, [tmp_path / "in"])
    before = partners(data)
    with Store(data.store_path) as store:
        store.db.execute("DELETE FROM passage_shares")
        store.db.execute("DELETE FROM coverage_meta")
        store.db.commit()
    result = CliRunner().invoke(cli, ["reextract", "--data", str(data.root)])
    assert result.exit_code == 0, result.output
    assert partners(data) == before and all(before.values())


def old_fingerprint_layout(store: Store) -> None:
    """Make a current archive look like one written by passages version 3: the fingerprints keyed
    by article id text in `passage_fingerprints`, with an index on each column."""
    rows = coverage_store.fingerprint_rows(store)
    store.db.execute("CREATE TABLE passage_fingerprints (fingerprint INTEGER NOT NULL, article_id TEXT NOT NULL)")
    store.db.execute("CREATE INDEX passage_fingerprints_by_value ON passage_fingerprints(fingerprint)")
    store.db.execute("CREATE INDEX passage_fingerprints_by_article ON passage_fingerprints(article_id)")
    store.db.executemany("INSERT INTO passage_fingerprints VALUES (?, ?)", rows)
    store.db.execute("DELETE FROM passage_holders")
    store.db.execute("DELETE FROM passage_articles")
    store.db.execute("UPDATE coverage_meta SET value = '3' WHERE name = 'passages'")
    store.db.commit()


@pytest.mark.parametrize("command", ["add", "reindex"])
def test_an_archive_with_the_old_fingerprint_table_gets_its_fingerprints_back_in_the_new_one(tmp_path, command):
    data = DataDir(tmp_path / "data")
    write(tmp_path / "in", "a.txt", f"First\n\nSomething happened. {STATEMENT}")
    write(tmp_path / "in", "b.txt", f"Second\n\nSomething else happened. {STATEMENT}")
    build_archive(data, [tmp_path / "in"], entities=False)
    before = partners(data)
    with Store(data.store_path) as store:
        old_fingerprint_layout(store)
    if command == "add":  # an add that stores something (one of unchanged files stores nothing)
        write(tmp_path / "more", "c.txt", "Third\n\nA different report about the weather in the hills today.")
        build_archive(data, [tmp_path / "more"], entities=False)
    else:
        result = CliRunner().invoke(cli, ["reindex", "--data", str(data.root)])
        assert result.exit_code == 0, result.output
    with Store(data.store_path) as store:
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master")}
        expected = {(fp, a.id) for a in store.iter_articles() for fp in borrowed.fingerprints(a.body)}
        assert set(coverage_store.fingerprint_rows(store)) == expected
        assert coverage_store.passages_current(store)
    assert not any(name.startswith("passage_fingerprints") for name in tables)
    after = partners(data)
    assert {i: after[i] for i in before} == before and all(before.values())


def test_a_removed_article_leaves_no_passage_behind(tmp_path):
    data = DataDir(tmp_path / "data")
    write(tmp_path / "in", "a.txt", f"First\n\nSomething happened. {STATEMENT}")
    write(tmp_path / "in", "b.txt", f"Second\n\nSomething else happened. {STATEMENT}")
    build_archive(data, [tmp_path / "in"], entities=False)
    (tmp_path / "in" / "b.txt").unlink()
    from archive.pipeline import Ingest, IngestOptions
    from archive.coverage.ingest import CoverageStep
    with Store(data.store_path) as store:
        Ingest(store, IngestOptions(prune=True), coverage=CoverageStep()).run([tmp_path / "in"])
        assert store.db.execute("SELECT COUNT(*) FROM shared_passages").fetchone()[0] == 0
        (remaining,) = [a.id for a in store.iter_articles()]
        ids = {article_id for _, article_id in coverage_store.fingerprint_rows(store)}
        assert ids == {remaining}


# --- who had it first ----------------------------------------------------------------------

def test_the_compare_json_draws_who_had_it_first_from_the_dates_and_shared_words(client, articles, expected):
    repost, other = repost_and_unattributed(articles)
    graph = client.get(f"/api/compare?id={repost.id}&id={other.id}").get_json()["first_graph"]
    reach = {repost.id, other.id}
    while True:  # every article connected to the compared ones by shared passages
        grown = reach | {x for i in reach for x in expected[i]}
        if grown == reach:
            break
        reach = grown
    assert {n["id"] for n in graph["nodes"]} == reach
    assert {n["id"] for n in graph["nodes"] if n["compared"]} == {repost.id, other.id}
    dated = [articles[i] for i in reach if articles[i].date]
    earliest = min(a.date for a in dated)
    assert set(graph["first"]) == {a.id for a in dated if a.date == earliest}
    pairs = {frozenset((a, b)) for a in reach for b in expected[a]}
    assert {frozenset((e["source"], e["target"])) for e in graph["edges"]} == pairs
    for e in graph["edges"]:
        s, t = articles[e["source"]], articles[e["target"]]
        assert e["words"] == sum(p.words for p in shared_passages(s.body, t.body))
        assert e["directed"] == bool(s.date and t.date and s.date != t.date)
        if e["directed"]:
            assert s.date < t.date


def test_the_compare_page_lists_the_first_article_and_what_reused_it(client, articles):
    repost, other = repost_and_unattributed(articles)
    page = client.get(f"/compare?id={repost.id}&id={other.id}").get_data(as_text=True)
    part = page[page.index('class="reuse-graph"'):]
    assert "Who had it first" in part
    first = re.search(r'<li data-article="([^"]+)" data-first="1">(.*?)</li>', part, re.S)
    assert first.group(1) == repost.id and "reused by" in first.group(2)
    assert "order unknown" in first.group(2)  # the undated unattributed article
