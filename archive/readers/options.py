"""What the user can tell the readers: explicit field -> column overrides."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..document import HINT_KEYS

#: Fields a column or key can be mapped to: the article text, a raw web page
#: to extract it from, and every hint a source may state.
MAPPABLE_FIELDS = ("text", "html") + HINT_KEYS

#: Largest one-article file (plain text or HTML page) read whole. Real
#: articles are kilobytes and pages a few megabytes; a file far beyond that
#: is a dump, and indexing it as one article would make it match everything.
MAX_ARTICLE_BYTES = 16 * 2**20


@dataclass(frozen=True)
class ReadOptions:
    #: explicit field -> column/key overrides for CSV and JSON (`--map title=headline`)
    column_map: Mapping[str, str] = field(default_factory=dict)
    #: one-article files (text, HTML) larger than this are refused, not read whole
    max_article_bytes: int = MAX_ARTICLE_BYTES

    @classmethod
    def from_pairs(cls, pairs: Iterable[str], **kwargs) -> "ReadOptions":
        """Options from `field=column` strings as typed after `--map`.

        Raises ValueError naming the bad pair, for the command line to show.
        """
        column_map: dict[str, str] = {}
        for pair in pairs:
            name, sep, column = pair.partition("=")
            name, column = name.strip().lower(), column.strip()
            if not sep or not name or not column:
                raise ValueError(f"--map {pair!r}: expected FIELD=COLUMN")
            if name not in MAPPABLE_FIELDS:
                raise ValueError(f"--map {pair!r}: unknown field {name!r} "
                                 f"(known: {', '.join(MAPPABLE_FIELDS)})")
            column_map[name] = column
        return cls(column_map=column_map, **kwargs)

    def unknown_fields(self) -> list[str]:
        """Fields in `column_map` that no reader knows (a user typo)."""
        return [name for name in self.column_map if name not in MAPPABLE_FIELDS]
