"""Web pages: main text and page metadata via trafilatura.

One function, `page_document`, turns a page into a RawDocument; .html files,
WARC response records and JSON/CSV records carrying raw HTML all go through
it. Extraction favours recall, because a lost sentence of the article costs
more than a stray boilerplate line (extraction cleans those later).

Title, site name and date come from `page_meta`, which weighs what the
markup states against itself: the headline without the site's name, the
site name that fits the domain, the publication date the markup states
(none when its sources disagree). htmldate's "extensive search" guesses a
date from free text, which is inference, not something the source states:
it goes in the `date_inferred` hint, with `date_rule` "htmldate".
"""
from __future__ import annotations

import logging
from typing import Iterator, Mapping
from urllib.parse import urljoin

import trafilatura
from lxml.etree import XPathError
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from ..document import RawDocument
from ..errors import BadRecord, UnreadableFile
from ..extract.zones import country_of, country_zones
from . import encoding, page_meta
from .options import ReadOptions
from .sources import Source

NO_TEXT = "no article text found in the page"

#: htmldate settings: markup only, and the original (not modified) date.
MARKUP_DATE_ONLY = {"original_date": True, "extensive_search": False}

# trafilatura logs every page it finds empty at ERROR level; our callers
# report those themselves, with the file and record.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def read_html(source: Source, options: ReadOptions) -> Iterator[RawDocument]:
    """An .html file: one article."""
    data = source.read_all(options.max_article_bytes)
    result = page_document(data, path=str(source.path), record=None, fmt="html",
                           hints=source.folder_hint())
    if isinstance(result, BadRecord):
        raise UnreadableFile(result.path, result.reason)
    yield result


def page_document(page: str | bytes, *, path: str, record: int | None, fmt: str,
                  hints: Mapping[str, str], charset: str | None = None) -> RawDocument | BadRecord:
    """One article from a web page, or a BadRecord when it has no text.

    `hints` are what the container already states (a WARC target URI, a
    CSV column); they win over what the page says about itself.
    """
    html = page if isinstance(page, str) else encoding.decode(page, page_charset(page, charset))
    tree = load_html(html)
    if tree is None:
        return BadRecord(path, record, NO_TEXT)
    page_hints = own_page_hints(tree, hints.get("url"))
    meta = page_meta.read_page_meta(tree)
    page_meta.read_site_evidence(meta, tree, _site_host(hints.get("url"), page_hints))
    extracted = trafilatura.bare_extraction(
        tree, url=hints.get("url") or page_hints.get("url"), favor_recall=True,
        include_comments=False, include_tables=True, with_metadata=True,
        date_extraction_params=dict(MARKUP_DATE_ONLY))
    text = (extracted.text or "") if extracted is not None else ""
    if not text.strip():
        return BadRecord(path, record, NO_TEXT)
    merged = dict(hints)
    found = {**metadata_hints(extracted), **page_hints}
    found.update(chosen_hints(meta, tree, found, hints))
    for name, value in found.items():
        if value and name not in merged:
            merged[name] = value
    return RawDocument(path=path, record=record, fmt=fmt, text=text, html=html, hints=merged)


def page_charset(page: bytes, given: str | None) -> str | None:
    """The charset to decode a page with: a stated one, unless the bytes are UTF-8.

    Bytes that decode as UTF-8 and hold multi-byte characters are UTF-8 (such
    sequences are vanishingly rare by chance in single-byte code pages), even
    when the page, or its server, declares a legacy charset.
    """
    try:
        page.decode("utf-8")
    except UnicodeDecodeError:
        return given or encoding.declared_html_charset(page)
    return "utf-8"


def chosen_hints(meta: page_meta.PageMeta, tree: HtmlElement, found: Mapping[str, str],
                 given: Mapping[str, str]) -> dict[str, str]:
    """Title, outlet and date chosen among the page's candidates.

    `site_name` stays what the page calls itself; when that name does not fit
    the page's domain (a tagline, a parent company, a news agency), `outlet`
    names the candidate that does, or the domain. The date trafilatura
    reports is dropped: the markup's stated date replaces it; when the markup
    states none, a guess goes in `date_inferred`; when its dates contradict
    each other, there is no date at all.
    """
    urls = [u for u in (given.get("url"), found.get("url"), found.get("canonical_url")) if u]
    url = urls[0] if urls else None
    host = _site_host(given.get("url"), found)
    out: dict[str, str] = {"date": ""}
    title, affixes = page_meta.choose_title(meta, host, found.get("title"))
    if title:
        out["title"] = title
    stated_site = meta.site_names[0][0] if meta.site_names else found.get("site_name")
    out["site_name"] = stated_site or ""
    outlet = page_meta.choose_site_name(meta, host, affixes)
    if outlet and outlet != stated_site:
        out["outlet"] = outlet
    stamps = page_meta.stated_stamps(meta)
    shown = _once(lambda: page_meta.shown_date(tree, title))
    zones = country_zones(country_of(host))
    day, doubt = page_meta.publication_day(stamps, shown, zones, lambda: page_meta.written_zones(tree))
    if day:
        out["date"] = day.isoformat()
    elif not doubt:
        guesses = [(rule, guess) for rule, guess in guessed_dates(tree, url, shown(), found.get("date"), title)
                   if guess]
        if guesses and len({guess for _, guess in guesses}) == 1:
            out["date_inferred"] = guesses[0][1].isoformat()
            out["date_rule"] = guesses[0][0]
    return out


def _site_host(given_url: str | None, found: Mapping[str, str]) -> str | None:
    """The first host naming a site among the given URL, the page's og:url and its canonical
    link (an IP address in og:url names none: the canonical link may)."""
    for url in (given_url, found.get("url"), found.get("canonical_url")):
        host = page_meta.host_of(url) if url else None
        if host and page_meta.host_labels(host):
            return host
    return None


def _once(compute):
    """`compute`, called at most once."""
    cache: list = []

    def value():
        if not cache:
            cache.append(compute())
        return cache[0]
    return value


def guessed_dates(tree: HtmlElement, url: str | None, shown, trafilatura_date: str | None,
                  title: str | None = None):
    """(rule, date) guesses in the order of trust; htmldate searches only when nothing is shown.

    htmldate's markup guess that contradicts the date under the headline and
    is written only above the headline is the site's "today" in its header
    (or a ticker's), not the article's: dropped.
    """
    yield "near-headline", next(iter(shown)) if len(shown) == 1 else None
    markup = page_meta.iso_day(trafilatura_date)
    if markup is not None and shown and markup not in shown \
            and page_meta.written_before(tree, title, markup):
        markup = None
    yield "htmldate", markup
    if not shown and markup is None:
        yield "htmldate", page_meta.searched_date(tree, url)


def metadata_hints(extracted) -> dict[str, str]:
    """The page metadata trafilatura found, under our hint names."""
    found = {
        "title": extracted.title,
        "site_name": extracted.sitename,
        "date": extracted.date,
        "url": extracted.url,
        "author": extracted.author,
    }
    return {k: v.strip() for k, v in found.items() if isinstance(v, str) and v.strip()}


def own_page_hints(tree: HtmlElement, base_url: str | None) -> dict[str, str]:
    """What trafilatura does not report: canonical link, og:url, page language.

    These are read before trafilatura runs, since it prunes the tree.
    """
    hints: dict[str, str] = {}
    canonical = first_attribute(tree, "//link[contains(concat(' ', normalize-space(translate("
                                      "@rel, 'CANONICAL', 'canonical')), ' '), ' canonical ')]/@href")
    og_url = first_attribute(tree, "//meta[@property='og:url' or @name='og:url']/@content")
    if canonical:
        hints["canonical_url"] = urljoin(base_url or og_url or "", canonical)
    elif og_url:
        hints["canonical_url"] = og_url
    url = og_url or hints.get("canonical_url")
    if url and url.startswith(("http://", "https://")):
        hints["url"] = url
    lang = first_attribute(tree, "/html/@lang | /html/@xml:lang | "
                                 "//meta[@http-equiv='content-language']/@content")
    if lang:
        hints["lang"] = lang
    return hints


def first_attribute(tree: HtmlElement, xpath: str) -> str | None:
    """The first non-blank value an attribute XPath selects."""
    try:
        values = tree.xpath(xpath, namespaces={"xml": "http://www.w3.org/XML/1998/namespace"})
    except XPathError:  # an odd tree; a missing hint is fine
        return None
    return next((str(v).strip() for v in values if str(v).strip()), None)
