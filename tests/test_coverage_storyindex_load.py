"""Loading stored signatures in one numpy pass builds the index adding them one by one builds."""
from __future__ import annotations

import numpy as np

from archive.coverage.signatures import Signature, signature
from archive.coverage.storyindex import StoryIndex
from test_coverage_storyindex import texts

ARRAYS = ("_values", "_alive", "_shingles", "_words", "_fps")


def one_by_one(pairs, errors):
    """What loading did before the bulk pass: each pair added in turn, merged once at the end."""
    index = StoryIndex()
    index._loading = True
    for article_id, data in pairs:
        try:
            index.add(article_id, Signature.from_bytes(data))
        except ValueError as exc:
            errors.append((article_id, str(exc)))
    index._loading = False
    index._merge()
    return index


def assert_same(loaded: StoryIndex, added: StoryIndex) -> None:
    n = added._n
    assert loaded._n == n and loaded._ids == added._ids and loaded._row == added._row
    assert loaded._unbucketed == added._unbucketed
    for name in ARRAYS:
        a, b = getattr(loaded, name), getattr(added, name)
        if name in ("_values", "_alive", "_shingles", "_words", "_fps"):
            a, b = a[:n], b[:n]  # one by one leaves room to grow
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert len(loaded._generations) == len(added._generations)
    for mine, theirs in zip(loaded._generations, added._generations):
        for a, b in zip(mine, theirs):
            assert a.dtype == b.dtype and np.array_equal(a, b)


def stored_pairs():
    return [(article_id, signature(text).to_bytes()) for article_id, text in texts(300)]


def test_a_load_gives_the_index_and_the_candidates_adding_one_by_one_gives():
    pairs = stored_pairs()
    assert any(Signature.from_bytes(d).empty for _, d in pairs)  # an empty text stays out of the buckets
    loaded, added = StoryIndex.from_pairs(pairs), one_by_one(pairs, [])
    assert loaded._n == len(pairs) - 1
    assert_same(loaded, added)
    for article_id, data in pairs[::17]:
        assert loaded.candidates(data, exclude=article_id) == added.candidates(data, exclude=article_id)


def test_unreadable_signatures_are_reported_and_the_rest_load_in_their_order():
    pairs = stored_pairs()
    pairs[3] = (pairs[3][0], pairs[3][1][:40])           # truncated
    pairs[8] = (pairs[8][0], b"\x07" + pairs[8][1][1:])  # another format
    errors, expected = [], []
    loaded = StoryIndex.from_pairs(pairs, errors=errors)
    added = one_by_one(pairs, expected)
    assert [e[0] for e in errors] == [pairs[3][0], pairs[8][0]] and errors == expected
    assert_same(loaded, added)


def test_an_id_given_twice_keeps_its_later_signature_as_adding_does():
    pairs = stored_pairs()
    pairs.append((pairs[0][0], pairs[1][1]))
    loaded = StoryIndex.from_pairs(pairs)
    assert_same(loaded, one_by_one(pairs, []))
    assert loaded.signature(pairs[0][0]) == Signature.from_bytes(pairs[1][1])


def test_adds_after_a_load_merge_into_its_tables():
    pairs = stored_pairs()
    loaded = StoryIndex.from_pairs(pairs[:200])
    added = one_by_one(pairs[:200], [])
    for article_id, data in pairs[200:]:
        loaded.add(article_id, data)
        added.add(article_id, data)
    loaded._merge()
    added._merge()
    assert_same(loaded, added)
