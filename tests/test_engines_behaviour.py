"""One behaviour, two engines: the search semantics on Whoosh and on a real OpenSearch cluster.

Every test here runs against both engines from the same code and the same
expectations, over the same fixture archive (tests/search_corpus.py, with
its coverage computed so that story groups and citations exist). Expected
values come from the fixture articles in plain Python, not from either
engine. Where the engines may differ by design, the test says so and checks
what must agree:

- scores: both rank by BM25 with the title boost, but Whoosh sums BM25F over
  every inflection of a stem while OpenSearch scores one stemmed term, so
  relevance *orders* are compared only where the fixture makes them certain
  (identical twins tie and are ordered by id; title matches come first);
- snippet boundaries: the passages are cut by the same code, but the words
  marked come from each engine's own matching; the tests check which words
  are marked, not the whole passage.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_corpus  # noqa: E402

from archive.store import Store  # noqa: E402
from index.model import SearchRequest  # noqa: E402
from index.query import parse_request  # noqa: E402

ARTICLES = search_corpus.all_articles()
BY_ID = {a.id: a for a in ARTICLES}
TWINS = ["twin-a", "twin-b", "twin-c", "twin-d"]


@pytest.fixture(scope="session")
def behaviour_archive(tmp_path_factory) -> Path:
    """The fixture corpus in a store, with story groups and citations, and its Whoosh index."""
    from archive.coverage.ingest import rebuild_coverage
    from index.writer import rebuild
    root = tmp_path_factory.mktemp("engines-archive")
    search_corpus.build(root)
    with Store(root / "archive.sqlite3") as store:
        rebuild_coverage(store)
        rebuild(store, root / "index")
    return root


@pytest.fixture(scope="session")
def whoosh_engine(behaviour_archive):
    from index.engines import WhooshEngine
    engine = WhooshEngine(behaviour_archive / "index")
    yield engine
    engine.close()


def opensearch_engine_for(cluster, alias: str | None = None, **kwargs):
    from index.engines import EngineOptions
    from index.opensearch import OpenSearchEngine
    options = EngineOptions(engine="opensearch", urls=tuple(cluster.urls),
                            index=alias or f"test-{uuid.uuid4().hex[:10]}")
    kwargs.setdefault("shards", 2)
    kwargs.setdefault("replicas", 1)
    return OpenSearchEngine(options, **kwargs)


@pytest.fixture(scope="session")
def opensearch_engine(opensearch_cluster, behaviour_archive):
    """The same store loaded into a 2-shard index (1 replica) on the 3-node test cluster."""
    engine = opensearch_engine_for(opensearch_cluster)
    with Store(behaviour_archive / "archive.sqlite3") as store:
        assert engine.rebuild(store) == len(ARTICLES)
    yield engine
    engine.close()


@pytest.fixture(params=["whoosh", "opensearch"])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


def search(engine, **params):
    return engine.search(parse_request(params))


def all_ids(engine, **params) -> list[str]:
    params.setdefault("per_page", "100")
    return [h.id for h in search(engine, **params).hits]


@functools.lru_cache(maxsize=None)
def having(word: str) -> frozenset[str]:
    return frozenset(a.id for a in ARTICLES if word in search_corpus.words_of(a))


def marked_words(html: str) -> set[str]:
    return {m.lower() for m in re.findall(r"<mark>(.*?)</mark>", html)}


# -- query forms ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("harbour glacier", having("harbour") & having("glacier")),
    ("harbour OR glacier", having("harbour") | having("glacier")),
    ("harbour -glacier", having("harbour") - having("glacier")),
    ("harbour NOT glacier", having("harbour") - having("glacier")),
    ("(harbour OR glacier) tariff", (having("harbour") | having("glacier")) & having("tariff")),
    ("NOT harbour", {a.id for a in ARTICLES} - having("harbour")),
    ("lightho*", having("lighthouse")),
    ('"harbour and the glacier"', {a.id for a in ARTICLES if "harbour and the glacier" in a.body}),
    ('"on the harbour"', {a.id for a in ARTICLES if "on the harbour" in a.body.lower()}),
    ("outlet:TASS", {a.id for a in ARTICLES if a.outlet == "TASS"}),
    ("lang:fr", {a.id for a in ARTICLES if a.lang == "fr"}),
    ("news_id:423733", {"sample-000"}),
    ("person:konashenkov", {"sample-002"}),
    ("konashenkow~", {"sample-002"}),
    ("title:bulletin harbour", {a.id for a in ARTICLES if "bulletin" in a.title.lower()} & having("harbour")),
    ("date:2016-09", {a.id for a in ARTICLES if a.month == "2016-09"}),
    ("date:[2016-09-17 TO 2016-09-20]",
     {a.id for a in ARTICLES if a.date and dt.date(2016, 9, 17) <= a.date <= dt.date(2016, 9, 20)}),
    ("zurich", {"accents"}),
    ("Zürich", {"accents"}),
    ("erdogan cafe", {"accents"}),
])
def test_each_query_form_finds_the_same_articles(engine, text, expected):
    result = search(engine, q=text, per_page="100")
    assert expected, "the fixture must make this case non-trivial"
    assert {h.id for h in result.hits} == expected
    assert result.total == len(expected) and result.notice is None


def test_stemming_finds_other_forms_but_a_quoted_word_only_itself(engine):
    assert {"sample-004", "sample-002"} <= set(all_ids(engine, q="airstrike"))  # "airstrikes" in 004
    assert set(all_ids(engine, q="airstrikes")) == set(all_ids(engine, q="airstrike"))
    quoted = {a.id for a in ARTICLES if "airstrikes" in search_corpus.words_of(a)}
    assert set(all_ids(engine, q='"airstrikes"')) == quoted < set(all_ids(engine, q="airstrikes"))


@pytest.mark.parametrize("word", ["added", "adding"])
def test_a_bare_word_matches_every_word_with_its_stem_as_the_archive_stems(engine, word):
    """Words where Lucene's Porter stemmer and the archive's disagree ("added": "ad" against "add")."""
    from index.stems import stem
    expected = {a.id for a in ARTICLES if any(stem(w) == stem(word) for w in search_corpus.words_of(a))}
    assert {"sample-000", "sample-001"} <= expected
    assert set(all_ids(engine, q=word)) == expected


def test_british_and_american_spellings_are_one_word(engine):
    assert set(all_ids(engine, q="harbor")) == set(all_ids(engine, q="harbour")) == having("harbour")
    assert set(all_ids(engine, q='"on the harbor"')) == {a.id for a in ARTICLES if "on the harbour" in a.body.lower()}


def test_a_phrase_naming_an_entity_also_finds_its_other_spellings(engine):
    from archive.entities import query_variants
    if "Deir Ezzur" not in query_variants("Deir ez-Zor"):
        pytest.skip("the entity tables do not know this spelling")
    found = set(all_ids(engine, q='"Deir ez-Zor"'))
    assert {a.id for a in ARTICLES if "deir ez-zor" in a.body.lower()} | {"sample-001"} <= found


def test_a_syntax_error_searches_the_words_and_says_so(engine):
    result = search(engine, q='"harbour glacier')
    assert result.notice and "quote" in result.notice
    assert {h.id for h in result.hits} == having("harbour") & having("glacier")


def test_a_misspelt_word_gets_a_suggestion_and_a_known_form_does_not(engine):
    result = search(engine, q="glaicer")
    assert result.total == 0 and result.suggestion == "glacier"
    assert search(engine, q="glacier").suggestion is None
    assert search(engine, q="glaciers").suggestion is None


# -- facets and the timeline --------------------------------------------------------------

def matches(article, **filters) -> bool:
    for name, values in filters.items():
        if name == "outlet" and article.outlet_slug not in values:
            return False
        if name == "lang" and article.lang not in values:
            return False
        if name == "month" and article.month not in values:
            return False
        if name in ("person", "place", "org") and not {e.slug for e in article.entities_of(name)} & set(values):
            return False
    return True


def expected_counts(facet: str, word: str, filters: dict) -> Counter:
    others = {k: v for k, v in filters.items() if k != facet}
    counts: Counter = Counter()
    for a in ARTICLES:
        if a.id in having(word) and matches(a, **others):
            if facet in ("person", "place", "org"):
                counts.update({e.slug for e in a.entities_of(facet)})
            else:
                value = {"outlet": a.outlet_slug, "lang": a.lang, "month": a.month}[facet]
                if value:
                    counts[value] += 1
    return counts


@pytest.mark.parametrize("filters", [
    {},
    {"outlet": ["tass"]},
    {"outlet": ["tass", "reuters"], "person": ["vladimir-putin"]},
    {"person": ["vladimir-putin", "john-kerry"], "lang": ["en"], "place": ["aleppo"]},
    {"month": ["2016-08", "2016-10"], "org": ["nato"]},
])
def test_each_facet_counts_with_every_filter_but_its_own(engine, filters):
    result = search(engine, q="harbour", more="person", **filters)
    for facet_name, field in (("outlet", "outlet"), ("person", "person"), ("place", "place"),
                              ("org", "org"), ("lang", "lang"), ("date", "month")):
        facet = result.facet(facet_name)
        assert {v.value: v.count for v in facet.values if v.count} == dict(expected_counts(field, "harbour", filters))
        assert {v.value for v in facet.values if v.selected} == set(filters.get(field, ()))
    assert result.total == sum(1 for a in ARTICLES if a.id in having("harbour") and matches(a, **filters))


def test_facet_labels_are_display_names_and_more_values_come_on_request(engine):
    result = search(engine)
    labels = {f.name: {v.value: v.label for v in f.values} for f in result.facets}
    assert labels["outlet"]["rt-news"] == "RT News"
    assert labels["person"]["vladimir-putin"] == "Vladimir Putin"
    assert labels["date"]["2016-09"] == "Sep 2016"
    assert labels["lang"]["en"] == "English (en)"
    short = SearchRequest(facet_limit=2, sort="newest")
    facet = engine.search(short).facet("org")
    assert len(facet.values) == 2 and facet.more
    expanded = engine.search(SearchRequest(facet_limit=2, sort="newest", more="org")).facet("org")
    assert len(expanded.values) == len({e.slug for a in ARTICLES for e in a.entities_of("org")})
    assert not expanded.more


def test_excluded_values_and_missing_values_filter_and_are_counted(engine):
    not_tass = search(engine, q="harbour", not_outlet=["tass"], per_page="100")
    assert {h.id for h in not_tass.hits} == {i for i in having("harbour") if BY_ID[i].outlet_slug != "tass"}
    tass = next(v for v in not_tass.facet("outlet").values if v.value == "tass")
    assert tass.excluded and not tass.selected and tass.count == len(
        {i for i in having("harbour") if BY_ID[i].outlet_slug == "tass"})  # its own exclusion left out
    undated = {a.id for a in ARTICLES if not a.date}
    assert set(all_ids(engine, month=["_none"])) == undated
    none = next(v for v in search(engine).facet("date").values if v.missing)
    assert none.value == "_none" and none.count == len(undated) and none.label == "(no date)"
    assert set(all_ids(engine, not_month=["_none"])) == {a.id for a in ARTICLES} - undated


def test_the_expanded_facet_can_be_searched_and_sorted_by_name(engine):
    found = search(engine, more="person", more_q="lav").facet("person")
    assert [v.value for v in found.values] == ["sergey-lavrov"]
    by_name = search(engine, more="outlet", more_sort="name").facet("outlet")
    named = [v.value for v in by_name.values if not v.missing]
    assert named == sorted({a.outlet_slug for a in ARTICLES if a.outlet_slug})


def test_the_date_provenance_facet_counts_stated_and_missing_dates(engine):
    facet = search(engine).facet("date_provenance")
    assert {v.value: v.count for v in facet.values} == {"explicit": sum(1 for a in ARTICLES if a.date),
                                                        "missing": sum(1 for a in ARTICLES if not a.date)}
    assert set(all_ids(engine, date_provenance=["missing"])) == {a.id for a in ARTICLES if not a.date}


def test_the_cites_facet_counts_the_articles_citing_each_source(engine, behaviour_archive):
    from archive.coverage.store import index_extras
    with Store(behaviour_archive / "archive.sqlite3") as store:
        extras = index_extras(store, [a.id for a in ARTICLES])
    expected = Counter(slug for e in extras.values() for slug, _ in e.cites)
    facet = search(engine, more="cites").facet("cites")
    assert {v.value: v.count for v in facet.values} == dict(expected)
    assert {v.value: v.label for v in facet.values}["sana"] == "SANA"
    citing = {aid for aid, e in extras.items() if "sana" in {s for s, _ in e.cites}}
    assert set(all_ids(engine, cites=["sana"])) == citing


def test_a_short_date_range_is_drawn_by_day_with_the_counts_of_each_day(engine):
    result = search(engine, **{"from": "2016-09-17", "to": "2016-09-27"})
    in_range = [a for a in ARTICLES if a.date and dt.date(2016, 9, 17) <= a.date <= dt.date(2016, 9, 27)]
    assert result.total == len(in_range)
    assert result.histogram_unit == "day"
    assert {b.key: b.count for b in result.histogram if b.count} == \
        dict(Counter(a.date.isoformat() for a in in_range))


def test_the_whole_archive_timeline_adds_up_to_the_dated_articles(engine, whoosh_engine):
    result = search(engine)
    assert sum(b.count for b in result.histogram) == sum(1 for a in ARTICLES if a.date)
    reference = search(whoosh_engine)
    assert result.histogram_unit == reference.histogram_unit
    assert [(b.key, b.count) for b in result.histogram] == [(b.key, b.count) for b in reference.histogram]


# -- highlights ---------------------------------------------------------------------------------

def test_the_matched_words_and_phrases_are_marked_as_written(engine):
    hit = next(h for h in search(engine, q='"Deir ez-Zor"').hits if h.id == "sample-004")
    assert any("<mark>Deir ez-Zor</mark>" in s for s in hit.snippets)
    assert 1 <= len(hit.snippets) <= 3
    stemmed = next(h for h in search(engine, q="airstrike").hits if h.id == "sample-004")
    assert "<mark>airstrikes</mark>" in stemmed.title_html
    accents = search(engine, q="erdogan cafe").hits[0]
    assert {"erdoğan", "café"} <= marked_words(accents.snippets[0])
    assert accents.title_html == "<mark>Café</mark> talks in Zürich"


def test_html_in_articles_is_escaped_and_marks_are_the_only_markup(engine):
    hit = search(engine, q="lighthouse keeper").hits[0]
    assert hit.id == "html-escape"
    snippet = hit.snippets[0]
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet and "&amp;" in snippet
    assert marked_words(snippet) == {"lighthouse", "keeper"}
    assert re.sub(r"</?mark>", "", snippet).count("<") == 0
    assert search(engine, q="tags").hits[0].title_html == "<mark>Tags</mark> &lt;b&gt;bold&lt;/b&gt; &amp; more"


def test_browsing_shows_the_opening_of_each_article_unmarked(engine):
    hit = search(engine, q="", per_page="1").hits[0]
    assert hit.snippets and "<mark>" not in hit.snippets[0]


# -- sorting and paging --------------------------------------------------------------------------

def test_newest_and_oldest_order_by_date_then_id_with_undated_last(engine):
    dated = [a for a in ARTICLES if a.date]
    undated = sorted(a.id for a in ARTICLES if not a.date)
    assert all_ids(engine, sort="newest") == \
        [a.id for a in sorted(dated, key=lambda a: (-a.date.toordinal(), a.id))] + undated
    assert all_ids(engine, sort="oldest") == \
        [a.id for a in sorted(dated, key=lambda a: (a.date.toordinal(), a.id))] + undated


def test_relevance_ties_are_broken_by_id_and_pages_do_not_overlap(engine):
    assert [h.id for h in search(engine, q="zeppelin").hits] == TWINS
    pages = [[h.id for h in search(engine, q="zeppelin", per_page="1", page=str(p)).hits] for p in range(1, 5)]
    assert pages == [[t] for t in TWINS]


def test_paging_covers_every_hit_once_and_the_total_is_exact(engine):
    first = search(engine, q="harbour", per_page="7")
    seen = []
    for page in range(1, first.pages + 1):
        seen += [h.id for h in search(engine, q="harbour", per_page="7", page=str(page)).hits]
    assert len(seen) == len(set(seen)) == first.total == len(having("harbour"))
    assert search(engine, q="harbour", page="99").hits == ()


def test_relevance_puts_title_matches_first(engine):
    hits = search(engine, q="harbour", per_page="100").hits
    in_title = [h.id for h in hits if "harbour" in h.title]
    assert in_title and [h.id for h in hits[:len(in_title)]] == in_title


def test_a_snapshot_pages_through_every_hit_in_order(engine):
    request = parse_request({"q": "harbour OR glacier", "sort": "oldest", "per_page": "9"})
    expected = all_ids(engine, q="harbour OR glacier", sort="oldest")
    with engine.snapshot() as pinned:
        seen, page = [], 1
        while True:
            result = pinned.search(SearchRequest(**{**request.__dict__, "page": page, "highlight": False}))
            seen += [h.id for h in result.hits]
            if page >= result.pages:
                break
            page += 1
    assert seen == expected and len(expected) > 9


# -- collapse and related coverage ------------------------------------------------------------------

def test_collapse_shows_a_story_once_with_its_other_members(engine):
    plain = search(engine, q="zeppelin")
    collapsed = search(engine, q="zeppelin", collapse="1")
    assert plain.total == 4 and collapsed.total == 1
    (hit,) = collapsed.hits
    assert hit.id == "twin-a" and hit.more_outlets == 3
    assert [m.id for m in hit.members] == ["twin-b", "twin-c", "twin-d"]
    assert collapsed.facet("outlet").values[0].count == 1  # stories, not copies
    everything = search(engine, collapse="1", per_page="100")
    assert everything.total == len(ARTICLES) - 3 == len(everything.hits)


def test_more_like_this_finds_coverage_of_the_same_story(engine):
    related = engine.more_like_this("sample-003", limit=3)
    assert related and "sample-003" not in {r.id for r in related}
    assert {r.id for r in related} & {"sample-000", "sample-001", "sample-002", "sample-004"}
    assert engine.more_like_this("no-such-article") == []


def test_odd_query_text_never_makes_an_engine_raise(engine):
    for text in ['"', "((", "a:b:c", "date:[x TO y]", "harbour AND", "*", "~", "-", "person:\\é", "-(", "[", "^2",
                 "title:", "AND OR NOT", "lig?thouse", "year:abc"]:
        result = search(engine, q=text)
        assert result.total >= len(result.hits)


@pytest.fixture(params=["whoosh", "opensearch"])
def fresh_engine(request, tmp_path):
    """An engine of each kind over a fresh copy of the archive (with coverage), for tests that write."""
    from archive.coverage.ingest import rebuild_coverage
    from index.engines import WhooshEngine
    search_corpus.build(tmp_path)
    with Store(tmp_path / "archive.sqlite3") as store:
        rebuild_coverage(store)
        if request.param == "whoosh":
            engine = WhooshEngine(tmp_path / "index")
        else:
            engine = opensearch_engine_for(request.getfixturevalue("opensearch_cluster"))
        engine.rebuild(store)
    yield engine, tmp_path
    engine.close()


def test_an_added_copy_joins_its_story_and_renames_it_for_every_member(fresh_engine):
    """The story id is the smallest member id: an earlier-sorting copy regroups the documents already indexed."""
    from archive.coverage.ingest import CoverageStep
    from archive.document import Article
    from archive.store import FileState
    engine, root = fresh_engine
    copy = Article(id="twin-0", slug="twin-0", title="Identical twin report", body="The zeppelin landed at dawn.",
                   source_path="/fixture/late.jsonl", record=1, fmt="jsonl", original="", outlet="RT News",
                   outlet_slug="rt-news", date=dt.date(2016, 8, 9), lang="en")
    with Store(root / "archive.sqlite3") as store:
        store.store_file(FileState(copy.source_path, 1, 1, "late"), [copy])
        CoverageStep().stored(store, [copy], [])
        feed = engine.feed(store)
        feed.stored([copy], [], [])
        assert feed.finish()[0] >= 1
    plain = search(engine, q="zeppelin")
    assert [h.id for h in plain.hits] == ["twin-0", *TWINS]
    assert {h.story for h in plain.hits} == {"twin-0"}
    (story,) = search(engine, q="zeppelin", collapse="1").hits
    assert story.id == "twin-0" and [m.id for m in story.members] == TWINS


@pytest.mark.parametrize("timeline", ["outlets", "shares"])
def test_the_timeline_draws_a_line_per_outlet(engine, whoosh_engine, timeline):
    result = search(engine, q="harbour OR glacier", timeline=timeline)
    matched = having("harbour") | having("glacier")
    top = [v.value for v in result.facet("outlet").values if not v.missing][:4]
    assert [s.key for s in result.series][:len(top)] == top
    for line in result.series:
        assert len(line.values) == len(result.histogram)
        if timeline == "outlets":
            assert sum(line.values) == sum(1 for i in matched if BY_ID[i].outlet_slug == line.key and BY_ID[i].date)
        else:
            assert all(0.0 <= v <= 1.0 for v in line.values) and any(v > 0 for v in line.values)
    reference = search(whoosh_engine, q="harbour OR glacier", timeline=timeline)
    assert [(s.key, s.values) for s in result.series] == [(s.key, s.values) for s in reference.series]


def test_a_span_of_years_is_drawn_by_month_with_empty_months_as_zero(fresh_engine):
    from archive.document import Article
    from archive.store import FileState
    engine, root = fresh_engine
    old = Article(id="old-1", slug="old-1", title="An old harbour story", body="The harbour in winter.",
                  source_path="/fixture/old.jsonl", record=1, fmt="jsonl", original="", outlet="TASS",
                  outlet_slug="tass", date=dt.date(2012, 1, 15), lang="en")
    with Store(root / "archive.sqlite3") as store:
        store.store_file(FileState(old.source_path, 1, 1, "old"), [old])
        engine.sync(store)
    result = search(engine, q="harbour")
    assert result.histogram_unit == "month"
    dated = [BY_ID[i].date for i in having("harbour") if BY_ID[i].date] + [old.date]
    expected = Counter(d.isoformat()[:7] for d in dated)
    assert {b.key: b.count for b in result.histogram if b.count} == dict(expected)
    assert result.histogram[0].key == "2012-01" and result.histogram[-1].key == max(expected)
    assert len(result.histogram) == (int(max(expected)[:4]) - 2012) * 12 + int(max(expected)[5:]) - 1 + 1
