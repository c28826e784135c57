"""Cleaning one tagged mention: trim it to the name, or reject it with a reason.

A statistical tagger returns spans such as "the Syrian Army's", "“Serious",
"Major-General Igor Konashenkov" or "string(1692". Cleaning only ever
*shrinks* a span, so the cleaned mention is still exactly what the article
wrote at [start:end]; rejected spans say why, which is what tests and anyone
tuning the word lists need.

What is never a name, by rule, with the words as data (`entity_words.txt`):
money ("U.S. Dlrs": a currency after a country's initials or adjective),
units ("pct", "GMT"), a company suffix alone ("Inc", "Co Ltd"), and a
reporting verb that opens a sentence ("Quoting", "Citing Reuters" ->
"Reuters"). A name hard-wrapped over two lines ("BP North America\nInc")
is one name; a blank line inside a span is not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .wordlists import WordLists

#: Characters trimmed from both ends of a span.
EDGE_PUNCTUATION = "\"'“”‘’«»„‟‹›()[]{}<>,;:!?*|-–—…·•/\\ \t\n\r\u00a0"
DETERMINERS = ("the", "a", "an", "this", "that", "these", "those", "its", "their",
               "his", "her", "our", "my", "your")
#: Words that make a name an organisation's, so a leading "General" is not a title.
ORG_WORDS = frozenset({
    "co", "corp", "inc", "ltd", "plc", "llc", "group", "company", "bank", "ministry",
    "army", "forces", "force", "council", "party", "front", "agency", "department",
    "command", "committee", "university", "association", "organization", "organisation",
    "union", "news", "network", "service", "institute", "foundation", "motors",
    "electric", "assembly", "court", "office", "staff", "brigade", "brigades",
    "inn", "inns", "hotels", "airlines", "airways", "industries", "holdings", "petroleum",
    "systems", "technologies", "laboratories", "enterprises", "stores", "resources",
})
_DETERMINER = re.compile(r"^(?:%s)\s+" % "|".join(DETERMINERS), re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_ABBREVIATION_END = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_CODE_LIKE = re.compile(r"[0-9(){}\[\]<>/\\=_@#$%^*|~+\"“”]|://|\.(?:com|org|net|html?)\b")
_ROMAN_NUMERAL = re.compile(r"^[IVX]{2,}\.?$")  # "III", "XIV" ("MD", "DC" are names)
_DEMONYM = re.compile(r"(?:ians?|eans?|ans|ese|ish|ic|is|i|ch|ers?)$", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z]\.){1,3}[A-Z]?\.?$|^[A-Z]{2,3}$")  # "U.S.", "N.Z.", "HK"
_LINE_BREAKS = re.compile(r"\n[ \t]*\S")
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
MAX_WORDS = 8
MAX_CHARS = 80


@dataclass(frozen=True)
class Cleaned:
    """A mention trimmed to its name: [start:end] of the field it came from."""

    start: int
    end: int
    text: str
    titled: bool = False  # a person title was stripped: the mention is a person
    weak: bool = False    # shouting or a headline verb: needs confirmation
    shouting: bool = False  # weak by its capitals alone ("DEIR EZ-ZOR")


@dataclass(frozen=True)
class Rejected:
    text: str
    reason: str


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE_PUNCTUATION:
        start += 1
    while end > start and (text[end - 1] in EDGE_PUNCTUATION or text[end - 1] == "."):
        if text[end - 1] == "." and _ABBREVIATION_END.search(text[start:end]):
            break
        end -= 1
    return start, end


def _strip_determiner(text: str, start: int, end: int) -> tuple[int, int]:
    m = _DETERMINER.match(text[start:end])
    return (start + m.end(), end) if m and m.end() < end - start else (start, end)


def _strip_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    m = _POSSESSIVE.search(text[start:end])
    return (start, start + m.start()) if m and m.start() > 0 else (start, end)


def _title_pattern(words: WordLists) -> re.Pattern[str]:
    cached = _TITLE_PATTERNS.get(words.digest)
    if cached is None:
        alts = [r"[\s\-]+".join(re.escape(w) for w in t.replace("-", " ").split()) for t in words.titles]
        cached = re.compile(r"^(?:%s)(?:\s+|$)" % "|".join(alts or ["(?!)"]), re.IGNORECASE)
        _TITLE_PATTERNS[words.digest] = cached
    return cached


_TITLE_PATTERNS: dict[str, re.Pattern[str]] = {}


def looks_like_person_name(name: str) -> bool:
    """Two or more capitalised words, none of them an organisation word."""
    words = name.split()
    return (len(words) >= 2 and all(w[:1].isupper() or w[:3].lower() in ("al-", "el-", "bin", "ibn") for w in words)
            and not any(w.lower().strip(".,") in ORG_WORDS for w in words))


def _strip_titles(text: str, start: int, end: int, words: WordLists, person: bool) -> tuple[int, int, bool]:
    """Drop "President", "Syrian Foreign Minister", "Major-General" before a name."""
    pattern = _title_pattern(words)
    titled = False
    for _ in range(4):
        span = text[start:end]
        m = pattern.match(span)
        skip = 0
        if not m:  # "Syrian President ...", "US Secretary of State ..."
            first, _, rest = span.partition(" ")
            m2 = pattern.match(rest) if rest and (is_demonym(first) or (first.isupper() and len(first) <= 3)) else None
            if not m2:
                break
            skip, m = len(first) + 1, m2
        remainder = text[start + skip + m.end():end]
        if not remainder.strip() or not (person or looks_like_person_name(remainder)):
            break
        start, titled = start + skip + m.end(), True
    return start, end, titled


def is_demonym(word: str) -> bool:
    """"Syrian", "Russians", "Iraqi", "Chinese", "Kurdish": a people, not a group."""
    return bool(word[:1].isupper() and " " not in word.strip() and _DEMONYM.search(word))


def is_shouting(name: str) -> bool:
    """All capitals beyond an acronym: "STANDARD OIL", "BREAKING"."""
    letters = [c for c in name if c.isalpha()]
    return len(letters) > 5 and all(c.isupper() for c in letters) and (" " in name or len(letters) > 6)


def _folded_words(name: str) -> list[str]:
    return [w.strip(".,'’").lower() for w in name.split()]


def _strip_reporting_word(text: str, start: int, end: int, words: WordLists) -> tuple[int, int]:
    """"Citing Reuters" -> "Reuters"; "Quoting" alone is left for `rejection`."""
    first, space, _rest = text[start:end].partition(" ")
    if space and first.lower() in words.reporting_words:
        return start + len(first) + 1, end
    return start, end


def clean_mention(text: str, start: int, end: int, label: str, words: WordLists) -> Cleaned | Rejected:
    """Trim text[start:end] to a name, or say why it is not one."""
    raw = text[start:end]
    inner = raw.strip()
    if _BLANK_LINE.search(inner) or len(_LINE_BREAKS.findall(inner)) > 1 or "\r" in inner.replace("\r\n", "\n"):
        return Rejected(raw, "spans a line break")
    for _ in range(3):
        before = (start, end)
        start, end = _trim(text, start, end)
        start, end = _strip_determiner(text, start, end)
        start, end = _strip_possessive(text, start, end)
        if (start, end) == before:
            break
    start, end, titled = _strip_titles(text, start, end, words, person=label == "PERSON")
    start, end = _strip_reporting_word(text, start, end, words)
    start, end = _trim(text, start, end)
    start, end = _strip_possessive(text, start, end)
    name = text[start:end]
    reason = rejection(name, words)
    if reason:
        return Rejected(raw, reason)
    lowered = _folded_words(name)
    headline = any(w in words.headline_verbs for w in lowered) and not name.isupper()
    shouting = is_shouting(name)
    return Cleaned(start, end, name, titled=titled, weak=headline or shouting, shouting=shouting)


def rejection(name: str, words: WordLists) -> str | None:
    """Why `name` cannot be an entity, or None."""
    letters = sum(c.isalpha() for c in name)
    if _CODE_LIKE.search(name):
        return "code, digits or markup"
    if letters < 2:
        return "too short"
    if _ROMAN_NUMERAL.match(name):
        return "a number in Roman numerals"
    if not any(c.isupper() for c in name):
        return "no capital letter"
    if "  " in name or "\t" in name:
        return "run of spaces (a list, not a name)"
    if len(name) > MAX_CHARS or len(name.split()) > MAX_WORDS:
        return "too long for a name"
    folded = " ".join(name.lower().replace("’", "'").split())
    if folded in words.stop or folded.rstrip(".") in words.stop:
        return "stop-listed"
    lowered = _folded_words(name)
    if is_money(name, words):
        return "a currency"
    if any(w in words.units for w in lowered):
        return "a unit or wire abbreviation"
    if words.company_suffixes and all(w in words.company_suffixes for w in lowered):
        return "a company suffix alone"
    if len(lowered) == 1 and lowered[0] in words.reporting_words:
        return "a reporting word"
    return None


def is_money(name: str, words: WordLists) -> bool:
    """"U.S. Dlrs", "N.Z. Dlrs", "Canadian Dollar": a currency after a country's initials or adjective."""
    parts = name.split()
    if len(parts) < 2 or parts[-1].strip(".").lower() not in words.currencies:
        return False
    return all(_INITIALS.match(p) or is_demonym(p) for p in parts[:-1])
