"""The search page: results, facets, chips, histogram, pagination."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from .. import search_page
from ..services import run_search

bp = Blueprint("search", __name__)


@bp.get("/")
@bp.get("/search")
def index():
    """Search, or browse the whole archive when the query is empty."""
    result = run_search(request.args)
    page = search_page.build(
        result, url_for("search.index"), request.args,
        json_path=url_for("api.search"), csv_path=url_for("export.csv"),
        jsonl_path=url_for("export.jsonl"), sources_path=url_for("coverage.sources"),
        timeline_csv_path=url_for("export.timeline"),
        article_path=lambda article_id: url_for("article.show", article_id=article_id))
    return render_template("search.html", page=page, sorts=search_page.SORT_LABELS,
                           export_cap=current_app.config["EXPORT_ROW_CAP"])
