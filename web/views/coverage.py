"""Coverage pages: compare articles side by side, and who cites whom.

- `/compare?id=A&id=B[&id=C&id=D]`: the texts in columns, shared passages
  aligned in the same row and marked with the texts that share them, each
  text's own words in rows of their own (`archive.coverage.align`).
- `/sources`: publishers (rows) by cited sources (columns), each count
  linking to the articles.
- the article page's "Same story elsewhere", "Shares passages with" and
  "Sources cited" (a template global, so the article view needs no change)
  and their JSON.

Each page has a JSON twin under /api built from the same data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from archive.coverage import align
from archive.coverage import store as coverage_store
from archive.coverage.firsts import ReuseGraph, reuse_graph
from archive.coverage.groups import DUPLICATE, REPOST, REWRITE, SHARED_WIRE_TEXT
from archive.document import Article
from index.query import parse_request

from ..services import get_store, matching_ids

bp = Blueprint("coverage", __name__)

MIN_COMPARE = 2
MAX_COMPARE = 4
LETTERS = "ABCD"
#: Columns the sources matrix shows at most (the most cited sources).
MAX_SOURCE_COLUMNS = 40

KIND_LABELS = {DUPLICATE: "duplicate", REPOST: "repost", SHARED_WIRE_TEXT: "shared wire text",
               REWRITE: "rewrite"}


def coverage_db():
    """The request's store, with the coverage tables present."""
    store = get_store()
    coverage_store.ensure_schema(store)
    return store


#: Request arguments that narrow a search (the sources page honours them).
SEARCH_ARGS = ("q", "outlet", "person", "org", "place", "cites", "lang", "month", "from", "to")


def source_search_url(source_slug: str, outlet_slug: str | None = None,
                      within: dict[str, list[str]] | None = None) -> str:
    """A search for the articles that cite a source (the `cites` facet), by one outlet if given,
    within the search `within` (its arguments) when there is one."""
    args: dict[str, list[str] | str] = {k: v for k, v in (within or {}).items() if k not in ("cites", "outlet")}
    args["cites"] = source_slug
    if outlet_slug:
        args["outlet"] = outlet_slug
    return url_for("search.index", **args)


def _search_scope() -> tuple[dict[str, list[str]], list[str] | None, bool]:
    """The current search's arguments, the ids it matches (None: no search) and whether capped."""
    within = {k: v for k in SEARCH_ARGS if (v := [x for x in request.args.getlist(k) if x.strip()])}
    if not within:
        return {}, None, False
    ids, capped = matching_ids(parse_request(request.args), current_app.config["EXPORT_ROW_CAP"])
    return within, ids, capped


# --- the article page ----------------------------------------------------------

@dataclass(frozen=True)
class StoryItem:
    link: coverage_store.LinkedArticle
    label: str
    href: str
    compare_href: str

    @property
    def percent(self) -> int:
        return round(100 * self.link.share)


#: How the article page says which of two articles had their shared passages first.
FIRST_LABELS = {coverage_store.THIS_FIRST: "this article was first",
                coverage_store.OTHER_FIRST: "that article was first",
                coverage_store.SAME_DAY: "published the same day",
                coverage_store.UNDATED: "which came first is unknown (a date is missing)"}


@dataclass(frozen=True)
class ShareItem:
    share: coverage_store.SharingArticle
    href: str
    compare_href: str

    @property
    def percent(self) -> int:
        return max(1, round(100 * self.share.share))

    @property
    def first_label(self) -> str:
        return FIRST_LABELS[self.share.first]


def share_items(article: Article) -> list[ShareItem]:
    """The articles sharing passages with this one, most shared words first."""
    return [ShareItem(s, url_for("article.show", article_id=s.id),
                      url_for("coverage.compare", id=[article.id, s.id]))
            for s in coverage_store.shares_of(coverage_db(), article)]


@dataclass(frozen=True)
class SourceItem:
    name: str
    slug: str
    kind: str
    phrases: tuple[str, ...]
    href: str

    def to_dict(self) -> dict:
        return {"name": self.name, "slug": self.slug, "kind": self.kind, "phrases": list(self.phrases),
                "count": len(self.phrases), "search": self.href}


def story_items(article_id: str) -> list[StoryItem]:
    """The other articles of this one's story, earliest first."""
    return [StoryItem(link, KIND_LABELS.get(link.kind, link.kind),
                      url_for("article.show", article_id=link.id),
                      url_for("coverage.compare", id=[article_id, link.id]))
            for link in coverage_store.links_of(coverage_db(), article_id)]


def source_items(article_id: str) -> list[SourceItem]:
    """The sources one article cites, in order of first citation, with the phrases used."""
    by_slug: dict[str, list] = {}
    for c in coverage_store.citations_of(coverage_db(), article_id):
        by_slug.setdefault(c.source_slug, []).append(c)
    return [SourceItem(cs[0].source_name, slug, cs[0].kind, tuple(c.phrase for c in cs),
                       source_search_url(slug)) for slug, cs in by_slug.items()]


@dataclass(frozen=True)
class ArticleCoverage:
    stories: list[StoryItem]
    shares: list[ShareItem]
    sources: list[SourceItem]
    shares_search: str  # the search for every article sharing passages with this one


@bp.app_template_global()
def article_coverage(article: Article) -> ArticleCoverage:
    """What the article page's coverage sections show."""
    return ArticleCoverage(story_items(article.id), share_items(article), source_items(article.id),
                           url_for("search.index", shares=article.id))


def article_coverage_json(article: Article) -> dict:
    """`stories`, `shares` and `cites` for the article's JSON twin."""
    article_id = article.id
    return {"stories": [dict(s.link.to_dict(), label=s.label,
                             links={"html": url_for("article.show", article_id=s.link.id, _external=True),
                                    "compare": url_for("coverage.compare", id=[article_id, s.link.id],
                                                       _external=True)})
                        for s in story_items(article_id)],
            "shares": [dict(s.share.to_dict(),
                            links={"html": url_for("article.show", article_id=s.share.id, _external=True),
                                   "compare": url_for("coverage.compare", id=[article_id, s.share.id],
                                                      _external=True)})
                       for s in share_items(article)],
            "cites": [s.to_dict() for s in source_items(article_id)]}


# --- compare ---------------------------------------------------------------------

def requested_ids() -> list[str]:
    """The distinct `id` arguments, in order; a 400 unless there are 2 to 4."""
    ids = list(dict.fromkeys(i.strip() for i in request.args.getlist("id") if i.strip()))
    if not MIN_COMPARE <= len(ids) <= MAX_COMPARE:
        abort(400, description=f"Compare needs {MIN_COMPARE} to {MAX_COMPARE} different articles "
                               f"(give them as ?id=…&id=…); {len(ids)} given.")
    return ids


def load_articles(ids: list[str]) -> list[Article]:
    found = get_store().get_many(ids)
    for article_id in ids:
        if article_id not in found:
            abort(404, description=f"There is no article with the id “{article_id}” in this archive.")
    return [found[i] for i in ids]


@dataclass(frozen=True)
class Piece:
    """A stretch of one column's text; `shared_with` names the other columns having it."""

    text: str
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class CompareRow:
    kind: str  # "shared" or "own"
    cells: tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class CompareColumn:
    letter: str
    article: Article
    href: str
    own_share: float  # share of the text's characters shared with no other column


def _pieces(column, start: int, end: int) -> tuple[Piece, ...]:
    """The column's marked segments clipped to [start, end)."""
    out = []
    for seg in column:
        lo, hi = max(seg.start, start), min(seg.end, end)
        if lo < hi:
            out.append(Piece(seg.text[lo - seg.start:hi - seg.start],
                             tuple(LETTERS[k] for k in seg.shared_with)))
    return tuple(out)


def _own_share(column) -> float:
    total = sum(len(s.text.strip()) for s in column)
    own = sum(len(s.text.strip()) for s in column if not s.shared)
    return own / total if total else 0.0


def comparison(articles: list[Article]):
    """The alignment of the articles' bodies, and the page's columns and rows."""
    alignment = align([a.body for a in articles])
    columns = [CompareColumn(LETTERS[i], a, url_for("article.show", article_id=a.id),
                             _own_share(alignment.columns[i])) for i, a in enumerate(articles)]
    rows = [CompareRow(row.kind, tuple(
        tuple(p for seg in cell for p in _pieces(alignment.columns[k], seg.start, seg.end))
        for k, cell in enumerate(row.cells))) for row in alignment.rows]
    return alignment, columns, rows


def _article_json(letter: str, article: Article) -> dict:
    return {"letter": letter, "id": article.id, "title": article.title, "outlet": article.outlet,
            "date": article.date.isoformat() if isinstance(article.date, (dt.date, dt.datetime)) else None,
            "links": {"html": url_for("article.show", article_id=article.id, _external=True)}}


#: The who-had-it-first drawing: horizontal step between articles, and its height.
GRAPH_STEP = 110
GRAPH_HEIGHT = 120


@dataclass(frozen=True)
class GraphNode:
    number: int
    node: object  # archive.coverage.firsts.Node
    x: int
    href: str


@dataclass(frozen=True)
class GraphEdge:
    source: GraphNode
    target: GraphNode
    words: int
    directed: bool

    @property
    def path(self) -> str:
        """An arc above the timeline from source to target (SVG path data)."""
        x0, x1 = self.source.x, self.target.x
        lift = min(40, 12 + abs(x1 - x0) // 8)  # ends on the circles' tops (cy 70, r 12)
        return f"M {x0} 58 Q {(x0 + x1) // 2} {58 - 2 * lift} {x1} 58"


@dataclass(frozen=True)
class GraphView:
    """The reuse graph laid out on a timeline: earliest article on the left."""

    graph: ReuseGraph
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    width: int
    height: int = GRAPH_HEIGHT

    def reused_by(self, node: GraphNode) -> list[GraphEdge]:
        return [e for e in self.edges if e.directed and e.source is node]

    def undirected(self, node: GraphNode) -> list[GraphEdge]:
        return [e for e in self.edges if not e.directed and node in (e.source, e.target)]


def graph_view(graph: ReuseGraph) -> GraphView:
    nodes = tuple(GraphNode(i + 1, n, 40 + GRAPH_STEP * i, url_for("article.show", article_id=n.id))
                  for i, n in enumerate(graph.nodes))
    by_id = {n.node.id: n for n in nodes}
    edges = tuple(GraphEdge(by_id[e.source], by_id[e.target], e.words, e.directed) for e in graph.edges)
    return GraphView(graph, nodes, edges, 80 + GRAPH_STEP * max(0, len(nodes) - 1))


@bp.get("/compare")
def compare():
    """Two to four articles side by side, shared passages aligned and marked."""
    ids = requested_ids()
    articles = load_articles(ids)
    _, columns, rows = comparison(articles)
    return render_template("compare.html", columns=columns, rows=rows,
                           reuse=graph_view(reuse_graph(coverage_db(), ids)),
                           json_url=url_for("coverage.api_compare", id=ids))


@bp.get("/api/compare")
def api_compare():
    """The compare page's data: the articles, passages, columns and rows."""
    ids = requested_ids()
    articles = load_articles(ids)
    alignment, _, _ = comparison(articles)
    data = {"articles": [_article_json(LETTERS[i], a) for i, a in enumerate(articles)]}
    data.update(alignment.to_dict())
    data["first_graph"] = reuse_graph(coverage_db(), ids).to_dict()
    return jsonify(data)


# --- sources ---------------------------------------------------------------------

@dataclass(frozen=True)
class MatrixSource:
    name: str
    slug: str
    kind: str
    articles: int


@dataclass(frozen=True)
class MatrixCell:
    count: int
    href: str | None


@dataclass(frozen=True)
class MatrixRow:
    outlet: str
    outlet_slug: str | None
    total: int  # citing articles summed over sources
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True)
class SourcesMatrix:
    sources: tuple[MatrixSource, ...]
    rows: tuple[MatrixRow, ...]
    hidden_sources: int  # cited sources beyond MAX_SOURCE_COLUMNS

    def to_dict(self) -> dict:
        return {
            "sources": [s.__dict__ for s in self.sources],
            "outlets": [{"outlet": r.outlet, "outlet_slug": r.outlet_slug, "total": r.total,
                         "cells": {s.slug: {"count": c.count, "search": c.href}
                                   for s, c in zip(self.sources, r.cells) if c.count}}
                        for r in self.rows],
            "hidden_sources": self.hidden_sources,
        }


def sources_matrix(counts: list[coverage_store.CitationCount],
                   max_sources: int = MAX_SOURCE_COLUMNS,
                   within: dict[str, list[str]] | None = None) -> SourcesMatrix:
    """Publishers by cited sources, both ordered by citing articles, most first."""
    by_source: dict[str, MatrixSource] = {}
    by_outlet: dict[tuple[str, str | None], dict[str, int]] = {}
    for c in counts:
        known = by_source.get(c.source_slug)
        by_source[c.source_slug] = MatrixSource(c.source_name, c.source_slug, c.kind,
                                                c.articles + (known.articles if known else 0))
        by_outlet.setdefault((c.outlet, c.outlet_slug), {})[c.source_slug] = c.articles
    ranked = sorted(by_source.values(), key=lambda s: (-s.articles, s.name.lower()))
    shown = tuple(ranked[:max_sources])
    rows = []
    for (outlet, slug), cited in by_outlet.items():
        cells = tuple(MatrixCell(cited.get(s.slug, 0),
                                 source_search_url(s.slug, slug, within) if cited.get(s.slug) else None)
                      for s in shown)
        rows.append(MatrixRow(outlet, slug, sum(cited.values()), cells))
    rows.sort(key=lambda r: (-r.total, r.outlet.lower()))
    return SourcesMatrix(shown, tuple(rows), len(ranked) - len(shown))


@bp.get("/sources")
def sources():
    """Which outlets cite which sources: a matrix of citing-article counts (within a search if given)."""
    within, ids, capped = _search_scope()
    matrix = sources_matrix(coverage_store.citation_counts(coverage_db(), ids), within=within)
    return render_template("sources.html", matrix=matrix, within=within, scoped=ids is not None,
                           matched=len(ids or ()), capped=capped,
                           search_url=url_for("search.index", **within),
                           json_url=url_for("coverage.api_sources", **within))


@bp.get("/api/sources")
def api_sources():
    """The sources matrix as JSON (within a search if given)."""
    within, ids, capped = _search_scope()
    data = sources_matrix(coverage_store.citation_counts(coverage_db(), ids), within=within).to_dict()
    data["search"] = {"arguments": within, "matched": len(ids) if ids is not None else None, "capped": capped}
    base = request.host_url.rstrip("/")   # absolute links, as /api/search gives
    for row in data["outlets"]:
        for cell in row["cells"].values():
            if cell["search"]:
                cell["search"] = base + cell["search"]
    return jsonify(data)
