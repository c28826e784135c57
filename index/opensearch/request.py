"""A `SearchRequest` as search bodies: pure functions, tested against literal DSL.

The query (with the date range) selects the base set; the facet filters go
in a `post_filter`, so that each facet's aggregation can count over the
base narrowed by every *other* filter (a `filter` aggregation per facet):
the disjunctive counts the Whoosh engine computes with masks. Collapsed
searches filter in the query instead (their inner hits must see every
filter) and take their facet counts from a second, size-0 body. Filters
the store answers (`shares=ID`, see `index.partners`) come in as sets of ids
(`id_sets`) and filter on the `id` field.
"""
from __future__ import annotations

from slugify import slugify
from whoosh import query as wq

from ..facets import CHEAP_LABELS, FACET_SPECS, MORE_LIMIT, FacetSpec
from ..model import MISSING, SearchRequest
from ..schema import TEXT_FIELDS
from ..stems import stem
from .mapping import LABELLED
from .spellings import lucene_prefix
from .translate import to_dsl

#: Distinct stories are counted exactly up to about this many (the cardinality limit).
STORY_PRECISION = 40_000
#: Other members listed with a collapsed hit.
MEMBERS = 100
SUGGEST_PREFIX = 2
HIGHLIGHTED = TEXT_FIELDS
_SOURCE = ["id", "title", "outlet", "outlet_name", "date", "news_id", "url", "lang", "person", "org", "place",
           "entity_names", "story", "cites", "cite_names", "date_provenance", "date_rule"]
#: Ids per `terms` clause (the cluster's index.max_terms_count is 65,536 by default).
MAX_TERMS = 65_536


def label_lookup(field: str) -> dict:
    """One document of the bucket, for the value's display name: its `<field>_label` doc values
    only. Reading `_source` instead decompressed a stored document per bucket and shard, the
    largest part of a search's work (profiled: ~85 of ~210 ms CPU for the outlet facet alone)."""
    return {"top_hits": {"size": 1, "_source": False, "stored_fields": "_none_",
                         "docvalue_fields": [f"{field}_label"]}}


def _sub_aggs(spec: FacetSpec, request: SearchRequest) -> dict:
    sub: dict = {}
    if request.collapse:
        sub["stories"] = _stories()
    if spec.field in LABELLED:
        sub["label"] = label_lookup(spec.field)
    return sub


#: Values listed by a search among an expanded facet's values (filtered after counting).
MORE_Q_SCAN = 5000


def _any_of(spec: FacetSpec, values) -> dict:
    """Articles with one of `values` in the facet's field (MISSING: with none)."""
    present = [v for v in values if v != MISSING]
    clauses = [{"terms": {spec.field: present}}] if present else []
    if MISSING in values:
        clauses.append({"bool": {"must_not": [{"exists": {"field": spec.field}}]}})
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def facet_filter(spec: FacetSpec, values, excluded=()) -> dict:
    """The facet's values ORed, minus its excluded values (as `index.facets.filter_masks`)."""
    if not excluded:
        return _any_of(spec, values)
    clause: dict = {"must_not": [_any_of(spec, excluded)]}
    if values:
        clause["filter"] = [_any_of(spec, values)]
    return {"bool": clause}


def id_filter(ids) -> dict:
    """The documents whose id is one of `ids` (none when `ids` is empty), in clauses the cluster accepts."""
    ids = sorted(ids)
    if not ids:
        return {"bool": {"must_not": [{"match_all": {}}]}}
    clauses = [{"terms": {"id": ids[i:i + MAX_TERMS]}} for i in range(0, len(ids), MAX_TERMS)]
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def filters(request: SearchRequest, id_sets=None) -> dict[str, dict]:
    """One filter clause per facet the request filters by (values ORed within it), and one per
    set of ids in `id_sets` (filter name -> the ids it keeps)."""
    found = {spec.name: facet_filter(spec, getattr(request, spec.param), request.excluded(spec.param))
             for spec in FACET_SPECS if getattr(request, spec.param) or request.excluded(spec.param)}
    for name, ids in (id_sets or {}).items():
        found[name] = id_filter(ids)
    return found


def _all_but(clauses: dict[str, dict], skip: str | None) -> dict:
    kept = [c for name, c in clauses.items() if name != skip]
    return {"bool": {"filter": kept}} if kept else {"match_all": {}}


def base_query(request: SearchRequest, query) -> dict:
    """The compiled query, narrowed by the date range."""
    clause = {"bool": {"must": [to_dsl(query)]}}
    if request.date_from or request.date_to:
        bounds = {}
        if request.date_from:
            bounds["gte"] = request.date_from.isoformat()
        if request.date_to:
            bounds["lte"] = request.date_to.isoformat()
        clause["bool"]["filter"] = [{"range": {"date": bounds}}]
    return clause


def sort(request: SearchRequest, query) -> list:
    """Relevance (ties by id), or date with the undated last (ties by id), as the Whoosh engine orders."""
    if request.sort == "relevance" and query is not None:
        return [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]
    order = "asc" if request.sort == "oldest" else "desc"
    return [{"date": {"order": order, "missing": "_last"}}, {"id": {"order": "asc"}}]


def _stories() -> dict:
    return {"cardinality": {"field": "story_key", "precision_threshold": STORY_PRECISION}}


def facet_limit(spec: FacetSpec, request: SearchRequest) -> int:
    return MORE_LIMIT if request.more == spec.name else request.facet_limit


def _terms(spec: FacetSpec, request: SearchRequest) -> dict:
    expanded = request.more == spec.name
    if expanded and request.more_q:  # all candidates, filtered by `index.facets._find` afterwards
        terms: dict = {"terms": {"field": spec.field, "size": MORE_Q_SCAN,
                                 "order": [{"_count": "desc"}, {"_key": "asc"}]}}
        if spec.field not in CHEAP_LABELS:
            needle = slugify(request.more_q)
            if needle:
                terms["terms"]["include"] = ".*" + lucene_prefix(needle)
        sub = _sub_aggs(spec, request)
        if sub:
            terms["aggs"] = sub
        return terms
    if spec.chronological:
        order = [{"_key": "desc"}]
    elif request.collapse:
        order = [{"stories": "desc"}, {"_key": "asc"}]
    else:
        order = [{"_count": "desc"}, {"_key": "asc"}]
    size = max(len(spec.order), 1) if spec.order else facet_limit(spec, request) + 1
    terms: dict = {"terms": {"field": spec.field, "size": size, "order": order}}
    sub = _sub_aggs(spec, request)
    if sub:
        terms["aggs"] = sub
    return terms


def aggregations(request: SearchRequest, clauses: dict[str, dict], words: tuple[str, ...]) -> dict:
    """Per facet, its values over the base and every other filter; the results' date span; word checks."""
    aggs: dict = {}
    for spec in FACET_SPECS:
        inner = {"values": _terms(spec, request)}
        selected = [v for v in (*getattr(request, spec.param), *request.excluded(spec.param)) if v != MISSING]
        if selected:
            inner["selected"] = {"terms": {"field": spec.field, "include": selected, "size": len(selected)}}
            sub = _sub_aggs(spec, request)
            if sub:
                inner["selected"]["aggs"] = sub
        if spec.missing_label:
            inner["lacking"] = {"missing": {"field": spec.field}}
            if request.collapse:
                inner["lacking"]["aggs"] = {"stories": _stories()}
        aggs[f"facet_{spec.name}"] = {"filter": _all_but(clauses, spec.name), "aggs": inner}
    results = {"first": {"min": {"field": "date", "format": "strict_date"}},
               "last": {"max": {"field": "date", "format": "strict_date"}},
               "months": _histogram(request, "month")}  # the timeline, unless its span calls for days or weeks
    if request.collapse:
        results["stories"] = _stories()
    aggs["results"] = {"filter": _all_but(clauses, None), "aggs": results}
    if words:
        aggs["known"] = {"global": {}, "aggs": {
            f"w{i}": {"filter": {"bool": {"should": [{"term": {f"{f}_stems": stem(w)}} for f in TEXT_FIELDS],
                                          "minimum_should_match": 1}}}
            for i, w in enumerate(words)}}
    return aggs


def suggesters(words: tuple[str, ...]) -> dict:
    """A term suggester per word the query typed (used only for words no article has in any form)."""
    return {f"w{i}": {"text": w, "term": {"field": "body", "suggest_mode": "missing", "max_edits": 2,
                                           "prefix_length": SUGGEST_PREFIX, "size": 1, "sort": "score"}}
            for i, w in enumerate(words)}


def highlight() -> dict:
    """Whole fields with <mark> around what the cluster matched (prefix, wildcard and fuzzy
    expansions: the words the archive's own highlighter cannot know); see `index.opensearch.hits`."""
    return {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html", "type": "unified",
            "fields": {f: {"number_of_fragments": 0} for f in HIGHLIGHTED}}


def expands(query) -> bool:
    """Whether the query holds prefix, wildcard or fuzzy terms (whose matches the cluster must mark)."""
    found = isinstance(query, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm))
    return found or (not query.is_leaf() and any(expands(c) for c in query.children()))


def search_body(request: SearchRequest, query, words: tuple[str, ...] = (), *, offset: int | None = None,
                size: int | None = None, with_aggs: bool = True, id_sets=None) -> dict:
    """The body of the search that answers `request` (hits, counts, facets, suggestions)."""
    clauses = filters(request, id_sets)
    base = base_query(request, query)
    body: dict = {
        "track_total_hits": True,
        "size": request.per_page if size is None else size,
        "sort": sort(request, query),
        "_source": {"includes": _SOURCE + (["body"] if request.highlight else [])},
    }
    if offset is not None:
        body["from"] = offset
    if request.collapse:
        body["query"] = {"bool": {"must": [base], "filter": list(clauses.values())}} if clauses else base
        body["collapse"] = {"field": "story_key", "inner_hits": {
            "name": "members", "size": MEMBERS, "_source": ["id", "outlet_name", "date"],
            "sort": [{"date": {"order": "asc", "missing": "_last"}}, {"id": {"order": "asc"}}]}}
    else:
        body["query"] = base
        if clauses:
            body["post_filter"] = _all_but(clauses, None)
        if with_aggs:
            body["aggs"] = aggregations(request, clauses, words)
    if request.highlight and query is not None and expands(query):
        body["highlight"] = highlight()
    if with_aggs and words:
        body["suggest"] = suggesters(words)
    return body


def counts_body(request: SearchRequest, query, words: tuple[str, ...] = (), id_sets=None) -> dict:
    """Facets, span and word checks alone (for collapsed searches, whose hits filter in the query)."""
    body = {"size": 0, "track_total_hits": False, "query": base_query(request, query),
            "aggs": aggregations(request, filters(request, id_sets), words)}
    if words:
        body["suggest"] = suggesters(words)
    return body


def _histogram(request: SearchRequest, interval: str) -> dict:
    hist: dict = {"date_histogram": {"field": "date", "calendar_interval": interval, "min_doc_count": 1,
                                     "format": "strict_date"}}
    if request.collapse:
        hist["aggs"] = {"stories": _stories()}
    return hist


def timeline_body(request: SearchRequest, query, interval: str, outlets: tuple[str, ...] = (),
                  id_sets=None) -> dict:
    """Bars of the current results (every filter applied) by `interval` (day, week, month, year).

    With `outlets` (request.timeline "outlets" or "shares"), also each outlet's bars over the
    results without the outlet filter, and for "shares" each outlet's whole output.
    """
    hist = _histogram(request, interval)
    clauses = filters(request, id_sets)
    aggs: dict = {"results": {"filter": _all_but(clauses, None), "aggs": {"bars": hist}}}
    if outlets:
        spec = next(s for s in FACET_SPECS if s.name == "outlet")
        per = {"filters": {"filters": {slug: _any_of(spec, (slug,)) for slug in outlets}}, "aggs": {"bars": hist}}
        aggs["lines"] = {"filter": _all_but(clauses, "outlet"), "aggs": {"outlets": per}}
        if request.timeline == "shares":
            aggs["output"] = {"global": {}, "aggs": {"outlets": per}}
    return {"size": 0, "track_total_hits": False, "query": base_query(request, query), "aggs": aggs}


def more_like_this_body(index: str, article_id: str, limit: int, stop_words: list[str]) -> dict:
    """Articles sharing the key terms of this one's body (the Whoosh engine's 12 key terms)."""
    return {"size": limit, "_source": ["id", "title", "outlet_name", "date"],
            "query": {"more_like_this": {
                "fields": ["body"], "like": [{"_index": index, "_id": article_id}],
                "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 12, "min_word_length": 3,
                "stop_words": stop_words, "include": False}}}
