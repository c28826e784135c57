"""The Whoosh schema, declared once, and how an Article becomes a document.

Text is analysed once. `title` and `body` are indexed unstemmed (lowercased,
accent-folded, stopwords kept, with positions), so an exact phrase matches
the positions directly, and stemming happens at query time instead: a plain
word matches every indexed term of the field with the same Porter stem
(`index.stems` finds them from the term list, once per index generation).
Why: indexing each text twice (stemmed `title`/`body` plus an unstemmed
`exact` copy for phrases) halved ingest throughput on Reuters-21578 (about
700 articles/s with Whoosh's 2-process writer, against about 1,570/s for one
unstemmed field), and the ingest target is 1,000 articles/s end to end,
while finding a word's inflections at query time costs microseconds.
Accent folding only touches non-ASCII tokens (most news text is ASCII),
which is cheaper than a character map applied to every token.

Facet fields hold slugs (stable keys) in sortable columns so facet counts
read columns, not stored fields. Ids are sortable too: the search service
breaks ties by id from that column without reading stored fields. Entity
fields come in pairs: a keyword field of canonical slugs for facets and
filters, and a text field of every name and variant written, so
`person:konashenkov` matches however the article spelled it. The
`spellings` field lists each written name as ``KEY|folded words|as written``
(its transliteration key, its words as the text fields index them, the name), so a
search for one spelling finds every spelling the archive writes
(`index.spellings`).
"""
from __future__ import annotations

import datetime as dt
import functools
import unicodedata

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

from archive.coverage.store import IndexExtras
from archive.document import ENTITY_TYPES, Article

from .provenance import date_provenance
from .spellings import spelling_term
from .stems import DialectFilter

#: Bump when the schema or analyzers change: the writer then rebuilds the index.
SCHEMA_VERSION = "10"

TITLE_BOOST = 2.5
#: Fields a bare word searches; indexed unstemmed, stemmed at query time.
TEXT_FIELDS = ("title", "body")

_TOKENS = r"\w+(?:[.'’]\w+)*"


@functools.lru_cache(maxsize=100_000)
def _fold_non_ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # letters NFKD leaves alone (ø, ł, ß, æ ...) still have an ASCII spelling
    return stripped if stripped.isascii() else stripped.translate(accent_map)


def fold(text: str) -> str:
    """`text` without accents ("Erdoğan" -> "Erdogan"); ASCII text is returned as is."""
    return text if text.isascii() else _fold_non_ascii(text)


class FoldFilter(Filter):
    """Accent folding that costs nothing for the (many) ASCII tokens."""

    def __eq__(self, other):
        return other is not None and other.__class__ is self.__class__

    def __call__(self, tokens):
        for token in tokens:
            if not token.text.isascii():
                token.text = _fold_non_ascii(token.text)
            yield token


def text_analyzer():
    """Words, lowercased, accent-folded and British spellings written American (`index.stems.DialectFilter`:
    "defence" is indexed and searched as "defense"); nothing stemmed, no stopwords dropped."""
    return RegexTokenizer(_TOKENS) | LowercaseFilter() | FoldFilter() | DialectFilter()


#: Phrases and exact words are folded the way the text fields were indexed.
exact_analyzer = text_analyzer


def name_analyzer():
    """Entity names: words, lowercased, accent-folded, hyphens split."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | FoldFilter()


_TEXT_ANALYZER = text_analyzer()


def build_schema() -> Schema:
    schema = Schema(
        id=ID(stored=True, unique=True, sortable=True),  # sortable: the tie-break column
        title=TEXT(stored=True, analyzer=text_analyzer(), field_boost=TITLE_BOOST, phrase=True),
        body=TEXT(stored=True, analyzer=text_analyzer(), phrase=True),
        outlet=ID(stored=True, sortable=True),          # slug
        outlet_name=STORED(),
        date=DATETIME(stored=True, sortable=True),
        month=ID(stored=True, sortable=True),            # YYYY-MM
        day=ID(sortable=True),                           # YYYY-MM-DD
        year=NUMERIC(sortable=True),
        news_id=ID(stored=True),
        url=STORED(),
        lang=ID(stored=True, sortable=True),
        date_provenance=ID(stored=True, sortable=True),  # explicit, inferred or missing
        date_rule=STORED(),                               # for inferred dates, the rule that inferred it
    )
    for etype in ENTITY_TYPES:
        schema.add(etype, KEYWORD(stored=True, commas=True, lowercase=False, scorable=False))
        schema.add(f"{etype}_name", TEXT(analyzer=name_analyzer(), phrase=True))
    schema.add("entity_names", STORED())  # {slug: display name} for facet labels
    schema.add("spellings", KEYWORD(commas=True, lowercase=False, scorable=False))  # see index.spellings
    # coverage (archive.coverage.store.index_extras): cited sources, story group, copy flag
    schema.add("cites", KEYWORD(stored=True, commas=True, lowercase=False, scorable=False))
    schema.add("cite_names", STORED())  # {slug: display name} for facet labels
    schema.add("story", ID(stored=True, sortable=True))  # smallest member id of the story group
    schema.add("dup", ID(sortable=True))                 # "1": an exact copy of a smaller-id member
    # Not here: the ids of the articles it shares passages with. They change with nearly every
    # add, so searches read them from the store (index.partners) and an add writes new documents only.
    return schema


def document_fields(article: Article, extra: IndexExtras | None = None) -> dict:
    """The Whoosh document for an article (keyword arguments for add_document).

    `extra` carries what the coverage tables know of the article (cited
    sources, story group, exact-copy flag); the article itself does not.
    """
    provenance = date_provenance(article)
    doc = {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "outlet": article.outlet_slug or "",
        "outlet_name": article.outlet or "",
        "news_id": article.news_id or "",
        "url": article.url or "",
        "lang": article.lang or "",
        "month": article.month or "",
        "day": article.date.isoformat() if article.date else "",
        "date_provenance": provenance.kind,
        "date_rule": provenance.rule or "",
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
    doc["spellings"] = ",".join(dict.fromkeys(
        term for e in article.entities for n in (e.name, *e.variants)
        if (term := spelling_term(n, [t.text for t in _TEXT_ANALYZER(n)])) and "," not in term))
    extra = extra or IndexExtras()
    doc["cites"] = ",".join(slug for slug, _ in extra.cites)
    doc["cite_names"] = dict(extra.cites)
    doc["story"] = extra.story
    doc["dup"] = "1" if extra.duplicate else ""
    return {k: v for k, v in doc.items()
            if v != "" or k in ("outlet", "lang", "month", "day", "story", "dup")}
