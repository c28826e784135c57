"""Adding into a loaded story index does not copy what grows with the archive.

Every `add` into an archive loads all stored signatures, then adds the new
articles. The index used to rewrite its whole sorted bucket tables at every
merge (every 2,048 articles) and to double its row arrays at the first add,
each time with the old and the new copy alive together: at 110,000 articles
that was 42 MB of tables and 56 MB of hash values copied during an add of
10,000. Now the hash values grow in blocks that are never copied, rows merged
since the load sit in small tables of their own until they reach an eighth
of the newest sorted generation, and a generation that is full is never
rewritten. The candidates are the same either way.
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
    blocks, generation = list(index._blocks), index._generations[-1]
    for article_id, data in new:
        index.add(article_id, data)
    assert len(index._blocks) == len(blocks) and all(a is b for a, b in zip(index._blocks, blocks))  # room took the rows
    assert index._generations == [generation] and index._generations[0] is generation
    assert len(index._recent.keys) > 0  # merged, into the small tables
    whole = StoryIndex.from_pairs(pairs)
    for article_id, data in pairs[::7] + new:
        assert index.candidates(data, exclude=article_id) == whole.candidates(data, exclude=article_id)


def test_once_the_recent_rows_reach_an_eighth_the_big_tables_take_them(monkeypatch):
    monkeypatch.setattr(storyindex, "MERGE_EVERY", 8)
    pairs = signed(300)
    stored, new = pairs[:200], pairs[200:]
    index = StoryIndex.from_pairs(stored)
    keys = index._generations[-1].keys
    for article_id, data in new:
        index.add(article_id, data)
    assert len(index._generations) == 1 and index._generations[0].keys is not keys  # 100 rows on 200: folded in
    assert len(index._recent.keys) * storyindex.FOLD_RATIO <= len(index._generations[0].keys)
    whole = StoryIndex.from_pairs(pairs)
    for article_id, data in pairs[::5]:
        assert index.candidates(data, exclude=article_id) == whole.candidates(data, exclude=article_id)


def test_a_full_generation_is_never_rewritten_and_the_values_grow_in_blocks_never_copied(monkeypatch):
    monkeypatch.setattr(storyindex, "MERGE_EVERY", 8)
    monkeypatch.setattr(storyindex, "VALUE_BLOCK", 16)
    pairs = signed(300)
    bands = StoryIndex().bands
    monkeypatch.setattr(storyindex, "GENERATION_ENTRIES", 40 * bands)  # 40 articles a generation
    index = StoryIndex.from_pairs(pairs[:100])
    assert [len(g.keys) for g in index._generations] == [40 * bands, 40 * bands, 20 * bands]
    first, blocks = index._generations[0], list(index._blocks)
    for article_id, data in pairs[100:]:
        index.add(article_id, data)
    assert index._generations[0] is first  # full at the load: never rewritten
    assert all(len(g.keys) <= 40 * bands for g in index._generations)
    assert all(a is b for a, b in zip(index._blocks, blocks[:-1]))  # the full blocks were not copied
    assert [len(b) for b in index._blocks[:-1]] == [16] * (300 // 16) and len(index._blocks) == -(-300 // 16)
    whole = StoryIndex.from_pairs(pairs)
    for article_id, data in pairs[::3]:
        assert index.candidates(data, exclude=article_id) == whole.candidates(data, exclude=article_id)
        assert index.signature(article_id) == whole.signature(article_id)
