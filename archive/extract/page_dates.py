"""The publication date of a page copied out of a browser: candidates and scores.

A browser copy carries the article's date among many others: the site's
"today" in the header, a date beside every story of a related list, comment
stamps, a copyright year in the footer. The article's own date sits close to
the headline and the byline, on a short line of its own ("19.10.2020 09:34",
"By Jane Roe — March 11, 2020", "Publicado: 06/05/2020 · 10:07").

So every date expression of the page becomes a candidate (`candidates`):
numeric forms (2020-03-04, 19.10.2020, 06/05/2020, 2020年7月3日), forms with
a month name in any language dateparser knows (its locale data gives the
names, the "of" words and each language's day order), a time with "today" or
"yesterday" ("heute, 7.57 Uhr") resolved against a date shown nearby, and,
for a line near the headline that none of these reads, dateparser's own
search. A candidate inside a sentence, a copyright line, a comment stamp
("Reply"), a URL or a file name is refused, as is a date after today or
before 1900.

`choose` scores what is left by closeness to the anchor (the headline when
it is known, else the start of the article's first paragraph), prefers a
"Published" label to an "Updated" one, refuses lines of a dated list (several
dates on neighbouring short lines: a related-story list or a comment thread),
and abstains when close candidates disagree: no date is better than a wrong
one.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..paths import DATA_FILES
from .dates import EARLIEST, HAS_DIGIT, FoundDate
from .dates import make_date as _make

WORDS_FILE = DATA_FILES / "date_words.tsv"

#: Lines longer than this are prose, never a date line or a byline.
MAX_LINE = 240
#: Words left on a line besides its date, weekday, time and label: up to
#: LINE_WORDS it is a date line; up to SHORT_WORDS a byline or a dateline.
LINE_WORDS = 2
SHORT_WORDS = 7
#: Non-blank lines around the anchor where the article's date may sit.
BEFORE_ANCHOR = 14
AFTER_ANCHOR = 14
#: Without a headline, the first paragraph opens the article; its date is above it.
BEFORE_LEAD = 20
AFTER_LEAD = 3
#: A paragraph this long (characters) with a sentence end is prose; the lead
#: has LEAD_MASS characters of prose within LEAD_SPAN lines from its start.
LEAD_CHARS = 200
LEAD_MASS = 600
LEAD_SPAN = 30
#: Dated lines this close together (non-blank lines) form a list of stories.
LIST_SPAN = 8
LIST_MIN = 3
#: dateparser's search is slow (~20 ms a line): at most this many lines a page.
SEARCH_LINES = 4
#: Points: how much each trait of a candidate counts (distance costs 1 a line).
SCORE = {"published": 6.0, "updated": -2.0, "line": 3.0, "short": 1.0, "before": 0.5}
#: Candidates within this many points of the best that give another date: abstain.
DISAGREE_MARGIN = 4.0

URL = re.compile(r"\S*(?:://|www\.)\S*|\S+\.[a-z0-9]{2,4}(?=\s|\Z)(?<=[a-z]\.[a-z]{3})|\S+@\S+", re.I)
TIME = re.compile(r"(?<!\d)(?:[01]?\d|2[0-3])[:.h][0-5]\d(?:[:.][0-5]\d)?(?!\d)")
YMD = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?P<s>[-/.年년])\s*(?P<m>\d{1,2})\s*(?:(?P=s)|[月월])\s*"
                 r"(?P<d>\d{1,2})(?:\s*[日일])?(?![\d_]|[-/.]?[^\W\d_]|[-/.]\d)")
DMY = re.compile(r"(?<![\d_.:/-])(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d{1,2})(?P=s)(?P<y>(?:19|20)\d{2}|\d{2})"
                 r"(?![\w]|[-/.]\w)")
#: Words and numbers; a year the copy ran into the time after it ("28 luglio 202010:43") is a number apart.
#: Day, month and a four-digit year parted by spaced slashes ("١ / ١٢ / ٢٠٢٠", "1 / 12 / 2020").
DMY_SPACED = re.compile(r"(?<![\d/] )(?<![\d/])(?P<a>\d{1,2}) (?P<s>/) (?P<b>\d{1,2}) / (?P<y>(?:19|20)\d{2})(?!\d| /)")
TOKEN = re.compile(r"(?:19|20)\d{2}(?=(?:[01]\d|2[0-3])[:h][0-5]\d(?!\d))|\d+|[^\W\d_]+")
YEAR_LIKE = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
#: A social-media handle: the line is an embedded post's stamp.
HANDLE = re.compile(r"(?<![\w.@])@\w{2,}")
#: After a date, a full stop and more words: the end of a caption's sentence.
CAPTION_TAIL = re.compile(r"\s*\.(?:\s+\S|\s*\Z)")
#: A wire dateline whose parenthesis holds the agency and the date: a place of up to four
#: capitalised words, then "(...)" at the start of the line.
DATELINE_PAREN = re.compile(r"\s*(?:[^\W\d_][\w.'’-]*\s+){0,3}[^\W\d_][\w.'’-]*,?\s*\((?P<inside>[^()]{6,80})\)\s")
#: A line this long that does not end a sentence is wrapped prose, going on below.
WRAP_WIDTH = 70
BULLET = re.compile(r"\s*[•·▪►■□☆★○●◦‣–—*+-]\s")

_SCHEMA_PARTS = ("january", "february", "march", "april", "may", "june", "july", "august",
                 "september", "october", "november", "december")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Candidate:
    """One date expression of the page, with what its line says about it."""

    date: dt.date
    index: int
    rule: str        # numeric, named, relative or search
    label: str | None  # published, updated or None
    shape: str       # line (the line is the date), short (byline, dateline) or text
    set_off: bool = False  # the date opens the line or a separator ("|", "•", ",") sets it apart


@dataclass(frozen=True)
class DateWords:
    published: tuple[str, ...]
    updated: tuple[str, ...]
    refuse: tuple[str, ...]
    ordinals: frozenset[str]


@lru_cache(maxsize=1)
def date_words() -> DateWords:
    """The label, refusal and ordinal words of archive/data/date_words.tsv."""
    kinds: dict[str, list[str]] = {"published": [], "updated": [], "refuse": [], "ordinal": []}
    with open(WORDS_FILE, encoding="utf-8") as fh:
        for raw in fh:
            if not raw.strip() or raw.startswith("#"):
                continue
            kind, _, word = raw.rstrip("\n").partition("\t")
            kinds[kind.strip()].append(word.strip().casefold())
    return DateWords(tuple(kinds["published"]), tuple(kinds["updated"]), tuple(kinds["refuse"]),
                     frozenset(kinds["ordinal"]))


@dataclass(frozen=True)
class _Locales:
    months: dict[str, dict[str, int]]   # name -> {language: month}
    weekdays: frozenset[str]
    filler: frozenset[str]              # "de", "of", "um", am/pm ...: words a date line may hold
    relative: dict[str, dict[str, int]]  # "heute" -> {language: 0}, "gestern" -> {language: -1}
    order: dict[str, str]               # language -> "DMY", "MDY", "YMD"


@lru_cache(maxsize=1)
def _locales() -> _Locales:
    """Month and weekday names, day orders and "today" words of every dateparser language."""
    from dateparser.languages.loader import default_loader

    months: dict[str, dict[str, int]] = {}
    weekdays: set[str] = set()
    filler: set[str] = set()
    relative: dict[str, dict[str, int]] = {}
    order: dict[str, str] = {}
    for locale in default_loader.get_locales():
        lang = locale.shortname.split("-")[0]
        info = locale.info
        order.setdefault(lang, info.get("date_order") or "DMY")
        for month, key in enumerate(_SCHEMA_PARTS, 1):
            for name in info.get(key) or []:
                name = name.casefold().rstrip(".")
                if TOKEN.fullmatch(name) and not name.isdecimal():
                    months.setdefault(name, {}).setdefault(lang, month)
        for key in _WEEKDAYS:
            weekdays.update(n.casefold().rstrip(".") for n in info.get(key) or [])
        for key in ("skip", "pertain", "am", "pm"):
            filler.update(w.casefold() for w in info.get(key) or [] if TOKEN.fullmatch(w.casefold()))
        for key, offset in (("0 day ago", 0), ("1 day ago", -1)):
            for word in (info.get("relative-type") or {}).get(key, []):
                relative.setdefault(word.casefold(), {})[lang] = offset
    return _Locales(months, frozenset(weekdays), frozenset(filler), relative, order)


def _month(name: str, lang: str | None) -> int | None:
    """The month a name means in the page's language, or in every language that has it."""
    by_lang = _locales().months.get(name.casefold().rstrip("."))
    if not by_lang:
        return None
    if lang and lang in by_lang:
        return by_lang[lang]
    if "en" in by_lang:  # English furniture on a page in another language
        return by_lang["en"]
    found = set(by_lang.values())
    return found.pop() if len(found) == 1 else None


def _contains(folded: str, phrase: str) -> bool:
    """Is the phrase in the line as whole words (a CJK phrase or a symbol: anywhere)?"""
    if ord(phrase[0]) >= 0x2E80 or not phrase[0].isalnum():
        return phrase in folded
    start = folded.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        if (start == 0 or not folded[start - 1].isalnum()) and (end == len(folded) or not folded[end].isalnum()):
            return True
        start = folded.find(phrase, start + 1)
    return False


def _label(folded: str, words: DateWords) -> str | None:
    if any(_contains(folded, w) for w in words.published):
        return "published"
    if any(_contains(folded, w) for w in words.updated):
        return "updated"
    return None


# --- candidates --------------------------------------------------------------------------

def line_dates(line: str, lang: str | None, today: dt.date) -> list[tuple[dt.date, str, tuple[int, int]]]:
    """(date, rule, span) of every numeric or month-name date in one line."""
    if not HAS_DIGIT.search(line):
        return []
    text = URL.sub(lambda m: " " * len(m.group(0)), line)
    if not text.isascii():
        text = text.translate(_ascii_digits())  # ١ / ١٢ / ٢٠٢٠: digits of any script, one for one
    found: list[tuple[dt.date, str, tuple[int, int]]] = []
    for m in YMD.finditer(text):
        date = _make(int(m["y"]), int(m["m"]), int(m["d"]), today)
        if date:
            start, end = m.span()
            if m["s"] == "." and text[end:end + 1] == ".":
                end += 1  # "2020. 08. 18.": the Hungarian form closes the day with a dot too
            found.append((date, "numeric", (start, end)))
    order = _locales().order.get(lang or "", "DMY")
    for m in (*DMY.finditer(text), *DMY_SPACED.finditer(text)):
        if any(s <= m.start() < e for _d, _r, (s, e) in found):
            continue
        a, b = int(m["a"]), int(m["b"])
        us_order = order.startswith("M") and m["s"] != "."  # 19.10.2020 is day first everywhere
        if a > 12 or b <= 12 and not us_order:
            day, month = a, b
        else:
            day, month = b, a
        date = _make(int(m["y"]), month, day, today)
        if date:
            found.append((date, "numeric", m.span()))
    found.extend(_named_dates(text, lang, today, [span for _d, _r, span in found]))
    return found


@lru_cache(maxsize=1)
def _ascii_digits() -> dict[int, str]:
    """A translation table from every script's decimal digits to 0-9."""
    return {code: str(unicodedata.digit(chr(code))) for code in range(128, 0x20000)  # none above
            if unicodedata.category(chr(code)) == "Nd"}


def _named_dates(text: str, lang: str | None, today: dt.date,
                 taken: list[tuple[int, int]]) -> list[tuple[dt.date, str, tuple[int, int]]]:
    """Dates written with a month name: 9 oktober 2020, March 16, 2020, 2020. október 9."""
    locales, ordinals = _locales(), date_words().ordinals
    tokens = [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text)
              if not any(s <= m.start() < e for s, e in taken)]
    # drop the words a date may carry between its parts ("de", "of", "1er", "-a")
    kept = [t for t in tokens if t[0].isdecimal() or (t[0].casefold() not in locales.filler
                                                     and t[0].casefold() not in ordinals)]
    out = []
    for k, (word, start, end) in enumerate(kept):
        if word.isdecimal() or len(word) < 3 and not word.isupper():
            continue
        month = _month(word, lang)
        if not month:
            continue
        before = kept[k - 1] if k else None
        if before and not before[0].isdecimal() and k >= 2 and (
                _month(before[0], lang) == month or text[before[2]:start].strip() == "/"):
            before = kept[k - 2]  # "24 نيسان / أبريل 2020": the month in two calendars' names
        following = kept[k + 1:k + 4]
        if following and not following[0][0].isdecimal() and _month(following[0][0], lang) == month:
            following = following[1:]
        after = following[0] if following else None
        after2 = following[1] if len(following) > 1 else None

        def num(t, lo, hi, width):
            return t is not None and t[0].isdecimal() and len(t[0]) in width and lo <= int(t[0]) <= hi \
                and not (t[1] and text[t[1] - 1].isalpha() and not _glued_before(text, t[1])) \
                and not (text[t[2]:t[2] + 1].isalpha() and not _glued_after(text, t[2], len(t[0]), ordinals))

        date = None
        if num(before, 1, 31, (1, 2)) and num(after, 1900, 2100, (4,)):          # 9 oktober 2020
            date, span = _make(int(after[0]), month, int(before[0]), today), (before[1], after[2])
        elif num(after, 1, 31, (1, 2)) and num(after2, 1900, 2100, (4,)):        # March 16, 2020
            date, span = _make(int(after2[0]), month, int(after[0]), today), (start, after2[2])
        elif num(before, 1900, 2100, (4,)) and num(after, 1, 31, (1, 2)):        # 2020. október 9.
            date, span = _make(int(before[0]), month, int(after[0]), today), (before[1], after[2])
        elif num(before, 1, 31, (1, 2)) and num(after, 0, 99, (2,)) \
                and text[after[2]:after[2] + 1] not in ":.h":                     # 27 Mar 20 à 9:21
            date, span = _make(int(after[0]), month, int(before[0]), today), (before[1], after[2])
        if date:
            out.append((date, "named", span))
    return out


def _glued_before(text: str, start: int) -> bool:
    """A word run into a day number by the copy ("Australia28 October 2020"): a lower-case
    letter right before it, the word itself longer than a code's ("A4", "G20")."""
    k = start
    while k and text[k - 1].isalpha():
        k -= 1
    return start - k >= 3 and text[start - 1].islower()


def _glued_after(text: str, end: int, width: int, ordinals: frozenset[str]) -> bool:
    """Letters right after a number that still leave it a date's part: an ordinal after a
    day ("29th April"), or, after a four-digit year, the next word run into it by the copy
    ("March 23, 2020timer")."""
    m = TOKEN.match(text, end)
    word = m.group(0).casefold() if m else ""
    return word in ordinals or width == 4 and len(word) >= 3


def _rest_words(line: str, spans: list[tuple[int, int]]) -> int:
    """Words of the line besides its dates, times, weekdays, month names and fillers."""
    locales, words = _locales(), date_words()
    chars = list(line)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    text = TIME.sub(" ", URL.sub(" ", "".join(chars)))
    folded = text.casefold()
    for phrase in words.published + words.updated:
        if phrase in folded:
            folded = folded.replace(phrase, " ")
    count = 0
    for token in TOKEN.findall(folded):
        if token.isdecimal() or token in locales.weekdays or token in locales.filler \
                or token in locales.months or len(token) == 1:
            continue
        count += 2 if ord(token[0]) >= 0x2E80 and len(token) > 3 else 1  # CJK runs are several words
    return count


def wraps_prose(previous: str) -> bool:
    """Does the line above run on into this one (a sentence hard-wrapped at the page width)?

    A line whose parts a bar sets apart ("By Ann Roe | ann@example.org | Example News") is a
    byline or a menu, not a sentence.
    """
    return len(previous) >= WRAP_WIDTH and previous.rstrip()[-1:] not in ".!?:;。！？؟|»”\")]" \
        and not BULLET.match(previous) and " | " not in previous


def _in_dateline(line: str, start: int, end: int) -> bool:
    """Is the date inside the parenthesis of a dateline that opens the line, the place in capitals
    before it ("MOSCOW (UrduPoint News / Sputnik - 29th April, 2020) It is impossible ...")?"""
    m = DATELINE_PAREN.match(line)
    if not m or not (m.start("inside") <= start and end <= m.end("inside")):
        return False
    return all(word[0].isupper() for word in line[:m.start("inside") - 1].split())


def _opens_byline(line: str, start: int, end: int) -> bool:
    """Does the date open the line, a capitalised name or word after it and no sentence's comma
    ("October 26, 2020 AJ Taylor Audio, Local News ...", not "October 26, 2020, was ...")?"""
    if line[:start].strip(" \t•·*-–—[("):
        return False
    after = line[end:].lstrip(" ]")
    return after[:1].isupper()


def _caption(line: str, start: int, end: int) -> bool:
    """Words, then the date, then a full stop: "Washington on March 5, 2019. REUTERS/..."."""
    return bool(line[:start].strip()) and bool(CAPTION_TAIL.match(line, end))


#: Marks that set a date apart on a byline ("Jane Roe | 2020-03-04", "2020年7月3日 | Sport").
SEPARATORS = frozenset("|•·—–-/,:()[]")


def _set_off(line: str, start: int, end: int) -> bool:
    before, after = line[:start].rstrip(), line[end:].lstrip()
    return not before.strip(" \t•·*-–—") or before[-1] in SEPARATORS or after[:1] in SEPARATORS


def _shape(rest: int) -> str:
    return "line" if rest <= LINE_WORDS else "short" if rest <= SHORT_WORDS else "text"


def candidates(lines: list[str], lang: str | None = None, today: dt.date | None = None,
               search: frozenset[int] = frozenset()) -> list[Candidate]:
    """Every date of the page that could be its publication date, in line order.

    `search` names the lines (near the headline) where dateparser's search
    is tried when the fast forms find nothing there.
    """
    today = today or dt.date.today()
    words = date_words()
    out: list[Candidate] = []
    relative: list[tuple[int, int, str]] = []
    searched = 0
    for i, line in enumerate(lines):
        if not line or not HAS_DIGIT.search(line) or len(line) > MAX_LINE and _width(line) > MAX_LINE:
            continue  # (a byline padded out to the page's width by runs of spaces is still short)
        folded = line.casefold()
        if any(_contains(folded, w) for w in words.refuse) or HANDLE.search(line):
            continue  # copyright, a comment's stamp, an embedded post
        if _refused_label_above(lines, i, words):
            continue  # "Joined" on the line above: the label of this date is on its own line
        found = line_dates(line, lang, today)
        if not found and i in search and searched < SEARCH_LINES and YEAR_LIKE.search(line):
            searched += 1
            found = _search(line, lang, today)
        if not found:
            offset = _relative_day(folded, lang)
            if offset is not None and TIME.search(line):
                relative.append((i, offset, _shape(_rest_words(line, []))))
            continue
        rest = _rest_words(line, [span for _d, _r, span in found])
        if i and wraps_prose(lines[i - 1]) and not (rest == 0 and not BULLET.match(line)
                                                    and line.rstrip()[-1:] not in ".,;"):
            continue  # the tail of a hard-wrapped sentence or caption (a line that is only a date
            # and a time is a date line under a headline, which ends without a stop too)
        shape = _shape(rest)
        if shape != "line" and i + 1 < len(lines) and lines[i + 1] and wraps_prose(line):
            shape = "text"  # the head of a sentence that goes on below
        found.sort(key=lambda f: f[2])
        previous_end = 0
        for date, rule, (start, end) in found:
            label = _label(folded[previous_end:start], words)
            previous_end = end
            if _in_dateline(line, start, end):  # "MOSCOW (Agency - 29th April, 2020) It is ..."
                out.append(Candidate(date, i, rule, label, "short", True))
                continue
            if label is None and (shape == "text" and not _opens_byline(line, start, end)
                                  or _caption(line, start, end)):
                continue  # a date inside a sentence or a caption is about an event
            out.append(Candidate(date, i, rule, label, shape, _set_off(line, start, end)))
    for i, offset, shape in relative:
        anchor = _nearest(out, i)
        if anchor is not None and shape != "text":
            out.append(Candidate(anchor.date + dt.timedelta(days=offset), i, "relative",
                                 _label(lines[i].casefold(), words), shape))
    out.sort(key=lambda c: c.index)
    return out


def _width(line: str) -> int:
    """The line's length with its runs of spaces (a copied table's or column's padding) as one."""
    return len(" ".join(line.split()))


def _refused_label_above(lines: list[str], i: int, words: DateWords) -> bool:
    """Is the nearest non-blank line above a bare label (a few words, no digit) that refuses a
    date ("Joined", then "    May 11, 2017")?"""
    k = i - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    if k < 0 or i - k > 2:
        return False
    above = lines[k].strip()
    if len(above) > 40 or HAS_DIGIT.search(above) or len(above.split()) > 3:
        return False
    folded = above.casefold()
    return any(_contains(folded, w) for w in words.refuse)


def _relative_day(folded: str, lang: str | None) -> int | None:
    """-1 or 0 when the line says "yesterday" or "today" in the page's language."""
    for token in TOKEN.findall(folded):
        by_lang = _locales().relative.get(token)
        if by_lang and (lang in by_lang or not lang):
            return by_lang.get(lang, next(iter(by_lang.values())))
    return None


def _nearest(found: list[Candidate], index: int, span: int = AFTER_ANCHOR) -> Candidate | None:
    """The absolute date nearest to a line ("heute, 7.57 Uhr" is that day), if close."""
    near = [c for c in found if abs(c.index - index) <= span and c.rule != "relative"]
    return min(near, key=lambda c: abs(c.index - index)) if near else None


def _search(line: str, lang: str | None, today: dt.date) -> list[tuple[dt.date, str, tuple[int, int]]]:
    """dateparser's search of one line, for the forms the patterns above do not read."""
    from dateparser.search import search_dates

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DATES_FROM": "past", "RELATIVE_BASE": dt.datetime.combine(today, dt.time())}
    try:
        hits = search_dates(line, languages=[lang] if lang else None, settings=settings) or []
    except Exception:  # dateparser fails in many ways on odd input; a candidate is optional
        return []
    out = []
    for text, when in hits:
        date = when.date()
        start = line.find(text)
        # numeric forms are read (and refused) by the patterns above; a hit here needs a word
        if EARLIEST <= date <= today and str(date.year) in text and start >= 0 \
                and any(ch.isalpha() for ch in text):
            out.append((date, "search", (start, start + len(text))))
    return out


# --- choosing ----------------------------------------------------------------------------

def lead_start(lines: list[str]) -> int | None:
    """The first line of the article's lead: prose followed by more prose.

    A cookie notice or a teaser is one prose paragraph among menus; the
    article's first paragraph has LEAD_MASS characters of prose within
    LEAD_SPAN lines of it. Without such a run, the first prose paragraph.
    """
    paragraphs = [(start, end) for start, end in _paragraphs(lines) if _prose(lines[start:end])]
    for k, (start, _end) in enumerate(paragraphs):
        mass = sum(sum(map(len, lines[s:e])) for s, e in paragraphs[k:] if s - start <= LEAD_SPAN)
        if mass >= LEAD_MASS:
            return start
    return paragraphs[0][0] if paragraphs else None


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, line in enumerate(lines + [""]):
        if line and start is None:
            start = i
        elif not line and start is not None:
            if sum(map(len, lines[start:i])) >= LEAD_CHARS:
                out.append((start, i))
            start = None
    return out


def _prose(paragraph: list[str]) -> bool:
    text = " ".join(paragraph)
    if max(map(len, paragraph)) < WRAP_WIDTH or len(text) < 50 * len(paragraph):
        return False  # a run of short lines: a list, a menu, headlines
    if BULLET.match(text) or text.count("|") > 2:
        return False
    ends = sum(text.count(ch) for ch in ".!?。！？؟।")
    letters = sum(ch.isalpha() or ch.isspace() or unicodedata.category(ch)[0] == "M" for ch in text)
    return ends >= 1 and letters >= 0.8 * len(text)


def _steps(lines: list[str], a: int, b: int) -> int:
    """Non-blank lines from line a to line b (negative when b is above a)."""
    lo, hi = min(a, b), max(a, b)
    n = sum(1 for line in lines[lo + 1:hi + 1] if line)
    return n if b >= a else -n


def in_dated_list(cands: list[Candidate], lines: list[str], c: Candidate) -> bool:
    """Is the candidate one of several dated lines close together, with different dates?

    That is a list of other stories or a comment thread; the article shows
    its own date once or twice, the same each time. Several dated bullet
    items are a list even when their dates agree (a programme, a ticker).
    A list's items share their bullet: a bulleted ticker is no list with the plain date line
    below it.
    """
    bullet = bool(BULLET.match(lines[c.index]))
    near = [o for o in cands if o.rule != "relative" and abs(_steps(lines, c.index, o.index)) <= LIST_SPAN
            and bool(BULLET.match(lines[o.index])) == bullet]
    if len({o.index for o in near}) < LIST_MIN:
        return False
    return len({o.date for o in near}) >= 2 or all(BULLET.match(lines[o.index]) for o in near)


def score(c: Candidate, lines: list[str], anchor: int, before: int, after: int) -> float | None:
    """Points for a candidate near the anchor; None outside the window."""
    steps = _steps(lines, anchor, c.index)
    if not -before <= steps <= after:
        return None
    points = -abs(steps) + SCORE.get(c.shape, 0.0)
    if c.label:
        points += SCORE[c.label]
    if steps < 0:
        points += SCORE["before"]
    return points


def anchors(lines: list[str], headline: int | None) -> list[tuple[int, int, int]]:
    """(line, lines before, lines after) where the date may sit: by the headline and above the lead."""
    out = []
    if headline is not None:
        out.append((headline, BEFORE_ANCHOR, AFTER_ANCHOR))
    lead = lead_start(lines)
    if lead is not None and lead != headline:
        out.append((lead, BEFORE_LEAD, AFTER_LEAD))
    return out


def choose(cands: list[Candidate], lines: list[str], headline: int | None) -> Candidate | None:
    """The candidate the page's date most likely is, or None when unsure (see the module doc)."""
    windows = anchors(lines, headline)
    scored = []
    for c in cands:
        if c.label is None and in_dated_list(cands, lines, c):
            continue
        points = [p for a, before, after in windows if (p := score(c, lines, a, before, after)) is not None]
        if points:
            scored.append((max(points), c))
    if not scored:
        return _alone(cands, lines)
    scored.sort(key=lambda pc: -pc[0])
    best_points, best = scored[0]
    for points, other in scored[1:]:
        if other.date == best.date or best_points - points >= DISAGREE_MARGIN:
            continue
        if other.label == "updated" and other.date > best.date and best.label != "updated":
            continue  # published, then updated later: no disagreement
        if _header_today(other, best, cands, lines, headline):
            continue  # the site's "today" in its header: the day of the copy, not of the article
        return None
    return best


def _header_today(other: Candidate, best: Candidate, cands: list[Candidate], lines: list[str],
                  headline: int | None) -> bool:
    """Is `other` the site's "today" at the top of the page ("Wednesday, September 30, 2020")
    while `best` sits at or below the headline?

    The header's date is the page's first, above the headline, names the weekday, and is later
    than the article's: a page is copied on or after the day it was published. Its date is no
    rival to a date under the headline; a header date earlier than that one still is.
    """
    if headline is None or other is not cands[0] or other.label is not None:
        return False
    if not other.index < headline <= best.index or other.date <= best.date:
        return False
    return any(token in _locales().weekdays for token in TOKEN.findall(lines[other.index].casefold()))


def _alone(cands: list[Candidate], lines: list[str]) -> Candidate | None:
    """With no date near the headline or the lead (either may be misread), the page's date
    lines and bylines taken together, when they all give one date and none is in a dated list:
    a page that shows one date on a line of its own shows its own. Any other date on such a line
    and there is no telling which is the article's: abstain."""
    own = [c for c in cands if c.rule != "relative" and not in_dated_list(cands, lines, c)
           and (c.shape == "line" or c.label == "published" or c.shape == "short" and c.set_off)]
    published = [c for c in own if c.label == "published"]
    if published and len({c.date for c in published}) == 1:
        return published[0]
    own = [c for c in own if c.label != "updated"]
    if not own or len({c.date for c in own}) != 1:
        return None
    return next((c for c in own if c.shape == "line"), own[0])


def find_page_date(lines: list[str], headline: int | None = None, lang: str | None = None,
                   today: dt.date | None = None) -> FoundDate | None:
    """The page's publication date among all its lines, or None (see the module doc)."""
    near: set[int] = set()
    for anchor, before, after in anchors(lines, headline):
        near |= _window(lines, anchor, before, after)
    cands = candidates(lines, lang, today, frozenset(near))
    best = choose(cands, lines, headline)
    if best is None:
        return None
    return FoundDate(best.date, best.index, f"inferred:page-{best.rule}")


def _window(lines: list[str], anchor: int, before: int, after: int) -> frozenset[int]:
    out = set()
    for step, direction, limit in ((0, -1, before), (0, 1, after)):
        i, seen = anchor, 0
        while 0 <= i < len(lines) and seen <= limit:
            if lines[i]:
                out.add(i)
                seen += 1
            i += direction
    return frozenset(out)
