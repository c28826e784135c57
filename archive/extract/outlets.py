"""Outlets: who published an article.

A cascade in the order of trust. What the source states comes first: an
outlet field, a folder named after a registered outlet, the page's site name,
the domain of its URL. Then what the text says about its own publisher: a
closing "Source: RT News" line, a "(Before It's News)" line, a dateline
("BEIRUT (Reuters) - ", "Rasa - "), a sign-off ending the last sentence
("..., FNA reported."), a " | Outlet" after the headline; and last, the
domain of a "Source: <URL>" line that the registry does not know.

Names in the text count only when the registry knows them (an unknown
"LONDON - " is a place, not a publisher), and only in those positions: an
outlet quoted or cited inside a sentence ("told RT", "as cited by Sputnik",
"according to SANA") is not the publisher. Unknown stays unknown.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from ..ids import outlet_slug
from .clean import looks_like_sentence
from .dateline import match_dateline
from .registry import Outlet, OutletRegistry, default_registry, host_of, resolve_outlet

#: Non-blank lines at the end of the text where a closing source line may be.
TAIL_LINES = 8
#: Non-blank lines at the start of the body where a dateline may be.
DATELINE_LINES = 3

SOURCE_LINE = re.compile(
    r"(?:sources?|via|courtesy(?: of)?|credit|originally (?:published|appeared) (?:by|at|on|in)|"
    r"this (?:article|story) (?:was )?(?:originally )?(?:published|appeared) (?:by|at|on|in)|"
    r"read more at|read the original (?:article|story) (?:at|on))"
    r"\s*[:\-–—]?\s*(?P<value>\S.{0,200}?)[.\s]*\Z",
    re.IGNORECASE)
URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s\"'<>()]+", re.IGNORECASE)
PAREN_LINE = re.compile(r"\(\s*(?P<name>[^()]{2,60}?)\s*\)\Z")
#: ", FNA reported." closing the last sentence; a comma must come right before
#: the name, so "..., as FNA reported." (a citation) does not match.
SIGN_OFF = re.compile(
    r",\s+(?:the\s+)?(?P<name>[A-Z][\w'’.&-]*(?:\s+[\w'’.&-]+){0,4}?)\s+"
    r"(?:reported|reports|has reported|wrote|said in a report)\.[\"'”’]?\Z")
TITLE_SUFFIX = re.compile(r"\s+(?:\||–|—|-|::)\s+(?P<name>[^|–—]{2,60})\Z")


@dataclass(frozen=True)
class FoundOutlet:
    """An outlet, the rule that found it, and the line it consumed (if any)."""

    outlet: Outlet
    origin: str
    index: int | None = None


def _as_given(name: str) -> Outlet | None:
    name = " ".join(name.split())
    slug = outlet_slug(name)
    return Outlet(name, slug) if slug else None


def outlet_from_hints(hints: Mapping[str, object],
                      registry: OutletRegistry | None = None) -> FoundOutlet | None:
    """The outlet the source itself states, normalised through the registry."""
    registry = registry or default_registry()
    given = str(hints.get("outlet") or "").strip()
    if given:
        outlet = registry.resolve(given) or _as_given(given)
        if outlet:
            return FoundOutlet(outlet, "explicit:outlet")
    folder = registry.resolve(str(hints.get("folder") or ""))
    if folder:
        return FoundOutlet(folder, "explicit:folder")
    site = str(hints.get("site_name") or "").strip()
    if site:
        outlet = registry.resolve(site) or _as_given(site)
        if outlet:
            return FoundOutlet(outlet, "explicit:site_name")
    for key in ("url", "canonical_url"):
        url = str(hints.get(key) or "").strip()
        host = host_of(url) if url else None
        if host:
            outlet = registry.by_domain(url) or _as_given(host)
            if outlet:
                return FoundOutlet(outlet, f"explicit:{key}")
    return None


def outlet_from_text(lines: list[str], skip: frozenset[int] = frozenset(), title: str | None = None,
                     registry: OutletRegistry | None = None) -> FoundOutlet | None:
    """The publisher as the text names it, by the rules in the module docstring."""
    registry = registry or default_registry()
    live = [i for i, line in enumerate(lines) if line and i not in skip]
    return (source_line(lines, live, registry)
            or byline_in_parentheses(lines, live, registry)
            or dateline_agency(lines, live, registry)
            or sign_off(lines, live, registry)
            or title_suffix(title, registry)
            or source_url(lines, live))


def _resolve_source_value(value: str, registry: OutletRegistry) -> Outlet | None:
    outlet = registry.resolve(value)
    if outlet:
        return outlet
    url = URL_IN_TEXT.search(value)
    return registry.by_domain(url.group(0)) if url else None


def source_line(lines: list[str], live: list[int], registry: OutletRegistry) -> FoundOutlet | None:
    """A closing "Source: RT News" (or "Via rt.com") naming a registered outlet."""
    for i in reversed(live[-TAIL_LINES:]):
        m = SOURCE_LINE.match(lines[i]) if len(lines[i]) <= 250 else None
        if m:
            outlet = _resolve_source_value(m.group("value"), registry)
            if outlet:
                return FoundOutlet(outlet, "inferred:source-line", i)
    return None


def byline_in_parentheses(lines: list[str], live: list[int],
                          registry: OutletRegistry) -> FoundOutlet | None:
    """A line holding only a registered outlet in parentheses: "(Before It's News)"."""
    for i in live:
        line = lines[i]
        if line[0] == "(" and line[-1] == ")" and len(line) <= 64:
            m = PAREN_LINE.match(line)
            outlet = registry.resolve(m.group("name")) if m else None
            if outlet:
                return FoundOutlet(outlet, "inferred:byline", i)
    return None


def dateline_agency(lines: list[str], live: list[int], registry: OutletRegistry) -> FoundOutlet | None:
    """The agency of a dateline opening the body: "BEIRUT (Reuters) - ", "Rasa - "."""
    for i in live[:DATELINE_LINES]:
        dateline = match_dateline(lines[i])
        if dateline:
            outlet = registry.resolve(dateline.agency) or registry.resolve(dateline.place)
            if outlet:
                return FoundOutlet(outlet, "inferred:dateline")
    return None


def sign_off(lines: list[str], live: list[int], registry: OutletRegistry) -> FoundOutlet | None:
    """A registered outlet closing the article's last sentence: "..., FNA reported."."""
    for i in reversed(live[-TAIL_LINES:]):
        line = lines[i]
        if not looks_like_sentence(line):
            continue
        m = SIGN_OFF.search(line)
        outlet = registry.resolve(m.group("name")) if m else None
        return FoundOutlet(outlet, "inferred:sign-off") if outlet else None
    return None


def title_suffix(title: str | None, registry: OutletRegistry) -> FoundOutlet | None:
    """A registered outlet after the headline: "Headline | Reuters"."""
    m = TITLE_SUFFIX.search(title) if title else None
    outlet = registry.resolve(m.group("name")) if m else None
    return FoundOutlet(outlet, "inferred:title-suffix") if outlet else None


def source_url(lines: list[str], live: list[int]) -> FoundOutlet | None:
    """Last resort: the domain of a closing "Source: <URL>" the registry does not know."""
    for i in reversed(live[-TAIL_LINES:]):
        m = SOURCE_LINE.match(lines[i]) if len(lines[i]) <= 250 else None
        url = URL_IN_TEXT.search(m.group("value")) if m else None
        host = host_of(url.group(0)) if url else None
        outlet = _as_given(host) if host else None
        if outlet:
            return FoundOutlet(outlet, "inferred:source-url")
    return None


__all__ = ["FoundOutlet", "Outlet", "outlet_from_hints", "outlet_from_text", "resolve_outlet"]
