"""Bounded expansion of prefix, wildcard and fuzzy terms against the index.

Whoosh expands `a*` into every term starting with "a" (tens of thousands on a
large archive) and scores them all. Here each such term becomes an OR of at
most `MAX_EXPANSIONS` real terms, the most frequent of the first
`MAX_SCANNED` candidates, so one cheap-looking query cannot stall a shared
server. The expanded query also tells the highlighter which words to mark.
"""
from __future__ import annotations

import itertools

from whoosh import query as wq
from whoosh.reading import TermNotFound

MAX_EXPANSIONS = 50
MAX_SCANNED = 2000
MULTI_TERM = (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)


def _candidates(q: wq.Query, reader) -> list[bytes]:
    """Up to MAX_SCANNED indexed terms `q` stands for.

    A field this index has no term list for has no candidates; any other
    failure is the search's to report (it propagates), never "no matches".
    """
    field = reader.schema[q.fieldname] if q.fieldname in reader.schema else None
    if field is None or not getattr(field, "indexed", True):
        return []
    try:
        return list(itertools.islice(q._btexts(reader), MAX_SCANNED))
    except TermNotFound:  # the field holds no terms in this index
        return []


def _expand_one(q: wq.Query, reader) -> wq.Query:
    field = q.fieldname
    texts = _candidates(q, reader)
    if len(texts) > MAX_EXPANSIONS:
        texts = sorted(texts, key=lambda t: (-reader.doc_frequency(field, t), t))[:MAX_EXPANSIONS]
    terms = [wq.Term(field, t.decode("utf-8") if isinstance(t, bytes) else t, boost=q.boost)
             for t in sorted(texts)]
    if not terms:
        return wq.NullQuery
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def expand(q: wq.Query | None, reader) -> wq.Query | None:
    """`q` with every prefix, wildcard and fuzzy term replaced by real terms."""
    if q is None:
        return None
    if isinstance(q, MULTI_TERM):
        return _expand_one(q, reader)
    if q.is_leaf():
        return q
    return q.apply(lambda child: expand(child, reader)).normalize()
