"""Filling the OpenSearch index from the store: a full reindex behind an alias, and incremental feeds.

`rebuild` bulk-loads every stored article into a NEW index and then moves
the alias to it in one `_aliases` call, so searches see the old index or
the new one, never half of one (the Whoosh engine's build-then-swap
promise). The index it replaced is kept until the next reindex, as Whoosh
keeps the previous generation, so points in time opened on it keep
working; older ones are deleted. If loading fails, the new index is
deleted and the alias stays where it was.

`Feed` keeps the live index in step during an ingest run: each file's
changes are sent in bounded bulk batches; `finish` deletes what the store
removed, rewrites the documents whose story group the run may have
changed (a new link can merge or split groups, as `index.writer` explains),
refreshes, and only then clears the store's "to index" flags. A run that
fails leaves the flags set, so the next run redoes the work; documents
already sent are copies of stored rows, never anything the store lacks.
"""
from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Iterable, Iterator

from opensearchpy import OpenSearch, helpers

from archive.document import Article
from archive.store import Store

from ..errors import SearchFailed
from ..writer import IndexUpdate, _batches, _documents, _stale
from .client import translated
from .mapping import MAPPING_VERSION, MAX_RESULT_WINDOW, index_body, source

log = logging.getLogger(__name__)

#: Documents per bulk request, and bytes at most ...
BATCH = 500
BATCH_BYTES = 8 * 1024 * 1024
#: ... each retried this many times when the cluster is too busy (HTTP 429), backing off from 1 s.
BULK_RETRIES = 5
#: Ids per terms lookup.
LOOKUP = 1000


class BulkFailed(SearchFailed):
    """Some documents were refused by the cluster; the store keeps them flagged for the next run."""

    def __init__(self, failures: list[tuple[str, str]], total: int):
        shown = "; ".join(f"{aid}: {why}" for aid, why in failures[:3])
        Exception.__init__(self, f"the cluster refused {len(failures)} of {total} article(s) ({shown}); "
                                 "they stay flagged in the store and the next add or reindex retries them")
        self.reason = shown
        self.failures = failures


class Indexer:
    """Writes the archive's documents under one alias of one cluster."""

    def __init__(self, client: OpenSearch, options, shards: int = 1, replicas: int = 1,
                 max_result_window: int = MAX_RESULT_WINDOW):
        self.client = client
        self.urls = options.urls
        self.alias = options.index
        self.shards = shards
        self.replicas = replicas
        self.window = max_result_window

    # -- the alias ----------------------------------------------------------------
    def live_index(self) -> str | None:
        """The index the alias points to; None when none was built yet."""
        if not self.client.indices.exists_alias(name=self.alias):
            if self.client.indices.exists(index=self.alias):
                raise SearchFailed(f"{self.alias} on the cluster is an index, not an alias: "
                                   "set ARCHIVE_OPENSEARCH_INDEX to another name")
            return None
        names = sorted(self.client.indices.get_alias(name=self.alias))
        return names[-1] if names else None

    def mapping_version(self, index: str) -> str | None:
        """The mapping version `index` was created with (None: before versions were kept)."""
        found = self.client.indices.get_mapping(index=index).get(index, {})
        return ((found.get("mappings") or {}).get("_meta") or {}).get("mapping_version")

    def _new_index(self) -> str:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
        name = f"{self.alias}-{stamp}-{secrets.token_hex(3)}"
        body = index_body(self.shards, self.replicas, self.window)
        # No periodic refresh: the archive refreshes when it has written something whole (the end
        # of a rebuild, each batch of a feed), just before clearing the store's flags, as Whoosh
        # commits; a bulk load meanwhile writes fewer, larger segments.
        body["settings"]["index"]["refresh_interval"] = "-1"
        self.client.indices.create(index=name, body=body)
        return name

    def _swap(self, new: str) -> str | None:
        """Point the alias at `new` in one atomic call; returns the index it left."""
        old = self.live_index()
        actions = [{"add": {"index": new, "alias": self.alias}}]
        if old is not None:
            actions.insert(0, {"remove": {"index": old, "alias": self.alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        return old

    def _prune(self, keep: set[str]) -> None:
        """Delete this alias's older indices: every one but the live and the one it replaced."""
        found = self.client.indices.get(index=f"{self.alias}-*", params={"expand_wildcards": "open,closed"})
        for name in found:
            if name not in keep:
                self.client.indices.delete(index=name, params={"ignore_unavailable": "true"})

    # -- writing -----------------------------------------------------------------------
    def bulk(self, index: str, docs: Iterable[dict], deletes: Iterable[str] = (),
             progress=None) -> list[str]:
        """Index `docs` (and delete `deletes`) in bounded batches with retries; the ids written."""
        written: list[str] = []

        def actions() -> Iterator[dict]:
            for aid in deletes:
                yield {"_op_type": "delete", "_index": index, "_id": aid}
            for doc in docs:
                body = source(doc)
                yield {"_op_type": "index", "_index": index, "_id": body["id"], "_source": body}

        failures: list[tuple[str, str]] = []
        total = 0
        for ok, item in helpers.streaming_bulk(
                self.client, actions(), chunk_size=BATCH, max_chunk_bytes=BATCH_BYTES,
                max_retries=BULK_RETRIES, initial_backoff=1, max_backoff=30,
                raise_on_error=False, raise_on_exception=True):
            op, info = next(iter(item.items()))
            total += 1
            if op == "delete":
                if not ok and info.get("status") != 404:
                    failures.append((info.get("_id", "?"), str(info.get("error"))[:200]))
                continue
            if ok:
                written.append(info["_id"])
                if progress and len(written) % BATCH == 0:
                    progress(BATCH)
            else:
                error = info.get("error")
                reason = error.get("reason") if isinstance(error, dict) else error
                failures.append((info.get("_id", "?"), str(reason)[:200]))
        if progress and len(written) % BATCH:
            progress(len(written) % BATCH)
        if failures:
            raise BulkFailed(failures, total)
        return written

    def rebuild(self, store: Store, progress=None, articles: Iterable[Article] | None = None) -> int:
        """Load every stored article into a new index and swap the alias to it."""
        new = self._new_index()
        try:
            written = self.bulk(new, _documents(store, articles if articles is not None
                                                else store.iter_articles()), progress=progress)
            self.client.indices.refresh(index=new)
            previous = self._swap(new)
        except BaseException:
            try:
                self.client.indices.delete(index=new, params={"ignore_unavailable": "true"})
            except Exception as exc:  # the cluster went away: the unused index is deleted by the next reindex
                log.warning("could not delete the unfinished index %s: %s", new, exc)
            raise
        store.mark_all_indexed()
        self._prune({new, previous} - {None})
        return len(written)

    def feed(self, store: Store, progress=None) -> "Feed":
        return Feed(self, store, progress)

    # -- lookups --------------------------------------------------------------------------
    def stories_of(self, index: str, ids: Iterable[str]) -> set[str]:
        """The story groups the index holds for `ids`."""
        ids = sorted(set(ids))
        out: set[str] = set()
        for i in range(0, len(ids), LOOKUP):
            chunk = ids[i:i + LOOKUP]
            found = self.client.search(index=index, body={
                "size": len(chunk), "_source": ["story"], "query": {"terms": {"id": chunk}}})
            out.update(h["_source"].get("story") for h in found["hits"]["hits"] if h["_source"].get("story"))
        return out

    def holders(self, index: str, stories: Iterable[str]) -> set[str]:
        """Ids of the documents that carry one of `stories`."""
        stories = sorted(set(stories))
        out: set[str] = set()
        for i in range(0, len(stories), LOOKUP):
            chunk = stories[i:i + LOOKUP]
            query = {"terms": {"story": chunk}}
            for hit in helpers.scan(self.client, index=index, query={"query": query, "_source": ["id"]},
                                    size=1000, preserve_order=False):
                out.add(hit["_id"])
        return out


class Feed:
    """One ingest run's changes, sent to the live index as they are stored (see the module docstring)."""

    def __init__(self, indexer: Indexer, store: Store, progress=None):
        self.indexer = indexer
        self.store = store
        self.progress = progress
        self.index = indexer.live_index()
        # No index yet, or one an older mapping made (its documents lack fields this code reads):
        # finish builds one from the whole store and swaps it in, as Whoosh does for an older schema.
        self.fresh = self.index is None or indexer.mapping_version(self.index) != MAPPING_VERSION
        self.buffer: list[Article] = []
        self.written: dict = {}
        self.indexed: list[str] = []
        self.removed: set[str] = set()
        self.looked_up: set[str] = set()   # ids whose story group (before this run) is known
        self.old_stories: set[str] = set()
        self.deleted = 0
        self.marked = 0   # self.indexed[:marked] are cleared in the store already (commit)
        if not self.fresh:  # rows a failed run stored but never indexed
            self.buffer.extend(_batches(store, store.pending_ids()))

    def stored(self, added: list[Article], updated: list[Article], removed: list[str]) -> None:
        if self.fresh:
            return
        self.buffer.extend(added)
        self.buffer.extend(updated)
        self.removed.update(removed)
        if len(self.buffer) >= BATCH:
            with translated(self.indexer.urls):
                self._flush()

    def _flush(self, deletes: Iterable[str] = ()) -> None:
        deletes = list(deletes)
        batch, self.buffer = self.buffer, []
        # story groups as the index has them before this run rewrites or deletes these documents
        new = ({a.id for a in batch} | set(deletes) | self.removed) - self.looked_up
        self.old_stories |= self.indexer.stories_of(self.index, new)
        self.looked_up |= new
        self.indexed.extend(self.indexer.bulk(self.index, _documents(self.store, batch, written=self.written),
                                              deletes, self.progress))
        self.deleted += len(deletes)

    def commit(self) -> None:
        """After each of the run's batches: make what was given searchable and clear its flags."""
        if self.fresh:  # the new index is built, and swapped in, by finish
            return
        with translated(self.indexer.urls):
            deletes = self.store.pending_deletes()
            self._flush(deletes)
            self.indexer.client.indices.refresh(index=self.index)
            self.store.mark_indexed(self.indexed[self.marked:], deletes)
            self.marked = len(self.indexed)

    def finish(self) -> IndexUpdate:
        """Send what is left, repair story groups, refresh; then clear the store's flags."""
        with translated(self.indexer.urls):
            return self._finish()

    def _finish(self) -> IndexUpdate:
        if self.fresh:
            n = self.indexer.rebuild(self.store, self.progress)
            return IndexUpdate(n, 0)
        deletes = self.store.pending_deletes()
        self._flush(deletes)
        # documents whose story group this run may have merged or split: as the store has them now
        regrouped = self.indexer.holders(self.index, self.old_stories) if self.old_stories else set()
        repair = (regrouped | set(_stale(self.store, self.written))) - set(deletes)
        if repair:
            ids = sorted(repair)
            present = self.store.get_many(ids)
            self.indexer.bulk(self.index, _documents(self.store, [present[i] for i in ids if i in present]),
                              [i for i in ids if i not in present])
        self.indexer.client.indices.refresh(index=self.index)
        self.store.mark_indexed(self.indexed[self.marked:], deletes)
        return IndexUpdate(len(set(self.indexed)), self.deleted)

    def abort(self) -> None:
        """Nothing to undo: what was sent are copies of stored rows, still flagged for the next run."""
