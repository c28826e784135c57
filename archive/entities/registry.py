"""The alias registry: well-known entities and the other names they go by.

Read from a tab-separated file users edit (`archive/data/entities.tsv`):
canonical name, type, aliases separated by "|". The registry is the first
and most trusted step of canonicalisation: statistical tagging cannot know
that "Daesh" is the Islamic State or that "America" is the United States.

Bad lines never stop loading: each is skipped and recorded in `problems`
with the file and line number, so `ingest.py` can show them.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..document import ENTITY_TYPES
from ..errors import UnreadableFile
from ..paths import DATA_FILES
from .translit import same_name, variant_key

DEFAULT_REGISTRY_PATH = DATA_FILES / "entities.tsv"

#: Type names users may write, folded to ours.
TYPE_ALIASES = {
    "person": "person", "per": "person", "people": "person",
    "org": "org", "organisation": "org", "organization": "org",
    "place": "place", "gpe": "place", "loc": "place", "location": "place", "fac": "place",
}
#: Aliases this short, written in capitals, match only in capitals ("US", not "us").
SHORT_ALIAS = 3
#: Spellings whose lookup is remembered at most (then forgotten all at once).
LOOKUPS_KEPT = 1 << 16
#: Keys shorter than this are too likely to collide to match by transliteration.
MIN_KEY_LETTERS = 5

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_DOTS = re.compile(r"\.")
_SEPARATORS = re.compile(r"[\s\-‐‑–—_]+")
_LEADING_THE = re.compile(r"^the\s+")
_LEADING_THE_WRITTEN = re.compile(r"^the\s+", re.IGNORECASE)
#: A run of capitalised words, with Arabic articles between them ("Deyr ez-Zor", "Dayr al Zawr").
_ARTICLE = r"(?:al|el|ez|az|ad|ed|as|es|ash|esh|an|ar|at|ul|il)"
_CAPITALISED_RUN = re.compile(
    rf"(?<![\w'’-])[A-Z][\w'’]*(?:(?:[ \t]+|-)(?:{_ARTICLE}(?:[ \t]+|-))?[A-Z][\w'’]*){{0,3}}(?![\w'’]|-\w)")


def normalise_alias(text: str) -> str:
    """The form aliases are compared in: case, dots, hyphens and "the" ignored."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    text = _SEPARATORS.sub(" ", _DOTS.sub("", text)).strip()
    return _LEADING_THE.sub("", text)


def _short_form(text: str) -> str | None:
    """"U.S." -> "US": the capitals of a short all-capitals alias, else None."""
    letters = _DOTS.sub("", text).strip()
    if 0 < len(letters) <= SHORT_ALIAS and letters.isalpha() and letters.isupper():
        return letters
    return None


@dataclass(frozen=True)
class RegistryEntry:
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    line: int | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        """The canonical name first, then the aliases as listed."""
        return (self.name, *self.aliases)


@dataclass
class Registry:
    """Well-known entities, looked up by any of their spellings."""

    entries: list[RegistryEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    digest: str = ""
    _by_alias: dict[str, RegistryEntry] = field(default_factory=dict, repr=False)
    _by_short: dict[str, RegistryEntry] = field(default_factory=dict, repr=False)
    _by_key: dict[str, RegistryEntry | None] = field(default_factory=dict, repr=False)
    _finder: re.Pattern[str] | None = field(default=None, repr=False)
    _finders: "_FirstLetterFinder | None" = field(default=None, repr=False, compare=False)
    _looked_up: dict[str, "RegistryEntry | None"] = field(default_factory=dict, repr=False, compare=False)

    # --- building --------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str | None = None) -> "Registry":
        """Read a registry file (default: the shipped `entities.tsv`).

        Raises `UnreadableFile` when the file itself cannot be read; bad lines
        are skipped and listed in `problems`.
        """
        chosen = Path(path) if path is not None else DEFAULT_REGISTRY_PATH
        try:
            text = chosen.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UnreadableFile(str(chosen), f"cannot read entity registry: {exc}") from exc
        return cls.parse(text, where=str(chosen))

    @classmethod
    def parse(cls, text: str, where: str = "<registry>") -> "Registry":
        registry = cls(digest=hashlib.sha256(text.encode("utf-8")).hexdigest())
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            entry, problem = _parse_line(line, number)
            if problem:
                registry.problems.append(f"{where}:{number}: {problem}")
            if entry:
                registry.add(entry, where)
        return registry

    def add(self, entry: RegistryEntry, where: str = "<registry>") -> None:
        """Index one entry; a spelling another entry already claims is reported."""
        self.entries.append(entry)
        self._finder = self._finders = None
        self._looked_up.clear()
        for spelling in entry.spellings:
            short = _short_form(spelling)
            table, key = (self._by_short, short) if short else (self._by_alias, normalise_alias(spelling))
            owner = table.get(key)
            if owner is not None and owner is not entry:
                self.problems.append(
                    f"{where}:{entry.line}: {spelling!r} is already a spelling of {owner.name!r}"
                    f" (line {owner.line}); kept there")
                continue
            table[key] = entry
            tkey = variant_key(spelling)
            if short is None and sum(c.isalpha() for c in tkey) >= MIN_KEY_LETTERS:
                held = self._by_key.get(tkey, entry)
                self._by_key[tkey] = entry if held is entry else None  # None: ambiguous

    # --- finding names the tagger missed ------------------------------------
    def finder(self) -> re.Pattern[str]:
        """One pattern for every registered spelling, longest first.

        Spellings of three letters or fewer match in capitals only; longer
        ones in any case, but a match must hold a capital (see `find`).
        """
        if self._finder is None:
            self._finder = _finder_pattern([alternative for _, alternative in self._alternatives()])
        return self._finder

    def _alternatives(self) -> list[tuple[str, str]]:
        """(spelling, its pattern) for every registered spelling, in the finder's order."""
        spellings = {_LEADING_THE_WRITTEN.sub("", s).strip() for e in self.entries for s in e.spellings}
        spellings.discard("")
        alternatives = []
        for s in sorted(spellings, key=lambda s: (-len(s), s)):
            body = re.escape(s).replace("'", "['’]").replace(r"\ ", r"\s+")
            alternatives.append((s, body if _short_form(s) else f"(?i:{body})"))
        return alternatives

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, RegistryEntry]]:
        """Registered names written in text[start:end], as (start, end, entry)."""
        if self._finders is None:
            self._finders = _FirstLetterFinder(self._alternatives(), self.finder())
        found = []
        for m in self._finders.finditer(text, start, len(text) if end is None else end):
            name = m.group(0)
            if not any(c.isupper() for c in name):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            line = text[line_start:line_end if line_end >= 0 else len(text)]
            if not any(c.islower() for c in line):
                continue  # a line in capitals: "OIL PRICE IS UP" is not Islamic State
            entry = self.lookup(name)
            if entry is not None:
                found.append((m.start(), m.end(), entry))
        return found

    def find_by_key(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, RegistryEntry]]:
        """Registered names written in a spelling the registry does not list ("Deyr ez-Zor").

        Each run of capitalised words in text[start:end] whose transliteration
        key is one registered name's (and only one's) is that name; runs in a
        line of capitals are skipped, as in `find`.
        """
        found = []
        for m in _CAPITALISED_RUN.finditer(text, start, len(text) if end is None else end):
            name = m.group(0)
            tkey = variant_key(name)
            entry = self._by_key.get(tkey) if sum(c.isalpha() for c in tkey) >= MIN_KEY_LETTERS else None
            if entry is None or not _spelt_like(entry, name):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.end())
            if any(c.islower() for c in text[line_start:line_end if line_end >= 0 else len(text)]):
                found.append((m.start(), m.end(), entry))
        return found

    # --- lookup ------------------------------------------------------------
    def lookup(self, text: str) -> RegistryEntry | None:
        """The entry `text` names, by exact alias, then by transliteration key (remembered per spelling)."""
        try:
            return self._looked_up[text]
        except KeyError:
            if len(self._looked_up) >= LOOKUPS_KEPT:
                self._looked_up.clear()  # bounded: a long run meets ever more names
            found = self._looked_up[text] = self._lookup(text)
            return found

    def _lookup(self, text: str) -> RegistryEntry | None:
        short = _short_form(text)
        if short is not None:
            return self._by_short.get(short)
        letters = sum(c.isalpha() for c in text)
        if letters <= SHORT_ALIAS and not text.isupper():
            return None  # "us", "Is": words, not abbreviations
        found = self._by_alias.get(normalise_alias(text))
        if found is not None:
            return found
        tkey = variant_key(text)
        if sum(c.isalpha() for c in tkey) >= MIN_KEY_LETTERS:
            entry = self._by_key.get(tkey)
            return entry if entry is not None and _spelt_like(entry, text) else None
        return None

    def __iter__(self) -> Iterator[RegistryEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def names(self, type_: str | None = None) -> list[str]:
        return [e.name for e in self.entries if type_ in (None, e.type)]


def _finder_pattern(alternatives: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'’])(?:%s)(?![\w'’]|-\w)" % "|".join(alternatives or ["(?!)"]))


class _FirstLetterFinder:
    """What `Registry.finder().finditer` finds, tried only where a spelling can begin.

    The one pattern of every spelling tries each of them, one after the
    other, at every character of the text: on Reuters, that was the most
    costly rule after spaCy. Here the pattern is split by the first letter of
    its spellings (case folded), each part keeping the spellings' order, and
    a part is tried only at a word start holding its letter; so the first
    spelling that matches at a position, and the positions scanning resumes
    from, are those of the one pattern. A text character outside ASCII
    (whose case folding is Unicode's, not `str.lower`'s) is tried against the
    whole pattern, and spellings opening with one are in every part.
    """

    def __init__(self, alternatives: list[tuple[str, str]], whole: re.Pattern[str]):
        self.whole = whole
        wild = {n for n, (s, _) in enumerate(alternatives) if not s[0].isascii()}
        keys = {s[0].lower() for s, _ in alternatives if s[0].isascii()}
        self.parts = {key: _finder_pattern([a for n, (s, a) in enumerate(alternatives)
                                            if n in wild or s[0].lower() == key])
                      for key in keys}
        self.others = _finder_pattern([a for n, (_, a) in enumerate(alternatives) if n in wild])
        firsts = "".join(sorted({c for key in keys for c in (key, key.upper())}))
        if wild or not firsts:  # a non-ASCII first letter may match an ASCII one ("K" is "k" to `re`)
            self.starts = re.compile(r"(?<![\w'’])(?s:.)")
        else:
            self.starts = re.compile(r"(?<![\w'’])(?:[%s]|[^\x00-\x7f])" % re.escape(firsts))

    def finditer(self, text: str, start: int, end: int) -> Iterator[re.Match[str]]:
        resume = start
        for candidate in self.starts.finditer(text, start, end):
            at = candidate.start()
            if at < resume:
                continue
            char = text[at]
            pattern = self.parts.get(char.lower(), self.others) if char.isascii() else self.whole
            m = pattern.match(text, at, end)
            if m is not None:
                yield m
                resume = m.end()


def _spelt_like(entry: RegistryEntry, text: str) -> bool:
    """Whether `text` is one of `entry`'s spellings by `translit.same_name`, not only by the loose key
    ("Columbia" shares Colombia's loose key, but neither looks transliterated: not Colombia)."""
    return any(same_name(text, s) for s in entry.spellings)


def _parse_line(line: str, number: int) -> tuple[RegistryEntry | None, str | None]:
    columns = [c.strip() for c in line.rstrip("\r\n").split("\t")]
    if len(columns) < 2:
        return None, "expected columns separated by tabs: name, type, aliases"
    if len(columns) > 3:
        return None, f"expected at most 3 tab-separated columns, found {len(columns)}"
    name, type_raw = columns[0], columns[1]
    if not name:
        return None, "empty canonical name"
    type_ = TYPE_ALIASES.get(type_raw.lower())
    if type_ not in ENTITY_TYPES:
        return None, f"unknown type {type_raw!r} (use one of {', '.join(ENTITY_TYPES)})"
    aliases = _aliases(columns[2] if len(columns) == 3 else "", name)
    return RegistryEntry(name=name, type=type_, aliases=aliases, line=number), None


def _aliases(column: str, name: str) -> tuple[str, ...]:
    seen = {name}
    out = []
    for alias in (a.strip() for a in column.split("|")):
        if alias and alias not in seen:
            seen.add(alias)
            out.append(alias)
    return tuple(out)


def load_registry(path: Path | str | None = None) -> Registry:
    """Shorthand for `Registry.load`."""
    return Registry.load(path)
