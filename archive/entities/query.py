"""Query side: the spellings a search for one name should also match.

A researcher who types "Deir Ezzor" wants the article that writes
"Deir ez-Zor" too. `query_variants` gives the search service those
spellings: the registry's canonical name and aliases when the query names a
registered entity (by alias or by transliteration key), plus any spelling
the caller already knows (e.g. the variants stored for the archive's
entities) that are the same name as the query or a registry spelling by
`translit.same_name`. Matching is by the same rules as extraction, so what
merges in facets also matches in search, and "Phillips" is not offered
"Philips".
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from .registry import Registry
from .translit import same_name


@lru_cache(maxsize=1)
def _default_registry() -> Registry:
    return Registry.load()


def query_variants(text: str, known: Iterable[str] = (), registry: Registry | None = None) -> list[str]:
    """Spellings of the entity `text` names, the canonical one first.

    - `text`: a query word or phrase ("Deir Ezzor", "ISIL", "al-Thardah").
    - `known`: spellings seen in the archive (optional); those sharing the
      query's (or a registry spelling's) name by `same_name` are added.
    - `registry`: defaults to the shipped `archive/data/entities.tsv`.

    Returns `[text]` alone when nothing is known about it; never raises for
    odd input. Example: `query_variants("Deir Ezzor")` ->
    `["Deir ez-Zor", "Deir Ezzor", "Deir Ezzur", "Deir al-Zor", ...]`.
    """
    phrase = " ".join((text or "").split())
    if not phrase:
        return []
    registry = registry if registry is not None else _default_registry()
    entry = registry.lookup(phrase)
    spellings = list(entry.spellings) if entry else [phrase]
    anchors = tuple(spellings)
    spellings.extend(k for k in known if k and any(same_name(k, a) for a in anchors))
    if phrase.casefold() not in {s.casefold() for s in spellings}:
        spellings.insert(1 if entry else 0, phrase)
    out: list[str] = []
    seen: set[str] = set()
    for s in spellings:
        if s.casefold() not in seen:
            seen.add(s.casefold())
            out.append(s)
    return out
