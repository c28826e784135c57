"""Publication dates: parsing the many ways scraped pages write them.

Sources, in the order of trust (the cascade itself is in `extract`):
a date hint from the source (an HTML meta tag, a CSV column); a line at the
top of the text that is a date ("20 September 2016 - 22:36", "Tue Sep 27,
2016 10:02:22") or starts with one (" date 2016-09-27 Damascus has ..."); a
date in the URL path (/2016/09/17/); and, only when nothing better exists, a
date standing on its own line or labelled "Published:" further down.

A date inside a sentence ("began September 30, 2015 when ...") is about an
event, never the publication, and is not taken. A date after today or before
1900 is refused: no date is better than a wrong one.

The common shapes are parsed by the precompiled patterns below (fast);
python-dateutil and then dateparser (slow, many languages) are tried only for
a hint string that none of them matches.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from dateutil import parser as dateutil_parser

from .clean import continues

EARLIEST = dt.date(1900, 1, 1)

#: Lines scanned at the top of the text for a date line.
HEAD_LINES = 8

#: Longest text that may be a date line (a date, a weekday, a time, a label).
DATE_LINE_MAX = 80
#: Longest labelled date line ("Posted on May 3, 2017 by admin") read as metadata.
LABELLED_LINE_MAX = 120

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
WEEKDAY = (r"(?:(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday|s|r|rs)?\.?,?\s+)?")
ORDINAL = r"(?:st|nd|rd|th)?"
LABEL = (r"(?:(?:date|dated|posted|published|updated|last updated|first published|created)"
         r"(?:\s+on)?\s*[:\-–]?\s*)")
TIMEZONE = r"(?:gmt|utc|z|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|eet|eest|msk|irst|ast|ist|jst)"
TIME = (r"(?:\s*(?:[-–—,|@]|at)?\s*"
        r"(?:t?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)"
        r"(?:\s*\(?" + TIMEZONE + r"\)?)?(?:\s*[+-]\d{2}:?\d{2})?)?")

#: The date shapes, each with the group names its converter reads.
DATE_FORMS = {
    "ymd": r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})",
    "dmy_dots": r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})",
    "numeric": r"(?P<a>\d{1,2})[/-](?P<b>\d{1,2})[/-](?P<y>\d{4}|\d{2})",
    "d_month_y": r"(?P<d>\d{1,2})" + ORDINAL + r"(?:\s+|-)(?P<mon>" + MONTH + r")(?:,?\s+|-)(?P<y>\d{4})",
    "month_d_y": r"(?P<mon>" + MONTH + r")\s+(?P<d>\d{1,2})" + ORDINAL + r",?\s+(?P<y>\d{4})",
}

#: A whole line that is a date (with optional label, weekday and time).
#: (A date ending in a full stop is the tail of a sentence: hard-wrapped text.)
DATE_LINE = {kind: re.compile(r"\s*" + LABEL + "?" + WEEKDAY + form + TIME + r"\s*\Z", re.IGNORECASE)
             for kind, form in DATE_FORMS.items()}
#: A line that starts with a date and goes on with the article's text: after a
#: label ("date 2016-09-27 Damascus ..."), or set off by a dash, bar or colon.
#: A comma after the date ("August 18, 1993, Daiwa said ...") means a sentence.
DATE_PREFIX = {kind: re.compile(r"\s*(?P<label>" + LABEL + ")?" + WEEKDAY + form + TIME
                                + r"(?:\s*[-–—|:]\s*|(?(label)\s+|(?!)))"
                                + r"(?P<rest>(?-i:[\"“‘'(\[A-Z]).*)\Z",
                                re.IGNORECASE | re.DOTALL)
               for kind, form in DATE_FORMS.items()}
#: A line that starts with a labelled date ("Published: 12 May 2017 ...").
LABELLED_DATE = {kind: re.compile(r"\s*" + LABEL + WEEKDAY + form, re.IGNORECASE)
                 for kind, form in DATE_FORMS.items()}
#: A date in a URL path: /2016/09/17/ or /2016-09-17-title.
URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/_-](?P<m>[01]?\d)[/_-](?P<d>[0-3]?\d)(?=[/_.-]|\Z)")
#: First words a date line can open with (digits aside): a cheap gate before the patterns.
DATE_OPENERS = frozenset(
    list(MONTHS) + "january february march april june july august sept september october november "
    "december mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday "
    "sun sunday date dated posted published updated last first created on".split())
FIRST_WORD = re.compile(r"\s*([^\W\d_]+)")
#: Words after which a sentence must go on (see runs_on).
RUN_ON_WORDS = frozenset(
    "a an the of on in at by to for from since until till before after between and or nor but "
    "as than dated due expire expires expired effective through thru about around near".split())
ISO_START = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]|\Z)")
HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class FoundDate:
    """A date found in the text: where, by which rule, and what is left of the line."""

    date: dt.date
    index: int
    rule: str
    rest: str | None = None  # the line without its date prefix; None: the whole line goes


def plausible(date: dt.date, today: dt.date | None = None) -> dt.date | None:
    """The date if it can be a publication date (1900 .. today), else None."""
    return date if EARLIEST <= date <= (today or dt.date.today()) else None


def make_date(y: int, m: int, d: int, today: dt.date | None = None) -> dt.date | None:
    """A plausible date from its parts, else None; a two-digit year is this century's unless in the future."""
    today = today or dt.date.today()
    if y < 100:
        y += 2000 if 2000 + y <= today.year else 1900
    try:
        return plausible(dt.date(y, m, d), today)
    except ValueError:
        return None


_make = make_date


def _year(text: str) -> int:
    y = int(text)
    if y < 100:  # two-digit year: this century unless that is in the future
        y += 2000 if 2000 + y <= dt.date.today().year else 1900
    return y


def date_from_match(kind: str, m: re.Match) -> dt.date | None:
    """Turn a DATE_FORMS match into a date; numeric a/b is US month/day unless impossible."""
    g = m.groupdict()
    if kind == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), _year(g["y"])
        return _make(y, a, b) or (_make(y, b, a) if a > 12 else None)
    month = MONTHS[g["mon"][:3].lower()] if g.get("mon") else int(g["m"])
    return _make(int(g["y"]), month, int(g["d"]))


def may_open_with_date(line: str) -> bool:
    """Cheap test: does the line start with a digit or a word a date can follow?"""
    first = line.lstrip()[:1]
    if first.isdigit():
        return True
    m = FIRST_WORD.match(line)
    return bool(m) and m.group(1).casefold() in DATE_OPENERS


def match_date_line(line: str) -> dt.date | None:
    """The date if the whole line is one, else None."""
    if len(line) > DATE_LINE_MAX or not may_open_with_date(line) or not HAS_DIGIT.search(line):
        return None
    for kind, pattern in DATE_LINE.items():
        m = pattern.match(line)
        if m:
            return date_from_match(kind, m)
    return None


def match_date_prefix(line: str) -> tuple[dt.date, str] | None:
    """(date, rest of line) if the line opens with a date, else None."""
    if not may_open_with_date(line) or not HAS_DIGIT.search(line[:DATE_LINE_MAX]):
        return None
    for kind, pattern in DATE_PREFIX.items():
        m = pattern.match(line)
        if m:
            date = date_from_match(kind, m)
            return (date, m.group("rest")) if date else None
    return None


def match_labelled_date(line: str) -> dt.date | None:
    """The date of a line opening with "Published:", "Posted on", ... and a date."""
    if not may_open_with_date(line) or not HAS_DIGIT.search(line[:DATE_LINE_MAX]):
        return None
    for kind, pattern in LABELLED_DATE.items():
        m = pattern.match(line)
        if m:
            return date_from_match(kind, m)
    return None


def parse_date(text: str | None) -> dt.date | None:
    """A date from a hint string in any common format; None if none or implausible."""
    if not text:
        return None
    text = str(text).strip()
    if not text or len(text) > 200:
        return None
    if ISO_START.match(text):
        try:
            return plausible(dt.date.fromisoformat(text[:10]))
        except ValueError:
            pass
    found = match_date_line(text)
    if found:
        return found
    if not HAS_DIGIT.search(text):
        return None
    return _parse_with_dateutil(text) or _parse_with_dateparser(text)


#: Two defaults that differ in every part: a part missing from the string shows.
_DEFAULTS = (dt.datetime(1904, 1, 1), dt.datetime(1908, 2, 2))


def _parse_with_dateutil(text: str) -> dt.date | None:
    try:
        first, second = (dateutil_parser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date():  # day, month or year was not in the text
        return None
    return plausible(first.date())


def _parse_with_dateparser(text: str) -> dt.date | None:
    import dateparser  # slow to import; only needed for unusual hint formats

    try:
        found = dateparser.parse(text, settings={"REQUIRE_PARTS": ["day", "month", "year"],
                                                 "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # dateparser fails in many ways on odd input; a hint is optional
        return None
    return plausible(found.date()) if found else None


def date_from_url(url: str | None) -> dt.date | None:
    """A full date written in a URL path (/2016/09/17/), else None."""
    if not url:
        return None
    m = URL_DATE.search(url)
    return _make(int(m["y"]), int(m["m"]), int(m["d"])) if m else None


def runs_on(previous: str) -> bool:
    """Does a line stop mid-sentence ("... will expire on"), so the next line continues it?

    Hard-wrapped text can put a date alone on a line; after a comma or a
    word that needs a continuation, such a line is not a date line. A
    headline ending in a noun ("Storm hits coast") does not run on.
    """
    if not previous:
        return False
    if previous[-1] in ",;(":
        return True
    return previous.rsplit(None, 1)[-1].casefold() in RUN_ON_WORDS


def is_continuation(previous: str, line: str) -> bool:
    return bool(previous) and (runs_on(previous) or continues(previous, line))


def find_head_date(lines: list[str], skip: frozenset[int] = frozenset()) -> FoundDate | None:
    """A date line or date prefix among the first lines of the text."""
    seen = 0
    for i, line in enumerate(lines):
        if not line or i in skip:
            continue
        if may_open_with_date(line) and not (i and is_continuation(lines[i - 1], line)):
            date = match_date_line(line)
            if date:
                return FoundDate(date, i, "inferred:date-line")
            prefixed = match_date_prefix(line)
            if prefixed:
                return FoundDate(prefixed[0], i, "inferred:date-prefix", prefixed[1])
            if len(line) <= LABELLED_LINE_MAX:  # "Posted on May 3, 2017 by admin"
                date = match_labelled_date(line)
                if date:
                    return FoundDate(date, i, "inferred:date-line")
        seen += 1
        if seen >= HEAD_LINES:
            break
    return None


def find_body_date(lines: list[str]) -> FoundDate | None:
    """A date on a line of its own, or labelled, anywhere: the last resort."""
    for i, line in enumerate(lines):
        if not line or len(line) > LABELLED_LINE_MAX or (i and is_continuation(lines[i - 1], line)):
            continue
        date = match_date_line(line) or match_labelled_date(line)
        if date:
            return FoundDate(date, i, "inferred:body-date")
    return None
