"""Our query language, as parsed by `index.query.compile_query`, in the query DSL.

The archive's parser (Whoosh's, configured in `index.query`) reads the
query text once for both engines, so the language, its fallbacks and its
friendly notices are the same; this module only rewrites the parsed tree
into DSL clauses. Nothing is handed to `query_string`, whose syntax errors
would surface as failed searches.

Leaves map to clauses on the fields of `index.opensearch.mapping`: a bare
word (`index.stems.Inflections`, already a Porter stem) is a `term` on the
field's stems (`title_stems`, `body_stems`); exact words and phrases are `term` /
`match_phrase` on the unstemmed field (their words are already folded);
prefix, wildcard and fuzzy terms expand to at most
`index.expand.MAX_EXPANSIONS` terms, as in Whoosh; dates and years are
ranges. Title clauses carry the schema's title boost. A query node this
module does not know raises `UntranslatableQuery` rather than being
dropped, so a search never silently means something else.
"""
from __future__ import annotations

import functools

from whoosh import query as wq
from whoosh.util.times import long_to_datetime

from ..expand import MAX_EXPANSIONS
from ..schema import build_schema
from ..stems import Inflections
from .mapping import TITLE_BOOST

#: Fields whose words are searched with the title boost.
_BOOSTED = {"title": TITLE_BOOST}
_REWRITE = f"top_terms_{MAX_EXPANSIONS}"


class UntranslatableQuery(ValueError):
    """A parsed query holds a part the OpenSearch engine cannot express."""


def _boost(field: str, boost: float = 1.0) -> float:
    return round(float(boost) * _BOOSTED.get(field.split(".")[0], 1.0), 4)


def _with_boost(clause: dict, field: str, boost: float) -> dict:
    b = _boost(field, boost)
    if b != 1.0:
        kind, body = next(iter(clause.items()))
        if kind in ("term", "prefix", "wildcard", "fuzzy", "match_phrase"):
            next(iter(body.values()))["boost"] = b
        else:
            body["boost"] = b
    return clause


def _term(field: str, value) -> dict:
    return {"term": {field: {"value": value}}}


@functools.lru_cache(maxsize=1)
def _year_field():
    return build_schema()["year"]


def _day(value: int | None) -> str | None:
    """A Whoosh DATETIME bound as the day it falls on (the index holds days)."""
    return None if value is None else long_to_datetime(value).date().isoformat()


def _range(q) -> dict:
    field = q.fieldname
    bounds: dict = {}
    if field == "date":
        start, end = _day(q.start), _day(q.end)
    elif field == "year":
        start, end = q.start, q.end
    else:
        start = q.start.decode() if isinstance(q.start, bytes) else q.start
        end = q.end.decode() if isinstance(q.end, bytes) else q.end
    if start is not None:
        bounds["gt" if q.startexcl else "gte"] = start
    if end is not None:
        bounds["lt" if q.endexcl else "lte"] = end
    return {"range": {field: bounds}} if bounds else {"exists": {"field": field}}


def _leaf(q: wq.Query) -> dict:
    field = getattr(q, "fieldname", None)
    boost = getattr(q, "boost", 1.0)
    if isinstance(q, Inflections):
        return _with_boost(_term(f"{field}_stems", q.text), field, boost)
    if isinstance(q, wq.FuzzyTerm):
        return _with_boost({"fuzzy": {field: {"value": q.text, "fuzziness": int(q.maxdist),
                                              "prefix_length": int(q.prefixlength),
                                              "max_expansions": MAX_EXPANSIONS, "transpositions": False,
                                              "rewrite": _REWRITE}}}, field, boost)
    if isinstance(q, wq.Prefix):
        return _with_boost({"prefix": {field: {"value": q.text, "rewrite": _REWRITE}}}, field, boost)
    if isinstance(q, wq.Wildcard):
        return _with_boost({"wildcard": {field: {"value": q.text, "rewrite": _REWRITE}}}, field, boost)
    if isinstance(q, wq.Phrase):
        return _with_boost({"match_phrase": {field: {"query": " ".join(q.words),
                                                     "slop": max(0, int(q.slop) - 1)}}}, field, boost)
    if isinstance(q, (wq.NumericRange, wq.TermRange)):
        return _range(q)
    if isinstance(q, wq.Every):
        return {"match_all": {}} if not field or field == "*" else {"exists": {"field": field}}
    if type(q) is wq.Term:
        value = q.text
        if field == "year":
            value = _year_field().from_bytes(value) if isinstance(value, bytes) else int(value)
        elif isinstance(value, bytes):
            value = value.decode("utf-8")
        return _with_boost(_term(field, value), field, boost)
    raise UntranslatableQuery(f"the query part {q!r} has no OpenSearch equivalent")


def to_dsl(q: wq.Query | None) -> dict:
    """The DSL for a compiled query; None (browse) matches every article."""
    if q is None:
        return {"match_all": {}}
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        return {"match_none": {}}
    if isinstance(q, wq.Not):
        return {"bool": {"must_not": [to_dsl(q.query)]}}
    if isinstance(q, wq.And):
        must, must_not = [], []
        for sub in q.subqueries:
            if isinstance(sub, wq.Not):
                must_not.append(to_dsl(sub.query))
            else:
                must.append(to_dsl(sub))
        out: dict = {}
        if must:
            out["must"] = must
        if must_not:
            out["must_not"] = must_not
        return {"bool": out}
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        return {"bool": {"should": [to_dsl(sub) for sub in q.subqueries], "minimum_should_match": 1}}
    if isinstance(q, wq.AndNot):
        return {"bool": {"must": [to_dsl(q.a)], "must_not": [to_dsl(q.b)]}}
    if isinstance(q, wq.AndMaybe):
        return {"bool": {"must": [to_dsl(q.a)], "should": [to_dsl(q.b)]}}
    if isinstance(q, wq.Require):
        return {"bool": {"must": [to_dsl(q.a)], "filter": [to_dsl(q.b)]}}
    if isinstance(q, wq.ConstantScoreQuery):
        return {"constant_score": {"filter": to_dsl(q.child)}}
    if q.is_leaf():
        return _leaf(q)
    raise UntranslatableQuery(f"the query part {type(q).__name__} has no OpenSearch equivalent")
