"""The search service: a `SearchRequest` in, a `SearchResult` out.

One searcher is kept open and shared by every thread; each call checks the
index generation (`index.writer.generation`, cheap). When it changed, one
request opens the new generation and builds its facet arrays aside while
the others go on searching the previous one, then swaps it in. Work per
request:

1. the query's matching documents, once, as a mask, with the BM25 score of
   each (`index.engine`: postings read in bulk into numpy arrays, boolean
   logic on masks; cached per query and generation, so a facet click or
   page 2 neither matches nor scores again);
2. filter masks (cached) combined with it; disjunctive facet counts and the
   histogram by `numpy.bincount` over column codes (see `index.columns`);
3. the page of hits: the best scores among the filtered documents (ties by
   id), or by date straight from the day column;
4. stored fields and highlighted passages for the shown hits only, and
   their passage partners, read from the store in one query (`index.partners`:
   the index keeps none, so adds never rewrite older documents for them).

Whole results are cached by (request, generation). No Whoosh object leaves
this package. A search that cannot be answered raises a `SearchError`
(`index.errors`) naming what went wrong; it is never answered with an empty
result. Threads search in parallel: see `SearchService`.
"""
from __future__ import annotations

import datetime as dt
import html
import logging
import re
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

import numpy as np
from whoosh import query as wq
from whoosh.analysis import STOP_WORDS

from archive.document import ENTITY_TYPES

from . import buffers, writer
from .columns import IndexColumns
from .engine import Evaluation, Postings, top, whoosh_internals_missing
from .errors import IndexUnavailable, SearchError, SearchFailed
from .expand import expand
from .facets import (FACET_SPECS, ID_FILTERS, all_but, build_facet, filter_masks, histogram, language_label,
                     month_label, outlet_series)
from .highlight import Terms, passages, terms_of, title_html
from .model import EntityRef, Hit, Related, SearchRequest, SearchResult, StoryMember
from .partners import Partners, beside
from .provenance import label as provenance_label
from .query import also_written_as, compile_query, warm_up, with_archive_spellings
from .schema import TEXT_FIELDS, exact_analyzer
from .stems import inflections, stem

log = logging.getLogger(__name__)
buffers.install()  # segment files read in place, not copied into memory (see index.buffers)

RESULT_CACHE_SIZE = 256
MATCH_CACHE_SIZE = 64
#: Extra hits fetched past the page so that ties in score can be ordered by id.
TIE_MARGIN = 10
MORE_LIKE_TERMS = 12
#: Suggestions share this many leading letters with the word (scanning every term is slow).
SUGGEST_PREFIX = 2
NO_INDEX_NOTICE = "The archive has no index yet: add articles (ingest.py add) or run ingest.py reindex."


@dataclass
class _Match:
    """The query's matching documents in one generation, and what to highlight."""

    query: wq.Query | None
    mask: np.ndarray
    terms: Terms
    docs: np.ndarray | None = None      # the matching documents, in order ...
    scores: np.ndarray | None = None    # ... and their scores (None: not ranked)


@dataclass
class _Open:
    """An open searcher and everything derived from it, for one generation.

    Prepared in full (facet arrays included) before any request sees it, then
    shared by every thread. `io` is held only around reads of Whoosh's files
    (see `index.engine.Postings`); `users` counts the requests using it, so a
    generation swapped out is closed when its last request ends.
    """

    generation: str
    index: Any
    searcher: Any
    columns: IndexColumns
    postings: Postings
    labels: dict = field(default_factory=dict)
    matches: OrderedDict = field(default_factory=OrderedDict)
    io: Any = field(default_factory=threading.RLock)
    guard: Any = field(default_factory=threading.Lock)   # for users, retired and the caches
    users: int = 0
    retired: bool = False
    closed: bool = False

    def enter(self) -> bool:
        """Count one more user; False when this generation was closed already."""
        with self.guard:
            if self.closed:
                return False
            self.users += 1
            return True

    def leave(self) -> None:
        with self.guard:
            self.users -= 1
            close = self.retired and self.users == 0 and not self.closed
            if close:
                self.closed = True
        if close:
            self._close()

    def retire(self) -> None:
        """Swapped out: close now if idle, else when the last user leaves."""
        with self.guard:
            self.retired = True
            close = self.users == 0 and not self.closed
            if close:
                self.closed = True
        if close:
            self._close()

    def _close(self) -> None:
        self.searcher.close()
        self.index.close()


def _prepare(root: Path, gen: str) -> _Open:
    """Open the live generation and build its arrays, aside from the one in use."""
    ix = writer.open_current(root)
    try:
        searcher = ix.searcher()
        columns = IndexColumns(searcher)
        io = threading.RLock()
        postings = Postings(searcher, columns.live, io)
        missing = whoosh_internals_missing(searcher) if columns.size else []
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
        log.error("the index in %s cannot be read: %s", root, reason)
        writer.release_quietly(exc, ix)
        raise IndexUnavailable(writer.current_dir(root) or root, reason) from None
    if missing:
        log.error("Whoosh internals changed (missing %s): bulk matching falls back to Whoosh's matchers",
                  ", ".join(missing))
    return _Open(gen, ix, searcher, columns, postings, io=io)


class SearchService:
    """Searches the index under `index_root` (see the module docstring).

    Thread-safe without a lock around searches: each request takes the
    current `_Open` and counts itself as its user. When the generation
    changed, one thread prepares the new searcher aside (the others go on
    searching the previous generation, which the writer keeps) and swaps it
    in; the old one closes when its last request ends.
    """

    def __init__(self, index_root: Path, store_path: Path | None = None):
        self.root = Path(index_root)
        # passage partners are read from the store, not the index (see `index.partners`)
        self.partners = Partners(store_path if store_path is not None else beside(self.root))
        self._open: _Open | None = None
        self._preparing = threading.Lock()
        self._cache = threading.Lock()
        self._results: OrderedDict[tuple, SearchResult] = OrderedDict()
        warm_up()

    # -- lifecycle -----------------------------------------------------------
    def generation(self) -> str | None:
        return writer.generation(self.root)

    def _fresh(self) -> _Open | None:
        """The state for the live generation, prepared if need be (no user counted)."""
        gen = writer.generation(self.root)
        state = self._open
        if state is not None and state.generation == gen:
            return state
        if gen is None:
            self._swap(None)
            return None
        if state is not None and not self._preparing.acquire(blocking=False):
            return state  # another request is preparing the new one: search the previous meanwhile
        if state is None:
            self._preparing.acquire()
        try:
            state = self._open
            gen = writer.generation(self.root)
            if state is not None and state.generation == gen:
                return state
            if gen is None:
                self._swap(None)
                return None
            return self._swap(_prepare(self.root, gen))
        finally:
            self._preparing.release()

    def _swap(self, new: _Open | None) -> _Open | None:
        old, self._open = self._open, new
        if old is not None and old is not new:
            old.retire()
            with self._cache:
                self._results.clear()
        return new

    @contextmanager
    def _using(self) -> Iterator[_Open | None]:
        """The current state, counted as in use for the block (None: no index yet)."""
        for _ in range(10):
            state = self._fresh()
            if state is None:
                yield None
                return
            if state.enter():
                break
        else:
            raise SearchFailed("the index kept changing while it was opened")
        try:
            yield state
        finally:
            state.leave()

    @contextmanager
    def snapshot(self) -> Iterator["Snapshot"]:
        """One generation held for the whole block: every search in it reads the same index.

        Exports page through a snapshot so that a commit or swap mid-stream
        cannot make them skip or repeat rows.
        """
        with self._using() as state:
            yield Snapshot(self, state)

    def close(self) -> None:
        self._swap(None)
        with self._cache:
            self._results.clear()
        self.partners.close()

    def stats(self) -> dict:
        with self._using() as state:
            if state is None:
                return {"documents": 0, "generation": None}
            return {"documents": int(state.columns.live.sum()), "generation": state.generation}

    # -- search ----------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """Answer `request`; raises `SearchError` (never an empty result) when it cannot."""
        with self._using() as state:
            return self._search(state, request)

    def _search(self, state: _Open | None, request: SearchRequest) -> SearchResult:
        started = time.perf_counter()
        if state is None:
            return SearchResult(request, (), 0, (), notice=NO_INDEX_NOTICE, took_ms=_ms(started))
        key = (request, state.generation)
        with self._cache:
            cached = self._results.get(key)
            if cached is not None:
                self._results.move_to_end(key)
        if cached is not None:
            return replace(cached, took_ms=_ms(started))
        try:
            result = self._run(state, request, started)
            if request.q:
                with state.io:
                    result = replace(result, also_written=also_written_as(request.q, state.searcher.reader()))
        except SearchError:
            raise
        except Exception as exc:
            log.exception("search failed for %r in %s", request, state.generation)
            raise SearchFailed(type(exc).__name__) from exc
        if self._open is state:  # not cached for a generation already swapped out
            with self._cache:
                self._results[key] = result
                while len(self._results) > RESULT_CACHE_SIZE:
                    self._results.popitem(last=False)
        return result

    def _match(self, state: _Open, q: str) -> tuple[_Match, Any]:
        compiled = compile_query(q)
        with state.guard:
            found = state.matches.get(q)
        if found is None:
            cols = state.columns
            if compiled.query is None:
                found = _Match(None, cols.live, Terms())
            else:
                with state.io:
                    reader = state.searcher.reader()
                    expanded = expand(with_archive_spellings(compiled.query, q, reader), reader)
                found = self._evaluate(state, expanded)
            with state.guard:
                state.matches[q] = found
                while len(state.matches) > MATCH_CACHE_SIZE:
                    state.matches.popitem(last=False)
        return found, compiled

    def _evaluate(self, state: _Open, q: wq.Query) -> _Match:
        cols = state.columns
        try:
            evaluation = Evaluation(state.postings, q)
        except Exception:  # an index this code cannot read in bulk: let Whoosh match
            log.exception("bulk matching failed for %r; matching with Whoosh", q)
            with state.io:
                mask = cols.docnums(state.searcher.docs_for_query(q)) & cols.live
            return _Match(q, mask, terms_of(q))
        docs = np.flatnonzero(evaluation.mask)
        scores = evaluation.scores()[docs] if len(docs) else np.zeros(0)
        return _Match(q, evaluation.mask, terms_of(q), docs, scores)

    def _run(self, state: _Open, request: SearchRequest, started: float) -> SearchResult:
        cols = state.columns
        match, compiled = self._match(state, request.q)
        base = match.mask
        if request.date_from or request.date_to:
            base = base & cols.date_range(request.date_from, request.date_to)
        masks = filter_masks(cols, request, {name: self.partners.sharing_with(getattr(request, name))
                                             for name in ID_FILTERS if getattr(request, name)})
        final = all_but(base, masks, None)
        total = int(np.unique(cols.stories[final]).size) if request.collapse else int(final.sum())

        labeller = self._labeller(state)
        facets = tuple(build_facet(spec, cols, all_but(base, masks, spec.name), request, labeller)
                       for spec in FACET_SPECS)
        bars, unit = histogram(cols, final, request)  # the current results: a date filter zooms it
        series = outlet_series(cols, all_but(base, masks, "outlet"), request, bars, unit, tuple(
            (v.value, v.label) for v in next(f for f in facets if f.name == "outlet").values
            if (v.selected or not request.outlet) and not v.excluded))

        first = (request.page - 1) * request.per_page
        if request.collapse:
            return replace(self._collapsed(state, request, match, compiled, final, total, facets, bars, unit,
                                           started), series=series)
        if first >= total:
            docnums: list[tuple[int, float | None]] = []
        elif request.sort == "relevance" and match.query is not None and match.docs is not None:
            keep = final[match.docs]
            docnums = top(match.docs[keep], match.scores[keep], cols.columns["id"].codes,
                          first + request.per_page)[first:]
        elif request.sort == "relevance" and match.query is not None:
            narrowed = final if (masks or request.date_from or request.date_to) else None
            docnums = self._by_score(state, match.query, narrowed, first + request.per_page)[first:]
        else:
            order = cols.by_date(final, newest=request.sort != "oldest")
            docnums = [(int(d), None) for d in order[first:first + request.per_page]]
        hits = self._with_partners(tuple(self._hit(state, d, score, match.terms, request.highlight)
                                         for d, score in docnums))

        return SearchResult(
            request=request, hits=hits, total=total, facets=facets, histogram=bars,
            histogram_unit=unit, suggestion=None if total else self._suggest(state, request.q, compiled.words),
            notice=compiled.notice, took_ms=_ms(started), generation=state.generation, series=series)

    def _collapsed(self, state: _Open, request: SearchRequest, match: _Match, compiled, final: np.ndarray,
                   total: int, facets, bars, unit: str, started: float) -> SearchResult:
        """One hit per story group: its best-ranked matching member, the others listed with it."""
        cols = state.columns
        first = (request.page - 1) * request.per_page
        if request.sort == "relevance" and match.query is not None and match.docs is not None:
            keep = final[match.docs]
            docs, ranks = match.docs[keep], match.scores[keep]
            order = np.lexsort((cols.columns["id"].codes[docs], -ranks))
            ranked, ranked_scores = docs[order], ranks[order]
        elif request.sort == "relevance" and match.query is not None:
            found = self._by_score(state, match.query, final, int(final.sum()))
            ranked = np.array([d for d, _ in found], dtype=np.int64)
            ranked_scores = np.array([s for _, s in found], dtype=float)
        else:
            ranked = cols.by_date(final, newest=request.sort != "oldest")
            ranked_scores = None
        # each story's first (best-ranked) document, in rank order
        _, firsts = np.unique(cols.stories[ranked], return_index=True)
        firsts.sort()
        page = firsts[first:first + request.per_page]
        leaders = [(int(ranked[i]), float(ranked_scores[i]) if ranked_scores is not None else None)
                   for i in page]
        hits = []
        for docnum, score in leaders:
            hit = self._hit(state, docnum, score, match.terms, request.highlight)
            others = np.flatnonzero(final & (cols.stories == cols.stories[docnum]))
            members = sorted((self._member(state, int(d)) for d in others if d != docnum),
                             key=lambda m: (m.date is None, m.date or dt.date.min, m.id))
            hits.append(replace(hit, more_outlets=len(members), members=tuple(members)))
        return SearchResult(
            request=request, hits=self._with_partners(tuple(hits)), total=total, facets=facets, histogram=bars,
            histogram_unit=unit, suggestion=None if total else self._suggest(state, request.q, compiled.words),
            notice=compiled.notice, took_ms=_ms(started), generation=state.generation)

    def _member(self, state: _Open, docnum: int) -> StoryMember:
        with state.io:
            stored = state.searcher.stored_fields(docnum)
        date = stored.get("date")
        return StoryMember(stored.get("id", ""), stored.get("outlet_name") or None,
                           date.date() if isinstance(date, dt.datetime) else date)

    def _by_score(self, state: _Open, q: wq.Query, allowed: np.ndarray | None,
                  count: int) -> list[tuple[int, float]]:
        """The best `count` documents by score, ties broken by id."""
        searcher = state.searcher
        narrowed = set(np.flatnonzero(allowed).tolist()) if allowed is not None else None
        fetch = count + TIE_MARGIN
        with state.io:
            results = searcher.search(q, limit=fetch, filter=narrowed)
            top = [(results.score(i), results.docnum(i)) for i in range(results.scored_length())]
            if len(top) == fetch and top[count - 1][0] == top[-1][0]:
                results = searcher.search(q, limit=None, filter=narrowed)
                top = [(results.score(i), results.docnum(i)) for i in range(results.scored_length())]
        ids = state.columns.columns["id"].codes
        top.sort(key=lambda sd: (-(sd[0] or 0.0), ids[sd[1]]))
        return [(d, s) for s, d in top[:count]]

    # -- hits -------------------------------------------------------------------
    def _hit(self, state: _Open, docnum: int, score: float | None, terms: Terms,
             highlight: bool) -> Hit:
        with state.io:
            stored = state.searcher.stored_fields(docnum)
        title = stored.get("title") or ""
        body = stored.get("body") or ""
        names = stored.get("entity_names") or {}
        entities = tuple(EntityRef(slug, names.get(slug, slug), etype)
                         for etype in ENTITY_TYPES
                         for slug in (stored.get(etype) or "").split(",") if slug)
        date = stored.get("date")
        return Hit(
            id=stored.get("id", ""),
            title=title,
            title_html=title_html(title, terms) if highlight else html.escape(title, quote=False),
            outlet=stored.get("outlet_name") or None,
            outlet_slug=stored.get("outlet") or None,
            date=date.date() if isinstance(date, dt.datetime) else date,
            news_id=stored.get("news_id") or None,
            url=stored.get("url") or None,
            lang=stored.get("lang") or None,
            snippets=passages(body, terms) if highlight else (),
            score=float(score) if score is not None else None,
            entities=entities,
            story=stored.get("story") or None,
            cites=tuple((stored.get("cite_names") or {}).get(slug, slug)
                        for slug in (stored.get("cites") or "").split(",") if slug),
            date_provenance=stored.get("date_provenance") or None,
            date_rule=stored.get("date_rule") or None,
        )

    def _with_partners(self, hits: tuple[Hit, ...]) -> tuple[Hit, ...]:
        """The page's hits with the ids of the articles each shares passages with (one store query)."""
        found = self.partners.of(h.id for h in hits)
        return tuple(replace(h, shares=found.get(h.id, ())) for h in hits)

    def _labeller(self, state: _Open):
        def label(facet: str, value: str) -> str:
            key = (facet, value)
            if key not in state.labels:
                state.labels[key] = self._label(state, facet, value)
            return state.labels[key]
        return label

    def _label(self, state: _Open, facet: str, value: str) -> str:
        if facet == "date":
            return month_label(value)
        if facet == "lang":
            return language_label(value)
        if facet == "date_provenance":
            return provenance_label(value)
        docnum = state.columns.doc_with(facet, value)
        if docnum is None:
            return value
        with state.io:
            stored = state.searcher.stored_fields(docnum)
        if facet == "outlet":
            return stored.get("outlet_name") or value
        if facet == "cites":
            return (stored.get("cite_names") or {}).get(value, value)
        return (stored.get("entity_names") or {}).get(value, value)

    # -- suggestions ---------------------------------------------------------------
    def _suggest(self, state: _Open, q: str, words: tuple[str, ...]) -> str | None:
        """The query with each word that is in no article replaced by a close one."""
        if not words:
            return None
        with state.io:
            return self._suggest_words(state, q, words)

    def _suggest_words(self, state: _Open, q: str, words: tuple[str, ...]) -> str | None:
        reader = state.searcher.reader()
        analyzer = exact_analyzer()
        replaced = q
        changed = False
        corrector = None
        for word in dict.fromkeys(words):
            folded = [t.text for t in analyzer(word)]
            if len(folded) != 1 or len(folded[0]) <= SUGGEST_PREFIX or not folded[0].isalpha() \
                    or any(inflections(reader, f, stem(folded[0])) for f in TEXT_FIELDS):
                continue
            corrector = corrector or state.searcher.corrector("body")
            found = corrector.suggest(folded[0], limit=1, maxdist=2, prefix=SUGGEST_PREFIX)
            if found:
                replaced = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", found[0], replaced, count=1)
                changed = True
        return replaced if changed and replaced != q else None

    def _more_like(self, searcher, docnum: int, limit: int):
        """Whoosh's more-like-this on the body, without the stopwords the body keeps."""
        words = _key_terms(searcher, docnum)
        q = wq.Or([wq.Term("body", w) for w in words])
        return searcher.search(q, limit=limit, mask={docnum})

    # -- related coverage ---------------------------------------------------------------
    def more_like_this(self, article_id: str, limit: int = 5) -> list[Related]:
        """Articles sharing the key terms of this one's body, best first (raises `SearchError`)."""
        with self._using() as state:
            if state is None:
                return []
            try:
                with state.io:
                    return self._related(state.searcher, article_id, limit)
            except Exception as exc:
                log.exception("more_like_this failed for %r", article_id)
                raise SearchFailed(type(exc).__name__) from exc

    def _related(self, searcher, article_id: str, limit: int) -> list[Related]:
        docnum = searcher.document_number(id=article_id)
        if docnum is None:
            return []
        results = self._more_like(searcher, docnum, limit)
        related = []
        for i in range(results.scored_length()):
            stored = searcher.stored_fields(results.docnum(i))
            date = stored.get("date")
            related.append(Related(
                id=stored.get("id", ""), title=stored.get("title") or "",
                outlet=stored.get("outlet_name") or None,
                date=date.date() if isinstance(date, dt.datetime) else date,
                score=float(results.score(i) or 0.0)))
        return related


class Snapshot:
    """Searches pinned to one generation (see `SearchService.snapshot`)."""

    def __init__(self, service: SearchService, state: _Open | None):
        self.service = service
        self.state = state
        self.generation = state.generation if state is not None else None

    def search(self, request: SearchRequest) -> SearchResult:
        return self.service._search(self.state, request)


def _key_terms(searcher, docnum: int) -> list[str]:
    """The words that characterise an article's body, common words left out."""
    found = searcher.key_terms([docnum], "body", numterms=MORE_LIKE_TERMS * 3)
    words = [w for w, _ in found if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()]
    return words[:MORE_LIKE_TERMS]


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0
