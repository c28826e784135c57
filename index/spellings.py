"""Every spelling the archive writes of a name, found from whichever one is typed.

The registry (`archive/data/entities.tsv`) knows a few spellings of some
names; an archive writes many more ("DeirEzzor", "Der-Ezzor", "Deir Azour").
The general rule is `archive.entities.translit`: two spellings are one name
when they share the loose transliteration key and one of them looks
transliterated, or when they differ only in case, punctuation and spacing
(`same_name`; "Deir Ezzor" takes "Dayr al-Zawr", "Phillips" never takes
"Philips"). Each indexed document lists, in
the `spellings` field, a term ``KEY|folded words`` for every name and variant
its entities were written as, followed by ``|`` and the name as written
(see `index.schema.document_fields`). A search
for a name then looks up, in the current index generation, every spelling
with the typed name's loose key (a prefix scan of that field, cached per
reader), keeps those that are the same name as the typed one, and matches
each of them as an exact phrase besides what was typed.

A name typed as one word in lower case, its article fused in ("deirezzor",
"dayralzawr"), has no capital or hyphen to say where its words part; when
its own key finds nothing, it is read as the words an Arabic article inside
it would part it into ("deir ezzor", "dayr al zawr"), the first reading the
archive writes a spelling for (`fused_readings`).

When it applies: to an exact phrase of the query, and to a whole plain query
of up to `MAX_NAME_WORDS` words, when the typed text is name-like: written
with a capital letter, or itself a spelling the archive's entities use.
So "bit" does not turn into "Beit", but "Deir Ezzor", "deir ezzor" (a
spelling the archive knows) and "DeirEzzor" all find every spelling.

A key of fewer than `MIN_KEY_LETTERS` letters joins nothing here: with so
few letters the vowel and double-letter rules join different names
("Hess"/"Hayes", "Lee"/"Li", "Bell"/"Bill", "Wyss"/"Weiss": the short keys
among the wrong joins `bench/entities.py --merge-rate` labelled on Reuters).
Acronyms ("=us") key on their exact letters and are exempt.
"""
from __future__ import annotations

import re
import threading
import weakref

from whoosh import query as wq

from archive.entities.translit import STANDALONE_ARTICLES, same_name, variant_key

FIELD = "spellings"
SEPARATOR = "|"
MAX_NAME_WORDS = 5
MIN_KEY_LETTERS = 4
#: Spellings one name expands to at most (the most frequent first).
MAX_SPELLINGS = 40

_cache: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def spelling_term(name: str, folded_words: list[str]) -> str | None:
    """The `spellings` term of one written name, or None when it has no key or words."""
    key = variant_key(name)
    written = " ".join(name.split())
    if not key or not folded_words or SEPARATOR in written:
        return None
    return f"{key}{SEPARATOR}{' '.join(folded_words)}{SEPARATOR}{written}"


def archive_spellings(reader, name: str) -> tuple[str, ...]:
    """The folded spellings (words joined by spaces) the archive writes for `name`'s key."""
    return tuple(folded for folded, _ in written_spellings(reader, name))


def written_spellings(reader, name: str) -> tuple[tuple[str, str], ...]:
    """(folded words, as most often written) of each spelling the archive writes of `name` (`same_name`)."""
    for reading in (name, *fused_readings(name)):
        found = _same_name_spellings(reader, reading)
        if found:
            return found
    return ()


#: The shortest word parts a fused reading leaves on either side of the article.
MIN_FUSED_PART = 3


def fused_readings(name: str) -> tuple[str, ...]:
    """Readings of a one-word name with an Arabic article fused inside it, most likely first.

    Only the article forms that are no English word (`STANDALONE_ARTICLES`:
    al, el, az, ez, ad, ...) part a word, so "government" is not read as
    "gov er nment"; a reading is used only when the archive writes it.

    >>> fused_readings("deirezzor")[:2]
    ('deir ezzor', 'deir ez zor')
    """
    word = name.strip()
    if not word.isalpha() or any(c.isupper() for c in word[1:]):
        return ()
    low = word.casefold()
    out: list[str] = []
    for i in range(MIN_FUSED_PART, len(low) - MIN_FUSED_PART + 1):
        for article in sorted(STANDALONE_ARTICLES, key=len, reverse=True):
            rest = low[i + len(article):]
            if low.startswith(article, i) and len(rest) >= 2:
                out += [f"{low[:i]} {low[i:]}", f"{low[:i]} {article} {rest}"]
    return tuple(dict.fromkeys(out))


def _same_name_spellings(reader, name: str) -> tuple[tuple[str, str], ...]:
    key = variant_key(name)
    if not key or FIELD not in reader.schema or (len(key) < MIN_KEY_LETTERS and not key.startswith("=")):
        return ()
    counts = _key_spellings(reader, key)
    kept = {folded: ways for folded, ways in counts.items() if any(same_name(name, w) for w in ways)}
    ranked = sorted(kept.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:MAX_SPELLINGS]
    return tuple((folded, max(ways, key=lambda w: (ways[w], w))) for folded, ways in ranked)


def _key_spellings(reader, key: str) -> dict[str, dict[str, int]]:
    """Every spelling in the archive with loose key `key`: folded words -> {as written: documents}."""
    try:
        with _lock:
            per_reader = _cache.setdefault(reader, {})
    except TypeError:
        per_reader = {}
    found = per_reader.get(key)
    if found is None:
        prefix = f"{key}{SEPARATOR}"
        found = {}
        for t in reader.expand_prefix(FIELD, prefix):
            folded, _, written = t.decode("utf-8")[len(prefix):].partition(SEPARATOR)
            found.setdefault(folded, {})[written or folded] = reader.doc_frequency(FIELD, t)
        if len(per_reader) < 20_000:
            per_reader[key] = found
    return found


def _name_like(text: str, folded: str, known: tuple[str, ...]) -> bool:
    return any(c.isupper() for c in text) or folded in known


def _fused_reading_found(reader, text: str) -> bool:
    """Whether `text` is found only as a fused reading (then it is name-like: an article parts it)."""
    return not _same_name_spellings(reader, text) and any(_same_name_spellings(reader, r) for r in fused_readings(text))


def spellings_for(reader, text: str, fold) -> tuple[str, ...]:
    """Archive spellings of `text` other than `text` itself, when `text` is name-like.

    `fold` turns text into the index's words (as the text fields were analysed).
    """
    folded = " ".join(fold(text))
    if not folded:
        return ()
    known = archive_spellings(reader, text)
    if not known or not (_name_like(text, folded, known) or _fused_reading_found(reader, text)):
        return ()
    return tuple(s for s in known if s != folded)


_QUOTED = re.compile(r'"([^"]+)"')


def also_written(reader, text: str, fold, plain: bool) -> tuple[str, ...]:
    """What the search page offers as "also written as": the other spellings of the query's names,
    each as the archive most often writes it."""
    names = _QUOTED.findall(text or "")
    if plain and len((text or "").split()) <= MAX_NAME_WORDS:
        names.append(text.strip())
    out: list[str] = []
    for name in names:
        others = set(spellings_for(reader, name, fold))
        out += [written for folded, written in written_spellings(reader, name)
                if folded in others and written not in out]
    return tuple(out)


def _alternatives(node: wq.Query, spellings_: tuple[str, ...]) -> list[wq.Query]:
    """`node`'s field matched by each spelling: a phrase, or a term for one word."""
    out = []
    for spelling in spellings_:
        words = spelling.split()
        out.append(wq.Term(node.fieldname, words[0]) if len(words) == 1 else wq.Phrase(node.fieldname, words))
    return out


def with_spellings(q: wq.Query | None, text: str, reader, fold, phrase_query, plain: bool) -> wq.Query | None:
    """`q` where each exact phrase (and a whole plain name query) also matches the archive's spellings.

    A phrase clause is a `Phrase` (or, for one word, a `Term`) whose words
    are those of a phrase typed in quotes; `phrase_query(words)` builds the
    title-or-body phrase a whole plain query is widened with (`index.query`).
    """
    if q is None:
        return None
    # the phrases as typed: keys need the writer's capitals and hyphens ("DeirEzzor")
    typed = {tuple(fold(s)): s for s in _QUOTED.findall(text or "")}
    found = {words: spellings_for(reader, name, fold) for words, name in typed.items() if words}

    def widen(node: wq.Query) -> wq.Query:
        if isinstance(node, wq.Phrase) or type(node) is wq.Term:
            words = tuple(node.words) if isinstance(node, wq.Phrase) else (node.text,)
            others = found.get(words)
            return wq.Or([node, *_alternatives(node, others)]) if others else node
        if node.is_leaf():
            return node
        return node.apply(widen)

    out = widen(q) if any(found.values()) else q
    if plain and 1 <= len(text.split()) <= MAX_NAME_WORDS:
        others = spellings_for(reader, text.strip(), fold)
        if others:
            out = wq.Or([out, *(phrase_query(s.split()) for s in others)])
    return out.normalize()
