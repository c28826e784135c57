"""`index.engine` reads Whoosh 3 posting blocks' ids and weights itself: the same arrays as Whoosh's matchers.

The expected values come from Whoosh's own public matcher API (`id()`,
`weight()`, `next()`), never from the code under test, over postings written
by Whoosh's own postings writer: gaps that need one, two and four bytes,
blocks of 1 to 3 postings (pickled without a MARK) and full ones, weights
all 1 (stored as None), all equal (one float) and varied, compressed or not.
"""
from __future__ import annotations

from io import BytesIO

import numpy as np
import pytest
from whoosh import formats
from whoosh.codec.whoosh3 import W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.filedb.structfile import BufferFile, StructFile

from index import engine


def write_postings(postings: list[tuple[int, float]], compression: int = 3, blocklimit: int = 128):
    """Whoosh's writer's bytes for one term, and a fresh matcher over them (positions format)."""
    fmt = formats.Positions()
    out = BytesIO()
    writer = W3PostingsWriter(StructFile(out), blocklimit, compression=compression, inlinelimit=0)
    info = W3TermInfo()
    writer.start_postings(fmt, info)
    for doc, weight in postings:
        positions = list(range(int(weight)))
        writer.add_posting(doc, weight, fmt.encode(positions), length=max(1, int(weight)))
    info = writer.finish_postings()
    offset, length = info.extent()
    buf = out.getvalue()
    return lambda: W3LeafMatcher(BufferFile(buf), offset, length, fmt)


def whoosh_reads(m) -> tuple[list[int], list[float]]:
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


def check(postings, **kw) -> None:
    matcher = write_postings(postings, **kw)
    ids, weights = whoosh_reads(matcher())
    assert ids == [d for d, _ in postings]  # the fixture is what it means to be
    found = engine._read_blocks(matcher())
    assert found is not None, "read the Whoosh way, not from the blocks"
    assert found[0].dtype == np.int64 and found[1].dtype == np.float32
    assert found[0].tolist() == ids
    assert found[1].tolist() == pytest.approx(weights)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 127, 128, 129, 300])
def test_blocks_of_every_size_and_gaps_of_one_two_and_four_bytes(count):
    docs, doc = [], 0
    for i in range(count):
        doc += (1, 7, 300, 70_000, 200)[i % 5]
        docs.append(doc)
    check([(d, float(1 + i % 4)) for i, d in enumerate(docs)])


def test_dense_postings_every_delta_one_byte():
    check([(d, float(1 + d % 3)) for d in range(1000)])


@pytest.mark.parametrize("weight", [1.0, 2.0])
def test_weights_all_equal_are_one_value_or_none(weight):
    check([(d * 3, weight) for d in range(400)])
    check([(5, weight), (9, weight)])


def test_a_block_with_some_equal_weights_beside_blocks_of_varied_ones():
    postings = [(d, 1.0) for d in range(128)] + [(d, float(1 + d % 2)) for d in range(128, 300)]
    check(postings)


def test_uncompressed_blocks():
    check([(d * 2, float(1 + d % 5)) for d in range(350)], compression=0)


def test_the_first_document_is_far_from_zero():
    check([(d, 1.0 + (d % 2)) for d in range(2_000_000, 2_000_400)])


def test_blocks_in_another_form_are_read_the_whoosh_way(monkeypatch):
    matcher = write_postings([(d * 2, float(1 + d % 5)) for d in range(350)])
    expected = whoosh_reads(matcher())
    monkeypatch.setattr(engine, "_BLOCK_MAGIC", b"Xbad")  # as if the layout had changed
    assert engine._read_blocks(matcher()) is None
    ids, weights = engine._read_matcher(matcher())
    assert ids.tolist() == expected[0]
    assert weights.tolist() == pytest.approx(expected[1])


def write_positions(postings: dict[int, list[int]], compression: int = 3):
    """Whoosh's writer's bytes for one term whose documents hold the given positions, and a fresh matcher."""
    fmt = formats.Positions()
    out = BytesIO()
    writer = W3PostingsWriter(StructFile(out), 128, compression=compression, inlinelimit=0)
    writer.start_postings(fmt, W3TermInfo())
    for doc, positions in postings.items():
        writer.add_posting(doc, float(len(positions)), fmt.encode(positions), length=positions[-1] + 1)
    offset, length = writer.finish_postings().extent()
    buf = out.getvalue()
    return lambda: W3LeafMatcher(BufferFile(buf), offset, length, fmt)


def positions_whoosh_reads(m) -> dict[int, list[int]]:
    out = {}
    while m.is_active():
        out[m.id()] = list(m.value_as("positions"))
        m.next()
    return out


def test_positions_of_wanted_documents_only_from_the_blocks_that_hold_them():
    # four blocks (ids 0..1197); gaps between positions of one, two and four bytes
    postings = {d * 3: sorted({d % 7, 3 + d % 250, 400 + d, 70_000 + d * 2}) for d in range(400)}
    matcher = write_positions(postings)
    fmt = formats.Positions()
    expected = positions_whoosh_reads(matcher())
    wanted = np.zeros(1300, dtype=bool)
    wanted[[3, 6, 600, 1197, 1198]] = True  # 1198 holds no posting; the third block holds nothing wanted
    before = np.concatenate(([0], np.cumsum(wanted, dtype=np.int64)))
    inflated = []
    plain = engine.zlib.decompress
    out: dict[int, list[int]] = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(engine.zlib, "decompress", lambda b: inflated.append(1) or plain(b))
        assert engine.Postings._block_positions(matcher(), fmt, 0, wanted, before, out)
    assert out == {d: expected[d] for d in (3, 6, 600, 1197)}
    assert len(inflated) == 3  # the first, second and last blocks only


def test_phrases_match_the_documents_whoosh_s_phrase_matcher_finds(tmp_path):
    import datetime as dt

    from whoosh import query as wq

    from archive.document import Article
    from archive.store import FileState, Store
    from index.writer import open_current, rebuild
    words = ["bank", "world", "the", "market", "money"]
    rng = np.random.default_rng(7)
    articles = []
    for i in range(300):  # more than one block of postings for the common words
        body = " ".join(rng.choice(words, size=int(rng.integers(1, 40))))
        articles.append(Article(id=f"P{i:03d}", slug=f"P{i:03d}", title="Report", body=body,
                                source_path="/f/p.jsonl", record=i, fmt="jsonl", original="",
                                date=dt.date(2016, 1, 1)))
    with Store(tmp_path / "archive.sqlite3") as store:
        store.store_file(FileState("/f/p.jsonl", 1, 1, "p"), articles)
        rebuild(store, tmp_path / "index")
    ix = open_current(tmp_path / "index")
    try:
        with ix.searcher() as searcher:
            live = np.ones(searcher.reader().doc_count_all(), dtype=bool)
            postings = engine.Postings(searcher, live)
            phrases = [["world", "bank"], ["bank", "bank"], ["the", "money", "market"],
                       ["bank", "the", "bank", "world"], ["market", "world", "market"]]
            for phrase in phrases:
                q = wq.Phrase("body", phrase)
                expected = sorted(searcher.docs_for_query(q))
                assert expected, f"the fixture has no {phrase}"
                candidates = live.copy()
                for word in phrase:
                    candidates &= postings.mask_of(postings.term("body", word).docs)
                assert np.flatnonzero(postings.phrase_mask(q, candidates)).tolist() == expected, phrase
    finally:
        ix.close()


def test_field_lengths_read_as_one_slice_are_whoosh_s_per_document_lengths(tmp_path):
    import datetime as dt

    from archive.document import Article
    from archive.store import FileState, Store
    from index.writer import open_current, rebuild
    from whoosh.util.numeric import byte_to_length, length_to_byte
    # the last articles have no body words: a column may stop at its last non-default value
    articles = [Article(id=f"L{i:02d}", slug=f"L{i:02d}", title=f"Report {'word ' * (i % 4)}",
                        body=("Text " * (i * 7)).strip() if i < 27 else "", source_path="/f/l.jsonl", record=i,
                        fmt="jsonl", original="", date=dt.date(2016, 1, 1 + i)) for i in range(30)]
    with Store(tmp_path / "archive.sqlite3") as store:
        store.store_file(FileState("/f/l.jsonl", 1, 1, "l"), articles)
        rebuild(store, tmp_path / "index")
    ix = open_current(tmp_path / "index")
    try:
        with ix.searcher() as searcher:
            reader = searcher.reader()
            postings = engine.Postings(searcher, np.ones(reader.doc_count_all(), dtype=bool))
            for field in ("title", "body"):
                fast = 0
                for leaf, offset in reader.leaf_readers():
                    n = leaf.doc_count_all()
                    column = engine._length_column(leaf, field)
                    found = engine._length_bytes(column, n)
                    assert found is not None
                    fast += 1
                    expected = [byte_to_length(length_to_byte(leaf.doc_field_length(d, field, 0) or 0))
                                for d in range(n)]
                    assert engine._LENGTH_OF_BYTE[found].tolist() == expected
                lengths, _ = postings.lengths(field)
                assert lengths.tolist() == [
                    byte_to_length(length_to_byte(reader.doc_field_length(d, field, 0) or 0))
                    for d in range(reader.doc_count_all())]
                assert fast
    finally:
        ix.close()


def test_a_field_s_postings_walked_along_the_term_list_are_whoosh_s_for_every_term(tmp_path):
    # three segments (not merged); terms held by one document, by a few, and by hundreds (several
    # blocks); one document deleted
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, KEYWORD, Schema
    ix = whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True, unique=True),
                                                        cites=KEYWORD(commas=True, lowercase=False)))
    rng = np.random.default_rng(3)
    for part in range(3):
        writer = ix.writer()
        for i in range(400):
            names = {f"only-{part}-{i}", "everyone", *(f"some-{k}" for k in rng.choice(30, size=2))}
            if i % 3 == 0:
                names.add("a-third")
            writer.add_document(id=f"{part}-{i}", cites=",".join(sorted(names)))
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", "1-7")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        leaves = [leaf for leaf, _ in searcher.reader().leaf_readers()]
        assert len(leaves) == 3
        for leaf in leaves:
            expected = [(term, list(leaf.postings("cites", term).all_ids())) for term in leaf.lexicon("cites")]
            got = [(term, docs.tolist()) for term, docs in engine.field_postings(leaf, "cites")]
            assert got == expected and len(expected) > 400
            assert any(len(docs) > 128 for _, docs in expected)  # more than one block
            assert list(engine.field_postings(leaf, "no-such-field")) == []
