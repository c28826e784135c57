"""Marking the query in a whole article body: escaped text, only <mark> as markup."""
from __future__ import annotations

from web.highlight import mark, query_terms


def test_words_are_marked_whatever_their_case_and_ending():
    out = str(mark("Airstrikes hit. The airstrike was a strike.", query_terms("airstrike")))
    assert out == "<mark>Airstrikes</mark> hit. The <mark>airstrike</mark> was a strike."


def test_a_quoted_phrase_is_marked_as_written():
    out = str(mark("near Deir ez-Zor today, and in Deir alone", query_terms('"deir ez-zor"')))
    assert out == "near <mark>Deir ez-Zor</mark> today, and in Deir alone"


def test_negated_words_are_not_marked():
    out = str(mark("the airstrike was a mistake", query_terms("airstrike -mistake")))
    assert out == "the <mark>airstrike</mark> was a mistake"


def test_text_is_escaped_and_marks_are_the_only_markup():
    out = str(mark("<script>alert(1)</script> airstrike & co", query_terms("airstrike")))
    assert out == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>airstrike</mark> &amp; co"


def test_an_empty_query_marks_nothing_and_still_escapes():
    assert str(mark("a <b> c", query_terms(""))) == "a &lt;b&gt; c"


def test_british_spellings_marked_for_an_american_word_start_are_those_the_pairs_list():
    from index.highlight import _british_forms_starting, passages, terms_of
    from index.stems import DIALECT_PAIRS, Inflections
    for prefix in ("cent", "defens", "colo", "organiz", "zz", "", "labor"):
        expected = tuple(sorted(uk for uk, us in DIALECT_PAIRS.items() if us.startswith(prefix)))
        assert _british_forms_starting(prefix) == expected
    assert "centre" in _british_forms_starting("cente")
    marked = passages("The new centre opened.", terms_of(Inflections("body", "center")))
    assert marked == ("The new <mark>centre</mark> opened.",)
