"""The Whoosh search service over a small fixture archive, where it goes beyond what both engines share.

The behaviour both engines must agree on (query forms, disjunctive facet
counts, order, paging, highlights, more-like-this) is in
tests/test_engines_behaviour.py, which runs it on Whoosh and on OpenSearch.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_corpus  # noqa: E402

from archive.document import Article  # noqa: E402
from archive.store import FileState, Store  # noqa: E402
from index.query import InvalidRequest, parse_request  # noqa: E402
from index.search import SearchService  # noqa: E402
from index.writer import sync  # noqa: E402

ARTICLES = search_corpus.all_articles()


@pytest.fixture(scope="session")
def archive_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("search-archive")
    search_corpus.build(root)
    return root


@pytest.fixture(scope="session")
def service(archive_root):
    svc = SearchService(archive_root / "index")
    yield svc
    svc.close()


def search(service, **params):
    return service.search(parse_request(params))


def ids(result) -> set[str]:
    return {h.id for h in result.hits}


def all_ids(service, **params) -> list[str]:
    params.setdefault("per_page", "100")
    return [h.id for h in search(service, **params).hits]


def having(word: str) -> set[str]:
    return {a.id for a in ARTICLES if word in search_corpus.words_of(a)}


# -- query forms ---------------------------------------------------------------

def test_words_all_match(service):
    expected = having("harbour") & having("glacier")
    assert set(all_ids(service, q="harbour glacier")) == expected and expected


def test_or_and_not(service):
    assert set(all_ids(service, q="harbour OR glacier")) == having("harbour") | having("glacier")
    assert set(all_ids(service, q="harbour -glacier")) == having("harbour") - having("glacier")
    assert set(all_ids(service, q="harbour NOT glacier")) == having("harbour") - having("glacier")
    assert set(all_ids(service, q="(harbour OR glacier) tariff")) == \
        (having("harbour") | having("glacier")) & having("tariff")


def test_a_phrase_matches_only_the_words_in_that_order(service):
    phrase = {a.id for a in ARTICLES if "harbour and the glacier" in a.body}
    assert set(all_ids(service, q='"harbour and the glacier"')) == phrase
    assert phrase < having("harbour") & having("glacier")


def test_stemming_finds_other_forms_of_a_word(service):
    assert {"sample-004", "sample-002"} <= set(all_ids(service, q="airstrike"))  # "airstrikes" in 004


def test_field_queries_search_one_field(service):
    assert all_ids(service, q="person:konashenkov") == ["sample-002"]
    assert set(all_ids(service, q="outlet:TASS")) == {a.id for a in ARTICLES if a.outlet == "TASS"}
    assert all_ids(service, q="news_id:423733") == ["sample-000"]
    assert set(all_ids(service, q="lang:fr")) == {a.id for a in ARTICLES if a.lang == "fr"}
    assert set(all_ids(service, q="title:bulletin harbour")) == \
        {a.id for a in ARTICLES if "bulletin" in a.title.lower()} & having("harbour")


def test_dates_and_ranges(service):
    september = {a.id for a in ARTICLES if a.date and a.month == "2016-09"}
    assert set(all_ids(service, q="date:2016-09")) == september
    week = {a.id for a in ARTICLES if a.date and dt.date(2016, 9, 17) <= a.date <= dt.date(2016, 9, 20)}
    assert set(all_ids(service, q="date:[2016-09-17 TO 2016-09-20]")) == week


def test_prefix_and_fuzzy(service):
    assert set(all_ids(service, q="lightho*")) == having("lighthouse")
    assert all_ids(service, q="konashenkow~") == ["sample-002"]


def test_a_misspelt_word_with_no_hits_gets_a_suggestion(service):
    result = search(service, q="glaicer")
    assert result.total == 0 and result.suggestion == "glacier"
    assert search(service, q="glacier").suggestion is None


# -- filters and facets -----------------------------------------------------------

def test_facet_labels_are_display_names(service):
    result = search(service)
    labels = {f.name: {v.value: v.label for v in f.values} for f in result.facets}
    assert labels["outlet"]["rt-news"] == "RT News"
    assert labels["person"]["vladimir-putin"] == "Vladimir Putin"
    assert labels["date"]["2016-09"] == "Sep 2016"
    assert labels["lang"]["en"] == "English (en)"


def test_entity_facets_show_the_top_values_and_more_on_request(service):
    short = dataclasses.replace(parse_request({}), facet_limit=2)
    facet = service.search(short).facet("org")
    assert len(facet.values) == 2 and facet.more
    expanded = service.search(dataclasses.replace(short, more="org")).facet("org")
    assert len(expanded.values) == len({e.slug for a in ARTICLES for e in a.entities_of("org")})
    assert not expanded.more


def test_the_date_range_filters_and_the_histogram_switches_to_days_for_short_spans(service):
    result = search(service, **{"from": "2016-09-17", "to": "2016-09-27"})
    in_range = [a for a in ARTICLES if a.date and dt.date(2016, 9, 17) <= a.date <= dt.date(2016, 9, 27)]
    assert result.total == len(in_range)
    assert result.histogram_unit == "day"
    counted = {b.key: b.count for b in result.histogram if b.count}
    assert counted == dict(Counter(a.date.isoformat() for a in in_range))
    assert all(b.selected for b in result.histogram)   # every bar lies inside the chosen range
    wide = search(service)
    assert sum(b.count for b in wide.histogram) == sum(1 for a in ARTICLES if a.date)


# -- highlights ------------------------------------------------------------------------

def test_snippets_mark_the_matched_words_and_phrases_as_written(service):
    hit = next(h for h in search(service, q='"Deir ez-Zor"').hits if h.id == "sample-004")
    assert any("<mark>Deir ez-Zor</mark>" in s for s in hit.snippets)
    assert 1 <= len(hit.snippets) <= 3
    stemmed = next(h for h in search(service, q="airstrike").hits if h.id == "sample-004")
    assert "<mark>airstrikes</mark>" in stemmed.title_html


# -- sorting and paging -------------------------------------------------------------------


# -- service behaviour -----------------------------------------------------------------------


def test_a_missing_index_gives_an_empty_result_with_a_notice(tmp_path):
    svc = SearchService(tmp_path / "index")
    result = svc.search(parse_request({"q": "anything"}))
    assert result.total == 0 and result.notice
    assert svc.generation() is None and svc.stats()["documents"] == 0


def test_an_article_synced_later_is_found_without_a_new_service(tmp_path):
    root = tmp_path / "archive"
    root.mkdir()
    index_root = search_corpus.build(root)
    svc = SearchService(index_root)
    assert search(svc, q="gondola").total == 0
    before = svc.generation()
    article = Article(id="late-1", slug="late-1", title="The gondola returns", body="A gondola story.",
                      source_path="/fixture/late.txt", record=None, fmt="txt", original="",
                      outlet="TASS", outlet_slug="tass", date=dt.date(2016, 12, 1), lang="en")
    with Store(root / "archive.sqlite3") as store:
        store.store_file(FileState("/fixture/late.txt", 1, 1, "late"), [article])
        sync(store, index_root)
    assert svc.generation() != before
    assert [h.id for h in search(svc, q="gondola").hits] == ["late-1"]
    assert svc.stats()["documents"] == len(ARTICLES) + 1
    svc.close()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('abz "()*~:-+[]^AND OR NOT date:2016- person:\\é')), max_size=60)
       | st.text(max_size=40))
def test_no_query_text_makes_the_service_raise(service, text):
    try:
        req = parse_request({"q": text})
    except InvalidRequest:
        return
    result = service.search(req)
    assert result.notice != "The search failed; please try again."
    assert result.total >= len(result.hits)


# -- one unstemmed index, stemmed at query time --------------------------------------------------

def whoosh_ids(archive_root, text: str) -> set[str]:
    """The documents Whoosh itself matches for the compiled query: an independent check."""
    from whoosh import index as windex

    from index.expand import expand
    from index.query import compile_query
    from index.writer import current_dir

    ix = windex.open_dir(str(current_dir(archive_root / "index")))
    with ix.searcher() as searcher:
        q = expand(compile_query(text).query, searcher.reader())
        found = {searcher.stored_fields(d)["id"] for d in searcher.docs_for_query(q)}
    ix.close()
    return found


@pytest.mark.parametrize("text", [
    "harbour glacier", "harbour OR glacier", "harbour -glacier", "(harbour OR glacier) tariff",
    '"harbour and the glacier"', "title:bulletin harbour", "lightho*", "outlet:tass harbour",
    "date:2016-09 harbour", "harbour AND NOT (glacier OR tariff)", "person:putin OR zeppelin",
    "airstrikes syrian", '"on the harbour" OR "on the glacier"', "NOT harbour", "konashenkow~",
])
def test_the_bulk_matcher_finds_what_whoosh_finds(archive_root, text):
    fresh = SearchService(archive_root / "index")
    found = search(fresh, q=text, per_page="100")
    assert found.notice is None
    assert {h.id for h in found.hits} == whoosh_ids(archive_root, text)
    assert found.total == len(whoosh_ids(archive_root, text)) <= 100
    assert fresh._open.matches[text].docs is not None, "matched by the Whoosh fallback"
    fresh.close()


def test_a_bare_word_matches_its_inflections_but_a_quoted_word_only_itself(service):
    assert set(all_ids(service, q="airstrikes")) == set(all_ids(service, q="airstrike"))
    quoted = {a.id for a in ARTICLES if "airstrikes" in search_corpus.words_of(a)}
    assert set(all_ids(service, q='"airstrikes"')) == quoted
    assert quoted < set(all_ids(service, q="airstrikes"))


def test_phrases_keep_common_words_and_match_them_in_order(service):
    expected = {a.id for a in ARTICLES if "on the harbour" in a.body.lower()}
    assert expected and set(all_ids(service, q='"on the harbour"')) == expected
    assert expected < having("harbour")


def test_accents_are_folded_both_in_the_text_and_in_the_query(service):
    assert all_ids(service, q="zurich") == all_ids(service, q="Zürich") == ["accents"]
    hit = search(service, q="erdogan cafe").hits[0]
    assert hit.id == "accents"
    assert "<mark>Erdoğan</mark>" in hit.snippets[0] and "<mark>café</mark>" in hit.snippets[0]
    assert hit.title_html == "<mark>Café</mark> talks in Zürich"


def test_a_word_is_not_suggested_away_when_only_another_form_of_it_is_indexed(service):
    result = search(service, q="glaciers")
    assert result.total == len(having("glacier")) and result.suggestion is None


def test_page_two_and_a_new_filter_reuse_the_matched_and_scored_documents(service):
    first = search(service, q="harbour OR glacier", per_page="5")
    state = service._open
    cached = state.matches["harbour OR glacier"]
    second = search(service, q="harbour OR glacier", per_page="5", page="2")
    narrowed = search(service, q="harbour OR glacier", per_page="5", outlet=["tass"])
    assert state.matches["harbour OR glacier"] is cached
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    assert narrowed.total == len({a.id for a in ARTICLES if a.outlet_slug == "tass"}
                                 & (having("harbour") | having("glacier")))


def test_a_query_on_a_numeric_field_answers_instead_of_failing(service):
    # 'year' is an indexed number, not text: its terms are encoded bytes, and
    # highlighting once tried to read them as UTF-8 words
    in_2016 = {a.id for a in ARTICLES if a.date and a.date.year == 2016}
    assert in_2016 and set(all_ids(service, q="year:2016")) == in_2016
    search(service, q="year:2016 syria")
