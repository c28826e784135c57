"""The OpenSearch index: settings and mapping mirroring `index.schema`, and its documents.

Analysis matches the Whoosh schema's: the same token pattern (words with
inner dots and apostrophes, `\\w` read as Unicode), lowercased and
accent-folded, British spellings written American (the same pairs as
`index.stems.DialectFilter`, as a one-word-to-one-word synonym filter, so
positions do not move), nothing stemmed and no stopwords dropped in `title` and
`body`, with positions for phrases. Where Whoosh stems at query time (a
bare word matches every indexed word with its Porter stem, see
`index.stems`), this index keeps the stems of each text field's words
(`title_stems`, `body_stems`), computed here with the same analyzer and the
same stemmer as the Whoosh engine's, and a bare word's stem is looked up
there. Lucene's own Porter stemmer was not used: on 40,000 distinct words of
the shared corpora it disagrees with Whoosh's on 509 of them (0.75% of the
tokens: "getting", "added", "planning", ...), and each disagreement would
be a word that misses its inflections on one engine only. Entity names are split at
hyphens, as `index.schema.name_analyzer` does. Facet values are keyword
fields holding the same slugs; display names and stored-only values are
kept in `_source` unindexed.

Only settings and query types that Elasticsearch 8 and OpenSearch 2 share
are used, so the same index works on either.
"""
from __future__ import annotations

import datetime as dt
import functools

from archive.document import ENTITY_TYPES

from ..schema import TEXT_FIELDS, text_analyzer
from ..stems import DIALECT_PAIRS, stem

#: Bump when settings or mapping change: `reindex` builds a new index with them.
MAPPING_VERSION = "5"
TITLE_BOOST = 2.5  # index.schema.TITLE_BOOST, applied at query time here
#: Keyword fields holding comma-joined lists in the Whoosh document.
LIST_FIELDS = (*ENTITY_TYPES, "cites", "spellings")
#: Between a facet value and its display name in the `*_label` fields.
LABEL_SEPARATOR = "\x1f"
#: Facet fields whose display names are kept beside them as "slug<US>name" keywords (`<field>_label`),
#: read from doc values by the facets' label lookups instead of from `_source`, which would
#: decompress a whole stored document per facet value (see `index.opensearch.request`).
LABELLED = ("outlet", *ENTITY_TYPES, "cites")
#: Highest `from + size` a plain search may reach; deeper pages walk with search_after.
MAX_RESULT_WINDOW = 10_000

_WORDS = r"(?U)\w+(?:[.'’]\w+)*"   # index.schema._TOKENS, with Java's Unicode \w
_NAMES = r"(?U)\w+"                 # index.schema.name_analyzer


def _keyword() -> dict:
    return {"type": "keyword"}


def _stored() -> dict:
    return {"type": "keyword", "index": False, "doc_values": False}


def _text() -> dict:
    return {"type": "text", "analyzer": "archive_text"}


def _stems() -> dict:
    """Stems in the text's order, one per word: term counts and lengths are the field's own (for BM25)."""
    return {"type": "text", "analyzer": "whitespace", "index_options": "freqs"}


def index_body(shards: int = 1, replicas: int = 1, max_result_window: int = MAX_RESULT_WINDOW) -> dict:
    """The settings and mappings of a new index."""
    folding = ["lowercase", "asciifolding"]
    words = [*folding, "archive_dialect"]
    properties = {
        "id": _keyword(),
        "title": _text(),
        "body": _text(),
        "title_stems": _stems(),
        "body_stems": _stems(),
        "outlet": _keyword(),
        "outlet_name": _stored(),
        "date": {"type": "date", "format": "strict_date"},
        "month": _keyword(),
        "day": _keyword(),
        "year": {"type": "integer"},
        "news_id": _keyword(),
        "url": _stored(),
        "lang": _keyword(),
        "date_provenance": _keyword(),
        "date_rule": _stored(),
        "entity_names": {"type": "object", "enabled": False},
        "cites": _keyword(),
        "cite_names": {"type": "object", "enabled": False},
        "story": _keyword(),       # the story group, "" when in none (as in Whoosh)
        "story_key": _keyword(),   # the group, or the article's own id: what collapse groups on
        "dup": _keyword(),
        "spellings": _keyword(),   # KEY|folded words of each written entity name (index.spellings)
    }
    for etype in ENTITY_TYPES:
        properties[etype] = _keyword()
        properties[f"{etype}_name"] = {"type": "text", "analyzer": "archive_names"}
    for name in LABELLED:
        properties[f"{name}_label"] = _keyword()
    return {
        "settings": {
            "index": {"number_of_shards": shards, "number_of_replicas": replicas,
                      "max_result_window": max_result_window},
            "analysis": {
                "tokenizer": {
                    "archive_words": {"type": "pattern", "pattern": _WORDS, "group": 0},
                    "archive_names": {"type": "pattern", "pattern": _NAMES, "group": 0},
                },
                "filter": {"archive_dialect": {"type": "synonym", "synonyms": dialect_rules()}},
                "analyzer": {
                    "archive_text": {"type": "custom", "tokenizer": "archive_words", "filter": words},
                    "archive_names": {"type": "custom", "tokenizer": "archive_names", "filter": folding},
                },
            },
        },
        # a field a newer schema adds is kept in _source, not refused (tests check every field is mapped)
        "mappings": {"dynamic": False, "_meta": {"mapping_version": MAPPING_VERSION},
                     "properties": properties},
    }


def dialect_rules() -> list[str]:
    """`index.stems.DIALECT_PAIRS` as synonym rules: each British spelling is replaced by the American."""
    return [f"{uk} => {us}" for uk, us in sorted(DIALECT_PAIRS.items())]


@functools.lru_cache(maxsize=1)
def _analyzer():
    """One analyzer for every document (each call yields fresh tokens, so threads may share it):
    composing it anew for each text was an eighth of a reindex's client time (py-spy)."""
    return text_analyzer()


def stems(text: str) -> str:
    """The Porter stem of each word of `text` as the Whoosh engine analyses and stems it."""
    return " ".join(stem(t.text) for t in _analyzer()(text))


def labels(doc: dict) -> dict[str, list[str]]:
    """The `<field>_label` keywords of a document (as `source` makes it): each facet value with
    its display name."""
    out = {}
    for name in LABELLED:
        if name == "outlet":
            values, names = [doc.get("outlet")] if doc.get("outlet") else [], \
                {doc.get("outlet"): doc.get("outlet_name")}
        else:
            values, names = doc.get(name) or [], doc.get("cite_names" if name == "cites" else "entity_names") or {}
        if values:
            out[f"{name}_label"] = [f"{v}{LABEL_SEPARATOR}{names.get(v) or v}" for v in values]
    return out


def label_of(pairs, value: str) -> str | None:
    """The display name of `value` among a document's `<field>_label` keywords."""
    prefix = f"{value}{LABEL_SEPARATOR}"
    return next((p[len(prefix):] for p in pairs or () if p.startswith(prefix)), None)


def source(doc: dict) -> dict:
    """The OpenSearch document for a Whoosh document (`index.schema.document_fields`).

    Reusing the Whoosh document keeps one definition of what is indexed:
    comma-joined slugs become lists, the datetime a day, empty values go.
    """
    out: dict = {}
    for key, value in doc.items():
        if key in LIST_FIELDS:
            value = [v for v in (value or "").split(",") if v]
        elif isinstance(value, dt.datetime):
            value = value.date().isoformat()
        elif isinstance(value, dt.date):
            value = value.isoformat()
        if value in ("", [], None) and key != "story":
            continue
        out[key] = value
    for field in TEXT_FIELDS:
        out[f"{field}_stems"] = stems(out.get(field) or "")
    out.update(labels(out))
    out.setdefault("story", "")
    out["story_key"] = out["story"] or f"article:{out['id']}"
    return out
