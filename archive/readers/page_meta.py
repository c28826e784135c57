"""Page metadata trafilatura leaves to us: headline, site name and date.

A page states its own metadata in several places that often disagree: the
<title> carries a " | Site" suffix (or a "Site | " prefix), og:site_name may be
a tagline ("Expert how-to for English Riders") or a company ("KSF Media"),
JSON-LD's publisher may be a news agency the article was syndicated from, and
a page may give a publication date in one tag and another in the next.

`read_page_meta` collects every candidate from the parsed page (before
trafilatura prunes the tree); three small choosers then pick among them:

- `choose_title`: the headline candidates (JSON-LD headline, og:title,
  twitter:title, <title>, <h1>) less any leading or trailing segment that
  names the site; the candidate the others agree with wins, then the most
  trusted;
- `choose_site_name`: the first site-name candidate, in the order of trust,
  that agrees with the page's domain (spelled out, abbreviated, or
  transliterated); when none does, the domain itself, through the registry;
- `publication_day`: the publication date the markup states (JSON-LD
  datePublished and the meta tags htmldate knows as publication dates, never
  a modified date), read in the stamp's own time zone; stamps that disagree,
  or a UTC moment near midnight, leave the day in doubt unless the date the
  page shows under its headline (`shown_date`) settles it. When the markup
  states no date, the shown date and htmldate's answers are guesses, kept
  only when they agree (html_page marks them inferred).
"""
from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections import Counter
from copy import deepcopy
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Iterator
from urllib.parse import urlsplit

from dateutil import parser as dateutil_parser
from htmldate import find_date
from htmldate.core import DATE_ATTRIBUTES, ITEMPROP_ATTRS_ORIGINAL
from htmldate.extractors import try_date_expr
from htmldate.validators import get_max_date, get_min_date
from lxml.etree import XPathError
from lxml.html import HtmlElement
from slugify import slugify

from ..extract.registry import OutletRegistry, default_registry, host_of
from ..extract.zones import local_day

#: Separators between a headline and the site's name in a <title>.
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-{1,2}|–|—|::|·|•|»|«|/|~)\s+|\s*(?:｜|--|\|)\s*")
#: A leading site name may also end with a colon: "Site: Headline".
PREFIX_COLON = re.compile(r"\s*:\s+")
SPACES = re.compile(r"\s+")
IP_ADDRESS = re.compile(r"^[\d.]+$|^\[?[0-9a-f:]+\]?$", re.IGNORECASE)
WORD = re.compile(r"\w+")
VOWELS = re.compile(r"[aeiouy]")
#: What a name may carry that its domain does not: "The ...", "....com".
LEADING_ARTICLE = re.compile(r"^\s*(?:the|la|le|el|il|der|die|das|de)\s+", re.IGNORECASE)
DOMAIN_ENDING = re.compile(r"\.(?:com|net|org|info)\s*$", re.IGNORECASE)

#: JSON-LD types that describe the article itself.
ARTICLE_TYPES = frozenset(
    "article newsarticle reportagenewsarticle analysisnewsarticle opinionnewsarticle "
    "reviewnewsarticle backgroundnewsarticle blogposting socialmediaposting liveblogposting "
    "scholarlyarticle techarticle report webpage itempage creativework".split())
#: JSON-LD types that name a publisher or the site.
PUBLISHER_TYPES = frozenset("organization newsmediaorganization corporation website".split())

#: Meta tags naming the site or its publisher, in the order of trust.
SITE_META = ("og:site_name", "application-name", "apple-mobile-web-app-title", "dc.publisher",
             "dcterms.publisher", "publisher")
#: Meta tags holding a headline, in the order of trust.
TITLE_META = ("og:title", "twitter:title", "dc.title")

#: Host labels that name no outlet (subdomains, second-level registries).
GENERIC_HOST_LABELS = frozenset(
    "www www1 www2 www3 m mobile amp en de fr es it ru ar pt edition news blog blogs "
    "co com org net gov ac ne or go int info biz edu web online".split())
#: The shortest label or name compared with a domain.
MIN_AGREEING = 3
#: A shared opening this long makes a name agree with a domain label
#: ("Sputnik International" ~ sputniknews).
SHARED_OPENING = 6
#: Similarity of two spellings (a transliteration) that counts as agreement.
SPELLING_RATIO = 0.8

#: A link host needs this many of the page's absolute links, and this share of them.
LINK_HOST_MIN = 10
LINK_HOST_SHARE = 0.8
#: Second-level labels under which a registered domain has three labels (news.co.uk).
SECOND_LEVEL_LABELS = frozenset("co com net org gov edu ac ne or go gob nic mil".split())
#: The longest text node read as a copyright notice.
NOTICE_MAX_CHARS = 200

#: A site name longer than this (in words) reads as a tagline or a sentence.
MAX_NAME_WORDS = 6
MAX_NAME_CHARS = 60
NOT_A_NAME = re.compile(r"©|\bcopyright\b|\ball rights\b|\d{4}|https?://", re.IGNORECASE)

#: Meta tags stating the publication date (htmldate's list, less its loosest names).
DATE_META = frozenset((DATE_ATTRIBUTES | ITEMPROP_ATTRS_ORIGINAL) - {"meta", "pubyear"})
UNIX_TIME = re.compile(r"^\d{10}(?:\d{3})?$")
TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")
TRAILING_TIME = re.compile(r"[,\s]+\d{1,2}[:.h]\d{2}.*$")
LEADING_TIME = re.compile(r"^\s*\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|gmt|utc)?[,\s]*", re.IGNORECASE)
NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
DIGIT = re.compile(r"\d")
_NO_DAY = dt.datetime(1904, 1, 1)
MIN_YEAR = 1990
#: A moment stamped in UTC before this hour is the evening before west of Greenwich.
EARLY_UTC_HOURS = 3
#: ... and from this hour on, already the next day for publishers well east of it.
LATE_UTC_HOURS = 21
#: How much text after the headline is searched for the date it shows (characters),
#: and the longest text segment read as a date.
SHOWN_DATE_WINDOW = 600
SHOWN_DATE_SEGMENT = 80
#: The longest segment handed to dateparser (slow) when htmldate's patterns fail.
WRITTEN_DATE_SEGMENT = 40
#: How many segments of one page may go to dateparser.
WRITTEN_DATE_TRIES = 3
LETTERS = re.compile(r"[^\W\d_]{3,}")
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
#: A timestamp with its offset from UTC, as a page's markup and script data write it
#: ("2020-05-01T22:54:29-04:00", "Fri, 01 May 2020 23:00:00 -0400").
WRITTEN_OFFSET = re.compile(r"(?:\d{4}-\d{2}-\d{2}T|\b\d{4} )\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s?(?P<sign>[+-])(?P<h>[01]\d):?(?P<m>[0-5]\d)\b")
#: Most offsets a page may write and still name its publisher's zone (a summer and a winter one).
WRITTEN_OFFSETS_MAX = 2

#: Form fields a reader never sees.
HIDDEN_INPUTS = "//input[translate(@type, 'HIDEN', 'hiden')='hidden']"

#: Words (of three letters or more) a link must hold besides a date to be a teaser for another page.
TEASER_WORDS = 3

#: A comma left before a closing bracket or brace, which JSON forbids.
TRAILING_COMMA = re.compile(r",\s*([\]}])")

#: A headline candidate shorter than this (in characters) is not one.
MIN_TITLE_CHARS = 5


@dataclass
class PageMeta:
    """Every candidate the page's markup offers, in the order of trust."""

    titles: list[tuple[str, str]] = field(default_factory=list)  # (text, where)
    h1s: list[str] = field(default_factory=list)
    site_names: list[tuple[str, str]] = field(default_factory=list)  # (name, where)
    handles: list[str] = field(default_factory=list)  # twitter:site, without "@"
    published: list[str] = field(default_factory=list)  # JSON-LD datePublished, as written
    #: The host most of the page's absolute links go to (its own site, when the
    #: page states no URL or a syndicated story's canonical URL names another).
    link_host: str | None = None
    notices: list[str] = field(default_factory=list)  # copyright holders in the page's text, last first


# --- reading the page ---------------------------------------------------------------------

def read_page_meta(tree: HtmlElement) -> PageMeta:
    """The metadata candidates of a parsed page (see the module docstring)."""
    meta = PageMeta()
    tags = meta_tags(tree)
    articles, publishers = json_ld_objects(tree)
    meta.published = [d for d in (text_of(obj.get("datePublished")) for obj in articles) if d]
    meta.published.extend(v for name in DATE_META for v in tags.get(name, ()))
    for name in TITLE_META[:2]:
        meta.titles.extend((v, name) for v in tags.get(name, ()))
    meta.titles.extend((h, "json-ld") for h in (text_of(obj.get("headline")) for obj in articles) if h)
    for name in TITLE_META[2:]:
        meta.titles.extend((v, name) for v in tags.get(name, ()))
    html_title = clean(_xpath_string(tree, "string(//head/title)") or _xpath_string(tree, "string(//title)"))
    if html_title:
        meta.titles.append((html_title, "title"))
    meta.h1s = [t for t in (clean(h.text_content()) for h in _xpath(tree, "//h1")[:3]) if t]
    for name in SITE_META[:1]:
        meta.site_names.extend((v, name) for v in tags.get(name, ()))
    for obj in articles:
        for pub in as_list(obj.get("publisher")):
            name = text_of(pub.get("name")) if isinstance(pub, dict) else None
            if name:
                meta.site_names.append((name, "json-ld:publisher"))
    for obj in publishers:
        name = text_of(obj.get("name"))
        if name:
            meta.site_names.append((name, "json-ld:" + type_names(obj)[0]))
    for name in SITE_META[1:]:
        meta.site_names.extend((v, name) for v in tags.get(name, ()))
    meta.handles = [h.lstrip("@").rsplit("/", 1)[-1] for h in tags.get("twitter:site", ()) if h.strip("@ ")]
    return meta


def read_site_evidence(meta: PageMeta, tree: HtmlElement, host: str | None,
                       registry: OutletRegistry | None = None) -> None:
    """Fill `link_host` and `notices`, when the page's own names do not settle its site.

    Only then: reading every link and text node costs more than the rest of
    the metadata, and a site name or handle that fits the URL's domain needs
    neither.
    """
    registry = registry or default_registry()
    if host_labels(host) and any(agrees_with_host(name, host, registry)
                                 for name in [*site_candidates(meta)[:3], *meta.handles[:1]]):
        return
    meta.link_host = link_host(tree)
    meta.notices = copyright_notices(tree)


def link_host(tree: HtmlElement) -> str | None:
    """The site (registered domain) that at least LINK_HOST_SHARE of the page's absolute links,
    and LINK_HOST_MIN of them, go to: the site serving the page (navigation, section links)."""
    sites = Counter(_site(_hostname(str(href))) for href in _xpath(tree, "//a/@href")
                    if str(href).startswith(("http://", "https://")))
    sites.pop("", None)
    total = sum(sites.values())
    if not total:
        return None
    site, count = sites.most_common(1)[0]
    return site if count >= LINK_HOST_MIN and count >= LINK_HOST_SHARE * total else None


def _hostname(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:  # a malformed link ("http://[broken")
        return ""


def _site(host: str) -> str:
    labels = host.casefold().split(".")
    keep = 3 if len(labels) >= 3 and labels[-2] in SECOND_LEVEL_LABELS else 2
    return ".".join(labels[-keep:]) if len(labels) >= 2 and not IP_ADDRESS.match(host) else ""


def copyright_notices(tree: HtmlElement) -> list[str]:
    """The holders that copyright notices in the page's text name, the last notice first (the footer's)."""
    from ..extract.outlets import copyright_holder  # the text rules, applied to the page's text nodes
    holders: list[str] = []
    for text in _xpath(tree, "//body//text()[contains(., '©') or contains(., 'opyright')]"):
        line = " ".join(str(text).split())
        if len(line) <= NOTICE_MAX_CHARS:
            found = copyright_holder(line)
            if found and found[0] not in holders:
                holders.append(found[0])
    return holders[::-1]


def meta_tags(tree: HtmlElement) -> dict[str, list[str]]:
    """Meta tag contents by lowercased property/name, in page order."""
    tags: dict[str, list[str]] = {}
    for el in _xpath(tree, "//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().casefold()
        value = clean(el.get("content"))
        if key and value:
            tags.setdefault(key, []).append(value)
    return tags


def json_ld_objects(tree: HtmlElement) -> tuple[list[dict], list[dict]]:
    """(article objects, publisher/site objects) of the page's JSON-LD."""
    articles, publishers = [], []
    for script in _xpath(tree, "//script[@type='application/ld+json']"):
        data = read_json_ld(script.text or "")
        if data is None:  # beyond repair: the page says nothing there
            continue
        for obj in walk_json_ld(data):
            types = type_names(obj)
            if any(t in ARTICLE_TYPES for t in types) or "headline" in obj:
                articles.append(obj)
            elif any(t in PUBLISHER_TYPES for t in types):
                publishers.append(obj)
    # an article type that is a page of the site (WebPage) counts after real articles
    articles.sort(key=lambda o: "headline" not in o and "datePublished" not in o)
    return articles, publishers


def read_json_ld(text: str) -> object | None:
    """A JSON-LD block, read through the two slips hand-written templates make most:
    a comma before a closing bracket (`["News", ],`) and a stray closing brace or a
    second block after the first (`{...}}`, `{...}{...}`, read up to the end of the first).
    """
    decoder = json.JSONDecoder(strict=False)
    text = text.strip()
    for attempt in (text, TRAILING_COMMA.sub(r"\1", text)):
        try:
            return decoder.raw_decode(attempt)[0]
        except ValueError:
            continue
    return None


def walk_json_ld(data: object, depth: int = 0) -> Iterator[dict]:
    """Top-level JSON-LD objects, looking inside lists and @graph."""
    if depth > 3:
        return
    if isinstance(data, list):
        for item in data:
            yield from walk_json_ld(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from walk_json_ld(data["@graph"], depth + 1)
        if "@type" in data:
            yield data


def type_names(obj: dict) -> list[str]:
    return [str(t).casefold() for t in as_list(obj.get("@type"))] or ["thing"]


def as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def text_of(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return clean(value) if isinstance(value, str) else None


def clean(text: object) -> str:
    from html import unescape
    return SPACES.sub(" ", unescape(str(text or ""))).strip()


def _xpath(tree: HtmlElement, path: str) -> list:
    try:
        return tree.xpath(path)
    except XPathError:  # an odd tree: that source says nothing
        return []


def _xpath_string(tree: HtmlElement, path: str) -> str:
    found = _xpath(tree, path)
    return str(found) if isinstance(found, str) else ""


# --- names and domains --------------------------------------------------------------------

def compact(text: str) -> str:
    """Letters and digits only, transliterated to ASCII (ТАСС -> tass)."""
    return slugify(text, separator="")


def host_labels(host: str | None) -> list[str]:
    """The labels of a host that may name its outlet (no 'www', no TLD)."""
    if not host or IP_ADDRESS.match(host):
        return []
    labels = host.casefold().split(".")[:-1]
    return [lab.replace("-", "") for lab in labels
            if lab not in GENERIC_HOST_LABELS and len(lab) >= 2]


def agrees_with_host(name: str, host: str | None, registry: OutletRegistry | None = None) -> bool:
    """Does a site name fit the page's domain?

    Yes when the registry lists the domain under that name, or the name, as
    letters and digits, is a domain label, holds one or is held by one
    (Guardian ~ theguardian), shares a long opening with one (Sputnik
    International ~ sputniknews), has it as initials or as a subsequence
    (Neue Zürcher Zeitung ~ nzz, New York Post ~ nypost), or spells it
    closely (Враца ~ vratza, البيان ~ albayan).
    """
    if not host:
        return False
    if registry is None or registry is default_registry():
        return _agrees_with_host_default(name, host)
    return _agrees(name, host, registry)


@lru_cache(maxsize=4096)
def _agrees_with_host_default(name: str, host: str) -> bool:
    """agrees_with_host against the default registry (a page asks the same pairs many times)."""
    return _agrees(name, host, default_registry())


def _agrees(name: str, host: str, registry: OutletRegistry) -> bool:
    by_domain = registry.by_domain(host)
    if by_domain is not None and registry.resolve(name) == by_domain:
        return True
    bare = DOMAIN_ENDING.sub("", name)
    keys = {k for k in (compact(bare), compact(LEADING_ARTICLE.sub("", bare))) if len(k) >= 2}
    initials = "".join(w[0] for w in (compact(w) for w in WORD.findall(bare)) if w)
    return any(_fits(key, initials, label) for key in keys for label in host_labels(host))


def _fits(key: str, initials: str, label: str) -> bool:
    """One name (as letters and digits) against one domain label."""
    if key == label:
        return True
    if len(label) >= MIN_AGREEING and len(key) >= MIN_AGREEING and (label in key or key in label):
        return True
    if len(_common_opening(key, label)) >= SHARED_OPENING:
        return True
    if len(label) >= MIN_AGREEING and len(initials) >= MIN_AGREEING and (
            initials.startswith(label) or label.startswith(initials)):
        return True
    if len(label) >= 4 and label[0] == key[0] and len(label) >= 0.3 * len(key) \
            and _is_subsequence(label, key):
        return True
    if min(len(key), len(label)) >= 4 and SequenceMatcher(None, key, label).ratio() >= SPELLING_RATIO:
        return True
    skeleton = VOWELS.sub("", key)
    return len(skeleton) >= MIN_AGREEING and skeleton == VOWELS.sub("", label)


def _common_opening(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def looks_like_name(text: str) -> bool:
    """Short enough, and not a copyright line or a URL, to be a site's name."""
    return (0 < len(text) <= MAX_NAME_CHARS and len(text.split()) <= MAX_NAME_WORDS
            and not NOT_A_NAME.search(text))


# --- choosing -----------------------------------------------------------------------------

def site_candidates(meta: PageMeta) -> list[str]:
    """Names the page gives itself, including any " | "-parts of them."""
    names: list[str] = []
    for name, _ in meta.site_names:
        names.append(name)
        names.extend(p for p in TITLE_SEPARATORS.split(name) if p and p != name)
    return names


def choose_site_name(meta: PageMeta, host: str | None, title_affixes: list[str] = (),
                     registry: OutletRegistry | None = None) -> str | None:
    """The site's name: the most trusted candidate that fits the domain.

    Candidates are the site names the markup gives, then the parts of the
    title that name the site, then the twitter handle, then the holders of
    the page's copyright notices. When none fits the domain, the one that
    fits the site most of the page's links go to (a story syndicated from a
    sister paper keeps that paper's canonical URL), else the registry's
    outlet for the domain, else the domain itself. A page stating no URL is
    checked against its links' site instead; with neither, the first
    candidate shaped like a name.
    """
    registry = registry or default_registry()
    candidates = [*site_candidates(meta), *title_affixes, *meta.handles, *meta.notices]
    if not host_labels(host) and meta.link_host:
        host = meta.link_host
    candidates = [c for c in candidates if looks_like_name(c) or _spells_host(c, host)]
    if not host_labels(host):
        return candidates[0] if candidates else None
    for name in candidates:
        if agrees_with_host(name, host, registry):
            return name
    if meta.link_host and meta.link_host != host:
        for name in candidates:
            if agrees_with_host(name, meta.link_host, registry):
                return name
    registered = registry.by_domain(host)
    return registered.name if registered else host


def _spells_host(name: str, host: str | None) -> bool:
    """Does the name, as letters and digits, spell a label of the host (a long name, still the site's)?"""
    return bool(host) and compact(DOMAIN_ENDING.sub("", name)) in host_labels(host)


def split_title(title: str) -> list[str]:
    """A title's segments between site separators ("A | B - C" -> [A, B, C])."""
    return [p.strip() for p in TITLE_SEPARATORS.split(title) if p and p.strip()]


def is_site_segment(segment: str, names: list[str], host: str | None, registry: OutletRegistry) -> bool:
    key = compact(segment)
    if not key:
        return False
    if any(key == compact(n) for n in names if n):
        return True
    return looks_like_name(segment) and agrees_with_host(segment, host, registry)


def strip_site_affixes(title: str, names: list[str], host: str | None,
                       registry: OutletRegistry | None = None) -> tuple[str, list[str]]:
    """(the title without leading/trailing segments naming the site, those segments)."""
    registry = registry or default_registry()
    parts = split_title(title)
    removed: list[str] = []
    if len(parts) > 1:
        while len(parts) > 1 and is_site_segment(parts[-1], names, host, registry):
            removed.append(parts.pop())
        while len(parts) > 1 and is_site_segment(parts[0], names, host, registry):
            removed.append(parts.pop(0))
        if removed:
            # keep the headline's own separators: cut the original string
            title = _span(title, parts)
    head = PREFIX_COLON.split(title, maxsplit=1)
    if len(head) == 2 and head[1] and is_site_segment(head[0], names, host, registry) \
            and any(compact(head[0]) == compact(n) for n in names if n):
        removed.append(head[0])
        title = head[1]
    return title.strip(), removed


def _span(title: str, parts: list[str]) -> str:
    start = title.find(parts[0])
    end = title.rfind(parts[-1])
    if start < 0 or end < 0:
        return " ".join(parts)
    return title[start:end + len(parts[-1])]


def title_key(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in WORD.findall(text))


def choose_title(meta: PageMeta, host: str | None, fallback: str | None = None,
                 registry: OutletRegistry | None = None) -> tuple[str | None, list[str]]:
    """(the headline, the title segments that named the site).

    Each headline candidate loses the segments naming the site; a candidate
    that is only the site's name is dropped. Among the og:title values (the
    headline the page states for itself), else among all candidates, the one
    most others agree with wins, ties going to the most trusted; an <h1>
    votes, but is taken only when nothing else is left.
    """
    registry = registry or default_registry()
    names = site_candidates(meta)
    affixes: list[str] = []
    cores: list[tuple[str, str]] = []
    for text, where in [*meta.titles, *(([(fallback, "trafilatura")]) if fallback else [])]:
        core, removed = strip_site_affixes(text, names, host, registry)
        affixes.extend(removed)
        if len(core) >= MIN_TITLE_CHARS:
            cores.append((core, where))
    site_keys = {title_key(n) for n in [*names, *affixes]}
    cores = [(c, w) for c, w in cores if title_key(c) not in site_keys]
    if not cores:
        h1 = next((h for h in meta.h1s if title_key(h) not in site_keys and len(h) >= MIN_TITLE_CHARS), None)
        return h1, affixes
    # the page's own social headline (og:title) first, when it has one
    preferred = [c for c, w in cores if w == TITLE_META[0]] or [c for c, _ in cores]
    voters = [*[t for t, _ in meta.titles], *meta.h1s]
    votes = [sum(_holds(v, core) for v in voters) for core in preferred]
    best = max(range(len(preferred)), key=lambda i: (votes[i], -i))
    return preferred[best], affixes


def _holds(text: str, core: str) -> bool:
    """Is `core` the whole of `text`, or a run of its separated segments?"""
    key = title_key(core)
    if title_key(text) == key:
        return True
    parts = [title_key(p) for p in split_title(text)]
    for i in range(len(parts)):
        run: tuple[str, ...] = ()
        for part in parts[i:]:
            run += part
            if run == key:
                return True
            if len(run) >= len(key):
                break
    return False


# --- dates --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stamp:
    """A publication timestamp as the markup writes it."""

    day: dt.date  # the calendar day as written, in the stamp's own zone
    utc: bool  # written in UTC ("Z", "+00:00", "GMT"): the publisher's own day is not said
    hour: int | None = None
    moment: dt.datetime | None = None  # the aware moment, for a UTC stamp with a time of day


def parse_stamp(text: str | None) -> Stamp | None:
    """A JSON-LD or meta timestamp: ISO 8601, RFC 2822, a Unix time, or a written date."""
    text = (text or "").strip()
    if not text:
        return None
    if UNIX_TIME.match(text):
        moment = dt.datetime.fromtimestamp(int(text[:10]), dt.timezone.utc)
        return Stamp(moment.date(), True, moment.hour, moment)
    moment = None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        with warnings.catch_warnings():  # an unknown zone name ("CDT") leaves the stamp local
            warnings.simplefilter("ignore")
            try:
                moment = dateutil_parser.parse(text, default=_NO_DAY)
            except (ValueError, OverflowError, TypeError):
                return None
        if moment.year == _NO_DAY.year and str(_NO_DAY.year) not in text:
            return None
    if not (MIN_YEAR <= moment.year <= dt.date.today().year + 1):
        return None
    has_time = bool(TIME_OF_DAY.search(text))
    offset = moment.utcoffset() if moment.tzinfo else None
    utc = offset == dt.timedelta(0) and has_time
    return Stamp(moment.date(), utc, moment.hour if has_time else None, moment if utc else None)


def publication_day(stamps: list[Stamp], shown: Callable[[], frozenset[dt.date]] = frozenset,
                    zones: tuple = (), written_zones: Callable[[], tuple] = tuple
                    ) -> tuple[dt.date | None, bool]:
    """(the day the stamps state, whether they leave it in doubt).

    Stamps written in the publisher's zone (or with none) say the day; stamps
    in UTC must fit it within a day (the same moment seen from Greenwich).
    A UTC moment near midnight is another day for publishers far west or
    east of Greenwich: that day is in doubt unless the date the page shows
    under its headline (`shown()`, its possible readings; looked for only
    when needed) settles it, as it settles stamps that disagree, or else the
    publisher's `zones` (its country's, see extract.zones) all put the
    moment on one day, or, for a domain that names no country, the offsets
    the page's own markup writes its times in (`written_zones()`).
    """
    if not stamps:
        return None, False
    local = {s.day for s in stamps if not s.utc}
    in_utc = [s for s in stamps if s.utc]
    if len(local) > 1:
        return _settled(local, shown)
    if local:
        day = next(iter(local))
        if any(abs((s.day - day).days) > 1 for s in in_utc):
            return _settled({day}, shown)
        return day, False
    days = {s.day for s in in_utc}
    if len(days) > 1:
        return _settled(days, shown)
    day = days.pop()
    for s in in_utc:
        near_midnight = s.hour is not None and (s.hour < EARLY_UTC_HOURS or s.hour >= LATE_UTC_HOURS)
        if not near_midnight:
            continue
        other = day - dt.timedelta(days=1) if s.hour < EARLY_UTC_HOURS else day + dt.timedelta(days=1)
        settled, doubt = _settled({day, other}, shown)
        if settled is None:
            zones = zones or written_zones()
            there = {local_day(t.moment, zones) for t in in_utc if t.moment is not None}
            if len(there) == 1 and None not in there:
                return there.pop(), False
        return settled, doubt
    return day, False


def _settled(possible: set[dt.date], shown: Callable[[], frozenset[dt.date]]
             ) -> tuple[dt.date | None, bool]:
    both = possible & shown()
    return (both.pop(), False) if len(both) == 1 else (None, True)


def written_zones(tree: HtmlElement) -> tuple[dt.timezone, ...]:
    """The offsets from UTC the page's markup and script data write their times in, when they
    are the publisher's: one or two (summer and winter time) an hour apart, none of them UTC.
    Any other mix (a wire feed's, an embed's times beside the site's) names no zone."""
    found = set()
    for text in (*_xpath(tree, "//script/text()"), *_xpath(tree, "//@datetime | //meta/@content")):
        for m in WRITTEN_OFFSET.finditer(text):
            minutes = (int(m["h"]) * 60 + int(m["m"])) * (-1 if m["sign"] == "-" else 1)
            found.add(minutes)
            if len(found) > WRITTEN_OFFSETS_MAX:
                return ()
    if not found or 0 in found or max(found) - min(found) > 60:
        return ()
    return tuple(dt.timezone(dt.timedelta(minutes=m)) for m in sorted(found))


def stated_stamps(meta: PageMeta) -> list[Stamp]:
    return [s for s in (parse_stamp(t) for t in meta.published) if s]


def shown_date(tree: HtmlElement, title: str | None) -> frozenset[dt.date]:
    """The first date written in the page's text right after its headline.

    Its readings, rather: "06/01/2020" is the 6th of January or the 1st of
    June, and only another source can say which.

    A page's header often shows today's date (the day it was fetched) and its
    sidebars other stories' dates; the article's own date sits just under
    its headline (a byline, a dateline). A <time> element whose text shows
    no date ("1 minute ago", an icon) gives its machine-readable datetime.
    A date inside a link that also holds other words (a teaser: another
    story's headline, author and date, between the headline and the byline)
    is that story's; a link holding only the date (a permalink, a day's
    archive) still shows the article's.
    """
    anchor = headline_element(tree, title)
    if anchor is None:
        return frozenset()
    options = (get_min_date(None), get_max_date(None))
    seen = 0
    budget = [WRITTEN_DATE_TRIES]
    for segment, element, holder in _text_after(anchor):
        seen += len(segment)
        if seen > SHOWN_DATE_WINDOW:
            break
        if _in_teaser(holder, segment):
            continue
        found = None
        if len(segment) <= SHOWN_DATE_SEGMENT and DIGIT.search(segment):
            found = _date_in(segment, options, budget)
        if found:
            return frozenset({found, *_swapped(segment, found)})
        if element is not None:
            stamp = parse_stamp(element.get("datetime"))
            if stamp:
                return frozenset({stamp.day})
    return frozenset()


def written_before(tree: HtmlElement, title: str | None, day: dt.date) -> bool | None:
    """Is `day` written in the page's text only above its headline (the site's "today", a ticker)?

    None when the page has no headline to tell above from below.
    """
    anchor = headline_element(tree, title)
    if anchor is None:
        return None
    options = (get_min_date(None), get_max_date(None))
    above = False
    for el in _xpath(tree, "//body//*"):
        if el is anchor:
            break
        if not isinstance(el.tag, str) or el.tag in SKIPPED_TAGS:
            continue
        for text in (el.text, el.tail):
            if text and DIGIT.search(text) and len(text.strip()) <= SHOWN_DATE_SEGMENT \
                    and _date_in(text.strip(), options, [0]) == day:
                above = True
    if not above:
        return False
    seen = 0
    for segment, _, _ in _text_after(anchor):
        seen += len(segment)
        if seen > SHOWN_DATE_WINDOW:
            break
        if DIGIT.search(segment) and len(segment) <= SHOWN_DATE_SEGMENT \
                and _date_in(segment, options, [0]) == day:
            return False
    return True


def _swapped(segment: str, day: dt.date) -> list[dt.date]:
    """The other reading of an all-numeric date whose day and month could trade places."""
    if day.day > 12 or day.day == day.month or not NUMERIC_DATE.search(segment):
        return []
    return [day.replace(month=day.day, day=day.month)]


def headline_element(tree: HtmlElement, title: str | None) -> HtmlElement | None:
    """The element showing the headline: the heading with its words, else the first <h1>."""
    key = title_key(title or "")
    headings = _xpath(tree, "//body//h1 | //body//h2")
    for el in headings:
        if key and title_key(el.text_content()) == key:
            return el
    h1s = [el for el in headings if el.tag == "h1" and el.text_content().strip()]
    return h1s[0] if h1s else None


def _in_teaser(holder: HtmlElement | None, segment: str) -> bool:
    """Is `segment` (held by `holder`) inside a link whose text holds TEASER_WORDS words besides it?"""
    while holder is not None:
        if holder.tag == "a" and (holder.get("href") or "").strip():
            rest = " ".join(holder.text_content().split()).replace(segment, " ", 1)
            return len(LETTERS.findall(rest)) >= TEASER_WORDS
        holder = holder.getparent()
    return False


def _text_after(anchor: HtmlElement) -> Iterator[tuple[str, HtmlElement | None, HtmlElement | None]]:
    """Text segments following `anchor` in document order (scripts left out), each with
    the <time> element it is the text of (None for any other text) and the element holding it."""
    if anchor.tail and anchor.tail.strip():
        yield anchor.tail.strip(), None, anchor.getparent()
    node = anchor
    while node is not None:
        for sibling in node.itersiblings():
            for el in sibling.iter():
                if not isinstance(el.tag, str) or el.tag in SKIPPED_TAGS:
                    continue
                timed = el if el.tag == "time" and el.get("datetime") else None
                if timed is not None and not (el.text and el.text.strip()):
                    yield "", timed, el  # a <time> showing only an icon or child elements
                for text, owner, holder in ((el.text, timed, el), (el.tail, None, el.getparent())):
                    if text and text.strip():
                        yield text.strip(), owner, holder
        node = node.getparent()


def _date_in(segment: str, bounds, budget: list[int]) -> dt.date | None:
    variants = (segment, TRAILING_TIME.sub("", segment), LEADING_TIME.sub("", segment))
    for text in variants:
        found = try_date_expr(text, "%Y-%m-%d", False, *bounds)
        if found:
            return iso_day(found)
    for text in variants:
        if budget[0] > 0 and len(text) <= WRITTEN_DATE_SEGMENT and YEAR.search(text) and LETTERS.search(text):
            budget[0] -= 1
            # a date written in words of any language ("17 de Febrero 2020"): dateparser
            found = try_date_expr(text, "%Y-%m-%d", True, *bounds)
            if found:
                return iso_day(found)
    return None


def iso_day(text: str | None) -> dt.date | None:
    """The calendar day an ISO-8601 date or timestamp states, as written."""
    m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", text or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def searched_date(tree: HtmlElement, url: str | None) -> dt.date | None:
    """htmldate's extensive search of the whole page: a guess, not a statement.

    A guess falling on the 1st of January is a year alone (a copyright line)
    that htmldate padded out: refused. Hidden form fields are left out of the
    search: they hold the application's state (tokens, a bootstrapped JSON
    blob naming every emoji file of the day, "..._20200715_...png"), which
    no reader sees and which says nothing of the article.
    """
    hidden = _xpath(tree, HIDDEN_INPUTS)
    if hidden:
        tree = deepcopy(tree)
        for field_ in _xpath(tree, HIDDEN_INPUTS):
            field_.drop_tree()
    try:
        found = iso_day(find_date(tree, extensive_search=True, original_date=True, url=url))
    except (ValueError, TypeError, XPathError):
        return None
    if found is None or (found.month, found.day) == (1, 1):
        return None
    return found


__all__ = ["PageMeta", "Stamp", "read_page_meta", "choose_title", "choose_site_name", "agrees_with_host",
           "strip_site_affixes", "stated_stamps", "publication_day", "shown_date", "searched_date",
           "iso_day", "host_of", "read_site_evidence"]
