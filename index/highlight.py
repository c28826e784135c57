"""Highlighted passages for the hits shown, without Whoosh's highlighter.

Only the handful of hits on the page are highlighted. Each text is scanned
once with the tokenizer the index uses; a token is marked when its folded
form is an exact term of the query, its stem is the stem of a query word
(the text fields are stemmed at query time, see `index.stems`), or it starts
a run of tokens that spells a quoted phrase (or another spelling of it), in
which case the run is marked as written ("Deir ez-Zor", hyphen and all).
Passages are the windows holding the most distinct matched words. Output is
HTML-escaped; `<mark>` is the only markup.
"""
from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass, field

from whoosh import query as wq

from .schema import _TOKENS, TEXT_FIELDS, fold
from .stems import DIALECT_PAIRS, Inflections, dialect, stem

_TOKEN = re.compile(_TOKENS)
_SPACE = re.compile(r"\s+")
PASSAGES = 3
PASSAGE_CHARS = 220
LEAD_CHARS = 70         # context kept before the first match of a passage
MAX_MARKS = 60          # stop scanning a long body once this many matches were found
EXACT_FIELDS = (*TEXT_FIELDS, "person_name", "org_name", "place_name")


@dataclass(frozen=True)
class Terms:
    """What to mark: stems, exact (folded) words, and phrases of exact words."""

    stems: frozenset[str] = frozenset()
    exact: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.stems or self.exact or self.phrases)


@functools.lru_cache(maxsize=100_000)
def _forms(token: str) -> tuple[str, str]:
    folded = dialect(fold(token.lower()))  # as the text analysis indexes it
    return folded, stem(folded)


def terms_of(q: wq.Query | None) -> Terms:
    """The positive terms of a (prefix-expanded) query; negated parts are skipped."""
    stems: set[str] = set()
    exact: set[str] = set()
    phrases: list[tuple[str, ...]] = []

    def visit(node: wq.Query) -> None:
        if isinstance(node, (wq.Not,)):
            return
        if isinstance(node, wq.AndNot):
            visit(node.a)
            return
        if isinstance(node, Inflections):
            if node.fieldname in TEXT_FIELDS:
                stems.add(node.text)
            return
        if isinstance(node, wq.Phrase):
            if node.fieldname in EXACT_FIELDS:
                phrases.append(tuple(str(w) for w in node.words))
            return
        if isinstance(node, wq.Term):
            if node.fieldname in EXACT_FIELDS:  # other fields' terms may be encoded numbers, not words
                exact.add(node.text.decode("utf-8") if isinstance(node.text, bytes) else str(node.text))
            return
        if not node.is_leaf():
            for child in node.children():
                visit(child)

    if q is not None:
        visit(q)
    return Terms(frozenset(stems), frozenset(exact), tuple(dict.fromkeys(phrases)))


@functools.lru_cache(maxsize=1)
def _by_american_form() -> tuple[list[str], list[str]]:
    """The British spellings folded (`index.stems.DIALECT_PAIRS`), as American forms in order and theirs."""
    pairs = sorted((us, uk) for uk, us in DIALECT_PAIRS.items())
    return [us for us, _ in pairs], [uk for _, uk in pairs]


@functools.lru_cache(maxsize=4096)
def _british_forms_starting(prefix: str) -> tuple[str, ...]:
    """As `index.stems.british_forms_starting` (British spellings whose American form starts with
    `prefix`), found by bisection instead of a scan of all 1,700 pairs per new query word."""
    american, british = _by_american_form()
    lo = bisect.bisect_left(american, prefix)
    hi = bisect.bisect_left(american, prefix + "\U0010ffff")
    return tuple(sorted(british[lo:hi]))


@functools.lru_cache(maxsize=256)
def _candidates(terms: Terms) -> re.Pattern | None:
    """A pattern for the token starts that may match `terms` (None: scan every token).

    Porter only rewrites the end of a word, so every inflection of a stem
    starts with the stem minus its last letter; exact words and phrases
    start with their (first) word. Letting the regex engine find those
    starts skips the Python work for the many tokens that cannot match.
    """
    starts = {s[:-1] or s for s in terms.stems} | set(terms.exact) | {p[0] for p in terms.phrases if p}
    starts |= {uk for s in list(starts) for uk in _british_forms_starting(s)}  # "centre" for "center"
    if not starts or not all(w.isascii() for w in starts):
        return None
    words = "|".join(re.escape(w) for w in sorted(starts, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?<![\w][.'’])(?:{words})", re.IGNORECASE)


def _fast_spans(text: str, terms: Terms, pattern: re.Pattern, limit: int) -> list[tuple[int, int, str]]:
    """`mark_spans` for ASCII text: only tokens at candidate starts are looked at."""
    spans: list[tuple[int, int, str]] = []
    pos = 0
    while len(spans) < limit:
        found = pattern.search(text, pos)
        if found is None:
            break
        token = _TOKEN.match(text, found.start())
        pos = token.end()
        folded, stemmed = _forms(token.group())
        for phrase in terms.phrases:
            if phrase[0] != folded:
                continue
            end, following = token.end(), None
            for word in phrase[1:]:
                following = _TOKEN.search(text, end)
                if following is None or _forms(following.group())[0] != word:
                    break
                end = following.end()
            else:
                spans.append((token.start(), end, " ".join(phrase)))
        if folded in terms.exact or stemmed in terms.stems:
            spans.append((token.start(), token.end(), stemmed))
    return _merge(spans)


def mark_spans(text: str, terms: Terms, limit: int = MAX_MARKS) -> list[tuple[int, int, str]]:
    """(start, end, folded text) of each match in `text`, in order, merged."""
    if not terms or not text:
        return []
    pattern = _candidates(terms) if text.isascii() else None
    if pattern is not None:
        return _fast_spans(text, terms, pattern, limit)
    tokens = []
    spans: list[tuple[int, int, str]] = []
    longest = max((len(p) for p in terms.phrases), default=1)
    for m in _TOKEN.finditer(text):
        folded, stemmed = _forms(m.group())
        tokens.append((m.start(), m.end(), folded))
        if terms.phrases:
            for phrase in terms.phrases:
                n = len(phrase)
                if len(tokens) >= n and tuple(t[2] for t in tokens[-n:]) == phrase:
                    start = tokens[-n][0]
                    spans.append((start, m.end(), " ".join(phrase)))
            if len(tokens) > longest:
                del tokens[0]
        if folded in terms.exact or stemmed in terms.stems:
            spans.append((m.start(), m.end(), stemmed))
        if len(spans) >= limit:
            break
    return _merge(spans)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    spans.sort(key=lambda s: (s[0], -s[1]))
    out: list[tuple[int, int, str]] = []
    for start, end, key in spans:
        if out and start < out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end, out[-1][2])
            continue
        out.append((start, end, key))
    return out


def render(text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None) -> str:
    """`text[start:end]` escaped, with the spans inside it wrapped in <mark>."""
    end = len(text) if end is None else end
    parts, pos = [], start
    for s, e, _ in spans:
        if e <= start or s >= end:
            continue
        s, e = max(s, start), min(e, end)
        parts.append(html.escape(text[pos:s], quote=False))
        parts.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    parts.append(html.escape(text[pos:end], quote=False))
    return _SPACE.sub(" ", "".join(parts)).strip()


def _word_start(text: str, pos: int) -> int:
    if pos <= 0:
        return 0
    space = text.rfind(" ", max(0, pos - 20), pos)
    if space < 0:
        space = text.find(" ", pos)
    return space + 1 if space >= 0 else pos


def _word_end(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    space = text.find(" ", pos, pos + 20)
    return space if space >= 0 else pos


def _windows(text: str, spans: list[tuple[int, int, str]], count: int) -> list[tuple[int, int]]:
    """Non-overlapping windows with the most distinct matches, in text order."""
    candidates = []
    for i, (s, _, _) in enumerate(spans):
        start = _word_start(text, max(0, s - LEAD_CHARS))
        end = _word_end(text, min(len(text), start + PASSAGE_CHARS))
        inside = [sp for sp in spans[i:] if sp[1] <= end]
        distinct = len({sp[2] for sp in inside})
        candidates.append((distinct, len(inside), -s, start, end))
    candidates.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for *_, start, end in candidates:
        if all(end <= a or start >= b for a, b in chosen):
            chosen.append((start, end))
            if len(chosen) == count:
                break
    return sorted(chosen)


def passages(text: str, terms: Terms, count: int = PASSAGES) -> tuple[str, ...]:
    """One to `count` highlighted passages; the opening of the text when nothing matched."""
    if not text.strip():
        return ()
    spans = mark_spans(text, terms)
    if not spans:
        end = _word_end(text, min(len(text), PASSAGE_CHARS))
        return (render(text, [], 0, end) + (" …" if end < len(text) else ""),)
    out = []
    for start, end in _windows(text, spans, count):
        snippet = render(text, spans, start, end)
        out.append(("… " if start > 0 else "") + snippet + (" …" if end < len(text) else ""))
    return tuple(out)


def title_html(title: str, terms: Terms) -> str:
    return render(title, mark_spans(title, terms))
