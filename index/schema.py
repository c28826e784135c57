"""The Whoosh schema, declared once, and how an Article becomes a document.

Text is indexed twice: stemmed and accent-folded for recall (`title`,
`body`), and unstemmed for exact phrases (`exact`). Facet fields hold slugs
(stable keys) in sortable columns so facet counts read columns, not stored
fields. Ids are sortable too: the search service breaks ties by id from that
column without reading stored fields. Entity fields come in pairs: a keyword field of canonical slugs for
facets and filters, and a text field of every name and variant written, so
`person:konashenkov` matches however the article spelled it.
"""
from __future__ import annotations

import datetime as dt

from whoosh.analysis import CharsetFilter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from archive.document import ENTITY_TYPES, Article

#: Bump when the schema or analyzers change: a reindex is then required.
SCHEMA_VERSION = "2"

TITLE_BOOST = 2.5

_TOKENS = r"\w+(?:[.'’]\w+)*"


def stemming_analyzer():
    """Words, lowercased, accent-folded, stopwords out, stemmed."""
    return (RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)
            | StopFilter() | StemFilter(cachesize=50000))


def exact_analyzer():
    """Words, lowercased and accent-folded only: for exact phrases."""
    return RegexTokenizer(_TOKENS) | LowercaseFilter() | CharsetFilter(accent_map)


def name_analyzer():
    """Entity names: words, lowercased, accent-folded, hyphens split."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


def build_schema() -> Schema:
    schema = Schema(
        id=ID(stored=True, unique=True, sortable=True),  # sortable: the tie-break column
        title=TEXT(stored=True, analyzer=stemming_analyzer(), field_boost=TITLE_BOOST, phrase=True),
        body=TEXT(stored=True, analyzer=stemming_analyzer(), phrase=True),
        exact=TEXT(analyzer=exact_analyzer(), phrase=True),
        outlet=ID(stored=True, sortable=True),          # slug
        outlet_name=STORED(),
        date=DATETIME(stored=True, sortable=True),
        month=ID(stored=True, sortable=True),            # YYYY-MM
        day=ID(sortable=True),                           # YYYY-MM-DD
        year=NUMERIC(sortable=True),
        news_id=ID(stored=True),
        url=STORED(),
        lang=ID(stored=True, sortable=True),
    )
    for etype in ENTITY_TYPES:
        schema.add(etype, KEYWORD(stored=True, commas=True, lowercase=False, scorable=False))
        schema.add(f"{etype}_name", TEXT(analyzer=name_analyzer(), phrase=True))
    schema.add("entity_names", STORED())  # {slug: display name} for facet labels
    return schema


def document_fields(article: Article) -> dict:
    """The Whoosh document for an article (keyword arguments for add_document)."""
    doc = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "exact": f"{article.title}\n{article.body}",
        "outlet": article.outlet_slug or "",
        "outlet_name": article.outlet or "",
        "news_id": article.news_id or "",
        "url": article.url or "",
        "lang": article.lang or "",
        "month": article.month or "",
        "day": article.date.isoformat() if article.date else "",
    }
    if article.date:
        doc["date"] = dt.datetime.combine(article.date, dt.time())
        doc["year"] = article.date.year
    names = {}
    for etype in ENTITY_TYPES:
        ents = article.entities_of(etype)
        doc[etype] = ",".join(e.slug for e in ents)
        doc[f"{etype}_name"] = "\n".join(
            dict.fromkeys(n for e in ents for n in (e.name, *e.variants)))
        names.update({e.slug: e.name for e in ents})
    doc["entity_names"] = names
    return {k: v for k, v in doc.items() if v != "" or k in ("outlet", "lang", "month", "day")}
