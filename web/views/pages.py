"""The help page (query language, live examples, archive stats) and OpenSearch."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, url_for

from .. import exports, help_examples
from ..services import search_service
from .api import archive_stats

bp = Blueprint("pages", __name__)


@bp.get("/help")
def help_page():
    """How to search, with examples, and what the archive holds."""
    found = help_examples.examples(search_service().search)
    return render_template("help.html", examples=[
        (e, url_for("search.index", q=e.query) if e.query else None) for e in found],
        stats=archive_stats(), export_columns=exports.COLUMNS)


@bp.get("/opensearch.xml")
def opensearch():
    """Lets a browser add the archive as a search engine."""
    xml = render_template("opensearch.xml",
                          search_url=url_for("search.index", _external=True),
                          home_url=url_for("search.index", _external=True))
    return Response(xml, mimetype="application/opensearchdescription+xml")
