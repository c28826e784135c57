"""The OpenSearch engine's pure parts, without a cluster: options, mapping, query DSL, search bodies."""
from __future__ import annotations

import datetime as dt

import pytest

from archive.document import Article, Entity
from archive.coverage.store import IndexExtras
from index.engines import EngineConfigError, EngineOptions, WhooshEngine, engine_from_env
from index.opensearch import request as rq
from index.highlight import terms_of
from index.opensearch.hits import _join_phrases, _spans, marked, to_hit
from index.opensearch.mapping import stems
from index.opensearch.mapping import index_body, label_of, source
from index.opensearch.translate import UntranslatableQuery, to_dsl
from index.query import compile_query, parse_request
from index.schema import document_fields


def dsl(text: str) -> dict:
    return to_dsl(compile_query(text).query)


def stem_clause(word: str) -> dict:
    return {"bool": {"should": [{"term": {"title_stems": {"value": word, "boost": 2.5}}},
                                {"term": {"body_stems": {"value": word}}}], "minimum_should_match": 1}}


# -- choosing an engine ----------------------------------------------------------

def test_whoosh_is_the_default_engine(tmp_path):
    engine = engine_from_env(tmp_path / "index", env={})
    assert isinstance(engine, WhooshEngine) and engine.root == tmp_path / "index"
    engine.close()


def test_opensearch_options_come_from_the_environment_and_the_cli_wins():
    env = {"ARCHIVE_ENGINE": "OpenSearch", "ARCHIVE_OPENSEARCH_URLS": "http://a:9200, http://b:9200",
           "ARCHIVE_OPENSEARCH_USER": "reader", "ARCHIVE_OPENSEARCH_PASSWORD": "pw"}
    options = EngineOptions.from_env(env)
    assert options.engine == "opensearch" and options.urls == ("http://a:9200", "http://b:9200")
    assert options.user == "reader" and options.password == "pw" and "pw" not in repr(options)
    assert EngineOptions.from_env(env, engine="whoosh", urls=None).engine == "whoosh"


def test_bad_engine_settings_are_named():
    with pytest.raises(EngineConfigError, match="ARCHIVE_ENGINE"):
        EngineOptions.from_env({"ARCHIVE_ENGINE": "solr"})
    with pytest.raises(EngineConfigError, match="ARCHIVE_OPENSEARCH_URLS"):
        EngineOptions.from_env({"ARCHIVE_ENGINE": "opensearch"})


# -- the mapping ------------------------------------------------------------------

def test_the_analysis_mirrors_the_whoosh_schema():
    body = index_body(shards=3, replicas=1)
    analysis = body["settings"]["analysis"]
    assert analysis["tokenizer"]["archive_words"]["pattern"] == r"(?U)\w+(?:[.'’]\w+)*"
    assert analysis["analyzer"]["archive_text"]["filter"] == ["lowercase", "asciifolding", "archive_dialect"]
    rules = analysis["filter"]["archive_dialect"]["synonyms"]
    assert "defence => defense" in rules and "harbour => harbor" in rules
    assert not any(r.startswith("tyre ") for r in rules)  # pairs Whoosh keeps apart stay apart
    props = body["mappings"]["properties"]
    assert props["body"]["analyzer"] == "archive_text"
    assert props["body_stems"]["analyzer"] == "whitespace"
    assert {props[f]["type"] for f in ("outlet", "person", "org", "place", "cites", "month", "lang")} == {"keyword"}
    assert body["settings"]["index"]["number_of_shards"] == 3


def test_a_document_keeps_what_whoosh_indexes_with_lists_for_slugs():
    article = Article(id="a1", slug="a1", title="T", body="B", source_path="/x", record=None, fmt="txt",
                      original="", outlet="TASS", outlet_slug="tass", date=dt.date(2016, 9, 1), lang="en",
                      entities=(Entity("nato", "NATO", "org", 1, ()), Entity("un", "United Nations", "org", 1, ())))
    doc = source(document_fields(article, IndexExtras(story="a0", cites=(("reuters", "Reuters"),))))
    assert doc["org"] == ["nato", "un"] and doc["cites"] == ["reuters"]
    assert doc["date"] == "2016-09-01" and doc["month"] == "2016-09" and doc["year"] == 2016
    assert doc["story"] == doc["story_key"] == "a0"
    assert doc["title_stems"] == "t" and doc["body_stems"] == "b"
    alone = source(document_fields(article))
    assert alone["story"] == "" and alone["story_key"] == "article:a1"
    assert "person" not in alone


def test_facet_values_carry_their_display_names_as_doc_value_keywords():
    article = Article(id="a1", slug="a1", title="T", body="B", source_path="/x", record=None, fmt="txt",
                      original="", outlet="TASS", outlet_slug="tass", date=dt.date(2016, 9, 1), lang="en",
                      entities=(Entity("nato", "NATO", "org", 1, ()), Entity("un", "United Nations", "org", 1, ())))
    doc = source(document_fields(article, IndexExtras(cites=(("reuters", "Reuters"),))))
    assert doc["outlet_label"] == ["tass\x1fTASS"]
    assert doc["org_label"] == ["nato\x1fNATO", "un\x1fUnited Nations"]
    assert doc["cites_label"] == ["reuters\x1fReuters"] and "person_label" not in doc
    assert label_of(doc["org_label"], "un") == "United Nations" and label_of(doc["org_label"], "u") is None
    mapped = index_body()["mappings"]["properties"]
    assert all(mapped[f"{f}_label"] == {"type": "keyword"} for f in ("outlet", "person", "org", "place", "cites"))


def test_a_facet_value_label_is_read_from_doc_values_not_from_the_stored_document():
    body = rq.search_body(parse_request({"q": "oil"}), compile_query("oil").query)
    label = body["aggs"]["facet_org"]["aggs"]["values"]["aggs"]["label"]["top_hits"]
    assert label == {"size": 1, "_source": False, "stored_fields": "_none_", "docvalue_fields": ["org_label"]}
    assert "label" not in body["aggs"]["facet_lang"]["aggs"]["values"].get("aggs", {})


# -- query translation -------------------------------------------------------------

def test_bare_words_are_stems_on_the_stemmed_copies_with_the_title_boost():
    assert dsl("airstrikes") == stem_clause("airstrik")
    assert dsl("tariff glacier") == {"bool": {"must": [stem_clause("tariff"), stem_clause("glacier")]}}
    assert dsl("harbour") == stem_clause("harbor")  # British spellings are searched as American ones


def test_not_and_or_become_bool_clauses():
    assert dsl("tariff -glacier") == {"bool": {"must": [stem_clause("tariff")],
                                               "must_not": [stem_clause("glacier")]}}
    assert dsl("NOT tariff") == {"bool": {"must_not": [stem_clause("tariff")]}}
    assert dsl("tariff OR glacier")["bool"]["minimum_should_match"] == 1


def test_phrases_are_unstemmed_and_adjacent():
    assert dsl('"on the glacier"') == {"bool": {"should": [
        {"match_phrase": {"title": {"query": "on the glacier", "slop": 0, "boost": 2.5}}},
        {"match_phrase": {"body": {"query": "on the glacier", "slop": 0}}}], "minimum_should_match": 1}}


def test_fields_dates_prefixes_and_fuzzy_terms():
    assert dsl("outlet:TASS") == {"term": {"outlet": {"value": "tass"}}}
    assert dsl("person:konashenkov") == {"term": {"person_name": {"value": "konashenkov"}}}
    assert dsl("date:2016-09") == {"range": {"date": {"gte": "2016-09-01", "lte": "2016-09-30"}}}
    assert dsl("date:[2016-09-17 TO 2016-09-20]") == {"range": {"date": {"gte": "2016-09-17", "lte": "2016-09-20"}}}
    assert dsl("year:2016") == {"term": {"year": {"value": 2016}}}
    prefix = dsl("lightho*")["bool"]["should"][1]
    assert prefix == {"prefix": {"body": {"value": "lightho", "rewrite": "top_terms_50"}}}
    fuzzy = dsl("konashenkow~")["bool"]["should"][1]["fuzzy"]["body"]
    assert fuzzy["value"] == "konashenkow" and fuzzy["fuzziness"] == 1 and fuzzy["max_expansions"] == 50


def test_browse_matches_everything_and_no_query_string_is_ever_used():
    assert to_dsl(None) == {"match_all": {}}
    for text in ['"harbour glacier', "(harbour", "a:b:c", "date:[x TO y]", "harbour AND"]:
        assert "query_string" not in repr(dsl(text))


def test_a_query_part_without_an_equivalent_is_refused_not_dropped():
    from whoosh import query as wq
    with pytest.raises(UntranslatableQuery):
        to_dsl(wq.NestedParent(wq.Term("a", "b"), wq.Term("c", "d")))


# -- search bodies --------------------------------------------------------------------

def test_facet_filters_go_to_the_post_filter_and_each_facet_counts_without_its_own():
    request = parse_request({"q": "harbour", "outlet": ["tass"], "person": ["vladimir-putin"]})
    body = rq.search_body(request, compile_query("harbour").query)
    assert body["post_filter"] == {"bool": {"filter": [{"terms": {"outlet": ["tass"]}},
                                                       {"terms": {"person": ["vladimir-putin"]}}]}}
    assert body["aggs"]["facet_outlet"]["filter"] == {"bool": {"filter": [{"terms": {"person": ["vladimir-putin"]}}]}}
    assert body["aggs"]["facet_person"]["filter"] == {"bool": {"filter": [{"terms": {"outlet": ["tass"]}}]}}
    assert body["aggs"]["facet_lang"]["filter"] == body["post_filter"]
    assert body["aggs"]["facet_outlet"]["aggs"]["selected"]["terms"]["include"] == ["tass"]
    assert body["sort"] == [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]


def test_date_sorts_put_the_undated_last_and_break_ties_by_id():
    body = rq.search_body(parse_request({"sort": "oldest"}), None)
    assert body["sort"] == [{"date": {"order": "asc", "missing": "_last"}}, {"id": {"order": "asc"}}]
    assert body["query"] == {"bool": {"must": [{"match_all": {}}]}}


def test_collapsed_searches_filter_in_the_query_and_group_on_the_story_key():
    request = parse_request({"q": "harbour", "outlet": ["tass"], "collapse": "1"})
    body = rq.search_body(request, compile_query("harbour").query)
    assert "post_filter" not in body and body["collapse"]["field"] == "story_key"
    assert {"terms": {"outlet": ["tass"]}} in body["query"]["bool"]["filter"]
    counts = rq.counts_body(request, compile_query("harbour").query)
    assert counts["aggs"]["results"]["aggs"]["stories"]["cardinality"]["field"] == "story_key"


# -- hits -------------------------------------------------------------------------------

def test_marks_are_read_back_from_encoded_highlights():
    text, spans = _spans("Tags &lt;b&gt; <mark>bold</mark> &amp; more")
    assert text == "Tags <b> bold & more" and text[spans[0][0]:spans[0][1]] == "bold"


def test_marks_spelling_a_phrase_are_joined_and_other_neighbours_not():
    text = "in Deir ez-Zor today, harbour glacier"
    spans = [(3, 7), (8, 10), (11, 14), (22, 29), (30, 37)]
    joined = _join_phrases(text, spans, [("deir", "ez", "zor")])
    assert [text[a:b] for a, b, _ in joined] == ["Deir ez-Zor", "harbour", "glacier"]


def test_a_hit_is_built_from_source_and_highlights_with_everything_escaped():
    raw = {"_id": "x", "_score": 1.5, "_source": {
        "id": "x", "title": "Tags <b>bold</b>", "body": "The lighthouse <script> keeper.",
        "outlet": "tass", "outlet_name": "TASS", "date": "2016-09-01", "org": ["nato"],
        "entity_names": {"nato": "NATO"}, "story": ""},
        "highlight": {"body": ["The <mark>lighthouse</mark> &lt;script&gt; keeper."],
                      "title": ["<mark>Tags</mark> &lt;b&gt;bold&lt;/b&gt;"]}}
    hit = to_hit(raw, terms_of(compile_query("lighthouse tags").query))
    assert hit.title_html == "<mark>Tags</mark> &lt;b&gt;bold&lt;/b&gt;"
    assert hit.snippets == ("The <mark>lighthouse</mark> &lt;script&gt; keeper.",)
    assert hit.date == dt.date(2016, 9, 1) and hit.story is None
    assert [(e.slug, e.name, e.type) for e in hit.entities] == [("nato", "NATO", "org")]
    assert marked("no match here", terms_of(compile_query("lighthouse").query), {}, "body") == []


def test_stems_are_the_whoosh_engines_own():
    from index.stems import stem
    assert stems("Getting planned Airstrikes, defence") == " ".join(
        stem(w) for w in ("getting", "planned", "airstrikes", "defense"))
    assert stems("Getting").split() == ["gett"]  # Whoosh's Porter; Lucene's would say "get"


def test_every_field_of_a_whoosh_document_is_mapped():
    from index.schema import build_schema
    mapped = set(index_body()["mappings"]["properties"])
    assert set(build_schema().names()) <= mapped


def test_shards_and_replicas_of_new_indices_come_from_the_environment():
    env = {"ARCHIVE_ENGINE": "opensearch", "ARCHIVE_OPENSEARCH_URLS": "http://a:9200"}
    assert (EngineOptions.from_env(env).shards, EngineOptions.from_env(env).replicas) == (1, 1)
    options = EngineOptions.from_env({**env, "ARCHIVE_OPENSEARCH_SHARDS": "6", "ARCHIVE_OPENSEARCH_REPLICAS": "0"})
    assert (options.shards, options.replicas) == (6, 0)
    with pytest.raises(EngineConfigError, match="ARCHIVE_OPENSEARCH_SHARDS"):
        EngineOptions.from_env({**env, "ARCHIVE_OPENSEARCH_SHARDS": "0"})


# -- OpenSearch 2 and Elasticsearch 8 ------------------------------------------------

def test_the_point_in_time_endpoints_follow_the_clusters_distribution_and_version():
    from index.opensearch.client import UnsupportedCluster, pit_api
    opensearch = pit_api({"version": {"distribution": "opensearch", "number": "2.19.6"}})
    assert (opensearch.open_path, opensearch.opened_key) == ("/{index}/_search/point_in_time", "pit_id")
    assert opensearch.close_path == "/_search/point_in_time" and opensearch.close_body("p1") == {"pit_id": ["p1"]}
    # Elasticsearch 8's root answer: no distribution field, a build flavor instead
    elastic = pit_api({"version": {"number": "8.15.3", "build_flavor": "default"}, "tagline": "You Know, for Search"})
    assert (elastic.open_path, elastic.opened_key) == ("/{index}/_pit", "id")
    assert elastic.close_path == "/_pit" and elastic.close_body("p1") == {"id": "p1"}
    assert pit_api({"version": {"number": "7.17.0"}}) == elastic
    with pytest.raises(UnsupportedCluster, match=r"OpenSearch 1\.3\.2 .*2\.4 or later"):
        pit_api({"version": {"distribution": "opensearch", "number": "1.3.2"}})
    with pytest.raises(UnsupportedCluster, match=r"Elasticsearch 7\.9\.3"):
        pit_api({"version": {"number": "7.9.3"}})
