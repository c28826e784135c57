"""Named entities: extracted with spaCy, cleaned, and merged across spellings.

The public surface other packages use:

- `EntityExtractor(n_process, batch_size, registry_path)`: `.extract(articles)`
  -> one tuple of `archive.document.Entity` per article; `.version` (cache key
  part); `.supports(lang)`.
- `Registry`: the editable alias registry (`archive/data/entities.tsv`).
- `summarise(per_article, type_, top)` -> `EntitySummary` rows for listings.
- `query_variants(text)`: the spellings a search for `text` should also match.
- `variant_key(text)`: the transliteration key two spellings share.
- `cited.source_name(name, text, start, end, entities)`: a cited source's name
  made whole from the article's entities, or None when it is no name
  (used by `archive.coverage.attribution`).

Importing this package does not import spaCy.
"""
from __future__ import annotations

from .extractor import EntityExtractor
from .query import query_variants
from .registry import Registry, RegistryEntry
from .summary import EntitySummary, summarise
from .translit import variant_key

__all__ = ["EntityExtractor", "Registry", "RegistryEntry", "EntitySummary", "summarise",
           "query_variants", "variant_key"]
