"""Hits from OpenSearch responses: our `Hit`s, with the marks the cluster found.

Words, stems and phrases are marked by the archive's own highlighter
(`index.highlight`, as in the Whoosh engine: a phrase is marked as written,
"Deir ez-Zor"); what only the cluster knows, the words a prefix, wildcard
or fuzzy term expanded to, comes from its highlighter (`<mark>` in the
whole field) and is merged in. The passages are cut with the same windows
as the Whoosh engine's. The cluster marks a phrase word by word;
consecutive marks that spell a run of a quoted phrase are joined.
"""
from __future__ import annotations

import datetime as dt
import html
import re

from archive.document import ENTITY_TYPES

from .. import highlight as hl
from ..model import EntityRef, Hit, StoryMember
from ..schema import fold

_MARK = re.compile(r"(<mark>|</mark>)")
_GAP = re.compile(r"^[\W_]{1,3}$")


def _day(value) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _spans(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text of an HTML-encoded highlight, and the (start, end) of each mark in it."""
    text, spans, start, pos = [], [], 0, 0
    for part in _MARK.split(marked):
        if part == "<mark>":
            start = pos
        elif part == "</mark>":
            spans.append((start, pos))
        else:
            plain = html.unescape(part)
            text.append(plain)
            pos += len(plain)
    return "".join(text), spans


def _key(text: str) -> str:
    return fold(text.lower())


def _join_phrases(text: str, spans: list[tuple[int, int]], phrases) -> list[tuple[int, int, str]]:
    """Marks as (start, end, key); consecutive marks spelling part of a phrase become one."""
    runs = [" ".join(p) for p in phrases]
    out: list[tuple[int, int, str]] = []
    for start, end in sorted(set(spans)):
        word = _key(text[start:end])
        if out and _GAP.match(text[out[-1][1]:start] or "x"):
            joined = f"{out[-1][2]} {word}"
            if any(f" {joined} " in f" {r} " for r in runs):
                out[-1] = (out[-1][0], end, joined)
                continue
        out.append((start, end, word))
    return out


def marked(text: str, terms: hl.Terms, highlights: dict, field: str) -> list[tuple[int, int, str]]:
    """The marks in `text`: the archive's highlighter's, and the cluster's for expanded terms."""
    spans = hl.mark_spans(text, terms)
    for fragment in highlights.get(field, ())[:1]:
        plain, found = _spans(fragment)
        if plain == text:
            spans = hl._merge(spans + _join_phrases(text, found, terms.phrases))
    return spans


def passages(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, ...]:
    """As `index.highlight.passages`, from marks already found."""
    if not text.strip():
        return ()
    if not spans:
        return hl.passages(text, hl.Terms())
    out = []
    for start, end in hl._windows(text, spans, hl.PASSAGES):
        snippet = hl.render(text, spans, start, end)
        out.append(("… " if start > 0 else "") + snippet + (" …" if end < len(text) else ""))
    return tuple(out)


def to_hit(raw: dict, terms: hl.Terms = hl.Terms(), highlight: bool = True) -> Hit:
    src = raw.get("_source") or {}
    highlights = raw.get("highlight") or {}
    title = src.get("title") or ""
    body = src.get("body") or ""
    names = src.get("entity_names") or {}
    cite_names = src.get("cite_names") or {}
    score = raw.get("_score")
    return Hit(
        id=src.get("id", raw.get("_id", "")),
        title=title,
        title_html=hl.render(title, marked(title, terms, highlights, "title")) if highlight
        else html.escape(title, quote=False),
        outlet=src.get("outlet_name") or None,
        outlet_slug=src.get("outlet") or None,
        date=_day(src.get("date")),
        news_id=src.get("news_id") or None,
        url=src.get("url") or None,
        lang=src.get("lang") or None,
        snippets=passages(body, marked(body, terms, highlights, "body")) if highlight else (),
        score=float(score) if isinstance(score, (int, float)) else None,
        entities=tuple(EntityRef(slug, names.get(slug, slug), etype)
                       for etype in ENTITY_TYPES for slug in src.get(etype) or ()),
        story=src.get("story") or None,
        cites=tuple(cite_names.get(slug, slug) for slug in src.get("cites") or ()),
        date_provenance=src.get("date_provenance") or None,
        date_rule=src.get("date_rule") or None,
    )


def members(raw: dict) -> tuple[StoryMember, ...]:
    """The other members of a collapsed hit's story group, earliest first."""
    inner = ((raw.get("inner_hits") or {}).get("members") or {}).get("hits", {}).get("hits", [])
    out = []
    for doc in inner:
        src = doc.get("_source") or {}
        if doc.get("_id") == raw.get("_id"):
            continue
        out.append(StoryMember(src.get("id", doc.get("_id", "")), src.get("outlet_name") or None,
                               _day(src.get("date"))))
    return tuple(sorted(out, key=lambda m: (m.date is None, m.date or dt.date.min, m.id)))
