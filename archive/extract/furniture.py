"""Furniture learnt from repetition: what recurs across a source's pages is the page.

A site's menus, footers, share prompts and newsletter boxes are the same on
every one of its pages, while each article's sentences are its own. So a
paragraph that recurs across the pages of one source (a folder of copies, the
records of one export) is furniture, whatever language it is in and whether
or not any list names it: that is how a collection of 500 pages from one
site cleans itself.

Two things are not furniture although they recur: a story syndicated to
several outlets shares whole paragraphs, and a short quote can be in two
copies of one story. So a sentence needs to recur in more pages than a menu
label does, and long prose only counts when it is on a large share of the
source's pages (a disclaimer, not a shared story).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

#: Longest paragraph counted (longer ones are prose, and hashing them costs).
MAX_KEY_CHARS = 400
#: Pages a label, a sentence and a paragraph of prose must recur on.
MIN_LABEL_PAGES = 2
MIN_SENTENCE_PAGES = 3
MIN_PROSE_PAGES = 5
#: Share of the source's pages long prose must be on to be furniture.
PROSE_SHARE = 0.3
PROSE_CHARS = 150
#: Pages of one source learnt from (a sample is enough to see its furniture).
MAX_PAGES = 3000

DIGITS = re.compile(r"\d+")
SPACES = re.compile(r"\s+")
EDGE = " \t.,:;!?-–—|•·*()[]{}\"'“”‘’«»"
SENTENCE_END = re.compile(r"[.!?。！？][\"'”’)\]]*\Z")


def unit_key(text: str) -> str:
    """A paragraph as compared across pages: case, spacing, numbers and edge marks ignored."""
    return DIGITS.sub("0", SPACES.sub(" ", text.casefold())).strip(EDGE)


class FurnitureModel:
    """How many of a source's pages each short paragraph is on."""

    def __init__(self, counts: Counter | None = None, pages: int = 0):
        self.counts: Counter = counts if counts is not None else Counter()
        self.pages = pages

    @classmethod
    def learn(cls, texts: Iterable[str]) -> "FurnitureModel":
        """Count paragraphs over distinct pages (an exact copy of a page counts once)."""
        from .clean import text_lines
        from .layout import page_units
        model = cls()
        seen: set[int] = set()
        for text in texts:
            fingerprint = hash(text)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            model.add(unit.text for unit in page_units(text_lines(text)))
            if model.pages >= MAX_PAGES:
                break
        return model

    def add(self, paragraphs: Iterable[str]) -> None:
        """One page's paragraphs."""
        keys = {unit_key(p) for p in paragraphs if len(p) <= MAX_KEY_CHARS}
        keys.discard("")
        self.counts.update(keys)
        self.pages += 1

    def is_furniture(self, key: str, text: str) -> bool:
        pages = self.counts.get(key, 0)
        if pages < MIN_LABEL_PAGES:
            return False
        if len(text) >= PROSE_CHARS:
            return pages >= max(MIN_PROSE_PAGES, PROSE_SHARE * self.pages)
        if SENTENCE_END.search(text):
            return pages >= MIN_SENTENCE_PAGES
        return True

    def __bool__(self) -> bool:
        return self.pages >= MIN_LABEL_PAGES
