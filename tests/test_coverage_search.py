"""Coverage in search: the "cites" facet and filter, collapsed reposts, exports.

The archive is built through the real pipeline (`conftest.build_archive`)
from the bundled samples plus an exact copy of one sample in another folder
and a lightly edited repost of another under an outlet's folder. Expected
values come from the coverage tables (citations, story links) read with SQL
and `story_groups`, never from the search service itself.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from archive.coverage.groups import DUPLICATE, story_groups
from archive.coverage.store import all_links
from archive.paths import SAMPLES_DIR, DataDir
from archive.store import Store
from conftest import build_archive
from index.model import MISSING
from index.query import parse_request
from index.search import SearchService
from web import create_app

#: An edit a re-publisher might make; the rest of the text is kept.
EDIT = ("the speaker of the People’s Council of Syria said", "the speaker of Syria’s People’s Council said")


def _corpus(root: Path) -> tuple[Path, Path, Path]:
    """Samples, a copy of one, and an edited repost of another; (samples, copy dir, repost dir)."""
    samples, mirror, repost = root / "samples", root / "mirror", root / "Al Masdar News"
    shutil.copytree(SAMPLES_DIR, samples)
    mirror.mkdir()
    repost.mkdir()
    files = sorted(SAMPLES_DIR.glob("*.txt"))
    shutil.copy(files[1], mirror / files[1].name)
    edited = next(f.read_text(encoding="utf-8") for f in files if EDIT[0] in f.read_text(encoding="utf-8"))
    (repost / "repost.txt").write_text(edited.replace(EDIT[0], EDIT[1], 1), encoding="utf-8")
    return samples, mirror, repost


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> DataDir:
    root = tmp_path_factory.mktemp("coverage-search")
    data = DataDir(root / "data")
    report = build_archive(data, [p for p in _corpus(root / "corpus")], entities=True)
    assert not report.failures, report.failures
    return data


@pytest.fixture(scope="module")
def truth(data):
    """What the coverage tables say: citing articles per source, groups, articles."""
    with Store(data.store_path) as store:
        cites: dict[str, set[str]] = {}
        for article_id, slug in store.db.execute("SELECT article_id, source_slug FROM citations"):
            cites.setdefault(slug, set()).add(article_id)
        links = all_links(store)
        articles = {a.id: a for a in store}
    story = {m: g.id for g in story_groups(links) for m in g.members}
    return {"cites": cites, "links": links, "articles": articles,
            "story": {i: story.get(i, i) for i in articles}}


@pytest.fixture(scope="module")
def service(data):
    svc = SearchService(data.index_root)
    yield svc
    svc.close()


def search(service, **params):
    args = MultiDict()
    for key, value in params.items():
        for v in (value if isinstance(value, (list, tuple)) else [value]):
            args.add(key, v)
    return service.search(parse_request(args))


def facet_counts(result, name):
    return {v.value: v.count for v in result.facet(name).values}


def test_the_corpus_holds_one_exact_copy_and_one_repost(truth):
    kinds = Counter(link.kind for link in truth["links"])
    assert kinds[DUPLICATE] == 1 and sum(kinds.values()) == 2


def test_cites_facet_counts_the_citing_articles_of_each_source(service, truth):
    result = search(service, more="cites", per_page=1)
    expected = {slug: len(ids) for slug, ids in truth["cites"].items()}
    assert facet_counts(result, "cites") == expected
    assert result.facet("cites").label == "Cites"
    sana = next(v for v in result.facet("cites").values if v.value == "sana")
    assert sana.label == "SANA"


def test_cites_filter_finds_exactly_the_articles_citing_the_source(service, truth):
    result = search(service, cites="sana", per_page=100)
    assert {h.id for h in result.hits} == truth["cites"]["sana"]
    assert result.total == len(truth["cites"]["sana"])
    assert all("SANA" in h.cites for h in result.hits)


def test_cites_values_are_ored_and_other_facets_anded(service, truth):
    both = search(service, cites=["sana", "sputnik"], per_page=100)
    assert {h.id for h in both.hits} == truth["cites"]["sana"] | truth["cites"]["sputnik"]
    outlet = next(truth["articles"][i].outlet_slug for i in sorted(truth["cites"]["sputnik"]))
    narrowed = search(service, cites=["sana", "sputnik"], outlet=outlet, per_page=100)
    assert {h.id for h in narrowed.hits} == {
        i for i in truth["cites"]["sana"] | truth["cites"]["sputnik"]
        if truth["articles"][i].outlet_slug == outlet}


def test_cites_counts_are_disjunctive(service, truth):
    result = search(service, cites="sana", more="cites")
    # its own selection does not narrow the facet: every source keeps its count
    assert facet_counts(result, "cites") == {slug: len(ids) for slug, ids in truth["cites"].items()}
    outlets = Counter(truth["articles"][i].outlet_slug or MISSING for i in truth["cites"]["sana"])
    assert facet_counts(result, "outlet") == dict(outlets)   # articles with no outlet count as MISSING


def test_collapse_off_counts_every_copy_and_on_counts_each_story_once(service, truth):
    stories = set(truth["story"].values())
    assert search(service).total == len(truth["articles"])
    assert search(service, collapse="1").total == len(stories) < len(truth["articles"])
    collapsed = search(service, collapse="1", per_page=100)
    assert len(collapsed.hits) == len(stories)
    assert len({truth["story"][h.id] for h in collapsed.hits}) == len(stories)


def test_collapsed_hit_lists_the_other_members_of_its_story(service, truth):
    result = search(service, collapse="1", per_page=100)
    groups = {}
    for article_id, story in truth["story"].items():
        groups.setdefault(story, set()).add(article_id)
    for hit in result.hits:
        others = groups[truth["story"][hit.id]] - {hit.id}
        assert hit.more_outlets == len(others)
        assert {m.id for m in hit.members} == others
        for member in hit.members:
            article = truth["articles"][member.id]
            assert (member.outlet, member.date) == (article.outlet, article.date)
    repost = next(h for h in result.hits if any(m.outlet == "Al-Masdar News" or h.outlet == "Al-Masdar News"
                                                for m in h.members))
    assert repost.more_outlets == 1


def test_collapsed_facets_count_each_story_once(service, truth):
    result = search(service, collapse="1", more="cites")
    expected = {slug: len({truth["story"][i] for i in ids}) for slug, ids in truth["cites"].items()}
    assert facet_counts(result, "cites") == expected


def test_collapse_keeps_the_best_ranked_member_of_each_story(service, truth):
    ranked = search(service, q="Deir ez-Zor recording", per_page=100)
    collapsed = search(service, q="Deir ez-Zor recording", collapse="1", per_page=100)
    leaders, seen = [], set()
    for hit in ranked.hits:
        if truth["story"][hit.id] not in seen:
            seen.add(truth["story"][hit.id])
            leaders.append(hit.id)
    assert [h.id for h in collapsed.hits] == leaders


def test_exports_carry_story_group_and_cites(data, truth):
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    try:
        client = app.test_client()
        rows = list(csv.DictReader(io.StringIO(client.get("/export.csv").get_data(as_text=True))))
        lines = [json.loads(line) for line in client.get("/export.jsonl").get_data(as_text=True).splitlines()]
    finally:
        app.extensions["search"].close()
    grouped = {m for link in truth["links"] for m in (link.a, link.b)}
    assert len(rows) == len(lines) == len(truth["articles"])
    names = {}
    with Store(data.store_path) as store:
        for article_id, name in store.db.execute("SELECT DISTINCT article_id, source_name FROM citations"):
            names.setdefault(article_id, set()).add(name)
    for row in rows:
        assert row["story"] == (truth["story"][row["id"]] if row["id"] in grouped else "")
        assert set(filter(None, row["cites"].split("; "))) == names.get(row["id"], set())
    for item in lines:
        assert item["story"] == (truth["story"][item["id"]] if item["id"] in grouped else None)
        assert set(item["cites"]) == names.get(item["id"], set())


def test_a_repost_added_later_regroups_the_article_already_indexed(tmp_path):
    samples, _, repost = _corpus(tmp_path / "corpus")
    data = DataDir(tmp_path / "data")
    assert not build_archive(data, [samples], entities=False).failures
    assert not build_archive(data, [samples, repost], entities=False).failures
    svc = SearchService(data.index_root)
    try:
        result = search(svc, collapse="1", per_page=100)
        with Store(data.store_path) as store:
            groups = story_groups(all_links(store))
            total = store.count()
        assert len(groups) == 1 and groups[0].size == 2
        assert result.total == total - 1
        # the earlier article, not rewritten by the second run, now carries the group id too
        assert {h.story for h in search(svc, per_page=100).hits if h.story} == {groups[0].id}
        assert sum(1 for h in search(svc, per_page=100).hits if h.story) == 2
    finally:
        svc.close()
