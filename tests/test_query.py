"""Request parameters and query text become a request and a Whoosh query, with no index."""
from __future__ import annotations

import datetime as dt

import pytest
from werkzeug.datastructures import MultiDict
from whoosh import query as wq

from index.model import MAX_PER_PAGE, MAX_QUERY_LENGTH
from index.query import InvalidRequest, compile_query, parse_request
from index.stems import Inflections


def test_repeated_parameters_are_collected_from_a_multidict_and_from_a_plain_dict():
    args = MultiDict([("q", "airstrike"), ("outlet", "RT News"), ("outlet", "sputnik"), ("lang", "EN")])
    from_multidict = parse_request(args)
    from_dict = parse_request({"q": "airstrike", "outlet": ["sputnik", "RT News"], "lang": "EN"})
    assert from_multidict == from_dict
    assert from_dict.outlet == ("rt-news", "sputnik")
    assert from_dict.lang == ("en",)


def test_an_empty_query_without_a_sort_browses_newest_first():
    assert parse_request({}).sort == "newest"
    assert parse_request({"q": "*"}).q == ""
    assert parse_request({"q": "syria"}).sort == "relevance"
    assert parse_request({"q": "", "sort": "oldest"}).sort == "oldest"


def test_partial_dates_mean_the_first_and_last_day_of_their_period():
    req = parse_request({"from": "2016-09", "to": "2016"})
    assert req.date_from == dt.date(2016, 9, 1)
    assert req.date_to == dt.date(2016, 12, 31)
    assert parse_request({"to": "2016-02"}).date_to == dt.date(2016, 2, 29)


@pytest.mark.parametrize("params", [
    {"page": "0"}, {"page": "two"}, {"per_page": "0"}, {"per_page": str(MAX_PER_PAGE + 1)},
    {"from": "2016-13-01"}, {"to": "yesterday"}, {"from": "2016-10-01", "to": "2016-09-01"},
    {"q": "x" * (MAX_QUERY_LENGTH + 1)}, {"sort": "random"}, {"month": "2016-9x"},
])
def test_bad_values_are_rejected_with_a_message_for_the_user(params):
    with pytest.raises(InvalidRequest) as err:
        parse_request(params)
    assert isinstance(err.value, ValueError) and str(err.value)


def test_an_unknown_facet_to_expand_is_ignored():
    assert parse_request({"more": "person"}).more == "person"
    assert parse_request({"more": "colour"}).more is None


def either(stem: str) -> wq.Query:
    """A bare word: any inflection of it (same Porter stem) in the title or the body."""
    return wq.Or([Inflections("title", stem), Inflections("body", stem)])


def phrase(*words: str) -> wq.Query:
    """Words as written, in a row, in the title or the body."""
    return wq.Or([wq.Phrase("title", list(words)), wq.Phrase("body", list(words))])


def test_words_must_all_match_and_are_stemmed():
    assert compile_query("airstrikes Syria").query == wq.And([either("airstrik"), either("syria")])


def test_words_with_digits_match_as_written_and_common_words_are_left_out():
    assert compile_query("62 soldiers of the army").query == wq.And(
        [wq.Or([wq.Term("title", "62"), wq.Term("body", "62")]), either("soldier"), either("armi")])


def test_quoted_phrases_match_the_words_as_written_stopwords_included():
    # (British spellings are analysed as American ones, in the text and the query alike: harbours -> harbors)
    assert compile_query('"the harbours of Odesa"').query == phrase("the", "harbors", "of", "odesa")
    assert compile_query('"Harbours"').query == wq.Or([wq.Term("title", "harbors"), wq.Term("body", "harbors")])


def test_a_phrase_naming_a_known_entity_matches_its_other_spellings_too():
    try:
        from archive.entities import query_variants
    except ImportError:
        pytest.skip("archive.entities is not there yet")
    variants = [v for v in query_variants("Deir ez-Zor") if v.lower() != "deir ez-zor"]
    if not variants:
        pytest.skip("the entity tables know no other spelling")
    q = compile_query('"Deir ez-Zor"').query
    assert isinstance(q, wq.Or) and wq.Phrase("body", ["deir", "ez", "zor"]) in q.subqueries
    assert len(q.subqueries) >= 4


def test_or_not_minus_and_grouping():
    assert compile_query("syria OR russia").query == wq.Or(
        [Inflections("title", "syria"), Inflections("body", "syria"), Inflections("title", "russia"),
         Inflections("body", "russia")])
    assert compile_query("-syria russia").query == wq.And([wq.Not(either("syria")), either("russia")])
    assert compile_query("NOT syria russia").query == compile_query("-syria russia").query
    grouped = compile_query("(syria OR russia) airstrike").query
    assert isinstance(grouped, wq.And) and either("airstrik") in grouped.subqueries


def test_a_hyphen_inside_a_word_is_not_a_minus():
    assert not any(isinstance(q, wq.Not) for q in compile_query("Deir ez-Zor").query.leaves())
    assert "Not" not in repr(compile_query("Deir ez-Zor").query)


@pytest.mark.parametrize("text, expected", [
    ("title:syria", Inflections("title", "syria")),
    ('title:"Syrian army"', wq.Phrase("title", ["syrian", "army"])),
    ('outlet:"RT News"', wq.Term("outlet", "rt-news")),
    ("person:konashenkov", wq.Term("person_name", "konashenkov")),
    ("place:aleppo", wq.Term("place_name", "aleppo")),
    ("org:nato", wq.Term("org_name", "nato")),
    ("lang:EN", wq.Term("lang", "en")),
    ("news_id:423733", wq.Term("news_id", "423733")),
])
def test_field_queries(text, expected):
    assert compile_query(text).query == expected


def test_dates_and_date_ranges_become_numeric_ranges_of_the_same_period():
    month = compile_query("date:2016-09").query
    days = compile_query("date:[2016-09-01 TO 2016-09-30]").query
    assert isinstance(month, wq.NumericRange) and month.fieldname == "date"
    assert (month.start, month.end) == (days.start, days.end)


def test_prefix_and_fuzzy_terms():
    assert compile_query("Deir*").query == wq.Or([wq.Prefix("title", "deir"), wq.Prefix("body", "deir")])
    fuzzy = compile_query("konashenkov~").query
    assert {type(q) for q in fuzzy.subqueries} == {wq.FuzzyTerm}


@pytest.mark.parametrize("text, reason", [
    ('"unclosed phrase', "unclosed quote"), ("(syria russia", "unclosed bracket"),
    ("syria)", "closing bracket"), ("syria AND", "operator"), ("date:[foo TO bar] syria", "could not be read"),
    ("date:2016-13 syria", "could not be read"),
])
def test_syntax_errors_fall_back_to_the_plain_words_with_a_notice(text, reason):
    compiled = compile_query(text)
    assert reason in compiled.notice
    assert either("syria") in compiled.query.subqueries or compiled.query == either("syria") \
        or "unclosed phrase" in text


def test_too_many_clauses_are_cut_down_with_a_notice():
    compiled = compile_query(" ".join(f"word{i}" for i in range(200)))
    assert "too many" in compiled.notice
    assert len(compiled.query.subqueries) <= 40


def test_only_common_words_browse_with_a_notice():
    compiled = compile_query("the of")
    assert compiled.query is None and "common words" in compiled.notice


def test_the_text_fields_are_indexed_once_unstemmed_with_common_words_and_without_accents():
    from index.schema import build_schema, text_analyzer

    assert [t.text for t in text_analyzer()("The Airstrikes near Zürich's café")] == \
        ["the", "airstrikes", "near", "zurich's", "cafe"]
    assert "exact" not in build_schema().names()
