"""The word lists that cleaning uses, read from a data file users can edit.

Page furniture ("Story Views"), headline verbs ("Airstrike Kills") and
person titles ("Major-General") differ by outlet and language; keeping them
as data lets a user fix a bad facet value without touching code.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import UnreadableFile
from ..paths import DATA_FILES

DEFAULT_WORDS_PATH = DATA_FILES / "entity_words.txt"
SECTIONS = ("stop", "headline-verbs", "titles", "company-suffixes", "currencies", "units", "reporting-words", "org-heads")


@dataclass(frozen=True)
class WordLists:
    """Lower-cased word sets by section, plus a digest of the file's bytes."""

    stop: frozenset[str]
    headline_verbs: frozenset[str]
    titles: tuple[str, ...]  # longest first, so "major general" wins over "major"
    digest: str
    problems: tuple[str, ...] = ()
    company_suffixes: frozenset[str] = frozenset()  # "Inc", "Co", "Ltd": a name's end, never a name
    currencies: frozenset[str] = frozenset()        # "Dlrs", "Yen": after a country's initials, money
    units: frozenset[str] = frozenset()             # "pct", "mln": never part of a name
    reporting_words: frozenset[str] = frozenset()   # "Quoting", "Citing": verbs that start sentences
    org_heads: frozenset[str] = frozenset()         # "company", "firm": the word before a company's name


def parse_word_lists(text: str, where: str = "<word lists>") -> WordLists:
    """Parse the sectioned word-list format; unknown sections are reported."""
    sections: dict[str, set[str]] = {name: set() for name in SECTIONS}
    problems: list[str] = []
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip() if not raw.lstrip().startswith("#") else ""
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip().lower()
            if current not in sections:
                problems.append(f"{where}:{number}: unknown section [{current}]")
                current = None
            continue
        if current is None:
            problems.append(f"{where}:{number}: entry outside a known section: {line!r}")
            continue
        sections[current].add(" ".join(line.lower().split()))
    titles = sorted(sections["titles"], key=lambda t: (-len(t), t))
    return WordLists(
        stop=frozenset(sections["stop"]),
        headline_verbs=frozenset(sections["headline-verbs"]),
        titles=tuple(titles),
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        problems=tuple(problems),
        company_suffixes=frozenset(w.rstrip(".") for w in sections["company-suffixes"]),
        currencies=frozenset(sections["currencies"]),
        units=frozenset(sections["units"]),
        reporting_words=frozenset(sections["reporting-words"]),
        org_heads=frozenset(sections["org-heads"]),
    )


def load_word_lists(path: Path | str | None = None) -> WordLists:
    """Read the word lists at `path` (default: the shipped file)."""
    chosen = Path(path) if path is not None else DEFAULT_WORDS_PATH
    try:
        text = chosen.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableFile(str(chosen), f"cannot read entity word lists: {exc}") from exc
    return parse_word_lists(text, str(chosen))


@lru_cache(maxsize=1)
def default_word_lists() -> WordLists:
    return load_word_lists()
