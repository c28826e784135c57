"""Keeping the Whoosh index in step with the store.

The index lives in generation folders (`gen-000001`, ...) under the index
root, and a symlink `current` names the live one. Incremental updates write
into the live generation (Whoosh commits are atomic per TOC). A full rebuild
writes a new generation beside it and swaps the symlink with one rename, so
a reader sees either the old or the new index, never half of one; the
previous generation is kept so that searchers opened on it keep working.
"""
from __future__ import annotations

import atexit
import errno
import gc
import logging
import multiprocessing
import os
import re
import shutil
import time
import warnings
from contextlib import contextmanager
from multiprocessing import spawn
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from whoosh import index as windex
from whoosh.multiproc import MpWriter, SubWriterTask, finish_subsegment
from whoosh.writing import PostingPool, SegmentWriter

from archive.coverage.store import IndexExtras, index_extras, story_members
from archive.document import Article
from archive.orphans import die_with_parent
from archive.store import Store

from . import perdoc
from .errors import IndexUnavailable
from .schema import SCHEMA_VERSION, build_schema, document_fields

perdoc.install()  # missing length columns remembered per segment (writer workers fork with it)

log = logging.getLogger(__name__)

CURRENT = "current"
_GEN = re.compile(r"^gen-(\d{6})$")
#: From this many documents in a writer's first batch, use Whoosh's multiprocess writer. Half
#: of `add`'s batch of 2,000 records: a batch of wire copy with empty records in it (Reuters:
#: 1,843 articles in its first 2,000 records) took the one-process writer at 2,000, and
#: `add` of 4,000 Reuters records ran 17.1 s instead of 14.7 s.
BULK_THRESHOLD = 1000
WRITER_MEMORY_MB = 256
#: Segments of one size tier merged together once there are this many.
MERGE_FACTOR = 8
#: Segments an incremental commit may merge hold fewer documents than this (the two smallest
#: tiers); bigger ones, the bulk of a large archive, are rewritten only by `reindex`.
MERGE_CEILING = MERGE_FACTOR ** 2 * 100

Progress = Callable[[int], None]


class IndexUpdate(NamedTuple):
    indexed: int
    deleted: int


def generation_dirs(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if _GEN.match(p.name) and p.is_dir())


def current_dir(root: Path) -> Path | None:
    """The live generation folder, or None when no index was built yet."""
    link = root / CURRENT
    try:
        target = os.readlink(link)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # not a symlink: no index this code built
            return None
        raise IndexUnavailable(root, exc.strerror or str(exc)) from exc
    path = root / target
    return path if path.is_dir() else None


def generation(root: Path) -> str | None:
    """A token that changes whenever what a reader would see changes.

    Combines the generation folder with Whoosh's own TOC generation, so both
    a swap and an incremental commit are noticed by open searchers.
    """
    path = current_dir(root)
    if path is None:
        return None
    try:
        return f"{path.name}.{windex.TOC._latest_generation(_storage(path), windex._DEF_INDEX_NAME)}"
    except FileNotFoundError:  # the folder vanished between readlink and listing (a swap)
        return None
    except OSError as exc:  # unreadable (permissions, I/O): say so, never "no index yet"
        raise IndexUnavailable(path, exc.strerror or str(exc)) from exc


def open_current(root: Path, retries: int = 5):
    """Open the live index for reading, retrying across a concurrent swap."""
    last_error: Exception | None = None
    for _ in range(retries):
        path = current_dir(root)
        if path is None:
            raise windex.EmptyIndexError(f"no index in {root}; run `ingest.py add` or `reindex`")
        try:
            return windex.open_dir(str(path))
        except (PermissionError, IsADirectoryError, NotADirectoryError) as exc:
            raise IndexUnavailable(path, exc.strerror or str(exc)) from exc
        except (OSError, windex.EmptyIndexError) as exc:  # perhaps a swap under us: look again
            last_error = exc
            time.sleep(0.05)
    reason = (last_error.strerror if isinstance(last_error, OSError) and last_error.strerror
              else str(last_error) or type(last_error).__name__)
    raise IndexUnavailable(path, reason)


def release_quietly(exc: BaseException, ix) -> None:
    """Free what a failed read of a damaged index left open (Whoosh leaves a bad segment's files open)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix.close()
        except Exception:  # closing a damaged index can fail too; its files go with the collection
            pass
        exc.__traceback__ = None
        del exc
        gc.collect()


def _storage(path: Path):
    from whoosh.filedb.filestore import FileStorage
    return FileStorage(str(path))


def _open_for_writing(path: Path):
    """The index at `path` for the writer's own reads, without memory-mapping its files.

    Mapped segment pages count in the ingest's resident memory, which then
    grew with the archive (42 -> 104 MB of mapped pages over 3,200 articles);
    the writer reads few pages, so plain reads cost it nothing measurable.
    """
    from whoosh.filedb.filestore import FileStorage
    return FileStorage(str(path), supports_mmap=False).open_index()


def _new_generation(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    existing = [int(_GEN.match(p.name).group(1)) for p in generation_dirs(root)]
    path = root / f"gen-{(max(existing, default=0) + 1):06d}"
    path.mkdir()
    windex.create_in(str(path), build_schema())
    (path / "SCHEMA_VERSION").write_text(SCHEMA_VERSION)
    return path


def _swap(root: Path, path: Path) -> Path | None:
    """Make `path` the live generation; returns the one it replaced."""
    previous = current_dir(root)
    tmp = root / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(path.name, tmp)
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)
    return previous


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _prune_generations(root: Path, previous: Path | None) -> None:
    """Keep the live generation and the one it replaced; drop the rest.

    Searchers opened just before a swap still read the replaced generation,
    so it stays until the next swap. Any other folder is older still, or the
    leftover of a rebuild that was killed (pruning runs under the write lock,
    so no rebuild is running), and goes.
    """
    live = current_dir(root)
    if live is None:
        return
    keep = {live, previous}
    for path in generation_dirs(root):
        if path not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for stale in root.glob(f".{CURRENT}.*"):
        stale.unlink(missing_ok=True)


def needs_rebuild(root: Path) -> bool:
    path = current_dir(root)
    if path is None:
        return True
    marker = path / "SCHEMA_VERSION"
    return not marker.exists() or marker.read_text().strip() != SCHEMA_VERSION


def merge_tiers(writer, segments):
    """Whoosh merge policy: merge small segments of one size tier once `MERGE_FACTOR` of them pile up.

    A tier is a power of `MERGE_FACTOR` in documents (from 100), so each
    document is rewritten about once per tier, and a commit merges at most
    one tier. Segments of `MERGE_CEILING` documents or more (deleted ones
    counted: they are read too) are never merged here, so an add into a
    large archive writes its own documents and at most a few small
    segments, never the big ones: those are rewritten only by `reindex`,
    which builds a whole new generation. Whoosh-Reloaded's MERGE_SMALL kept
    merging everything: 16 commits of 250 documents left 2 segments, with
    22% of the run's time spent merging.
    """
    from whoosh.reading import SegmentReader

    tiers: dict[int, list] = {}
    for segment in segments:
        if segment.doc_count_all() >= MERGE_CEILING:
            continue
        count = max(segment.doc_count(), 1)
        tier = 0
        while count >= MERGE_FACTOR ** (tier + 1) * 100:
            tier += 1
        tiers.setdefault(tier, []).append(segment)
    merged = set()
    for tier in sorted(tiers):
        if len(tiers[tier]) >= MERGE_FACTOR:
            for segment in tiers[tier]:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
                merged.add(id(segment))
            break  # one tier per commit: the merge's own segment may join the next tier later
    return [s for s in segments if id(s) not in merged]


def _writer(ix, size: int):
    """A Whoosh writer; multiprocess (`ServedMpWriter`) for big batches.

    Whoosh's own index lock is not taken (`_lk=False`): the archive's write
    lock already keeps writers apart, and a lock file inherited by forked
    workers would outlive a killed ingest and block the next one.
    """
    if size >= BULK_THRESHOLD and (os.cpu_count() or 1) > 1:
        return ServedMpWriter(ix, procs=min(2, os.cpu_count() or 1), limitmb=WRITER_MEMORY_MB,
                               multisegment=True, subargs={"limitmb": WRITER_MEMORY_MB}, _lk=False)
    return CompactSegmentWriter(ix, limitmb=WRITER_MEMORY_MB, _lk=False)


class SharingPostingPool(PostingPool):
    """Whoosh's posting pool, holding one copy of each term's bytes and of each weight.

    Every posting is a tuple (field, term bytes, document, weight, value
    bytes), and Whoosh made new term bytes and a new float for each: 194
    bytes of Python objects per posting (690,054 postings of 3,000 scale
    articles: 134 MB traced). Postings of one term, and most weights, are
    equal, so sharing them leaves 139 bytes per posting (96 MB) for no
    measurable CPU. The pool still spills by Whoosh's own size estimate,
    so it writes the same runs at the same moments, in less memory.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._terms: dict[bytes, bytes] = {}
        self._weights: dict[float, float] = {}

    def add(self, item):
        """`PostingPool.add` (the same size estimate, inlined: this runs once per posting)."""
        fieldname, tbytes, docnum, weight, vbytes = item
        tbytes = self._terms.setdefault(tbytes, tbytes)
        if type(weight) is float:  # (an int weight stays an int)
            weight = self._weights.setdefault(weight, weight)
        self.fieldnames.add(fieldname)
        self.currentsize += 150 + len(fieldname) + 2 * len(tbytes) + (len(vbytes) if vbytes else 0)
        if self.currentsize > self.limit:
            self.save()
        self.current.append((fieldname, tbytes, docnum, weight, vbytes))

    def save(self):
        super().save()
        self._terms, self._weights = {}, {}  # the spilled run's copies need not stay alive


class CompactSegmentWriter(SegmentWriter):
    """Whoosh's one-process segment writer, pooling postings in a `SharingPostingPool`."""

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = SharingPostingPool(self._tempstorage, self.newsegment, limitmb=limitmb)


#: Writer workers are forked from a server process started fresh (not forked from the ingest)
#: that has imported this module once: each worker starts without the ingest's memory and
#: without importing its modules again (0.7 s of CPU per spawned worker).
_WORKER_SERVER = multiprocessing.get_context("forkserver")
_WORKER_SERVER.set_forkserver_preload([__name__])


class ServedWriterTask(SubWriterTask):
    """A Whoosh writer worker forked from a fresh server process (`_WORKER_SERVER`), not from the ingest.

    A forked worker starts with the whole ingest process as shared pages: at
    the first commit of a 20,000-article add that was 240 MB, and each page
    the ingest then writes (its heap churns with every batch) becomes the
    worker's own copy, so each worker's PSS carried a growing share of the
    ingest on top of its posting pool. This one holds only the server's
    imports (the schema's modules, shared with the server) and its pool.
    """

    @staticmethod
    def _Popen(process_obj):
        """Start the worker without the parent's main module.

        multiprocessing runs the parent's `__main__` script again in the
        child (as `__mp_main__`): 0.2 s of imports for `ingest.py`, and a
        script without a `__name__ == "__main__"` guard would start again
        and fail. The worker needs only this module, which its class names.
        """
        prepared = spawn.get_preparation_data

        def without_main(name):
            data = prepared(name)
            data.pop("init_main_from_path", None)
            data.pop("init_main_from_name", None)
            return data

        spawn.get_preparation_data = without_main
        try:
            return _WORKER_SERVER.Process._Popen(process_obj)
        finally:
            spawn.get_preparation_data = prepared

    def run(self):
        """Whoosh's worker loop (`SubWriterTask.run`), writing with a `CompactSegmentWriter`."""
        _leave_the_server_to_the_ingest()
        die_with_parent()  # its parent is the server, which now exits with the ingest
        parent = multiprocessing.parent_process()
        if parent is not None and not parent.is_alive():
            return  # the ingest died before we asked: no work will ever come
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = CompactSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            jobinfo = self.jobqueue.get()
            if jobinfo is None:
                break
            self._process_file(*jobinfo)
        if not self.running:
            writer.cancel()
            return
        if self.multisegment:
            result = (None, writer.pool.fieldnames, writer._finalize_segment())
        else:
            result = finish_subsegment(writer, self.kwargs.get("k", 64))
        self.resultqueue.put(result, timeout=5)


def _leave_the_server_to_the_ingest() -> None:
    """Close this worker's copy of the pipe by which the fork server sees the ingest alive.

    multiprocessing hands each child of the server the write end of that
    pipe (so that the child could use the server too), and the server exits
    only once every write end is closed: the workers of a killed ingest kept
    their server, and so themselves, alive. A writer worker starts no
    process, so it needs no server.
    """
    from multiprocessing import forkserver
    server = forkserver._forkserver
    fd, server._forkserver_alive_fd = server._forkserver_alive_fd, None
    if fd is not None:
        try:
            os.close(fd)
        except OSError:
            pass


_SERVER_STOPPED_AT_EXIT = False


def _stop_server_at_exit() -> None:
    """Wait for the worker server when this process exits, so that the CPU time of the server and
    of the workers it reaped counts in this process's children (getrusage, `time`), as forked
    workers' did."""
    global _SERVER_STOPPED_AT_EXIT
    if _SERVER_STOPPED_AT_EXIT:
        return
    _SERVER_STOPPED_AT_EXIT = True

    def stop() -> None:
        from multiprocessing import forkserver
        try:
            forkserver._forkserver._stop()
        except (AttributeError, OSError, ChildProcessError):
            pass

    atexit.register(stop)


class ServedMpWriter(MpWriter):
    """Whoosh's multiprocess writer with `ServedWriterTask` workers (and queues they can share)."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        _stop_server_at_exit()
        self.jobqueue = _WORKER_SERVER.Queue(self.procs * 4)
        self.resultqueue = _WORKER_SERVER.Queue()

    def _new_task(self):
        task = ServedWriterTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                                 self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task




def _batches(store: Store, ids: list[str], size: int = 1000) -> Iterator[Article]:
    for i in range(0, len(ids), size):
        chunk = ids[i:i + size]
        found = store.get_many(chunk)
        for aid in chunk:
            if aid in found:
                yield found[aid]


def _documents(store: Store, articles: Iterable[Article], size: int = 500,
               written: dict[str, IndexExtras] | None = None) -> Iterator[dict]:
    """Whoosh documents for `articles`, their coverage extras read one query per batch.

    When `written` is given, the extras each document was written with are
    recorded there (see `_stale`).
    """
    chunk: list[Article] = []

    def flush() -> Iterator[dict]:
        extras = index_extras(store, [a.id for a in chunk])
        for article in chunk:
            if written is not None:
                written[article.id] = extras[article.id]
            yield document_fields(article, extras[article.id])

    for article in articles:
        chunk.append(article)
        if len(chunk) >= size:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def _stale(store: Store, written: dict[str, IndexExtras]) -> list[str]:
    """Articles whose story group changed after (or outside) what this run wrote.

    Linking a new article can merge groups, so a story id or copy flag
    written earlier in the run, or held by an article this run did not
    write, can be out of date; those documents are rewritten.
    """
    if not written:
        return []
    members = story_members(store, list(written))
    current = index_extras(store, sorted(members))
    return sorted(i for i in members if i not in written or written[i] != current[i])


@contextmanager
def _writing(path: Path, size: int):
    """A writer on the index at `path`: committed if the block ends well, else cancelled."""
    ix = _open_for_writing(path)
    try:
        writer = _writer(ix, size)
        try:
            yield writer
            writer.commit(mergetype=merge_tiers)
        except OSError as exc:
            _cancel(writer)
            if exc.filename:
                raise
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        except BaseException:
            _cancel(writer)
            raise
    finally:
        ix.close()


def _cancel(writer) -> None:
    """Cancel a writer whose work failed; a cancel that fails too (disk full) must not hide why."""
    try:
        writer.cancel()
    except Exception as exc:
        log.warning("cancelling the index writer failed as well: %s", exc)


def _rewrite(store: Store, path: Path, ids: Iterable[str]) -> None:
    """Make the committed index at `path` hold the store's current copy of each of `ids`.

    Every document of an id is replaced by one written from the store, and an
    id the store no longer holds is deleted: whatever a run wrote twice,
    wrote from an old copy, or wrote and then saw removed ends up as the
    store says.
    """
    ids = sorted(set(ids))
    if not ids:
        return
    with _writing(path, 0) as writer:
        found: set[str] = set()
        for doc in _documents(store, _batches(store, ids)):
            writer.update_document(**doc)
            found.add(doc["id"])
        for aid in ids:
            if aid not in found:
                writer.delete_by_term("id", aid)


def _stories_of(path: Path, ids: Iterable[str]) -> set[str]:
    """The story group values the committed index at `path` holds for `ids`."""
    ids = set(ids)
    if not ids:
        return set()
    ix = _open_for_writing(path)
    try:
        with ix.searcher() as searcher:
            out = set()
            for aid in ids:
                for fields in searcher.documents(id=aid):
                    if fields.get("story"):
                        out.add(fields["story"])
            return out
    finally:
        ix.close()


def _story_holders(path: Path, stories: Iterable[str]) -> set[str]:
    """Ids of the documents in the committed index at `path` that carry one of `stories`."""
    stories = set(stories)
    if not stories:
        return set()
    ix = _open_for_writing(path)
    try:
        with ix.searcher() as searcher:
            return {fields["id"] for story in stories for fields in searcher.documents(story=story)}
    finally:
        ix.close()


def sync(store: Store, root: Path, progress: Progress | None = None) -> IndexUpdate:
    """Bring the live index up to date with the store's pending changes.

    Builds the index from scratch when there is none (or its schema is out of
    date). Only rows the store flags as changed are written, so a run that
    changed nothing touches nothing: an ingest run's feed, fed nothing new.
    """
    return IndexFeed(store, root, progress).finish()


class IndexFeed:
    """The index side of one ingest run, fed batch by batch and committed every few batches.

    After each stored batch the run calls `commit`: every row the store
    flags as not indexed (this batch's, and any a killed run left behind)
    and every pending deletion goes to one Whoosh writer held open across
    batches, whose worker processes index while the run reads and extracts
    the next batch. The writer commits after `COMMIT_BATCHES` batches or
    `COMMIT_SECONDS` (and at the end), and only
    then are the store's flags cleared: memory holds one batch plus
    Whoosh's pools (`WRITER_MEMORY_MB` per worker), and a crash leaves the
    store flagging exactly the work to redo.

    Whoosh's `update_document` and `delete_by_term` only reach *committed*
    documents, so an id already in the open writer that comes again (an
    update or a removal) first commits the writer. After each commit the
    documents whose story group the committed batches may have split or
    merged are rewritten from the store (`_rewrite`).

    When there is no index yet (or its schema is out of date) the first
    commit builds a whole new generation from the store and swaps it in;
    later ones update it in place, merging only small segments
    (`merge_tiers`), so an add into a big archive leaves its big segments
    alone; optimising is left to `reindex`.
    """

    #: Batches an open writer takes before it commits (20,000 articles at the default batch size):
    #: Whoosh's cost per segment grows with its distinct terms, so bigger segments index faster.
    COMMIT_BATCHES = 10
    #: Seconds after which an open writer commits anyway, so new articles become searchable.
    COMMIT_SECONDS = 120.0

    def __init__(self, store: Store, root: Path, progress: Progress | None = None):
        self.store = store
        self.root = root
        self.progress = progress
        self.fresh = needs_rebuild(root)
        self.path: Path | None = None
        self.given: dict[str, Article] = {}
        self.ix = None
        self.writer = None
        self.opened = 0.0
        self.batches = 0
        self.in_writer: set[str] = set()
        self.new_ids: set[str] = set()  # given as added: not in the committed index (no lookup)
        self.deleted_in_writer: set[str] = set()
        self.old_stories: set[str] = set()
        self.written: dict[str, IndexExtras] = {}
        self.indexed = 0
        self.deleted = 0

    def stored(self, added: list[Article], updated: list[Article], removed: list[str]) -> None:
        """Take what one batch changed in the store (written by `commit`)."""
        for article in (*added, *updated):
            self.given[article.id] = article
        self.new_ids.update(a.id for a in added)
        self.new_ids.difference_update(a.id for a in updated)
        for aid in removed:
            self.given.pop(aid, None)
            self.new_ids.discard(aid)

    def commit(self, force: bool = False) -> None:
        """Write what the store flags as unindexed; commit when the writer is full, old or `force`d."""
        given, self.given = self.given, {}
        if self.fresh:
            self.indexed += rebuild(self.store, self.root, self.progress,
                                    articles=_given_or_stored(self.store, self.store.ids(), given))
            self.fresh = False
            self.new_ids = set()  # in the committed index now
            return
        try:
            deletes = [aid for aid in self.store.pending_deletes() if aid not in self.deleted_in_writer]
            if self.writer is not None and (any(aid in self.in_writer for aid in given)
                                            or any(aid in self.in_writer for aid in deletes)):
                self._commit_writer()  # the writer cannot replace what it has not committed
            ids = [aid for aid in self.store.pending_ids() if aid not in self.in_writer]
            if ids or deletes:
                self._write(ids, deletes, given)
                self.batches += 1
            if self.writer is not None and (force or self.batches >= self.COMMIT_BATCHES
                                            or time.monotonic() - self.opened >= self.COMMIT_SECONDS):
                self._commit_writer()
        except (OSError, KeyboardInterrupt, SystemExit, IndexUnavailable):
            self.abort()
            raise
        except Exception as exc:  # a damaged live index: the store keeps every change flagged
            reason = f"{type(exc).__name__}: {exc}"
            with warnings.catch_warnings():  # Whoosh leaves a bad segment's files open; free them quietly
                warnings.simplefilter("ignore", ResourceWarning)
                _drop_tracebacks(exc)
                gc.collect()
        else:
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            self.abort()
            gc.collect()
        log.error("the live index in %s could not be updated: %s", self.path, reason)
        raise IndexUnavailable(self.path, reason)

    def _write(self, ids: list[str], deletes: list[str], given: dict[str, Article]) -> None:
        if self.writer is None:
            self.path = current_dir(self.root)
            self.ix = _open_for_writing(self.path)
            with self.ix.reader() as reader:  # opens every segment: a damaged one fails here, not
                reader.doc_count_all()         # unnoticed beside the new ones added without lookups
            self.writer = _writer(self.ix, len(ids))  # workers only for a big first batch
            self.opened = time.monotonic()
        # Story groups as the committed index has them, before these changes. An article new to the
        # index has none there, and is added without Whoosh's search for an older copy: both are
        # a term lookup in every segment, most of an add's index time into a large archive.
        new = {aid for aid in ids if aid in self.new_ids}
        self.new_ids.difference_update(new)
        self.old_stories |= _stories_of(self.path, [*(aid for aid in ids if aid not in new), *deletes])
        for aid in deletes:
            self.writer.delete_by_term("id", aid)
        self.deleted_in_writer.update(deletes)
        n = 0
        for doc in _documents(self.store, _given_or_stored(self.store, ids, given), written=self.written):
            if doc["id"] in new:
                self.writer.add_document(**doc)
            else:
                self.writer.update_document(**doc)
            self.in_writer.add(doc["id"])
            n += 1
            if self.progress and n % 500 == 0:
                self.progress(500)
        if self.progress and n % 500:
            self.progress(n % 500)

    def _commit_writer(self) -> None:
        writer, ix = self.writer, self.ix
        self.writer = self.ix = None
        try:
            writer.commit(mergetype=merge_tiers)
        except BaseException:
            _cancel(writer)
            raise
        finally:
            ix.close()
        _rewrite(self.store, self.path, _story_holders(self.path, self.old_stories)
                 | set(_stale(self.store, self.written)))
        self.store.mark_indexed(self.in_writer, self.deleted_in_writer)
        self.indexed += len(self.in_writer)
        self.deleted += len(self.deleted_in_writer)
        self.in_writer, self.deleted_in_writer, self.old_stories, self.written = set(), set(), set(), {}
        self.batches = 0

    def finish(self) -> IndexUpdate:
        """Write and commit what is left (for a new archive, an empty index at least); the run's totals."""
        self.commit(force=True)
        return IndexUpdate(self.indexed, self.deleted)

    def abort(self) -> None:
        """Drop the open writer's work; the store still flags it for the next run."""
        self.given = {}
        self.new_ids = set()
        writer, ix = self.writer, self.ix
        self.writer = self.ix = None
        if writer is not None:
            _cancel(writer)
        if ix is not None:
            ix.close()


def _drop_tracebacks(exc: BaseException | None) -> None:
    """Let the frames of a failed read go, and with them the files Whoosh left open in them."""
    while exc is not None:
        exc.__traceback__ = None
        exc = exc.__context__ or exc.__cause__


def _given_or_stored(store: Store, ids: list[str], given: dict[str, Article]) -> Iterator[Article]:
    """The articles of `ids` in order: the copies handed over, else the store's (read in batches)."""
    missing = [aid for aid in ids if aid not in given]
    found = _batches(store, missing)
    pending = next(found, None)
    for aid in ids:
        if aid in given:
            yield given[aid]
        elif pending is not None and pending.id == aid:
            yield pending
            pending = next(found, None)


def rebuild(store: Store, root: Path, progress: Progress | None = None,
            articles: Iterable[Article] | None = None) -> int:
    """Build a complete new generation from the store and swap it in."""
    path = _new_generation(root)
    n = 0
    try:
        with _writing(path, store.count()) as writer:
            for doc in _documents(store, articles if articles is not None else store.iter_articles()):
                writer.add_document(**doc)
                n += 1
                if progress and n % 500 == 0:
                    progress(500)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise
    previous = _swap(root, path)
    store.mark_all_indexed()
    _prune_generations(root, previous)
    if progress:
        progress(n % 500)
    return n
