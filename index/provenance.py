"""Date provenance: was an article's date stated by its source, inferred, or is there none?

Extraction records where each value came from in `Article.origins`
("explicit:<hint>" when the source stated it, "inferred:<rule>" when a rule
worked it out from the text, page or URL). For the date this module turns
that into one of three kinds a researcher can filter by, and says in words
which rule inferred a date. A date whose origin was not recorded counts as
explicit, as everywhere else in the archive (only values marked inferred
are inferred).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Mapping

from archive.document import Article

EXPLICIT, INFERRED, MISSING = "explicit", "inferred", "missing"
#: The kinds, in the order the facet and the CLI list them.
KINDS = (EXPLICIT, INFERRED, MISSING)
#: Facet labels.
LABELS = {EXPLICIT: "Stated by the source", INFERRED: "Inferred", MISSING: "No date"}
#: What each kind means, for the article page and the help page.
MEANINGS = {
    EXPLICIT: "The source stated this date (a date column or field, or the page's publication-date tag).",
    INFERRED: "The archive worked this date out; the source did not state it.",
    MISSING: "The archive found no publication date for this article.",
}
#: Inference rules (the part after "inferred:") in words a journalist reads.
RULE_WORDS = {
    "date-line": "from a date line near the headline",
    "date-prefix": "from the date at the start of the article text (its dateline)",
    "body-date": "from a date standing alone further down the text",
    "url-path": "from the date in the article's web address",
    "htmldate": "from dates in the web page's code (found by htmldate)",
    "page": "from dates elsewhere on the web page",
}


@dataclass(frozen=True)
class DateProvenance:
    """Where an article's date comes from."""

    kind: str                # one of KINDS
    rule: str | None = None  # inferred: the rule that inferred it ("url-path")
    hint: str | None = None  # explicit: the source's field that stated it ("date"), when recorded

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def explanation(self) -> str:
        """One sentence a journalist understands."""
        if self.kind == INFERRED:
            how = rule_words(self.rule)
            return f"Inferred {how}; the source did not state it." if how else MEANINGS[INFERRED]
        return MEANINGS[self.kind]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "rule": self.rule, "hint": self.hint, "label": self.label,
                "explanation": self.explanation}


def rule_words(rule: str | None) -> str | None:
    """An inference rule in words ("url-path" -> "from the date in the article's web address")."""
    if not rule:
        return None
    return RULE_WORDS.get(rule, f"by the rule “{rule}”")


def classify(date: dt.date | None, origin: str | None) -> DateProvenance:
    """The provenance of a date given its recorded origin ("explicit:date", "inferred:url-path", ...)."""
    if date is None:
        return DateProvenance(MISSING)
    kind, _, rule = (origin or "").partition(":")
    if kind == INFERRED:
        return DateProvenance(INFERRED, rule or None)
    return DateProvenance(EXPLICIT, hint=rule or None)


def date_provenance(article: Article) -> DateProvenance:
    return classify(article.date, article.origins.get("date"))


def label(kind: str) -> str:
    return LABELS.get(kind, kind)


def counts(origins: Mapping[tuple[bool, str | None], int]) -> dict:
    """Articles per kind, and inferred ones per rule, from counts per (dated, origin)."""
    out: dict = {kind: 0 for kind in KINDS}
    rules: dict[str, int] = {}
    for (dated, origin), n in origins.items():
        found = classify(dt.date.min if dated else None, origin)
        out[found.kind] += n
        if found.kind == INFERRED:
            key = found.rule or "(unknown rule)"
            rules[key] = rules.get(key, 0) + n
    out["inferred_rules"] = dict(sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])))
    return out
