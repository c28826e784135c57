"""Cleaning: scraped page text -> the article's own lines.

Scraped text carries the page around the article: navigation ("Skip to main
content"), counters ("Visits:"), share and newsletter prompts, comment forms,
lists of other stories, emoticon pickers, and sometimes a dumped JSON or PHP
value. These are recognised line by line, from the tables below, and only
whole lines are dropped, so a sentence of the article that merely contains
such a word ("no immediate comment") is kept. Two rules look further than one
line: a comment section cuts off the rest of the page when it comes after the
bulk of the text, and a heading such as "Top Stories" takes the list of
headlines under it along with it.

Lines are returned stripped, with "" marking a paragraph break.
"""
from __future__ import annotations

import re

from ..paths import data_lines

#: Whole lines that are page furniture, never article text, as written
#: (compared case-insensitively, without trailing ":" or "."). Exact lines are
#: a set lookup, which keeps cleaning cheap on large ingests. The lists are
#: data (archive/data/furniture_*.txt), so a user can extend them.
FURNITURE_LINES = frozenset(data_lines("furniture_lines.txt"))

#: Lines of page furniture with a variable part (case-insensitive, whole line).
FURNITURE_PATTERNS = tuple(data_lines("furniture_patterns.txt"))
BOILERPLATE = re.compile(r"(?:%s)\Z" % "|".join(FURNITURE_PATTERNS), re.IGNORECASE | re.DOTALL)

#: Phrases that mark a whole (short) line as a site's dialog or prompt text.
FURNITURE_PHRASES = re.compile("|".join(data_lines("furniture_phrases.txt")), re.IGNORECASE)
FURNITURE_PHRASE_MAX = 300
FURNITURE_KEY_TRIM = " :"

#: A line opening a list of other stories: it and the headlines below it go.
LIST_HEADING = re.compile(
    r"(?:recommended(?: for you| stories| articles| reading)?|you (?:may|might) (?:also )?like|"
    r"related(?: stories| articles| posts| news| content| coverage)?|"
    r"(?:top|recent|latest|more|popular|trending|featured) (?:stories|news|articles|posts)|"
    r"most (?:read|popular|viewed|shared|commented)|also read|(?:see|read) also|more from [^.!?]{1,40})\Z",
    re.IGNORECASE)

#: A line opening the comment section: the page after it is not the article.
#: A strong marker cuts once an article stands above it; a weak one ("Comments")
#: also needs more text above it than below, as it may be a counter by the headline.
STRONG_COMMENT_SECTION = re.compile(
    r"(?:send (?:a )?comment|post (?:a |your )?comment|add (?:a |your )?comment|leave a (?:comment|reply)|"
    r"write a comment|report abuse|comments are closed\.?)\Z",
    re.IGNORECASE)
WEAK_COMMENT_SECTION = re.compile(
    r"(?:your comments?|comments?(?: \(\d+\))?|\d+ comments?|join the (?:discussion|conversation)\W*)\Z",
    re.IGNORECASE)
#: Characters of text above a comment marker for it to end an article.
MIN_ARTICLE_CHARS = 200
#: A comment's header: a short line naming its writer and ending "says:" (`comment_verbs.txt`).
COMMENT_HEADER = re.compile(
    r"(?:\d+\.\s+|[•*]\s+)?\S.{0,80}?\s(?:" + "|".join(map(re.escape, data_lines("comment_verbs.txt")))
    + r")\s*:\Z", re.IGNORECASE)
#: The time a comment was posted, on its header line or the line after it ("at 8:13 am").
CLOCK_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
#: Comment headers below the article that make a thread of comments, and the lines above the
#: first one a section label ("Comments", "12 Comments") may stand on.
COMMENT_HEADERS = 2
COMMENT_LABEL_REACH = 6

#: Words of an emoticon picker ("Question Razz Sad Evil Exclaim Smile ...").
EMOTICON_WORDS = frozenset(data_lines("emoticons.txt"))

#: A list item is a short line that does not end like a sentence.
LIST_ITEM_MAX = 150
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\Z")

#: Last characters of a line whose sentence goes on on the next line.
CONTINUED_ENDINGS = frozenset("abcdefghijklmnopqrstuvwxyz,;-–(")

#: Characters that are spaces in disguise, or nothing at all.
SPACE_TABLE = str.maketrans({"\xa0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
                             "\u200b": None, "\ufeff": None, "\u00ad": None})


def text_lines(text: str) -> list[str]:
    """The text as stripped lines, "" marking paragraph breaks.

    A line indented deeper than the line above starts a new paragraph (wire
    copy such as Reuters marks paragraphs by indenting, not by blank lines);
    a block indented as a whole (a page laid out in columns) stays one.
    """
    text = text.translate(SPACE_TABLE).replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    previous_indent = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            lines.append("")
            continue
        indent = len(raw) - len(raw.lstrip())
        if indent >= 2 and indent > previous_indent and lines and lines[-1]:
            lines.append("")
        previous_indent = indent
        lines.append(line)
    return lines


def is_boilerplate(line: str) -> bool:
    """Is this whole line page furniture rather than article text?"""
    folded = line.casefold()
    if folded.rstrip(FURNITURE_KEY_TRIM) in FURNITURE_LINES or BOILERPLATE.match(line):
        return True
    if len(line) <= FURNITURE_PHRASE_MAX and FURNITURE_PHRASES.search(line):
        return True
    return is_emoticon_list(folded)


def is_emoticon_list(line: str) -> bool:
    """Is the line a row of emoticon names (a comment form's smiley picker)?"""
    words = line.casefold().split(None, 1)
    if not words or words[0] not in EMOTICON_WORDS:
        return False
    words = line.casefold().split()
    if len(words) < 5:
        return False
    return sum(w in EMOTICON_WORDS for w in words) >= 0.8 * len(words)


def looks_like_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line))


def content_lines(lines: list[str]) -> list[str]:
    """The lines of the article: furniture, story lists and comments removed."""
    kept = content_indexes(lines)
    keep = set(kept)
    out: list[str] = []
    for i, line in enumerate(lines[:max(kept) + 1] if kept else []):
        if i in keep:
            out.append(line)
        elif not line and out and out[-1]:
            out.append("")
    return _trim_blank(out)


def content_indexes(lines: list[str], boilerplate: list[bool] | None = None,
                    cut: int | None = None) -> list[int]:
    """Indexes of the non-blank lines that are the article (see content_lines).

    `boilerplate` (is_boilerplate per line) and `cut` (comment_section_start)
    may be given when the caller has them already.
    """
    kept: list[int] = []
    in_list = False
    previous = ""
    if cut is None:
        cut = comment_section_start(lines)
    for i, line in enumerate(lines[:cut]):
        if not line:
            previous = ""
            continue
        if previous and continues(previous, line):
            kept.append(i)
            previous = line
            continue
        if in_list:
            if len(line) <= LIST_ITEM_MAX and not looks_like_sentence(line):
                continue
            in_list = False
        if boilerplate[i] if boilerplate is not None else is_boilerplate(line):
            in_list = bool(LIST_HEADING.match(line))
            previous = ""
            continue
        kept.append(i)
        previous = line
    return kept


def continues(previous: str, line: str) -> bool:
    """Is `line` the rest of a sentence hard-wrapped at the end of `previous`?

    Wire copy wraps at a fixed width, so a word like "share." or "comment."
    can end up alone on a line; it is text, not a share button.
    """
    return previous[-1] in CONTINUED_ENDINGS and line[0].islower()


def comment_section_start(lines: list[str]) -> int:
    """Index of the line where the comment section starts (len(lines) if none)."""
    return min(_comment_label_start(lines), _comment_thread_start(lines))


def _comment_label_start(lines: list[str]) -> int:
    total = sum(map(len, lines))
    above = 0
    for i, line in enumerate(lines):
        if line and len(line) <= 40 and above >= MIN_ARTICLE_CHARS:
            if STRONG_COMMENT_SECTION.match(line):
                return i
            if WEAK_COMMENT_SECTION.match(line) and above >= total - above - len(line):
                return i
        above += len(line)
    return len(lines)


def _comment_thread_start(lines: list[str]) -> int:
    """Where a thread of comments starts, known by its headers ("mroklahoma says:"), not a label.

    A thread can be longer than the article it follows, so its "Comments"
    label alone does not end the article; two or more comment headers below
    the article's text do, from the label just above the first (when there is
    one) or from the first header. A header carries the time of posting, on
    its line or the next: an article's own "The minister said:" before a
    quotation does not.
    """
    # a header ends in a colon (lines come stripped): most texts have no two such lines at all
    ending = [i for i, line in enumerate(lines) if line.endswith(":")]
    if len(ending) < COMMENT_HEADERS:
        return len(lines)
    headers: list[int] = []
    above, counted = 0, 0
    for i in ending:
        above += sum(len(line) for line in lines[counted:i])
        counted = i
        if above >= MIN_ARTICLE_CHARS and len(lines[i]) <= 120 and COMMENT_HEADER.match(lines[i]) \
                and _posted_at(lines, i):
            headers.append(i)
    if len(headers) < COMMENT_HEADERS:
        return len(lines)
    first = headers[0]
    for j in range(first - 1, max(-1, first - COMMENT_LABEL_REACH), -1):
        if lines[j] and len(lines[j]) <= 40 and WEAK_COMMENT_SECTION.match(lines[j].strip()):
            return j
    return first


def _posted_at(lines: list[str], i: int) -> bool:
    if CLOCK_TIME.search(lines[i]):
        return True
    following = next((line for line in lines[i + 1:i + 3] if line.strip()), "")
    return len(following.strip()) <= 60 and bool(CLOCK_TIME.search(following))


def _trim_blank(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def join_paragraphs(lines: list[str]) -> str:
    """Lines back into text: one newline inside a paragraph, a blank line between."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)
