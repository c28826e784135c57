"""`index.engine` decodes word positions from the bytes of Whoosh 3 posting blocks: Whoosh's own positions.

Postings are written by Whoosh's own postings writer and the expected
positions read back through Whoosh's public matcher API
(`value_as("positions")`), never through the code under test. The position
lists vary the way the pickled bytes do: gaps of one, two and four bytes and
beyond (BININT1, BININT2, BININT, LONG1), gap bytes of 0x80 and above (two
bytes each in the latin-1 text the values are pickled as), one position
(pickled with APPEND, not APPENDS), long lists, blocks of one to three
postings (TUPLE1-3) and full ones (memo indices past 255), weights all one,
all equal and varied, compressed or not.
"""
from __future__ import annotations

import zlib
from io import BytesIO

import numpy as np
import pytest
from whoosh import formats
from whoosh.codec.whoosh3 import W3LeafMatcher, W3PostingsWriter, W3TermInfo
from whoosh.filedb.structfile import BufferFile, StructFile

from index import engine

FMT = formats.Positions()


def write(postings: dict[int, list[int]], compression: int = 3, values: dict[int, bytes] | None = None):
    """A fresh Whoosh matcher over the bytes Whoosh's writer writes for one term (`values` given as-is)."""
    out = BytesIO()
    writer = W3PostingsWriter(StructFile(out), 128, compression=compression, inlinelimit=0)
    writer.start_postings(FMT, W3TermInfo())
    for doc, positions in postings.items():
        value = values[doc] if values and doc in values else FMT.encode(positions)
        writer.add_posting(doc, float(len(positions)), value, length=positions[-1] + 1)
    offset, length = writer.finish_postings().extent()
    buf = out.getvalue()
    return lambda: W3LeafMatcher(BufferFile(buf), offset, length, FMT)


def whoosh_positions(m) -> dict[int, list[int]]:
    out = {}
    while m.is_active():
        out[m.id()] = list(m.value_as("positions"))
        m.next()
    return out


def decoded(matcher, wanted: np.ndarray, offset: int = 0):
    """`_fast_positions` over all the term's blocks, inflated."""
    blocks = engine._blocks(matcher())
    assert blocks is not None
    inflated = [(zlib.decompress(data) if compression else data, n, last) for n, last, compression, data in blocks]
    return engine._fast_positions(inflated, offset, wanted)


def as_dict(pairs) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for doc, position in zip(pairs[0].tolist(), pairs[1].tolist()):
        out.setdefault(doc, []).append(position)
    return out


def check(postings: dict[int, list[int]], compression: int = 3, seed: int = 0) -> None:
    matcher = write(postings, compression)
    expected = whoosh_positions(matcher())
    assert expected == postings  # the fixture is what it means to be
    size = max(postings) + 2
    rng = np.random.default_rng(seed)
    for wanted in (np.ones(size, dtype=bool), rng.random(size) < 0.3, rng.random(size) < 0.02,
                   np.zeros(size, dtype=bool)):
        found = decoded(matcher, wanted)
        assert found is not None, "read by unpickling, not from the bytes"
        assert found[0].dtype == np.int64 and found[1].dtype == np.int64
        assert as_dict(found) == {d: p for d, p in expected.items() if wanted[d]}


def random_lists(rng, docs: int, longest: int, gap_high: int) -> dict[int, list[int]]:
    out, doc = {}, 0
    for _ in range(docs):
        doc += int(rng.integers(1, 400))
        gaps = rng.integers(1, gap_high, size=int(rng.integers(1, longest + 1)))
        gaps[0] = rng.integers(0, gap_high)
        out[doc] = np.cumsum(gaps).tolist()
    return out


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("gap_high", [40, 256, 300, 70_000, 3_000_000_000])
def test_random_position_lists_of_several_blocks(seed, gap_high):
    rng = np.random.default_rng(seed)
    check(random_lists(rng, int(rng.integers(1, 400)), int(rng.choice([1, 3, 20])), gap_high), seed=seed)


def test_gaps_of_every_byte_value_and_of_two_four_and_more_bytes():
    # every gap byte 0..255 (those from 0x80 are two bytes in the pickled latin-1 text), then the
    # edges of BININT1, BININT2, BININT and LONG1
    edges = [255, 256, 65_535, 65_536, 2**31 - 1, 2**31, 2**40]
    postings = {d: np.cumsum([d % 256, *range(1, 256), *edges]).tolist() for d in range(0, 300, 3)}
    check(postings)


def test_single_positions_and_counts_whose_bytes_are_past_0x7f():
    postings = {d: [d % 300] for d in range(200)}                  # APPEND, every weight 1 (None)
    postings.update({d: list(range(0, 3 * (128 + d), 3)) for d in range(200, 260)})  # counts from 128
    check(postings)
    check({d: [7] for d in range(1, 6)})                            # one block, weights None


def test_long_lists_up_to_the_pickler_s_batch_of_1000():
    postings = {d: list(range(d % 5, d % 5 + 2 * n, 2)) for d, n in enumerate([1, 999, 1000, 2, 500] * 30)}
    check(postings)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 127, 128, 129, 257])
@pytest.mark.parametrize("compression", [0, 3])
def test_blocks_of_every_size_compressed_or_not(count, compression):
    # weights: all equal (one float) for count 1-3, varied otherwise
    postings = {d * 5 + 1: ([d, d + 300] if count <= 3 else list(range(d % 4 + 1))) for d in range(count)}
    check(postings, compression)


def test_documents_numbered_from_a_segment_s_offset():
    postings = {d: [d % 9, 20 + d] for d in range(0, 600, 2)}
    matcher = write(postings)
    wanted = np.zeros(5000, dtype=bool)
    wanted[[1000, 1002, 1598, 1599]] = True
    assert as_dict(decoded(matcher, wanted, offset=1000)) == {1000: postings[0], 1002: postings[2],
                                                              1598: postings[598]}


def test_lists_past_one_pickler_batch_and_values_pickled_once_are_read_the_exact_way():
    # more than 1000 positions: the pickle holds two batches (MARK ... APPENDS, then APPEND)
    long = {d: list(range(d, d + 1001)) for d in range(3)}
    assert decoded(write(long), np.ones(5, dtype=bool)) is None
    # one value object given twice: the block pickles it once and refers to it (BINGET) after
    shared = FMT.encode([4, 9])
    postings = {d: [4, 9] if d in (10, 11) else [d] for d in range(20)}
    matcher = write(postings, values={10: shared, 11: shared})
    assert decoded(matcher, np.ones(21, dtype=bool)) is None
    for case, wanted_docs in ((long, [0, 2]), (postings, [10, 11, 12])):
        m = write(case, values={10: shared, 11: shared} if case is postings else None)
        wanted = np.zeros(25, dtype=bool)
        wanted[wanted_docs] = True
        before = np.concatenate(([0], np.cumsum(wanted, dtype=np.int64)))
        out: dict[int, list[int]] = {}
        assert engine.Postings._block_positions(m(), FMT, 0, wanted, before, out)
        assert out == {d: case[d] for d in wanted_docs}


SOUND = b"\x00\x00\x00\x02\x80\x02]q\x00(M\x03\x01K\x05e."  # positions 259 and 264, as encode writes them


@pytest.mark.parametrize("bad", [
    SOUND[:-1] + b"N.",                                           # something after the list
    SOUND.replace(b"K\x05", b"G@\x14\x00\x00\x00\x00\x00\x00"),   # a float among the gaps
    b"\x00\x00\x00\x03" + SOUND[4:],                             # three positions said, two pickled
    b"\x00\x00\x00\x03\x80\x02]q\x00(K\x03K\x05e.",              # the same, all one-byte gaps
    SOUND[:-1],                                                   # no STOP
])
def test_a_damaged_value_falls_back_instead_of_decoding_wrong_positions(bad):
    postings = {d: [d, d + 300] for d in range(150)}
    wanted = np.ones(151, dtype=bool)
    assert FMT.encode([259, 264]) == SOUND
    assert as_dict(decoded(write(postings, values={40: SOUND}), wanted))[40] == [259, 264]
    assert decoded(write(postings, values={40: bad}), wanted) is None


@pytest.mark.parametrize("docs", [3, 200, 2000])  # blocks under FAST_POSITIONS_BLOCKS are unpickled
def test_a_segment_s_positions_whichever_way_its_blocks_are_read(docs):
    rng = np.random.default_rng(docs)
    postings = random_lists(rng, docs, 12, 700)
    matcher = write(postings)
    size = max(postings) + 1
    for wanted in (np.ones(size, dtype=bool), rng.random(size) < 0.05):
        before = np.concatenate(([0], np.cumsum(wanted, dtype=np.int64)))
        found = engine.Postings._decoded_positions(matcher(), FMT, 0, wanted, before)
        assert as_dict(found) == {d: p for d, p in whoosh_positions(matcher()).items() if wanted[d]}


def test_sorted_keys_intersect_as_sets_do():
    rng = np.random.default_rng(5)
    for _ in range(50):
        a = rng.integers(0, 60, size=int(rng.integers(0, 40)))
        b = rng.integers(0, 60, size=int(rng.integers(0, 40)))
        ua, ub = engine._sorted_unique(a), engine._sorted_unique(b)
        assert ua.tolist() == sorted(set(a.tolist())) and ub.tolist() == sorted(set(b.tolist()))
        assert engine._intersect_sorted(ua, ub).tolist() == sorted(set(a.tolist()) & set(b.tolist()))


@pytest.fixture(scope="module")
def phrase_index(tmp_path_factory):
    """An index of 300 bodies of 3, 40 or 300 words out of six: several blocks for each word."""
    import datetime as dt

    from archive.document import Article
    from archive.store import FileState, Store
    from index.writer import open_current, rebuild
    path = tmp_path_factory.mktemp("phrases")
    rng = np.random.default_rng(11)
    words = ["bank", "world", "the", "market", "money", "cafe"]
    articles = [Article(id=f"Q{i:03d}", slug=f"Q{i:03d}", title="Report",
                        body=" ".join(rng.choice(words, size=int(rng.choice([3, 40, 300])))),
                        source_path="/f/q.jsonl", record=i, fmt="jsonl", original="", date=dt.date(2016, 1, 1))
                for i in range(300)]
    with Store(path / "archive.sqlite3") as store:
        store.store_file(FileState("/f/q.jsonl", 1, 1, "q"), articles)
        rebuild(store, path / "index")
    ix = open_current(path / "index")
    yield ix
    ix.close()


@pytest.mark.parametrize("fast_from", [1, engine.FAST_POSITIONS_BLOCKS])
def test_phrases_match_whoosh_s_phrase_matcher_whichever_way_positions_are_read(phrase_index, monkeypatch,
                                                                               fast_from):
    from whoosh import query as wq
    monkeypatch.setattr(engine, "FAST_POSITIONS_BLOCKS", fast_from)
    decoder, decoded = engine._fast_positions, []
    monkeypatch.setattr(engine, "_fast_positions", lambda *args: decoded.append(decoder(*args)) or decoded[-1])
    with phrase_index.searcher() as searcher:
        live = np.ones(searcher.reader().doc_count_all(), dtype=bool)
        postings = engine.Postings(searcher, live)
        for phrase in (["world", "bank"], ["bank", "bank"], ["the", "money", "market"],
                       ["bank", "the", "bank", "world"], ["cafe", "world"], ["money", "cafe", "money"]):
            q = wq.Phrase("body", phrase)
            expected = sorted(searcher.docs_for_query(q))
            assert expected, f"the fixture has no {phrase}"
            candidates = live.copy()
            for word in phrase:
                candidates &= postings.mask_of(postings.term("body", word).docs)
            assert np.flatnonzero(postings.phrase_mask(q, candidates)).tolist() == expected, phrase
    # the decoder read them all, or the exact path did
    assert (len(decoded) > 0 and all(found is not None for found in decoded)) == (fast_from == 1)


@pytest.mark.parametrize("postings", [
    {d: [d % 7] for d in range(0, 600, 2)},                               # weights all 1: None
    {d: [1, 5] for d in range(300, 900)},                                  # all 2: one float
    {d: list(range(d % 5 + 1)) for d in range(70_000, 70_400)},            # varied: a tuple; BININT first ids
    {d: [d % 3, 900] for d in range(0, 100_000, 97)},                      # gaps of 97: first ids of 1-4 bytes
])
def test_the_blocks_layout_read_at_once_is_the_one_read_block_by_block(postings):
    blocks = engine._blocks(write(postings)())
    inflated = [(zlib.decompress(data), n, last) for n, last, _, data in blocks if n > 3]
    arr = np.frombuffer(b"".join(raw for raw, _, _ in inflated), dtype=np.uint8)
    ends = np.cumsum([len(raw) for raw, _, _ in inflated])
    counts = np.array([n for _, n, _ in inflated])
    last_ids = np.array([last for _, _, last in inflated])
    at_once = engine._full_blocks_layout(arr, ends, counts, last_ids)
    one_by_one = engine._blocks_layout(inflated, last_ids)
    assert at_once is not None and one_by_one is not None
    for a, b in zip(at_once, one_by_one):
        assert a.tolist() == b.tolist()
    assert at_once[4].tolist() == [d for d in postings if d <= last_ids[-1]]  # the ids are the documents


def test_blocks_cut_short_fall_back_instead_of_failing():
    postings = {d: [d % 11, 300 + d] for d in range(0, 1200, 2)}
    blocks = engine._blocks(write(postings)())
    inflated = [(zlib.decompress(data), n, last) for n, last, _, data in blocks]
    wanted = np.ones(1300, dtype=bool)
    assert as_dict(engine._fast_positions(inflated, 0, wanted)) == postings
    raw, n, last = inflated[-1]
    for cut in (1, 7, 40, 300, len(raw) - 1):
        for cut_blocks in (inflated[:-1] + [(raw[:-cut], n, last)], [(raw[:-cut], n, last)] + inflated[:-1]):
            found = engine._fast_positions(cut_blocks, 0, wanted)
            # only the pickle's closing bytes lost: every value is still whole and read right
            assert found is None if cut >= 40 else as_dict(found) == postings


def test_counts_that_disagree_with_their_lists_fall_back_even_when_they_add_up():
    # one value says 3 positions and holds 2, the next says 2 and holds 3: the total agrees
    short = b"\x00\x00\x00\x03\x80\x02]q\x00(M\x03\x01K\x05e."
    long = b"\x00\x00\x00\x02\x80\x02]q\x00(M\x03\x01K\x05K\x01e."
    postings = {d: [d, d + 300] for d in range(150)}
    assert decoded(write(postings, values={40: short, 41: long}), np.ones(151, dtype=bool)) is None
