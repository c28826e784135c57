"""The JSON API: the same searches and articles as the pages, as JSON."""
from __future__ import annotations

from pathlib import PurePath

from flask import Blueprint, jsonify, request, url_for

from index.provenance import counts as date_provenance_counts

from .. import article_page
from ..services import get_store, run_search, search_service
from .article import RELATED_LIMIT, load
from .coverage import article_coverage_json

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    """Hits, facets, histogram, total, page, suggestion and timing."""
    result = run_search(request.args)
    data = result.to_dict()
    for hit in data["hits"]:
        hit["links"] = {"html": url_for("article.show", article_id=hit["id"], _external=True),
                        "json": url_for("api.article", article_id=hit["id"], _external=True)}
    return jsonify(data)


@bp.get("/article/<article_id>")
def article(article_id: str):
    """One article's metadata, body, entities and related coverage."""
    found = load(article_id)
    related = search_service().more_like_this(found.id, limit=RELATED_LIMIT)
    links = {"html": url_for("article.show", article_id=found.id, _external=True),
             "original": url_for("article.original", article_id=found.id, _external=True)}
    data = article_page.to_json(found, related, links)
    data.update(article_coverage_json(found))
    return jsonify(data)


@bp.get("/stats")
def stats():
    """What the archive holds, and the index generation being searched."""
    return jsonify(archive_stats())


def archive_stats() -> dict:
    """Store counts plus the search service's own figures."""
    service = search_service()
    store = get_store()
    data = store.stats()
    data["date_provenance"] = date_provenance_counts(store.date_origins())
    # a failed file by its name: where the server keeps its files is not the public's business
    data["failures"] = [dict(f, path=PurePath(f["path"]).name) for f in data.get("failures", [])]
    data["index"] = service.stats()
    data["generation"] = service.generation()
    return data
