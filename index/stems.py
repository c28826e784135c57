"""Query-time stemming: a bare word matches the indexed words with its stem.

The text fields are indexed unstemmed (see `index.schema` for why), so a
query word stands for every term of the field whose Porter stem equals the
word's: "airstrike" finds "airstrike" and "airstrikes". The terms are found
by scanning the field's term list from the stem minus its last letter
(Porter only rewrites the end of a word: happy -> happi, sized -> size) and
keeping the terms with the same stem. That scan touches a few hundred terms
and is cached per reader (one index generation); building a whole
stem -> terms map instead costs a pass over every term of the field (about
0.3 s on Reuters-21578) before the first query of each generation.
"""
from __future__ import annotations

import functools
import threading
import weakref

from whoosh import query as wq
from whoosh.lang.porter import stem as _porter

#: Expansions remembered per reader; a reader lives for one index generation.
CACHE_PER_READER = 20_000


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Porter stem of a folded, lowercased word."""
    return _porter(word)


_cache: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def inflections(reader, field: str, stemmed: str) -> tuple[bytes, ...]:
    """The indexed terms of `field` (as bytes) whose stem is `stemmed`."""
    key = (field, stemmed)
    try:
        with _lock:
            per_reader = _cache.setdefault(reader, {})
    except TypeError:  # a reader that cannot be weakly referenced: no cache
        per_reader = {}
    found = per_reader.get(key)
    if found is not None:
        return found
    if field not in reader.schema or not stemmed:
        return ()
    found = tuple(t for t in reader.expand_prefix(field, stemmed[:-1] or stemmed)
                  if stem(t.decode("utf-8", "replace")) == stemmed)
    if len(per_reader) < CACHE_PER_READER:
        per_reader[key] = found
    return found


class Inflections(wq.ExpandingTerm):
    """Every term of `fieldname` whose Porter stem is `text` (itself a stem).

    Whoosh runs it like a fuzzy or prefix term (`_btexts` lists the real
    terms); the search service expands it the same way before matching.
    """

    def __init__(self, fieldname: str, text: str, boost: float = 1.0):
        self.fieldname = fieldname
        self.text = text
        self.boost = boost

    def __repr__(self):
        extra = f", boost={self.boost}" if self.boost != 1 else ""
        return f"{self.__class__.__name__}({self.fieldname!r}, {self.text!r}{extra})"

    def __eq__(self, other):
        return (other is not None and self.__class__ is other.__class__
                and self.fieldname == other.fieldname and self.text == other.text
                and self.boost == other.boost)

    def __hash__(self):
        return hash((self.__class__.__name__, self.fieldname, self.text, self.boost))

    def __str__(self):
        return f"{self.fieldname}:<{self.text}>"

    def _btexts(self, ixreader):
        return iter(inflections(ixreader, self.fieldname, self.text))
