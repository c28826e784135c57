"""The OpenSearch engine: a `SearchRequest` in, a `SearchResult` out, from a cluster.

The query text is compiled by `index.query.compile_query` (the same
language, notices and fallbacks as the Whoosh engine) and translated to DSL
(`index.opensearch.translate`); one request returns the page of hits, the
exact total, every facet's disjunctive counts, the span of the results'
dates and the word checks behind "did you mean"; a second, size-0 request
draws the timeline in the unit the span calls for (`index.facets`' rules).
Relevance searches on an index of several shards run `dfs_query_then_fetch`,
so that scores (and the order of ties, broken by id) do not depend on which
shard holds a document; on one shard (the default) the statistics are the
index's own already, and the extra round trip (60% more work per search,
profiled) is skipped.

Pages beyond the index's `max_result_window` and exports walk the results
with `search_after` inside a point in time (`snapshot`), so they are not
capped and every page reads the same state of the index.

Passage partners are not in the cluster's documents: the `shares=ID` filter
is a set of ids and each hit's `shares` the page's partners, both read from
the store (`index.partners`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from whoosh.analysis import STOP_WORDS

from .. import facets as fc
from ..engines import EngineOptions
from ..errors import SearchError, SearchFailed
from ..highlight import terms_of
from ..model import (MAX_SERIES, MISSING, Facet, FacetValue, HistogramBar, Related, SearchRequest, SearchResult,
                     Series)
from ..partners import Partners
from ..provenance import label as provenance_label
from ..query import also_written_as, compile_query, warm_up, with_archive_spellings
from ..schema import exact_analyzer
from . import request as rq
from .client import PointInTime, connect, is_missing_index, translated
from .hits import _day, members, to_hit
from .indexing import Indexer
from .mapping import MAX_RESULT_WINDOW, label_of
from .spellings import TermLister

log = logging.getLogger(__name__)

NO_INDEX_NOTICE = ("The archive has no index on the OpenSearch cluster yet: run "
                   "`ingest.py reindex --engine opensearch` (or add articles).")
PIT_KEEP_ALIVE = "5m"
#: A page that starts past the last hit.
PAST_END = object()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def _candidate_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Folded typed words that may get a "did you mean" (the Whoosh engine's rule)."""
    analyzer = exact_analyzer()
    out = []
    for word in dict.fromkeys(words):
        folded = [t.text for t in analyzer(word)]
        if len(folded) == 1 and len(folded[0]) > rq.SUGGEST_PREFIX and folded[0].isalpha():
            out.append(folded[0])
    return tuple(dict.fromkeys(out))


class OpenSearchEngine:
    """Searches (and indexes) the alias `options.index` on the cluster at `options.urls`."""

    name = "opensearch"

    def __init__(self, options: EngineOptions, shards: int | None = None, replicas: int | None = None,
                 max_result_window: int = MAX_RESULT_WINDOW, store_path=None):
        self.options = options
        self.partners = Partners(store_path)  # the store passage partners are read from
        self.alias = options.index
        self.urls = options.urls
        self.client = connect(options)
        self.window = max_result_window
        self.indexer = Indexer(self.client, options,
                               shards=options.shards if shards is None else shards,
                               replicas=options.replicas if replicas is None else replicas,
                               max_result_window=max_result_window)
        self.pits = PointInTime(self.client)
        self._shards: tuple[str, int] | None = None  # (live index, its primary shards)
        warm_up()

    def describe(self) -> str:
        return f"OpenSearch index {self.alias} on {', '.join(self.urls)}"

    # -- lifecycle ----------------------------------------------------------------
    def generation(self) -> str | None:
        """The concrete index behind the alias (it changes with every reindex)."""
        with translated(self.urls):
            return self.indexer.live_index()

    def stats(self) -> dict:
        with translated(self.urls):
            live = self.indexer.live_index()
            if live is None:
                return {"documents": 0, "generation": None}
            return {"documents": int(self.client.count(index=self.alias)["count"]), "generation": live}

    def close(self) -> None:
        self.client.close()

    # -- indexing ---------------------------------------------------------------------
    def rebuild(self, store, progress=None, articles=None) -> int:
        with translated(self.urls):
            return self.indexer.rebuild(store, progress, articles)

    def sync(self, store, progress=None):
        return self.feed(store, progress).finish()

    def feed(self, store, progress=None):
        with translated(self.urls):
            return self.indexer.feed(store, progress)

    # -- search -----------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """Answer `request`; raises `SearchError` (never an empty result) when it cannot."""
        return self._search(request, None)

    @contextmanager
    def snapshot(self) -> Iterator["Pinned"]:
        """Searches that all read one point in time of the index (for exports)."""
        with translated(self.urls):
            live = self.indexer.live_index()
            pit = self.pits.open(self.alias, PIT_KEEP_ALIVE) if live is not None else None
        pinned = Pinned(self, pit, live)
        try:
            yield pinned
        finally:
            if pinned.pit is not None:
                try:
                    self.pits.close(pinned.pit)
                except Exception as exc:  # it expires by itself; the export itself went well
                    log.warning("closing the point in time failed: %s", exc)

    def _raw_search(self, body: dict, pit: str | None = None, dfs: bool = False) -> dict:
        # A shard copy lost mid-search (a node dying) must fail the request, which the client
        # retries on the next host, rather than answer with that shard's hits left out.
        params = {"allow_partial_search_results": "false"}
        if dfs:
            params["search_type"] = "dfs_query_then_fetch"
        if pit is not None:
            body = {**body, "pit": {"id": pit, "keep_alive": PIT_KEEP_ALIVE}}
            return self.client.search(body=body, params=params)
        return self.client.search(index=self.alias, body=body, params=params)

    def _search(self, request: SearchRequest, pinned: "Pinned | None") -> SearchResult:
        started = time.perf_counter()
        compiled = compile_query(request.q)
        words = _candidate_words(compiled.words)
        pit = pinned.pit if pinned is not None else None
        id_sets = {name: self.partners.sharing_with(getattr(request, name))
                   for name in fc.ID_FILTERS if getattr(request, name)}
        try:
            with translated(self.urls):
                try:
                    dfs = request.sort == "relevance" and compiled.query is not None and self._sharded()
                    lister = TermLister(self.client, self.alias)
                    query = with_archive_spellings(compiled.query, request.q, lister)
                    result = self._answer(request, compiled, query, words, dfs, pit, pinned, started, id_sets)
                    if request.q:
                        result = dataclasses.replace(result, also_written=also_written_as(request.q, lister))
                    return result
                except Exception as exc:
                    if is_missing_index(exc):
                        return SearchResult(request, (), 0, (), notice=NO_INDEX_NOTICE, took_ms=_ms(started))
                    raise
        except SearchError:
            raise
        except Exception as exc:
            log.exception("search failed for %r on %s", request, self.alias)
            raise SearchFailed(type(exc).__name__) from exc

    def _sharded(self) -> bool:
        """Whether the live index has several primary shards (read once per index behind the alias)."""
        if self._shards is None:
            found = self.client.indices.get_settings(index=self.alias, name="index.number_of_shards")
            name, settings = max(found.items())
            self._shards = (name, int(settings["settings"]["index"]["number_of_shards"]))
        return self._shards[1] > 1

    def _answer(self, request, compiled, query, words, dfs, pit, pinned, started, id_sets) -> SearchResult:
        offset = (request.page - 1) * request.per_page
        reuse = pinned.counts.get(_counts_key(request)) if pinned is not None else None
        with_aggs = reuse is None and not request.collapse
        body = rq.search_body(request, query, words, offset=offset, with_aggs=with_aggs, id_sets=id_sets)
        after = pinned.cursor(request) if pinned is not None else None
        if after is None and offset + request.per_page > self.window:
            after = self._walk(request, query, offset, pit, dfs, id_sets)
        if after is not None:
            body.pop("from", None)
            if after is PAST_END:
                body["size"] = 0
            else:
                body["search_after"] = after
        response = self._raw_search(body, pit, dfs)
        if pinned is not None and "pit_id" in response:
            pinned.pit = response["pit_id"]
        raw_hits = response["hits"]["hits"]
        if raw_hits and self._shards is not None and raw_hits[0].get("_index") != self._shards[0]:
            self._shards = None  # the alias moved (a reindex): read the new index's shards next time
        if reuse is not None:
            total, facets, bars, unit, suggestion, series = reuse
        else:
            counts = self._raw_search(rq.counts_body(request, query, words, id_sets), pit) if request.collapse \
                else response
            aggs = counts.get("aggregations", {})
            total = int(aggs["results"]["stories"]["value"]) if request.collapse \
                else int(response["hits"]["total"]["value"])
            facets = tuple(self._facet(spec, aggs.get(f"facet_{spec.name}", {}), request)
                           for spec in fc.FACET_SPECS)
            outlets = next(f for f in facets if f.name == "outlet").values
            lines = tuple((v.value, v.label) for v in outlets
                          if (v.selected or not request.outlet) and not v.excluded)[:MAX_SERIES]
            bars, unit, series = self._timeline(request, query, aggs.get("results", {}), pit,
                                                lines if request.timeline != "total" else (), id_sets)
            suggestion = self._suggestion(request.q, compiled.words, words, counts)
            if pinned is not None:
                pinned.counts[_counts_key(request)] = (total, facets, bars, unit, suggestion, series)
        terms = terms_of(query)
        hits = []
        for raw in raw_hits:
            hit = to_hit(raw, terms, request.highlight)
            if request.collapse:
                group = members(raw)
                hit = dataclasses.replace(hit, more_outlets=len(group), members=group)
            hits.append(hit)
        partners = self.partners.of(h.id for h in hits)  # one store query for the page
        hits = [dataclasses.replace(h, shares=partners.get(h.id, ())) for h in hits]
        if pinned is not None and raw_hits:
            pinned.remember(request, raw_hits[-1].get("sort"))
        return SearchResult(
            request=request, hits=tuple(hits), total=total, facets=facets, histogram=bars,
            histogram_unit=unit, suggestion=suggestion, notice=compiled.notice, took_ms=_ms(started), series=series,
            generation=pinned.generation if pinned is not None
            else (raw_hits[0].get("_index") if raw_hits else None))

    def _walk(self, request: SearchRequest, query, offset: int, pit: str | None, dfs: bool, id_sets=None):
        """The sort values of the hit just before `offset`, walked to with search_after (or PAST_END)."""
        if request.collapse:
            raise SearchError(f"collapsed results can be paged to {self.window} stories at most; "
                              "narrow the search or turn collapsing off")
        after, remaining, own_pit = None, offset, None
        if pit is None:
            pit = own_pit = self.pits.open(self.alias, PIT_KEEP_ALIVE)
        try:
            while remaining > 0:
                step = min(remaining, self.window)
                body = rq.search_body(request, query, with_aggs=False, size=step, id_sets=id_sets)
                body.update({"_source": False, "track_total_hits": False})
                body.pop("highlight", None)
                if after is not None:
                    body["search_after"] = after
                found = self._raw_search(body, pit, dfs)["hits"]["hits"]
                if len(found) < step:
                    return PAST_END
                after = found[-1]["sort"]
                remaining -= step
        finally:
            if own_pit is not None:
                self.pits.close(own_pit)
        return after

    # -- facets, timeline, suggestions ----------------------------------------------------
    def _facet(self, spec: fc.FacetSpec, agg: dict, request: SearchRequest) -> Facet:
        def count(bucket):
            return int(bucket["stories"]["value"]) if request.collapse else int(bucket["doc_count"])

        buckets = agg.get("values", {}).get("buckets", [])
        found = [(b["key"], count(b)) for b in buckets if b["key"] and count(b)]
        labels = {b["key"]: self._label(spec, b) for b in buckets}
        expanded = request.more == spec.name
        if expanded and request.more_q:
            found = [(v, c) for v, c in found
                     if fc._find(spec, v, lambda v=v: labels.get(v, v), request.more_q)][:rq.MORE_LIMIT + 1]
        fc.order_values(spec, found, request)
        lacking = agg.get("lacking")
        if spec.missing_label and lacking is not None and not (expanded and request.more_q) and count(lacking):
            found.append((MISSING, count(lacking)))
        limit = rq.facet_limit(spec, request)
        shown = found[:limit]
        listed = {v for v, _ in shown}
        selected = set(getattr(request, spec.param))
        excluded = set(request.excluded(spec.param))
        chosen = {b["key"]: (count(b), self._label(spec, b)) for b in agg.get("selected", {}).get("buckets", [])}
        by_value = dict(found)
        shown += [(v, by_value.get(v, chosen.get(v, (0, v))[0])) for v in sorted((selected | excluded) - listed)]
        labels.update({v: lc[1] for v, lc in chosen.items()})

        def label(value: str) -> str:
            if value == MISSING:
                return spec.missing_label or value
            return labels.get(value) or self._label(spec, None, value)
        values = tuple(FacetValue(v, label(v), c, v in selected, v in excluded, v == MISSING) for v, c in shown)
        return Facet(spec.name, spec.label, values, more=len(found) > limit)

    @staticmethod
    def _label(spec: fc.FacetSpec, bucket: dict | None, value: str | None = None) -> str:
        value = bucket["key"] if bucket is not None else value
        if spec.name == "date":
            return fc.month_label(value)
        if spec.name == "lang":
            return fc.language_label(value)
        if spec.name == "date_provenance":
            return provenance_label(value)
        if bucket is None or "label" not in bucket:
            return value
        docs = bucket["label"]["hits"]["hits"]
        pairs = docs[0].get("fields", {}).get(f"{spec.field}_label") if docs else None
        return label_of(pairs, value) or value

    def _timeline(self, request: SearchRequest, query, results: dict, pit: str | None, lines=(), id_sets=None):
        """The results' timeline in the finest unit that fits their span (`index.facets`), and its
        lines per outlet (`index.facets.outlet_series`)."""
        first, last = _day(results.get("first", {}).get("value_as_string")), \
            _day(results.get("last", {}).get("value_as_string"))
        if first is None or last is None:
            return (), "month", ()
        unit = fc.timeline_unit(first, last)
        if unit in ("month", "year", "decade") and not lines and "months" in results:
            aggs = {"results": {"bars": results["months"]}}  # months, folded into years or decades
        else:
            aggs = self._raw_search(rq.timeline_body(request, query, "year" if unit == "decade" else unit,
                                                     tuple(slug for slug, _ in lines), id_sets), pit)["aggregations"]

        def bucketed(histogram: dict) -> dict[dt.date, int]:
            counts: dict[dt.date, int] = {}
            for bucket in histogram["buckets"]:
                start = fc.bucket_start(_day(bucket["key_as_string"]), unit)
                n = int(bucket["stories"]["value"]) if request.collapse else int(bucket["doc_count"])
                counts[start] = counts.get(start, 0) + n
            return counts

        counts = bucketed(aggs["results"]["bars"])
        periods = fc.selected_periods(request)
        bars = []
        start, end = fc.bucket_start(first, unit), fc.bucket_start(last, unit)
        while start <= end:
            following = fc.next_bucket(start, unit)
            final = following - dt.timedelta(days=1)
            chosen = any(lo <= start and final <= hi for lo, hi in periods)
            bars.append(HistogramBar(fc.bucket_key(start, unit), fc.bucket_label(start, unit),
                                     counts.get(start, 0), chosen, start.isoformat(), final.isoformat()))
            start = following
        series = []
        for slug, label in lines:
            found = bucketed(aggs["lines"]["outlets"]["buckets"][slug]["bars"])
            values = [found.get(dt.date.fromisoformat(b.start), 0) for b in bars]
            if request.timeline == "shares":
                output = bucketed(aggs["output"]["outlets"]["buckets"][slug]["bars"])
                totals = [output.get(dt.date.fromisoformat(b.start), 0) for b in bars]
                series.append(Series(slug, label, tuple(round(c / t, 4) if t else 0.0
                                                        for c, t in zip(values, totals))))
            else:
                series.append(Series(slug, label, tuple(float(c) for c in values)))
        return tuple(bars), unit, tuple(series)

    @staticmethod
    def _suggestion(q: str, typed: tuple[str, ...], words: tuple[str, ...], response: dict) -> str | None:
        """The query with each word no article has in any form replaced by the closest indexed word."""
        if not words:
            return None
        known = response.get("aggregations", {}).get("known", {})
        suggested = response.get("suggest", {})
        analyzer = exact_analyzer()
        folded_of = {}
        for word in typed:
            tokens = [t.text for t in analyzer(word)]
            if len(tokens) == 1:
                folded_of.setdefault(tokens[0], word)
        replaced, changed = q, False
        for i, word in enumerate(words):
            if known.get(f"w{i}", {}).get("doc_count", 1):
                continue
            options = (suggested.get(f"w{i}") or [{}])[0].get("options") or []
            if options:
                typed_word = folded_of.get(word, word)
                replaced = re.sub(rf"(?<!\w){re.escape(typed_word)}(?!\w)", options[0]["text"], replaced, count=1)
                changed = True
        return replaced if changed and replaced != q else None

    # -- related coverage ------------------------------------------------------------------
    def more_like_this(self, article_id: str, limit: int = 5) -> list[Related]:
        """Articles sharing the key terms of this one's body, best first (raises `SearchError`)."""
        with translated(self.urls):
            live = self.indexer.live_index()
            if live is None or not self.client.exists(index=live, id=article_id):
                return []
            body = rq.more_like_this_body(live, article_id, limit, sorted(STOP_WORDS))
            found = self.client.search(index=self.alias, body=body)["hits"]["hits"]
        return [Related(id=h["_source"].get("id", h["_id"]), title=h["_source"].get("title") or "",
                        outlet=h["_source"].get("outlet_name") or None, date=_day(h["_source"].get("date")),
                        score=float(h.get("_score") or 0.0)) for h in found]


def _counts_key(request: SearchRequest) -> SearchRequest:
    return dataclasses.replace(request, page=1, per_page=1, highlight=False)


class Pinned:
    """Searches inside one point in time (see `OpenSearchEngine.snapshot`).

    Consecutive pages continue with `search_after` from the last hit of the
    page before, so an export of any length is neither capped by the
    result window nor skips or repeats rows; counts are taken once.
    """

    def __init__(self, engine: OpenSearchEngine, pit: str | None, generation: str | None):
        self.engine = engine
        self.pit = pit
        self.generation = generation
        self.counts: dict = {}
        self._after: dict = {}
        self._lock = threading.Lock()

    def _key(self, request: SearchRequest, page: int):
        return dataclasses.replace(request, page=page, highlight=False)

    def cursor(self, request: SearchRequest):
        if request.page == 1 or request.collapse:
            return None
        with self._lock:
            return self._after.get(self._key(request, request.page - 1))

    def remember(self, request: SearchRequest, sort_values) -> None:
        if sort_values is not None:
            with self._lock:
                self._after[self._key(request, request.page)] = sort_values

    def search(self, request: SearchRequest) -> SearchResult:
        if self.pit is None:
            return SearchResult(request, (), 0, (), notice=NO_INDEX_NOTICE)
        return self.engine._search(request, self)
