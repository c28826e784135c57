"""The help page (query language, live examples, archive stats) and OpenSearch."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, Response, render_template, url_for

from .. import exports
from .api import archive_stats

bp = Blueprint("pages", __name__)


@dataclass(frozen=True)
class Example:
    query: str
    explains: str
    args: tuple[tuple[str, str], ...] = ()

    @property
    def href(self) -> str:
        return url_for("search.index", q=self.query, **dict(self.args))


#: Query-language examples; each runs against the bundled sample articles.
EXAMPLES = (
    Example("airstrike", "One word; also finds airstrikes (words are stemmed)."),
    Example('"Deir ez-Zor"', "An exact phrase, in quotes."),
    Example("coalition AND Russia", "Both words (AND is the default between words)."),
    Example("ISIS OR Daesh", "Either word."),
    Example("airstrike NOT mistake", "Leave out articles with a word (or write -mistake)."),
    Example("title:audio", "A word in the title only."),
    Example("person:konashenkov", "Articles naming a person, however the name is spelled."),
    Example("place:deir", "Articles naming a place (org: works the same for organisations)."),
    Example("terror*", "Any word starting with terror."),
    Example("Konashenkov", "Sorted oldest first.", (("sort", "oldest"),)),
)


@bp.get("/help")
def help_page():
    """How to search, with examples, and what the archive holds."""
    return render_template("help.html", examples=EXAMPLES, stats=archive_stats(), export_columns=exports.COLUMNS)


@bp.get("/opensearch.xml")
def opensearch():
    """Lets a browser add the archive as a search engine."""
    xml = render_template("opensearch.xml",
                          search_url=url_for("search.index", _external=True),
                          home_url=url_for("search.index", _external=True))
    return Response(xml, mimetype="application/opensearchdescription+xml")
