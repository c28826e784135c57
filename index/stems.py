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

from breame.spelling import BRITISH_ENGLISH_SPELLINGS
from whoosh import query as wq
from whoosh.analysis import Filter
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


# --- British and American spellings ------------------------------------------------------
#
# "defence ministry" and "defense ministry" are one phrase. The text analysis
# (`index.schema.text_analyzer`, for indexing and queries alike) writes each
# British spelling as its American one, word by word, from breame's list of
# 1,730 British spellings (a maintained package, pinned): defence -> defense,
# organisation(s) -> organization(s), centre(d) -> center(ed), labour -> labor.
# Folding towards the American form gives each pair one key even where two
# British spellings share one American (yoghurt, yoghourt -> yogurt). A pair
# is left apart when the American form is another British word, so folding
# would merge two words (`NOT_FOLDED`). An OpenSearch mapping mirrors this
# with a `synonym`-style token filter over `DIALECT_PAIRS` (British -> American).

#: British spellings whose American form is a different word in British English.
NOT_FOLDED = frozenset({
    "tyre", "tyres",          # tire: to tire
    "metre", "metres",        # meter: a gas meter
    "draught",                # draft: a draft law, the military draft
    "grey", "greyed", "greys",  # Gray: a surname
    "tonne", "tonnes",        # ton: the imperial (long) ton
    "philtre",                # filter
    "groyne", "groynes",      # groin
    "bevvy", "bevvies",       # bevy: a group
    "pummelled",              # the list pairs it with "pummel"
})

#: British spelling -> American spelling, for the words that are folded.
DIALECT_PAIRS = {uk: us for uk, us in BRITISH_ENGLISH_SPELLINGS.items()
                 if uk not in NOT_FOLDED and uk.isalpha() and us.isalpha()}


def dialect(word: str) -> str:
    """The American spelling of a lowercased British one; any other word unchanged."""
    return DIALECT_PAIRS.get(word, word)


@functools.lru_cache(maxsize=4096)
def british_forms_starting(prefix: str) -> tuple[str, ...]:
    """British spellings whose American form starts with `prefix` (for the highlighter's word starts)."""
    return tuple(sorted(uk for uk, us in DIALECT_PAIRS.items() if us.startswith(prefix)))


class DialectFilter(Filter):
    """British spellings become American (see above); other tokens pass unchanged."""

    def __eq__(self, other):
        return other is not None and other.__class__ is self.__class__

    def __call__(self, tokens):
        pairs = DIALECT_PAIRS
        for token in tokens:
            found = pairs.get(token.text)
            if found is not None:
                token.text = found
            yield token
