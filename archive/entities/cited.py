"""A cited source's name, checked against the article's own entities.

Attribution (`archive.coverage.attribution`) reads source names with
patterns over one line of text, so wire copy hard-wrapped at 65 characters
hands it the tail of a name ("Inc said", "Department said" after "BP North
America" and "U.S. Agriculture" on the line before), and a company named
"X and Y Corp" comes out as "Y Corp". The article's entities were read with
the wrap undone: when one of their mentions holds the cited words, the
source is that entity. A head noun alone ("the Department said", "the Bank
said") refers back: it is the article's entity whose name holds that word,
mentioned last before it ("U.S. Agriculture Department"), or no source at
all. What is left is judged by the same rules as entity mentions (a company
suffix alone, money, units, a reporting word are no source).
"""
from __future__ import annotations

import re
from typing import Iterable

from .clean import ORG_WORDS, rejection
from .wordlists import WordLists, default_word_lists


def _covering_entity(text: str, start: int, end: int, entities: Iterable) -> str | None:
    best, best_len = None, end - start
    for entity in entities:
        for m in getattr(entity, "mentions", ()):
            if m.field != "body" or not (m.start <= start and end <= m.end) or m.end - m.start <= best_len:
                continue
            if text[m.start:m.end] != m.text:
                continue  # offsets into another text than this one
            best, best_len = entity.name, m.end - m.start
    return best


_WRAPPED_HEAD = re.compile(r"((?:(?:[A-Z][\w'’&.-]*|of|and|for)[ \t]+){0,3}[A-Z][\w'’&.-]*)[ \t]*\n[ \t]*$")
_NOT_A_NAME_START = frozenset({"The", "A", "An", "In", "On", "At", "But", "And", "It", "He", "She", "They", "We"})


def _unwrapped(text: str, start: int, name: str) -> str:
    """"Department" written after "the U.S. Agriculture" + a line break -> "U.S. Agriculture Department"."""
    m = _WRAPPED_HEAD.search(text, max(0, start - 80), start)
    if not m or m.end() != start:
        return name
    head = m.group(1).split()
    while head and (head[0] in _NOT_A_NAME_START or head[0][:1].islower()):
        head = head[1:]
    return " ".join([*head, name]) if head else name


def _named_before(head: str, text: str, start: int, entities: Iterable) -> str | None:
    """The article's entity a lone head noun refers back to ("the Department said" after "the U.S.
    Agriculture Department"): one whose name holds the word, mentioned last before `start` (else
    first after it), or None."""
    best: tuple[int, int, str] | None = None
    for entity in entities:
        if head not in (w.casefold() for w in entity.name.split()) or entity.name.casefold() == head:
            continue
        for m in getattr(entity, "mentions", ()):
            if m.field != "body" or text[m.start:m.end] != m.text:
                continue
            rank = (0, start - m.start) if m.end <= start else (1, m.start - start)
            if best is None or rank < best[:2]:
                best = (*rank, entity.name)
    return None if best is None else best[2]


def source_name(name: str, text: str, start: int, end: int, entities: Iterable = (),
                words: WordLists | None = None) -> str | None:
    """The name a citation of text[start:end] (written `name`) stands for, or None when it is no name.

    >>> source_name("Inc", "BP North America\\nInc said", 17, 20) is None
    True
    """
    whole = _covering_entity(text, start, end, entities) if start >= 0 else None
    if whole is not None:
        return whole
    if start >= 0:
        name = _unwrapped(text, start, name)
    head = " ".join(name.split()).casefold().removeprefix("the ")
    if head in ORG_WORDS:
        # a head noun alone ("the Department", "the Bank", "the Ministry") names the body named before
        return _named_before(head, text, start, entities) if start >= 0 else None
    reason = rejection(" ".join(name.split()), words or default_word_lists())
    if reason in ("a company suffix alone", "a currency", "a unit or wire abbreviation", "a reporting word"):
        return None
    return name
