"""Words with their places: the one tokenisation text reuse is measured on.

Two copies of one passage rarely match character for character: one outlet
uses curly quotes, another straight ones; line breaks, double spaces, a
dropped comma or a capital letter differ. Comparing *words* (runs of letters
and digits, case-folded) makes those differences vanish, and keeping each
word's character span lets a passage found in the words be shown in the text
as written. Signatures, story groups and shared passages all use this module,
so "the same text" means the same thing everywhere.
"""
from __future__ import annotations

import re
from typing import NamedTuple

#: A word: a run of letters or digits (any script); underscores are not words.
WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: Words per shingle for story signatures (5 is the usual choice for news
#: near-duplicate detection: long enough that two unrelated articles rarely
#: share one, short enough that a light edit only breaks a few).
SHINGLE_WORDS = 5


class Word(NamedTuple):
    """One normalised word and the character span it was read from (a tuple: texts hold thousands)."""

    norm: str
    start: int
    end: int


def words(text: str) -> list[Word]:
    """The words of `text`, case-folded, with their character spans."""
    make = tuple.__new__  # a Word without NamedTuple's Python-level constructor (texts hold thousands)
    return [make(Word, (m.group().casefold(), m.start(), m.end())) for m in WORD.finditer(text or "")]


def norm_words(text: str) -> list[str]:
    """The normalised words of `text` only (what shingles are made of)."""
    text = text or ""
    if text.isascii():  # case-folding ASCII keeps every character where it is: fold once
        return WORD.findall(text.casefold())
    return [m.group().casefold() for m in WORD.finditer(text)]


def shingles(tokens: list[str], size: int = SHINGLE_WORDS) -> set[str]:
    """The set of `size`-word runs; a text shorter than that is one shingle.

    Keeping a short text as a single shingle means two identical short
    notices still match each other, while sharing nothing with longer texts.
    """
    if not tokens:
        return set()
    if len(tokens) <= size:
        return {" ".join(tokens)}
    return set(map(" ".join, zip(*(tokens[k:] for k in range(size)))))  # each run of `size`, no slices
