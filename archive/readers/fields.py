"""Column and key names -> article fields, shared by the CSV and JSON readers.

Datasets name the same thing many ways ("Headline", "article_title",
"publishedAt"). Names are compared after dropping case and every character
that is not a letter or digit, so "Publish Date", "publish_date" and
"publishDate" are one name. The user's `--map field=column` wins over the
conventions, and the column it names is not used for anything else.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

from ..document import RawDocument
from ..errors import BadRecord
from .encoding import repair_mojibake
from .options import MAPPABLE_FIELDS

#: Field -> accepted names (normalised), most specific first: when a record
#: has several, the first one listed wins.
CONVENTIONS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "articletitle", "heading", "newstitle"),
    "text": ("text", "content", "body", "articlecontent", "article", "articlebody",
             "articletext", "fulltext", "maintext", "bodytext", "story", "newstext"),
    "html": ("html", "rawhtml", "pagehtml"),
    "outlet": ("outlet", "source", "publisher", "publication", "site", "sitename",
               "sourcename", "newspaper", "mediaoutlet", "media"),
    "date": ("date", "published", "publishdate", "pubdate", "publishedat",
             "publicationdate", "datepublished", "publishedon", "publisheddate",
             "publishedtime", "publishtime", "datetime"),
    "url": ("url", "link", "articleurl", "sourceurl", "uri", "permalink"),
    "canonical_url": ("canonicalurl", "canonical"),
    "news_id": ("newsid", "id", "articleid", "storyid", "docid", "documentid"),
    "lang": ("lang", "language", "languagecode"),
    "author": ("author", "authors", "byline", "writer", "creator"),
}

#: Fields that are the article itself rather than hints about it.
CONTENT_FIELDS = ("text", "html")

_NOT_ALNUM = re.compile(r"[\W_]+")


def normalise_name(name: str) -> str:
    """A column or key name reduced to lower-case letters and digits."""
    return _NOT_ALNUM.sub("", name.casefold())


def resolve_column(wanted: str, columns: Iterable[str]) -> str | None:
    """The column a user meant: the exact name, else the same normalised name."""
    columns = list(columns)
    if wanted in columns:
        return wanted
    key = normalise_name(wanted)
    return next((c for c in columns if normalise_name(c) == key), None)


def plan_fields(columns: Iterable[str], column_map: Mapping[str, str]) -> dict[str, str]:
    """Field -> column for a header (or a record's keys).

    Explicit `column_map` entries whose column is absent are left out; the
    CSV reader checks for those first, because there they are a user error.
    """
    columns = [c for c in columns if isinstance(c, str)]
    plan: dict[str, str] = {}
    for name, wanted in column_map.items():
        if name not in MAPPABLE_FIELDS:
            continue  # a typo; ReadOptions.from_pairs and the CSV reader report it
        column = resolve_column(wanted, columns)
        if column is not None:
            plan[name] = column
    claimed = set(plan.values())
    by_name: dict[str, str] = {}
    for column in columns:
        if column not in claimed:
            by_name.setdefault(normalise_name(column), column)
    for name, accepted in CONVENTIONS.items():
        if name in plan:
            continue
        column = next((by_name[a] for a in accepted if a in by_name), None)
        if column is not None:
            plan[name] = column
            by_name = {k: v for k, v in by_name.items() if v != column}
    return plan


def as_hint(value: Any) -> str | None:
    """A hint as a string: lists joined, {"name": ...} objects named, blanks dropped."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = repair_mojibake(value.strip())
        return value or None
    if isinstance(value, (int, float)):
        return None if value != value else str(value)  # NaN is no value
    if isinstance(value, Mapping):
        return as_hint(value.get("name"))
    if isinstance(value, (list, tuple)):
        parts = [h for h in (as_hint(v) for v in value) if h]
        return ", ".join(parts) or None
    return None


def as_text(value: Any) -> str:
    """Article text from a string, or from a list of paragraphs."""
    if value is None:
        return ""
    if isinstance(value, str):
        return repair_mojibake(value)
    if isinstance(value, (list, tuple)):
        return "\n\n".join(p for p in (as_text(v) for v in value) if p)
    return as_hint(value) or ""


def document_from_fields(values: Mapping[str, Any], *, path: str, record: int | None,
                         fmt: str, folder: str) -> RawDocument | BadRecord:
    """One article from a record's values, already keyed by field name.

    A record with no text of its own but a raw page goes through the same
    HTML extraction as an .html file; its own values win over the page's.
    """
    hints = {"folder": folder} if folder else {}
    for name, value in values.items():
        if name not in CONTENT_FIELDS:
            hint = as_hint(value)
            if hint:
                hints[name] = hint
    text = as_text(values.get("text"))
    page = values.get("html")
    if not text.strip() and isinstance(page, str) and page.strip():
        from .html_page import page_document  # late: html_page imports lxml/trafilatura
        return page_document(page, path=path, record=record, fmt=fmt, hints=hints)
    if not text.strip() and not hints.get("title"):
        return BadRecord(path, record, "no article text (no text, content or body field, or it is empty)")
    return RawDocument(path=path, record=record, fmt=fmt, text=text, html=None, hints=hints)
