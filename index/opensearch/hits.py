"""Hits from OpenSearch responses: our `Hit`s, with the marks the cluster found.

The cluster marks what matched (its highlighter knows the stems, the
expanded prefixes and the phrases it matched); the passages are then cut
from the marked text with the same windows as the Whoosh engine
(`index.highlight`), so both engines show passages of the same length and
kind. The cluster marks a phrase word by word; consecutive marks that
spell a run of a quoted phrase are joined, so "Deir ez-Zor" is marked as
written, as in the Whoosh engine.
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
    text, spans, inside, start = [], [], False, 0
    pos = 0
    for part in _MARK.split(marked):
        if part == "<mark>":
            inside, start = True, pos
        elif part == "</mark>":
            inside = False
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


def marked(highlights: dict, field: str, phrases) -> tuple[str, list[tuple[int, int, str]]] | None:
    """The field's text and its marks, merged over the field and its stemmed copy; None: no marks."""
    text, spans = None, []
    for name in (field, f"{field}.stem"):
        for fragment in highlights.get(name, ())[:1]:
            plain, found = _spans(fragment)
            text = plain if text is None else text
            if plain == text:
                spans.extend(found)
    if text is None:
        return None
    return text, _join_phrases(text, spans, phrases)


def passages(body: str, found) -> tuple[str, ...]:
    if found is None or not found[1]:
        return hl.passages(body, hl.Terms())
    text, spans = found
    out = []
    for start, end in hl._windows(text, spans, hl.PASSAGES):
        snippet = hl.render(text, spans, start, end)
        out.append(("… " if start > 0 else "") + snippet + (" …" if end < len(text) else ""))
    return tuple(out)


def title_html(title: str, found) -> str:
    if found is None:
        return html.escape(title, quote=False)
    return hl.render(found[0], found[1])


def to_hit(raw: dict, phrases=(), highlight: bool = True) -> Hit:
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
        title_html=title_html(title, marked(highlights, "title", phrases)) if highlight
        else html.escape(title, quote=False),
        outlet=src.get("outlet_name") or None,
        outlet_slug=src.get("outlet") or None,
        date=_day(src.get("date")),
        news_id=src.get("news_id") or None,
        url=src.get("url") or None,
        lang=src.get("lang") or None,
        snippets=passages(body, marked(highlights, "body", phrases)) if highlight else (),
        score=float(score) if isinstance(score, (int, float)) else None,
        entities=tuple(EntityRef(slug, names.get(slug, slug), etype)
                       for etype in ENTITY_TYPES for slug in src.get(etype) or ()),
        story=src.get("story") or None,
        cites=tuple(cite_names.get(slug, slug) for slug in src.get("cites") or ()),
        shares=tuple(src.get("shares") or ()),
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
