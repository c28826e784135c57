"""Web pages: main text and page metadata via trafilatura.

One function, `page_document`, turns a page into a RawDocument; .html files,
WARC response records and JSON/CSV records carrying raw HTML all go through
it. Extraction favours recall, because a lost sentence of the article costs
more than a stray boilerplate line (extraction cleans those later).

Dates are taken from the page's markup only (meta tags, JSON-LD, <time>):
htmldate's "extensive search" guesses from free text, which is inference,
not something the source states.
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
from . import encoding
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
    html = page if isinstance(page, str) else encoding.decode(
        page, charset or encoding.declared_html_charset(page))
    tree = load_html(html)
    if tree is None:
        return BadRecord(path, record, NO_TEXT)
    page_hints = own_page_hints(tree, hints.get("url"))
    extracted = trafilatura.bare_extraction(
        tree, url=hints.get("url") or page_hints.get("url"), favor_recall=True,
        include_comments=False, include_tables=True, with_metadata=True,
        date_extraction_params=dict(MARKUP_DATE_ONLY))
    text = (extracted.text or "") if extracted is not None else ""
    if not text.strip():
        return BadRecord(path, record, NO_TEXT)
    merged = dict(hints)
    for name, value in {**metadata_hints(extracted), **page_hints}.items():
        if value and name not in merged:
            merged[name] = value
    return RawDocument(path=path, record=record, fmt=fmt, text=text, html=html, hints=merged)


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
