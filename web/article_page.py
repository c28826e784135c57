"""What the article page shows: metadata rows, paragraphs, entity links.

Kept apart from the view so that the HTML page and its JSON twin describe
the same article the same way, and so the template only prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import Callable

from markupsafe import Markup

from archive.document import ENTITY_TYPES, Article
from index.provenance import INFERRED, MISSING, date_provenance

from . import query_args
from .highlight import mark, query_terms

__all__ = ["metadata", "paragraphs", "title", "entity_groups", "to_json", "back_link"]

ENTITY_LABELS = {"person": "People", "org": "Organisations", "place": "Places"}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class MetaRow:
    label: str
    value: str
    inferred: bool
    how: str | None = None      # the rule that inferred it
    href: str | None = None
    note: str | None = None     # a sentence on where the value comes from
    provenance: str | None = None  # for the date: explicit, inferred or missing


@dataclass(frozen=True)
class EntityLink:
    name: str
    count: int
    variants: tuple[str, ...]
    href: str


@dataclass(frozen=True)
class EntityGroup:
    type: str
    label: str
    entities: tuple[EntityLink, ...]


def _how(article: Article, name: str) -> str | None:
    origin = article.origins.get(name, "")
    return origin.partition(":")[2] or None if origin.startswith("inferred") else None


def metadata(article: Article, search_url: Callable[..., str]) -> tuple[MetaRow, ...]:
    """The metadata rows, each saying whether the value was inferred.

    The date row is always there: it says whether the source stated the
    date, which rule inferred it, or that there is none.
    """
    def row(label: str, name: str, value: object, href: str | None = None) -> MetaRow | None:
        if value in (None, ""):
            return None
        return MetaRow(label, str(value), article.is_inferred(name), _how(article, name), href)

    def date_row() -> MetaRow:
        found = date_provenance(article)
        if found.kind == MISSING:
            return MetaRow("Date", "No date found", False, note=found.explanation, provenance=found.kind)
        return MetaRow("Date", article.date.isoformat(), found.kind == INFERRED, found.rule,
                       search_url(month=article.month), note=found.explanation, provenance=found.kind)

    # the file's name only: where the server keeps its files is none of the reader's business
    source = PurePath(article.source_path).name + (f" (record {article.record})" if article.record is not None else "")
    rows = [
        row("Outlet", "outlet", article.outlet,
            search_url(outlet=article.outlet_slug) if article.outlet_slug else None),
        date_row(),
        row("News ID", "news_id", article.news_id),
        row("Language", "lang", article.lang, search_url(lang=article.lang) if article.lang else None),
        row("URL", "url", article.url,
            article.url if article.url and article.url.startswith(("http://", "https://")) else None),
        MetaRow("Source file", source, False),
        MetaRow("Format", article.fmt, False),
        MetaRow("Archive id", article.id, False),
    ]
    return tuple(r for r in rows if r is not None)


def paragraphs(body: str, q: str = "") -> tuple[Markup, ...]:
    """The body split into paragraphs, escaped, with the query's matches marked."""
    terms = query_terms(q)
    return tuple(mark(p, terms) for p in _PARAGRAPH_BREAK.split(body) if p.strip())


def title(article: Article, q: str = "") -> Markup:
    """The title, escaped, with the query's matches marked."""
    return mark(article.title, query_terms(q))


def entity_groups(article: Article, search_url: Callable[..., str]) -> tuple[EntityGroup, ...]:
    """Entities by type, most-mentioned first, each linking to a filtered search."""
    groups = []
    for etype in ENTITY_TYPES:
        ents = sorted(article.entities_of(etype), key=lambda e: (-e.count, e.name.lower()))
        if ents:
            groups.append(EntityGroup(etype, ENTITY_LABELS.get(etype, etype.title()), tuple(
                EntityLink(e.name, e.count, tuple(v for v in e.variants if v != e.name),
                           search_url(**{etype: e.slug})) for e in ents)))
    return tuple(groups)


def to_json(article: Article, related, links: dict[str, str]) -> dict:
    """The article's JSON twin: its stored fields (not the original text), the
    fields that were inferred, where the date comes from, related coverage, and links."""
    data = article.to_dict()
    data.pop("original", None)
    data["source_path"] = PurePath(article.source_path).name   # not where the server keeps its files
    data["inferred"] = sorted(name for name in article.origins if article.is_inferred(name))
    data["date_provenance"] = date_provenance(article).to_dict()
    data["related"] = [{"id": r.id, "title": r.title, "outlet": r.outlet,
                        "date": r.date.isoformat() if r.date else None, "score": r.score}
                       for r in related]
    data["links"] = links
    return data


@dataclass(frozen=True)
class BackLink:
    href: str
    q: str      # the query, when the search had one (else it was a browse with filters)


def back_link(args, search_path: str) -> BackLink | None:
    """The search this page was reached from, exactly (filters, sort, page, collapse): the
    search page's links carry it in their arguments. None when the page was reached from none."""
    state = query_args.search_state(args)
    if not state:
        return None
    return BackLink(query_args.url_with(search_path, state), (state.get("q") or "").strip())
