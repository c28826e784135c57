"""Incremental commits merge small segments only (index.writer.merge_tiers); big ones are left alone.

The policy is checked on segment stand-ins (only their document counts
matter), and on a real index: a big segment's file stays the same file
through many small adds while the small segments get merged.
"""
from __future__ import annotations

import pytest
import whoosh.reading

from archive.document import Article
from archive.store import FileState, Store
from index import writer
from index.schema import document_fields


class Segment:
    def __init__(self, name: str, docs: int, deleted: int = 0):
        self.name, self.docs, self.deleted = name, docs, deleted

    def doc_count_all(self) -> int:
        return self.docs

    def doc_count(self) -> int:
        return self.docs - self.deleted


class Recorder:
    """A writer that notes which segments it was asked to merge."""

    storage = schema = None

    def __init__(self):
        self.merged: list[str] = []

    def add_reader(self, reader) -> None:
        self.merged.append(reader.segment.name)


class Reader:
    def __init__(self, storage, schema, segment):
        self.segment = segment

    def close(self) -> None:
        pass


@pytest.fixture
def recorder(monkeypatch):
    monkeypatch.setattr(whoosh.reading, "SegmentReader", Reader)
    return Recorder()


def names(segments):
    return sorted(s.name for s in segments)


def test_eight_small_segments_are_merged_and_the_big_ones_kept(recorder):
    small = [Segment(f"s{i}", 1_000) for i in range(8)]
    big = [Segment("b1", 250_000), Segment("b2", 250_000)]
    kept = writer.merge_tiers(recorder, big + small)
    assert names(kept) == ["b1", "b2"] and sorted(recorder.merged) == names(small)


def test_fewer_than_eight_of_a_tier_are_left_as_they_are(recorder):
    segments = [Segment(f"s{i}", 1_000) for i in range(7)] + [Segment("t", 50)]
    assert names(writer.merge_tiers(recorder, segments)) == names(segments) and recorder.merged == []


def test_big_segments_are_never_merged_however_many_pile_up(recorder):
    big = [Segment(f"b{i}", writer.MERGE_CEILING + i) for i in range(12)]
    assert names(writer.merge_tiers(recorder, big)) == names(big) and recorder.merged == []


def test_a_big_segment_with_deletions_still_counts_as_big(recorder):
    emptied = [Segment(f"e{i}", 60_000, deleted=59_500) for i in range(8)]  # 500 live each
    assert names(writer.merge_tiers(recorder, emptied)) == names(emptied) and recorder.merged == []


def test_one_tier_is_merged_per_commit_smallest_first(recorder):
    tiny = [Segment(f"t{i}", 10) for i in range(8)]
    small = [Segment(f"s{i}", 1_000) for i in range(8)]
    kept = writer.merge_tiers(recorder, small + tiny)
    assert names(kept) == names(small) and sorted(recorder.merged) == names(tiny)


def articles(start: int, n: int):
    return [Article(id=f"m{i:04d}", slug=f"m{i:04d}", title=f"Note {i}", body=f"The harbour note {i}.",
                    source_path=f"/src/{start}.jsonl", record=i, fmt="jsonl", original="")
            for i in range(start, start + n)]


def test_small_adds_into_an_index_leave_its_big_segment_file_alone(tmp_path, monkeypatch):
    monkeypatch.setattr(writer, "MERGE_CEILING", 40)
    root = tmp_path / "index"
    with Store(tmp_path / "archive.sqlite3") as store:
        store.store_file(FileState("/src/0.jsonl", 1, 1, "0"), articles(0, 50))
        writer.sync(store, root)
        [big] = list(writer.current_dir(root).glob("*.seg"))
    for k in range(1, 10):  # nine commits of two articles, as an add's: the small ones merge, the big one never
        with writer._writing(writer.current_dir(root), 0) as w:
            for article in articles(100 * k, 2):
                w.add_document(**document_fields(article))
        assert big.exists(), f"commit {k} rewrote the big segment"
    ix = writer.open_current(root)
    try:
        counts = sorted(leaf.doc_count_all() for leaf, _ in ix.reader().leaf_readers())
    finally:
        ix.close()
    assert counts[-1] == 50 and sum(counts) == 68
    assert len(counts) < 1 + 9  # some of the small ones were merged
