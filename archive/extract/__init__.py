"""Extraction: from a RawDocument to an Article (entities come later).

`extract` runs one cascade per field, each filled by the most trusted source
that has it: the hints the source states (explicit) before what the text
shows (inferred, with the rule that found it). Header lines read as metadata
(a date line, a "News ID:" line, the headline, a "Source:" line naming the
publisher) leave the body; every other line the cleaner keeps stays.

`extract` raises BadRecord only when there is no article text; any other
input, however odd, gives an Article.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

from ..document import Article, RawDocument, content_hash
from ..errors import BadRecord
from ..ids import article_id, article_slug
from .clean import content_lines, join_paragraphs, text_lines
from .dates import date_from_url, find_body_date, find_head_date, parse_date
from .language import detect_language, normalise_language
from .newsid import clean_news_id, find_news_id
from .outlets import FoundOutlet, outlet_from_hints, outlet_from_text
from .registry import Outlet, default_registry, resolve_outlet
from .title import FoundTitle, clean_title, find_headline, lead_sentence_title, strip_site_suffix

#: Non-blank lines at the top where a copy of the title is dropped from the body.
TITLE_COPY_LINES = 5


@dataclass
class _Page:
    """The article's lines while extraction works on them."""

    lines: list[str]
    consumed: set[int] = field(default_factory=set)
    #: Every line of the text as given, furniture included: where a page
    #: names its own publisher (a copyright line, a skip link) or its date.
    all_lines: list[str] = field(default_factory=list)

    @property
    def skip(self) -> frozenset[int]:
        return frozenset(self.consumed)

    def has_text(self) -> bool:
        return any(line and i not in self.consumed for i, line in enumerate(self.lines))

    def body(self) -> str:
        return join_paragraphs([line for i, line in enumerate(self.lines) if i not in self.consumed])


def extract(raw: RawDocument) -> Article:
    """The Article for one raw document (see the module docstring)."""
    hints: Mapping[str, object] = raw.hints or {}
    text = raw.text or ""
    given_lines = text_lines(text)
    page = _Page(content_lines(given_lines), all_lines=given_lines)
    if not page.lines:
        reason = "no article text" if not text.strip() else "no article text (only page furniture)"
        raise BadRecord(raw.path, raw.record, reason)
    origins: dict[str, str] = {}

    news_id = _news_id(page, hints, origins)
    date = _head_date(page, hints, origins)
    if not page.has_text():
        raise BadRecord(raw.path, raw.record, "no article text (only a date or ID line)")
    title = _title(page, hints, origins)
    outlet = _outlet(page, hints, title.text, origins)
    title_text = _without_site_suffix(title.text, hints, outlet)
    url = _url(hints, origins)
    if date is None:
        date = _fallback_date(page, hints, url, origins)

    body = page.body() or join_paragraphs(page.lines)
    lang = _language(title_text, body, hints, origins)
    chash = content_hash(title_text, body)
    return Article(
        id=article_id(title_text, chash, outlet.slug if outlet else None, news_id),
        slug=article_slug(title_text), title=title_text, body=body,
        source_path=raw.path, record=raw.record, fmt=raw.fmt,
        original=raw.html if raw.html else text,
        outlet=outlet.name if outlet else None, outlet_slug=outlet.slug if outlet else None,
        date=date, news_id=news_id, url=url, lang=lang, origins=origins,
    )


def extract_many(raws: Iterable[RawDocument]) -> Iterator[Article | BadRecord]:
    """Articles for many raw documents, in order; a record without text is a BadRecord."""
    for raw in raws:
        try:
            yield extract(raw)
        except BadRecord as bad:
            yield bad


def _news_id(page: _Page, hints: Mapping[str, object], origins: dict[str, str]) -> str | None:
    found = find_news_id(page.lines)
    if found:
        page.consumed.add(found.index)
    given = clean_news_id(hints.get("news_id"))
    if given:
        origins["news_id"] = "explicit:news_id"
        return given
    if found:
        origins["news_id"] = found.rule
        return found.news_id
    return None


def _head_date(page: _Page, hints: Mapping[str, object], origins: dict[str, str]) -> dt.date | None:
    found = find_head_date(page.lines, page.skip)
    if found:
        if found.rest is None:
            page.consumed.add(found.index)
        else:
            page.lines[found.index] = found.rest
    given = parse_date(hints.get("date"))  # type: ignore[arg-type]
    if given:
        origins["date"] = "explicit:date"
        return given
    if found:
        origins["date"] = found.rule
        return found.date
    return None


def _fallback_date(page: _Page, hints: Mapping[str, object], url: str | None,
                   origins: dict[str, str]) -> dt.date | None:
    guessed = parse_date(hints.get("date_inferred"))  # type: ignore[arg-type]
    if guessed:  # a reader's guess (htmldate's search of a page), not a stated date
        origins["date"] = f"inferred:{hints.get('date_rule') or 'page'}"
        return guessed
    from_url = date_from_url(url)
    if from_url:
        origins["date"] = "inferred:url-path"
        return from_url
    found = find_body_date([line for i, line in enumerate(page.lines) if i not in page.consumed])
    if found:
        origins["date"] = found.rule
        return found.date
    return None


def _title(page: _Page, hints: Mapping[str, object], origins: dict[str, str]) -> FoundTitle:
    given = clean_title(hints.get("title"))
    if given:
        origins["title"] = "explicit:title"
        _drop_title_copies(page, given)
        return FoundTitle(given, None, "explicit:title")
    found = find_headline(page.lines, page.skip)
    if found:
        _drop_title_copies(page, found.text)
    else:  # has_text() guarantees a line to take the sentence from
        found = lead_sentence_title(page.lines, page.skip)
    origins["title"] = found.rule
    return found


def _drop_title_copies(page: _Page, title: str) -> None:
    """The title is not repeated at the head of the body."""
    key = " ".join(title.split()).casefold()
    seen = 0
    for i, line in enumerate(page.lines):
        if not line or i in page.consumed:
            continue
        if " ".join(line.split()).casefold() == key:
            page.consumed.add(i)
        seen += 1
        if seen >= TITLE_COPY_LINES:
            break


def _outlet(page: _Page, hints: Mapping[str, object], title: str,
            origins: dict[str, str]) -> Outlet | None:
    found: FoundOutlet | None = (outlet_from_hints(hints)
                                 or outlet_from_text(page.lines, page.skip, title, all_lines=page.all_lines))
    if not found:
        return None
    if found.index is not None:
        page.consumed.add(found.index)
    origins["outlet"] = found.origin
    return found.outlet


def _without_site_suffix(title: str, hints: Mapping[str, object], outlet: Outlet | None) -> str:
    names = [str(hints.get("site_name") or ""), outlet.name if outlet else ""]
    registry = default_registry()
    stripped = strip_site_suffix(title, names,
                                 same_outlet=lambda s: outlet is not None and registry.resolve(s) == outlet)
    return stripped or title


def _url(hints: Mapping[str, object], origins: dict[str, str]) -> str | None:
    for key in ("canonical_url", "url"):
        value = str(hints.get(key) or "").strip()
        if value.lower().startswith(("http://", "https://")):
            origins["url"] = f"explicit:{key}"
            return value
    return None


def _language(title: str, body: str, hints: Mapping[str, object], origins: dict[str, str]) -> str | None:
    given = normalise_language(hints.get("lang"))
    if given:
        origins["lang"] = "explicit:lang"
        return given
    detected = detect_language(title, body)
    if detected:
        origins["lang"] = "inferred:langid"
    return detected


__all__ = ["extract", "extract_many", "resolve_outlet", "Outlet"]
