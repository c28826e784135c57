"""The article page, its original text, and the related coverage."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for

from archive.errors import ArticleNotFound

from .. import article_page
from ..services import get_store, search_service

bp = Blueprint("article", __name__)

RELATED_LIMIT = 5


def load(article_id: str):
    """The stored article, or a 404 page."""
    try:
        return get_store().get(article_id)
    except ArticleNotFound:
        abort(404, description=f"There is no article with the id “{article_id}” in this archive.")


def search_url(**args: str) -> str:
    return url_for("search.index", **args)


@bp.get("/article/<article_id>")
def show(article_id: str):
    """One article in full, with the query's words marked when one is given."""
    article = load(article_id)
    q = request.args.get("q", "")[:1000]
    related = search_service().more_like_this(article.id, limit=RELATED_LIMIT)
    return render_template(
        "article.html", article=article, q=q,
        meta=article_page.metadata(article, search_url),
        paragraphs=article_page.paragraphs(article.body, q),
        title=article_page.title(article, q),
        groups=article_page.entity_groups(article, search_url),
        related=related,
        back=article_page.back_link(request.args, url_for("search.index")),
        json_url=url_for("api.article", article_id=article.id),
        original_url=url_for("article.original", article_id=article.id))


@bp.get("/article/<article_id>/original")
def original(article_id: str):
    """The text as ingested, unchanged, as plain text."""
    article = load(article_id)
    return Response(article.original, mimetype="text/plain")
