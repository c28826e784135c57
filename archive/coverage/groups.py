"""Story groups: which articles carry the same text, and how much of it.

A pair of articles is *linked* when the exact Jaccard similarity of their
word-shingle sets (see `words.py`) reaches `GROUP_JACCARD`; a *story group*
is a connected set of linked articles. Candidates come from the LSH index
(`storyindex.py`); every candidate is verified on the texts themselves, so
the MinHash estimate never creates a group.

How the thresholds were chosen (measured on Reuters-21578, all 21,578
stories; figures in bench/coverage.py's output): exact Jaccard >= 0.9 is a
reissued or corrected story (a word or figure changed); 0.5-0.9 holds
updated versions of one story (a paragraph added, a sentence reworded) but
also recurring template reports ("Fed adds reserves...", "Qtly div 10 cts vs
10 cts prior") filed on different days; below 0.5, template reports
dominate. Hence a link needs Jaccard >= 0.5 and, when both dates are known,
publication within `WINDOW_DAYS` of each other (identical texts excepted):
a story is retold within days, a template report recurs on other days.

Kinds of link, in order of precedence:

- ``duplicate``: the same text (same normalised word sequence; layout,
  case and punctuation aside). Counted once in totals, every copy listed.
- ``repost``: near-identical, Jaccard >= `REPOST_JACCARD` (0.9).
- ``shared wire text``: one text almost wholly inside the other: at least
  `WIRE_CONTAINMENT` (0.8) of the shorter text's shingles are in the longer
  (wire copy run with additions of one's own).
- ``rewrite``: the rest of the linked pairs: much shared text, but edited.

Below the link threshold articles can still share passages; those are found
by `passages.py`, not here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from .signatures import Signature, signature, signed_text
from .storyindex import StoryIndex
from .words import SHINGLE_WORDS, norm_words, shingles

GROUP_JACCARD = 0.5
REPOST_JACCARD = 0.9
WIRE_CONTAINMENT = 0.8
WINDOW_DAYS = 3

DUPLICATE = "duplicate"
REPOST = "repost"
SHARED_WIRE_TEXT = "shared wire text"
REWRITE = "rewrite"
KINDS = (DUPLICATE, REPOST, SHARED_WIRE_TEXT, REWRITE)


@dataclass(frozen=True)
class Overlap:
    """Exact shared-text measures of two texts' shingle sets."""

    jaccard: float
    a_in_b: float   # share of A's shingles also in B
    b_in_a: float   # share of B's shingles also in A
    same_text: bool

    @property
    def containment(self) -> float:
        """Share of the shorter text found in the longer one."""
        return max(self.a_in_b, self.b_in_a)

    @property
    def kind(self) -> str | None:
        """The link kind (see the module docstring); None below the threshold."""
        if self.same_text:
            return DUPLICATE
        if self.jaccard < GROUP_JACCARD:
            return None
        if self.jaccard >= REPOST_JACCARD:
            return REPOST
        if self.containment >= WIRE_CONTAINMENT:
            return SHARED_WIRE_TEXT
        return REWRITE


def shingle_set(article_or_text) -> tuple[list[str], set[str]]:
    tokens = norm_words(signed_text(article_or_text))
    return tokens, shingles(tokens, SHINGLE_WORDS)


def overlap(a, b) -> Overlap:
    """Exact overlap of two texts (or Articles: title + body, as signed)."""
    tokens_a, set_a = shingle_set(a)
    tokens_b, set_b = shingle_set(b)
    return overlap_of_sets(tokens_a, set_a, tokens_b, set_b)


def overlap_of_sets(tokens_a, set_a, tokens_b, set_b) -> Overlap:
    if not set_a or not set_b:
        return Overlap(0.0, 0.0, 0.0, False)
    shared = len(set_a & set_b)
    return Overlap(jaccard=shared / len(set_a | set_b), a_in_b=shared / len(set_a),
                   b_in_a=shared / len(set_b), same_text=tokens_a == tokens_b)


def within_window(a: dt.date | None, b: dt.date | None, days: int = WINDOW_DAYS) -> bool:
    """True when either date is unknown or they are at most `days` apart."""
    if a is None or b is None:
        return True
    return abs((_as_date(a) - _as_date(b)).days) <= days


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class StoryLink:
    """Two articles of one story, with how much text they share."""

    a: str
    b: str
    kind: str
    jaccard: float
    a_in_b: float
    b_in_a: float

    def share_of(self, article_id: str) -> float:
        """The share of `article_id`'s text found in the other article."""
        return self.a_in_b if article_id == self.a else self.b_in_a

    def other(self, article_id: str) -> str:
        return self.b if article_id == self.a else self.a

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "kind": self.kind, "jaccard": round(self.jaccard, 4),
                "a_in_b": round(self.a_in_b, 4), "b_in_a": round(self.b_in_a, 4)}


def link(a_id: str, a, b_id: str, b) -> StoryLink | None:
    """The link between two articles (or texts), or None if they are not one story.

    Articles' dates are checked against `WINDOW_DAYS`; plain texts have none.
    """
    ov = overlap(a, b)
    kind = ov.kind
    if kind is None:
        return None
    if kind != DUPLICATE and not within_window(getattr(a, "date", None), getattr(b, "date", None)):
        return None
    return StoryLink(a_id, b_id, kind, ov.jaccard, ov.a_in_b, ov.b_in_a)


#: Looks up stored articles (or their texts) by id, e.g. `Store.get_many`.
Lookup = Callable[[list[str]], Mapping[str, object]]


class StoryLinker:
    """Finds a new article's story links among its LSH candidates only.

    `verifications` counts exact comparisons: one per candidate, never one
    per archived article.
    """

    def __init__(self, index: StoryIndex, lookup: Lookup):
        self.index = index
        self.lookup = lookup
        self.verifications = 0

    def links_for(self, article_id: str, article, sig: Signature | None = None) -> list[StoryLink]:
        """Links between `article` and the indexed articles (does not index it)."""
        sig = sig or signature(article)
        ids = self.index.candidates(sig, exclude=article_id)
        if not ids:
            return []
        found = self.lookup(ids)
        links = []
        for other_id in ids:
            other = found.get(other_id)
            if other is None:
                continue
            self.verifications += 1
            pair = link(article_id, article, other_id, other)
            if pair is not None:
                links.append(pair)
        return links

    def add(self, article_id: str, article, sig: Signature | None = None) -> list[StoryLink]:
        """Index one article and return its links to those already indexed."""
        sig = sig or signature(article)
        links = self.links_for(article_id, article, sig)
        self.index.add(article_id, sig)
        return links


@dataclass(frozen=True)
class StoryGroup:
    """Connected linked articles; `id` is its smallest member id (stable while it lasts)."""

    id: str
    members: tuple[str, ...]
    links: tuple[StoryLink, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    def distinct_texts(self) -> int:
        """Members counted once per text: exact duplicates count as one."""
        parent = {m: m for m in self.members}
        for pair in self.links:
            if pair.kind == DUPLICATE:
                parent[_find(parent, pair.a)] = _find(parent, pair.b)
        return len({_find(parent, m) for m in self.members})


def _find(parent: dict[str, str], x: str) -> str:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


def story_groups(links: Iterable[StoryLink]) -> list[StoryGroup]:
    """Story groups (connected components) of the links, biggest first."""
    parent: dict[str, str] = {}
    links = list(links)
    for pair in links:
        for x in (pair.a, pair.b):
            parent.setdefault(x, x)
        ra, rb = _find(parent, pair.a), _find(parent, pair.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(_find(parent, x), []).append(x)
    by_root: dict[str, list[StoryLink]] = {}
    for pair in links:
        by_root.setdefault(_find(parent, pair.a), []).append(pair)
    groups = [StoryGroup(min(ms), tuple(sorted(ms)), tuple(by_root.get(root, ())))
              for root, ms in members.items()]
    groups.sort(key=lambda g: (-g.size, g.id))
    return groups
