"""Adding into a loaded story index does not copy what grows with the archive.

Every `add` into an archive loads all stored signatures, then adds the new
articles. The index used to rewrite its whole sorted bucket tables at every
merge (every 2,048 articles) and to double its row arrays at the first add,
each time with the old and the new copy alive together: at 110,000 articles
that was 42 MB of tables and 56 MB of hash values copied during an add of
10,000. A loaded index now has room for an eighth more rows, and rows merged
since the load sit in small tables of their own until they reach an eighth
of the big ones. The candidates are the same either way.
"""
from __future__ import annotations

from archive.coverage import storyindex
from archive.coverage.signatures import signature
from archive.coverage.storyindex import StoryIndex
from test_coverage_storyindex import texts


def signed(n: int) -> list[tuple[str, bytes]]:
    return [(article_id, signature(text).to_bytes()) for article_id, text in texts(n, seed=11)]


def test_an_add_of_a_tenth_into_a_loaded_index_copies_neither_its_rows_nor_its_tables(monkeypatch):
    monkeypatch.setattr(storyindex, "MERGE_EVERY", 8)  # several merges in a small add
    pairs = signed(440)
    stored, new = pairs[:400], pairs[400:]
    index = StoryIndex.from_pairs(stored)
    values, keys, rows, fps = index._values, index._sorted_keys, index._sorted_rows, index._sorted_fps
    for article_id, data in new:
        index.add(article_id, data)
    assert index._values is values  # the room left at load took the new rows
    assert (index._sorted_keys is keys and index._sorted_rows is rows and index._sorted_fps is fps)
    assert len(index._recent.keys) > 0  # merged, into the small tables
    whole = StoryIndex.from_pairs(pairs)
    for article_id, data in pairs[::7] + new:
        assert index.candidates(data, exclude=article_id) == whole.candidates(data, exclude=article_id)


def test_once_the_recent_rows_reach_an_eighth_the_big_tables_take_them(monkeypatch):
    monkeypatch.setattr(storyindex, "MERGE_EVERY", 8)
    pairs = signed(300)
    stored, new = pairs[:200], pairs[200:]
    index = StoryIndex.from_pairs(stored)
    keys = index._sorted_keys
    for article_id, data in new:
        index.add(article_id, data)
    assert index._sorted_keys is not keys  # 100 rows on 200: folded in
    assert len(index._recent.keys) * storyindex.FOLD_RATIO <= len(index._sorted_keys)
    whole = StoryIndex.from_pairs(pairs)
    for article_id, data in pairs[::5]:
        assert index.candidates(data, exclude=article_id) == whole.candidates(data, exclude=article_id)
