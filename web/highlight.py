"""Marking a query's matches in a whole article body, for the article page.

The search service highlights passages of hits; the article page shows the
whole text, so it asks `index/` for the same marks over every paragraph:
the query compiled as the service compiles it, its positive terms, and the
spans those terms cover. Escaping happens in `index.highlight.render`, so
`<mark>` is the only markup in the output.
"""
from __future__ import annotations

from markupsafe import Markup

from index.highlight import Terms, mark_spans, render, terms_of
from index.query import compile_query

#: Marks per paragraph at most (a paragraph is shown whole either way).
MAX_MARKS = 2000


def query_terms(q: str) -> Terms:
    """What a query marks (nothing for an empty query)."""
    return terms_of(compile_query(q).query) if q and q.strip() else Terms()


def mark(text: str, terms: Terms) -> Markup:
    """`text` escaped, with the terms' matches wrapped in `<mark>`."""
    return Markup(render(text, mark_spans(text, terms, limit=MAX_MARKS)))
