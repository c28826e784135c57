"""The index writer's worker processes do not carry the ingest's memory.

Whoosh's multiprocess writer forked its workers from the ingest process, so
each started with everything the ingest held (240 MB at the first commit of
a 20,000-article add) and kept as its own every page the ingest later
changed. The workers now fork from a fresh server process (`ServedMpWriter`):
a worker's anonymous memory is what it imports and indexes, whatever its
parent holds.
"""
from __future__ import annotations

import pytest
from whoosh.qparser import QueryParser

from archive.document import Article
from archive.store import FileState, Store
from index import writer as index_writer

#: Memory the parent holds (and has written) while the workers start.
BALLAST_MB = 256
DOCS = 240


def anonymous_mb(pid: int) -> float:
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith("Anonymous:"):
                return int(line.split()[1]) / 1024
    raise AssertionError(f"no Anonymous line for {pid}")


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/smaps_rollup"), reason="needs Linux /proc")
def test_writer_workers_start_without_the_parents_memory_and_index_every_document(tmp_path, monkeypatch):
    articles = [Article(id=f"m{i:04d}", slug=f"m{i:04d}", title=f"Harbour story {i}",
                        body=f"The harbour report number {i} from the quay.", source_path="/src/m.jsonl",
                        record=i, fmt="jsonl", original="") for i in range(DOCS)]
    with Store(tmp_path / "s.sqlite3") as store:
        store.store_file(FileState("/src/m.jsonl", 1, 1, "d1"), articles)
        path = index_writer._new_generation(tmp_path / "index")
        ix = index_writer._open_for_writing(path)
        ballast = b"\x01" * (BALLAST_MB << 20)  # written, so resident in the parent
        try:
            writer = index_writer._writer(ix, index_writer.BULK_THRESHOLD)
            assert writer.procs == 2 or (__import__("os").cpu_count() or 1) < 2
            for doc in index_writer._documents(store, articles):
                writer.add_document(**doc)
            assert writer.tasks, "the multiprocess writer started no worker"
            worker_mb = [anonymous_mb(task.pid) for task in writer.tasks]
            writer.commit(mergetype=index_writer.merge_tiers)
        finally:
            ix.close()
        del ballast
        assert all(mb < BALLAST_MB / 2 for mb in worker_mb), (
            f"writer workers hold {worker_mb} MB of anonymous memory: the parent's {BALLAST_MB} MB came along")
        ix = index_writer._open_for_writing(path)
        try:
            with ix.searcher() as searcher:
                assert searcher.doc_count() == DOCS
                hits = searcher.search(QueryParser("body", ix.schema).parse("harbour"), limit=None)
                assert sorted(hit["id"] for hit in hits) == [a.id for a in articles]
        finally:
            ix.close()


def harbour_documents(n: int) -> list[dict]:
    """Whoosh documents of `n` short articles sharing most of their words, as real ones do."""
    words = ["harbour", "quay", "ship", "cargo", "grain", "port", "tide", "crane", "dock", "freight"]
    articles = [Article(id=f"p{i:04d}", slug=f"p{i:04d}", title=f"{words[i % 10]} report {i}",
                        body=" ".join(words[(i + k) % 10] for k in range(40)) + f" number{i}",
                        source_path="/src/p.jsonl", record=i, fmt="jsonl", original="") for i in range(n)]
    return articles


def postings_of(path) -> list:
    ix = index_writer._open_for_writing(path)
    try:
        with ix.reader() as reader:
            return [(field, term, list(reader.postings(field, term).all_items()))
                    for field, term in reader.all_terms()]
    finally:
        ix.close()


@pytest.mark.parametrize("limitmb", [256, 0.05])  # 0.05 MB: the pool spills runs and merges them
def test_the_sharing_pool_writes_the_postings_whooshs_own_pool_writes(tmp_path, limitmb):
    from whoosh.writing import SegmentWriter
    with Store(tmp_path / "s.sqlite3") as store:
        articles = harbour_documents(300)
        store.store_file(FileState("/src/p.jsonl", 1, 1, "d1"), articles)
        docs = list(index_writer._documents(store, articles))
    written = []
    for name, cls in (("whoosh", SegmentWriter), ("sharing", index_writer.CompactSegmentWriter)):
        path = index_writer._new_generation(tmp_path / name)
        ix = index_writer._open_for_writing(path)
        try:
            writer = cls(ix, limitmb=limitmb, _lk=False)
            for doc in docs:
                writer.add_document(**doc)
            if limitmb < 1:
                assert writer.pool.runs, "the small pool never spilled"
            writer.commit()
        finally:
            ix.close()
        written.append(postings_of(path))
    assert written[0] and written[0] == written[1]


def test_the_sharing_pool_holds_postings_in_less_memory_than_whooshs(tmp_path):
    import tracemalloc
    from whoosh.writing import PostingPool
    def held(pool_class) -> int:
        """Bytes the pool keeps alive after taking 100,000 postings made as Whoosh's writer makes
        them: new term bytes and a new float weight each time."""
        tracemalloc.start()
        pool = pool_class(None, None, limitmb=1024)
        for doc in range(2000):
            for t in range(50):
                pool.add(("body", f"term{t}".encode(), doc, float(1 + doc % 3), None))
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(pool.current) == 100_000
        return size

    whoosh_bytes, sharing_bytes = held(PostingPool), held(index_writer.SharingPostingPool)
    # per posting: Whoosh keeps a 5-tuple, its list slot, term bytes (~41 B) and a float (24 B)
    assert sharing_bytes < 0.75 * whoosh_bytes, (whoosh_bytes, sharing_bytes)
