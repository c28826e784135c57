"""The search page: results, facets, chips, histogram, pagination."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from index.query import InvalidRequest

from .. import article_page, search_page
from ..services import run_search

bp = Blueprint("search", __name__)


@bp.app_template_global()
def search_back_link():
    """The search the current page was reached from (its arguments carry it), or None."""
    return article_page.back_link(request.args, url_for("search.index"))


@bp.get("/")
@bp.get("/search")
def index():
    """Search, or browse the whole archive when the query is empty."""
    args, error = request.args, None
    try:
        result = run_search(args)
    except InvalidRequest as exc:
        if not exc.params:
            raise
        error, args = search_page.form_error(exc, request.args)
        result = run_search(args)  # the search without the faulty fields; the form says why
    page = search_page.build(
        result, url_for("search.index"), args, form_error=error,
        json_path=url_for("api.search"), csv_path=url_for("export.csv"),
        jsonl_path=url_for("export.jsonl"), sources_path=url_for("coverage.sources"),
        timeline_csv_path=url_for("export.timeline"),
        article_path=lambda article_id: url_for("article.show", article_id=article_id))
    return render_template("search.html", page=page, sorts=search_page.SORT_LABELS,
                           export_cap=current_app.config["EXPORT_ROW_CAP"])
