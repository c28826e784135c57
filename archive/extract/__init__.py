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
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Mapping

from ..document import Article, RawDocument, content_hash
from ..errors import BadRecord
from ..ids import article_id, article_slug
from .clean import content_indexes, content_lines, join_paragraphs, looks_like_sentence, text_lines
from .furniture import FurnitureModel, unit_key
from .layout import Layout, analyse, borderline_as_text
from .dates import date_from_url, find_head_date, match_date_line, parse_date
from .language import detect_language, normalise_language, page_language
from .newsid import clean_news_id, find_news_id
from .page_dates import FoundDate, find_page_date
from .outlets import FoundOutlet, outlet_from_hints, outlet_from_text
from .registry import Outlet, default_registry, resolve_outlet
from .title import (FoundTitle, clean_title, find_headline, lead_sentence_title, score_candidates,
                    strip_site_suffix, without_breadcrumb)

#: Score a headline candidate of a copied page needs (see title.score_candidates).
MIN_HEADLINE_SCORE = 0.0
#: Most words of a kicker line set above a headline, and what a kicker never holds.
KICKER_WORDS = 5
KICKER_REFUSED = re.compile(r"[\d\[\]|/:»«<>@#]|https?|www\.")
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
    #: The paragraphs of a copied page, classed (None for text not read as a page copy).
    layout: Layout | None = None
    #: A page copy in which no paragraph reads as running text: its paragraphs, for the title alone.
    menu_layout: Layout | None = None
    #: What the source's other pages repeat (None when it has no others).
    furniture: FurnitureModel | None = None
    #: The language the source states, else guessed once from the page's longest lines.
    lang: str | None = None
    _guessed: bool = False

    def language(self) -> str | None:
        if self.lang is None and not self._guessed:
            self.lang, self._guessed = page_language(self.all_lines), True
        return self.lang

    @property
    def skip(self) -> frozenset[int]:
        return frozenset(self.consumed)

    def has_text(self) -> bool:
        return any(line and i not in self.consumed for i, line in enumerate(self.lines))

    def body(self) -> str:
        return join_paragraphs([line for i, line in enumerate(self.lines) if i not in self.consumed])


def extract(raw: RawDocument, furniture: FurnitureModel | None = None) -> Article:
    """The Article for one raw document (see the module docstring).

    `furniture` is what the source's other pages repeat (see `furniture`).
    """
    hints: Mapping[str, object] = raw.hints or {}
    text = raw.text or ""
    page = _page(text_lines(text), raw, hints, furniture)
    if not page.has_text():
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
        date = _fallback_date(page, hints, url, origins, title.index)

    body = page.body() or join_paragraphs(content_lines(page.all_lines))
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
    """Articles for many raw documents, in order; a record without text is a BadRecord.

    The text files of one folder teach each other their furniture first, as
    `ingest.py add` does.
    """
    raws = list(raws)
    models = learn_furniture(raws)
    for raw in raws:
        try:
            yield extract(raw, models.get(source_key(raw)))
        except BadRecord as bad:
            yield bad


def source_key(raw: RawDocument) -> str:
    """The source whose pages share furniture: the folder of a text file."""
    return os.path.dirname(raw.path)


def teaches_furniture(raw: RawDocument) -> bool:
    """A copied page from a text file (web pages are cleaned by trafilatura, exports are clean text)."""
    return raw.fmt == "txt" and not raw.html and bool(raw.text)


def learn_furniture(raws: Iterable[RawDocument]) -> dict[str, FurnitureModel]:
    """A furniture model per folder, from its text files, as `ingest.py add` learns them."""
    texts: dict[str, list[str]] = {}
    for raw in raws:
        if teaches_furniture(raw):
            texts.setdefault(source_key(raw), []).append(raw.text)
    return {key: model for key, group in texts.items() if (model := FurnitureModel.learn(group))}


def _page(lines: list[str], raw: RawDocument, hints: Mapping[str, object],
          furniture: FurnitureModel | None) -> _Page:
    """The lines with furniture marked: a page copy by its layout, other text line by line.

    A web page's text has been through trafilatura already, which saw the
    page's structure; only the line rules apply to it.
    """
    page = _Page(lines, all_lines=list(lines), furniture=furniture, lang=normalise_language(hints.get("lang")))
    repeated: set[int] = set()
    if not raw.html:
        layout = analyse(lines, page.language, furniture)
        if layout.classified and not layout.good():
            # no paragraph reads as running text: the line rules decide, less what the source repeats
            repeated = {i for unit in layout.units if unit.repeated for i in unit.lines}
            page.menu_layout = layout
        else:  # classified, or read line by line already
            page.layout = layout
            page.consumed = set(layout.furniture)
            return page
    kept = set(content_indexes(lines)) - repeated
    page.consumed = {i for i, line in enumerate(lines) if line and i not in kept}
    return page


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
                   origins: dict[str, str], headline: int | None = None) -> dt.date | None:
    guessed = parse_date(hints.get("date_inferred"))  # type: ignore[arg-type]
    if guessed:  # a reader's guess (htmldate's search of a page), not a stated date
        origins["date"] = f"inferred:{hints.get('date_rule') or 'page'}"
        return guessed
    from_url = date_from_url(url)
    if from_url:
        origins["date"] = "inferred:url-path"
        return from_url
    found = _page_date(page, headline)
    if found:
        origins["date"] = found.rule
        return found.date
    return None


def _page_date(page: _Page, headline: int | None) -> FoundDate | None:
    """The date among every given line, scored by closeness to the headline; its line leaves the body."""
    found = find_page_date(page.all_lines, headline, page.language())
    if found:
        page.consumed.add(found.index)
    return found


def _title(page: _Page, hints: Mapping[str, object], origins: dict[str, str]) -> FoundTitle:
    given = clean_title(hints.get("title"))
    if given:
        origins["title"] = "explicit:title"
        _drop_title_copies(page, given)
        return FoundTitle(given, None, "explicit:title")
    if page.layout is not None and page.layout.classified:
        found = _page_headline(page)
        if found:
            origins["title"] = found.rule
            return found
    found = find_headline(page.lines, page.skip)
    if found:
        _drop_title_copies(page, found.text)
    elif page.menu_layout is not None:
        # every paragraph read as furniture: the lead sentence would be a menu's, so the scorer
        # looks for the headline above the borderline paragraphs instead
        found = _page_headline(page, borderline_as_text(page.menu_layout))
    if found is None:  # has_text() guarantees a line to take the sentence from
        found = lead_sentence_title(page.lines, page.skip)
    origins["title"] = found.rule
    return found


def _page_headline(page: _Page, layout: Layout | None = None) -> FoundTitle | None:
    """The best-scored headline candidate above the lead of a copied page; its copies leave the body."""
    layout = layout or page.layout
    scored = score_candidates(layout.units, _is_metadata_line,
                              frozenset(page.consumed - layout.furniture))
    if not scored or scored[0][0] < MIN_HEADLINE_SCORE:
        return None
    k = scored[0][1]
    unit = layout.units[k]
    key = " ".join(unit.text.split()).casefold()
    for other in layout.units:
        if " ".join(other.text.split()).casefold() == key:
            page.consumed.update(other.lines)
    shown = " ".join(unit.text.split())
    title = without_breadcrumb(shown)
    kicker = _kicker(page, k, layout) if title == shown else None  # a breadcrumb, not a kicker, stood above
    if kicker is not None:
        page.consumed.update(kicker.lines)
        title = f"{' '.join(kicker.text.split()).rstrip(':')}: {title}"
    return FoundTitle(title, unit.lines[0], "inferred:headline")


def _kicker(page: _Page, k: int, layout: Layout | None = None):
    """The kicker set right above a headline ("Nach Gaetz-Rückzug"), which joins it.

    Only when the page puts the two together: the line just above, in the
    same block, a few words that are neither a sentence nor furniture nor
    repeated elsewhere on the page (a section name recurs in menus).
    """
    layout = layout or page.layout
    if k == 0:
        return None
    above, unit = layout.units[k - 1], layout.units[k]
    if above.lines[-1] != unit.lines[0] - 1 or len(above.lines) != 1:
        return None  # a blank line between them: the page sets them apart
    text = " ".join(above.text.split())
    words = len(text.split())
    if not (2 <= words <= KICKER_WORDS) or above.shaped or above.bullet or looks_like_sentence(text):
        return None
    if not text[:1].isupper() or KICKER_REFUSED.search(text):
        return None  # a label, a counter, a link or a button rather than words
    key = unit_key(text)
    if _is_metadata_line(text) or any(o is not above and unit_key(o.text) == key for o in layout.units):
        return None
    return above


def _is_metadata_line(text: str) -> bool:
    """A date line or a news ID line: metadata, never a headline."""
    return bool(match_date_line(text) or find_news_id([text]))


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
    # the furniture's evidence is read on a page copy, or where a notice shows (it costs every line's regexes)
    copy = any(layout is not None and layout.classified for layout in (page.layout, page.menu_layout))
    evidence_lines = page.all_lines if copy or _has_notice(page.all_lines) else None
    found: FoundOutlet | None = (outlet_from_hints(hints)
                                 or outlet_from_text(page.lines, page.skip, title, all_lines=evidence_lines,
                                                     furniture=page.furniture))
    if not found:
        return None
    if found.index is not None:
        page.consumed.add(found.index)
    origins["outlet"] = found.origin
    return found.outlet


def _has_notice(lines: list[str]) -> bool:
    """Does any line carry a copyright sign or word (cheap substring tests)?"""
    return any("©" in line or "opyright" in line or "(c)" in line or "(C)" in line for line in lines)


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


__all__ = ["extract", "extract_many", "teaches_furniture", "resolve_outlet", "Outlet"]
