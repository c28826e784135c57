"""Which parts of an article are running text, and which look like headlines.

Taggers mistake headline fragments ("Airstrike Kills", "Terrorist Has
American Weapon") and page furniture ("Story Views") for names, because in
Title Case every word looks like one. A name found only in the title, in a
headline-like line, a list of short items or a code dump has to be confirmed
by the same entity in running text ("prose"); this module says, for each
character of the body, whether it is prose.

Hard-wrapped text (wire copy broken at ~65 characters) is judged by its
paragraph, so a wrapped line that happens to hold several names is still
prose.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_CODE = re.compile(r"[{}]|\":|=\"|</?[a-z]+[ >]|://")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
MIN_PROSE_WORDS = 5
MAX_CAPITALISED_SHARE = 0.5
#: A line that ends like a sentence may name more: "On Saturday, the US-led
#: coalition targeted the Syrian Army battling ISIL in Deir Ezzur."
MAX_CAPITALISED_SHARE_IN_SENTENCE = 0.75
WRAPPED_LINE_CHARS = 45


def capitalised_share(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 1.0
    return sum(w[0].isupper() for w in words) / len(words)


def is_prose(text: str) -> bool:
    """Running text: enough words, mostly lower case, not markup or JSON."""
    if _CODE.search(text):
        return False
    words = _WORD.findall(text)
    if len(words) < MIN_PROSE_WORDS:
        return False
    share = capitalised_share(text)
    if share <= MAX_CAPITALISED_SHARE:
        return True
    lower_words = sum(w[0].islower() and len(w) >= 3 for w in words)
    return (share <= MAX_CAPITALISED_SHARE_IN_SENTENCE and lower_words >= 2
            and bool(_SENTENCE_END.search(text.rstrip())))


@dataclass(frozen=True)
class ProseMap:
    """Sorted line spans of a text, each marked prose or not."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    prose: tuple[bool, ...]

    def is_prose_at(self, start: int, end: int) -> bool:
        """Whether text[start:end] lies in prose: one line, or two of a hard-wrapped paragraph."""
        i = bisect.bisect_right(self.starts, start) - 1
        if i < 0 or not self.prose[i]:
            return False
        if end <= self.ends[i]:
            return True
        return i + 1 < len(self.starts) and self.prose[i + 1] and self.starts[i + 1] < end <= self.ends[i + 1]


def _paragraphs(text: str) -> list[list[tuple[int, int]]]:
    paragraphs: list[list[tuple[int, int]]] = [[]]
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            paragraphs[-1].append((pos, pos + len(body)))
        elif paragraphs[-1]:
            paragraphs.append([])
        pos += len(line)
    return [p for p in paragraphs if p]


def _is_wrapped(text: str, lines: list[tuple[int, int]]) -> bool:
    if len(lines) < 2:
        return False
    long_lines = sum(e - s >= WRAPPED_LINE_CHARS for s, e in lines[:-1])
    joined = " ".join(text[s:e] for s, e in lines)
    return long_lines * 2 >= len(lines) - 1 and is_prose(joined)


def prose_map(text: str) -> ProseMap:
    """Mark each line of `text` as prose or not (see the module docstring)."""
    starts: list[int] = []
    ends: list[int] = []
    prose: list[bool] = []
    for lines in _paragraphs(text):
        wrapped = _is_wrapped(text, lines)
        for s, e in lines:
            starts.append(s)
            ends.append(e)
            prose.append((wrapped and not _CODE.search(text[s:e])) or is_prose(text[s:e]))
    return ProseMap(tuple(starts), tuple(ends), tuple(prose))
