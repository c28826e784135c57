"""Counting canonical entities over many articles, for `ingest.py entities`.

The listing is how a user sees what was merged (and what was not), so each
row carries the spellings behind it with how often each was written.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable

from ..document import Entity


@dataclass(frozen=True)
class EntitySummary:
    """One canonical entity across the archive."""

    slug: str
    name: str
    type: str
    articles: int
    mentions: int
    variants: tuple[tuple[str, int], ...]  # spelling, times written; most written first

    def to_dict(self) -> dict[str, Any]:
        return {"slug": self.slug, "name": self.name, "type": self.type,
                "articles": self.articles, "mentions": self.mentions,
                "variants": [{"text": t, "count": n} for t, n in self.variants]}


def summarise(per_article: Iterable[tuple[Entity, ...]], type_: str | None = None,
              top: int | None = None) -> list[EntitySummary]:
    """Canonical entities with article and mention counts, most widespread first.

    The display name is the one most articles use (ties: the first seen), so
    the listing is stable for the same archive.
    """
    order: list[tuple[str, str]] = []
    names: dict[tuple[str, str], Counter] = {}
    articles: Counter = Counter()
    mentions: Counter = Counter()
    spellings: dict[tuple[str, str], Counter] = {}
    for entities in per_article:
        for entity in entities:
            if type_ is not None and entity.type != type_:
                continue
            key = (entity.type, entity.slug)
            if key not in names:
                order.append(key)
                names[key] = Counter()
                spellings[key] = Counter()
            names[key][entity.name] += 1
            articles[key] += 1
            mentions[key] += entity.count
            if entity.mentions:
                spellings[key].update(m.text for m in entity.mentions)
            else:
                spellings[key].update({v: 1 for v in entity.variants})
    rows = []
    for key in order:
        best = max(names[key].values())
        name = next(n for n in names[key] if names[key][n] == best)
        variants = tuple(sorted(spellings[key].items(), key=lambda kv: (-kv[1], kv[0])))
        rows.append(EntitySummary(slug=key[1], name=name, type=key[0], articles=articles[key],
                                  mentions=mentions[key], variants=variants))
    rows.sort(key=lambda r: (-r.articles, -r.mentions, r.name.casefold(), r.type))
    return rows[:top] if top is not None else rows
