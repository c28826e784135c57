"""News IDs: the number an outlet gives its own article ("News ID: 423733").

With the outlet, a news ID identifies an article across copies and
re-ingests (see archive/ids.py), so it is worth reading from the text when
the source has no ID field. Only a labelled line near the top counts: a bare
number could be anything.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Lines scanned at the top of the text.
HEAD_LINES = 8

NEWS_ID_LINE = re.compile(
    r"(?:news\s*(?:id|code|no\.?|number)|article\s*(?:id|no\.?)|story\s*(?:id|no\.?)|id)"
    r"\s*[:#]\s*(?P<id>[A-Za-z0-9][A-Za-z0-9_\-/.]{0,39})\s*\Z",
    re.IGNORECASE)


@dataclass(frozen=True)
class FoundNewsId:
    news_id: str
    index: int
    rule: str = "inferred:id-line"


def clean_news_id(value: object) -> str | None:
    """A hint's ID as text, or None when it is empty."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def find_news_id(lines: list[str], skip: frozenset[int] = frozenset()) -> FoundNewsId | None:
    """A "News ID: ..." / "News Code: ..." / "ID: ..." line among the first lines."""
    seen = 0
    for i, line in enumerate(lines):
        if not line or i in skip:
            continue
        if len(line) <= 60:
            m = NEWS_ID_LINE.match(line)
            if m:
                return FoundNewsId(m.group("id"), i)
        seen += 1
        if seen >= HEAD_LINES:
            break
    return None
