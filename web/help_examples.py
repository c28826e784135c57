"""The help page's query examples, made from the archive being searched and run against it.

The forms come from the query parser's own list (`index.query.QUERY_FORMS`);
their example slots ({word}, {person}, {month}, ...) are filled with words
and values this archive holds: the commonest title words of the newest
articles, the top facet values. Each example is then searched, and one that
finds nothing is not shown as an example: the form is listed without one.
"""
from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass
from typing import Callable

from index.model import MAX_PER_PAGE, SearchRequest
from index.query import QUERY_FORMS, QueryForm, is_stopword

_WORD = re.compile(r"[^\W\d_]{3,}")
#: How many candidate values each slot tries before the form goes without an example.
TRIES = 4


@dataclass(frozen=True)
class Example:
    form: QueryForm
    query: str | None      # None: no example finds anything in this archive
    total: int = 0


def _title_words(titles: list[str]) -> list[list[str]]:
    return [[w.lower() for w in _WORD.findall(t) if not is_stopword(w.lower())] for t in titles]


def _typo(word: str) -> str:
    """The word with one letter changed (a fuzzy search still finds it)."""
    i = len(word) // 2
    swap = "a" if word[i] != "a" else "e"
    return word[:i] + swap + word[i + 1:]


def candidates(search: Callable[[SearchRequest], object]) -> dict[str, list[str]]:
    """Candidate values for each slot, best first, from the archive's newest articles and facets."""
    browse = search(SearchRequest(per_page=MAX_PER_PAGE, highlight=False, facet_limit=TRIES))
    words = _title_words([h.title for h in browse.hits])
    common = [w for w, _ in Counter(w for ws in words for w in set(ws) if len(w) >= 5).most_common(12)]
    first = common[0] if common else ""
    together = [w for ws in words if first in ws for w in ws if w != first]
    apart = [w for w in common[1:] if w not in together[:3]]
    phrases = [f"{a} {b}" for ws in words for a, b in zip(ws, ws[1:])][:TRIES * 2]
    facet = {f.name: [v for v in f.values if not v.missing] for f in browse.facets}

    def last_word(label: str) -> str:
        parts = [p.strip(string.punctuation) for p in label.split()]
        return next((p.lower() for p in reversed(parts) if len(p) > 2), label.lower())

    months = sorted(facet.get("date", []), key=lambda v: -v.count)
    slots = {
        "word": common[:TRIES], "title_word": common[:TRIES], "word2": together[:TRIES] or common[1:TRIES + 1],
        "word3": apart[:TRIES], "absent": [w for w in common[1:] if w not in together][:TRIES] + together[:1],
        "phrase": phrases, "prefix": [w[:5] for w in common if len(w) > 5][:TRIES],
        "typo": [_typo(w) for w in common if len(w) >= 6][:TRIES],
        "person": [last_word(v.label) for v in facet.get("person", [])][:TRIES],
        "place": [last_word(v.label) for v in facet.get("place", [])][:TRIES],
        "outlet": [v.value for v in facet.get("outlet", [])][:TRIES],
        "lang": [v.value for v in facet.get("lang", [])][:TRIES],
        "news_id": [h.news_id for h in browse.hits if h.news_id and h.news_id.isalnum()][:TRIES],
        "month": [v.value for v in months][:TRIES],
    }
    slots["day_from"] = [f"{m}-01" for m in slots["month"]]
    slots["day_to"] = [f"{m}-28" for m in slots["month"]]
    return slots


def _fill(form: QueryForm, slots: dict[str, list[str]], i: int) -> str | None:
    names = re.findall(r"{(\w+)}", form.example)
    values = {}
    for name in names:
        found = slots.get(name) or []
        if not found:
            return None
        values[name] = found[min(i, len(found) - 1)]
    return form.example.format(**values)


def examples(search: Callable[[SearchRequest], object]) -> list[Example]:
    """Every query form, each with the first of its candidate examples that finds something."""
    slots = candidates(search)
    out = []
    for form in QUERY_FORMS:
        chosen = Example(form, None)
        tried = set()
        for i in range(TRIES):
            query = _fill(form, slots, i)
            if query is None or query in tried:
                continue
            tried.add(query)
            total = search(SearchRequest(q=query, per_page=1, highlight=False)).total
            if total:
                chosen = Example(form, query, total)
                break
        out.append(chosen)
    return out
