"""Page layout: which paragraphs of a copied page are the article.

A page copied out of a browser carries its menus, captions, link lists,
share prompts and footer around the article. They are found the way
boilerplate removers find them in HTML (jusText): the text is cut into
paragraphs, each paragraph is classed on its own features (length, stopword
density in the page's language, bullet and button shapes, known furniture
phrases, repetition across the source's other pages), and jusText's own
context step then settles the short and borderline ones by their
neighbours, so a short sentence between two paragraphs of the article stays
and a run of menu items between two bad blocks goes.

Text that shows no sign of page furniture at all (a wire story, a clean
export) is not classified: its short lines are as likely to be a table of
figures as a menu, and only the line rules of `clean` apply to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable

from .clean import (comment_section_start, content_indexes, is_boilerplate, looks_like_sentence)
from .furniture import FurnitureModel, unit_key
from .stoplists import stoplist
from .title import article_start, item_lists

#: jusText's thresholds (characters, stopword share), its defaults.
LENGTH_LOW = 70
LENGTH_HIGH = 200
STOPWORDS_LOW = 0.30
STOPWORDS_HIGH = 0.32
MAX_HEADING_DISTANCE = 200
#: The same for scripts written without spaces (a character carries a word).
CJK_LENGTH_LOW = 25
CJK_LENGTH_HIGH = 70

#: A line opening with a list marker: menus and link lists copy as these.
BULLET = re.compile(r"[•□☆○◦▪▫‣●■◆◇►▸▶➤→✓✔]|[*+·]\s|[-–—]\s+\S")
#: A line made only of bracketed placeholders: images, buttons and inputs.
PLACEHOLDERS = re.compile(r"(?:\[[^\]]*\]\s*)+\Z")
#: Scripts written without spaces between words (CJK, Thai, Lao, Khmer, Myanmar).
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\u0e00-\u0eff\u1780-\u17ff\u1000-\u109f]")
PUNCTUATION = "\"'“”‘’«»„()[]{}.,;:!?¿¡…-–—/|*•·"
SENTENCE_MARK = re.compile(r"[.!?。！？؟]")
WORD = re.compile(r"\w+")
LETTER = re.compile(r"[^\W\d_]")
#: A line naming where the article came from, and how far below the article it may stand.
ATTRIBUTION = re.compile(r"(?:sources?|via|originally (?:published|appeared) (?:at|by|on|in)|"
                         r"read (?:more|the original) at)\s*[:\-–—]?\s*\S", re.IGNORECASE)
ATTRIBUTION_MAX = 250
ATTRIBUTION_REACH = 3
#: Paragraphs of furniture that part the article from another run of text, and the share of
#: the article's size a run far from it must have to stay (a second part of a long article).
MAIN_GAP = 12
MAIN_SHARE = 0.3
#: Borderline paragraphs in a row, and their characters, that read as an article.
RUN_PARAGRAPHS = 3
RUN_CHARS = 300
#: Inside the article's span, sentences of this many words and subheadings stay too.
FILL_SENTENCES = True
FILL_HEADINGS = False
FILL_MIN_WORDS = 5
#: Share of a page's sentences that, recurring elsewhere, make it a copied story rather than furniture.
COPIED_SHARE = 0.5
#: A table row as a browser copies it: cells parted by tabs or runs of spaces; the rows in a
#: row a table must have, and the introduction it follows ("Final standings after 36 races:").
TABLE_CELLS = re.compile(r"\t+| {2,}")
TABLE_MIN_CELLS = 3
TABLE_MIN_ROWS = 4
DIGIT = re.compile(r"\d")
INTRODUCES = re.compile(r"[:：]\s*\Z")
#: Fewest words of a heading (a menu item has one to three).
HEADING_WORDS = 4
#: A text is a page copy once this many paragraphs have the shape of furniture.
PAGE_COPY_SIGNS = 2
#: Narrowest block read as wrapped text, and how far short of the width a wrapped line may stop.
MIN_WRAP = 40
#: Widest copy window taken as wrapping on a single long line's word alone.
MAX_WRAP_WIDTH = 140
WRAP_SLACK = 2


@dataclass
class Unit:
    """A paragraph of the page: its lines and what the classifier made of it.

    `cf_class`, `class_type`, `heading` and `text` are the attributes
    jusText's context step reads and writes.
    """

    lines: list[int]
    text: str
    cf_class: str = ""
    class_type: str = ""
    heading: bool = False
    shaped: bool = False  # furniture by its shape alone (bullet, button, phrase, repetition)
    repeated: bool = False  # on other pages of the source too (a headline can be, in their link lists)
    bullet: bool = False


@dataclass
class Layout:
    """The page's paragraphs and which of them are the article."""

    units: list[Unit]
    classified: bool
    furniture: set[int] = field(default_factory=set)  # line indexes that are not the article

    def good(self) -> list[Unit]:
        return [u for u in self.units if u.class_type == "good"]


def borderline_as_text(layout: Layout) -> Layout:
    """The layout with its borderline paragraphs read as text, for a page copy that has no good one.

    A short article of short paragraphs between heavy menus can leave jusText
    no good paragraph to anchor the rest; its borderline ones ("neargood")
    are then the best guess at where the article runs, which is all the
    headline scorer needs. The layout itself is left as it is.
    """
    units = [replace(u, class_type="good") if u.cf_class == "neargood" and not u.shaped else u
             for u in layout.units]
    return Layout(units, layout.classified, set(layout.furniture))


def page_units(lines: list[str]) -> list[Unit]:
    """Paragraphs: blank-separated blocks, split where a block is a list of short lines.

    A browser copy wraps text at the window's width, so within a block a line
    runs on into the next exactly when the next line's first word would not
    have fitted after it (the block's longest line shows the width). A line
    that stops short of that, or a line opening with a list marker, ends its
    paragraph: that is how menus and link lists come apart into items.
    """
    units: list[Unit] = []
    block: list[int] = []
    for i, line in enumerate(lines + [""]):
        if line:
            block.append(i)
            continue
        if block:
            units.extend(_split_block(lines, block))
            block = []
    return units


def _split_block(lines: list[str], block: list[int]) -> list[Unit]:
    lengths = [len(lines[i]) for i in block]
    width = max(lengths)
    # a width is a wrap width when the window's width is ordinary, or two lines reach it
    wrapped = width <= MAX_WRAP_WIDTH or sum(1 for n in lengths if n >= width - 15) >= 2
    units: list[Unit] = []
    current = [block[0]]
    for prev, i in zip(block, block[1:]):
        line = lines[i]
        first_word = line.split(None, 1)[0]
        runs_on = wrapped and width >= MIN_WRAP and len(lines[prev]) + 1 + len(first_word) > width - WRAP_SLACK
        if runs_on and not BULLET.match(line):
            current.append(i)
        else:
            units.append(_unit(lines, current))
            current = [i]
    units.append(_unit(lines, current))
    return units


def _unit(lines: list[str], indexes: list[int]) -> Unit:
    text = " ".join(lines[i] for i in indexes)
    return Unit(indexes, text, bullet=bool(BULLET.match(text)))


def analyse(lines: list[str], lang: Callable[[], str | None] | str | None,
            furniture: FurnitureModel | None = None) -> Layout:
    """The layout of a page: its paragraphs classed, furniture lines listed.

    `lang` may be a function, called only for a page copy (detecting the
    language costs more than deciding that a wire story is not a copy).
    """
    cut = comment_section_start(lines)
    boilerplate = [bool(line) and is_boilerplate(line) for line in lines]
    if not furniture and cut == len(lines) and _line_signs(lines, boilerplate) < PAGE_COPY_SIGNS:
        # no sign of furniture at all: no need to cut the text into paragraphs
        kept = set(content_indexes(lines, boilerplate, cut))
        return Layout([], False, {i for i, line in enumerate(lines) if line and i not in kept})
    units = page_units(lines)
    for unit in units:
        unit.shaped = _shaped_furniture(unit, boilerplate, furniture) or unit.lines[0] >= cut
    _spare_copied_stories(units, boilerplate, cut)
    if sum(u.shaped for u in units) < PAGE_COPY_SIGNS:
        kept = set(content_indexes(lines, boilerplate, cut))
        return Layout(units, False, {i for i, line in enumerate(lines) if line and i not in kept})
    stops = stoplist(lang() if callable(lang) else lang)
    # Placeholders (an image's alt text, a lone bullet) are not paragraphs at all:
    # like an <img> for jusText, they stand between two paragraphs without parting them.
    context = [u for u in units if not _placeholder(u)]
    for unit in units:
        unit.class_type = unit.cf_class = "bad"
    for unit in context:
        _classify(unit, stops)
    _keep_introduced_tables(context)
    _promote_runs(context)
    from justext.core import revise_paragraph_classification
    revise_paragraph_classification(context, MAX_HEADING_DISTANCE)
    _keep_main_runs(context)
    _fill_span(context)
    _keep_attribution(context)
    _drop_repeats(units)
    _drop_lists_below(units)
    furniture_lines = {i for u in units if u.class_type != "good" for i in u.lines}
    return Layout(units, True, furniture_lines)


def _line_signs(lines: list[str], boilerplate: list[bool]) -> int:
    """Lines that are furniture by their shape alone (a cheap upper bound of the paragraphs')."""
    return sum(1 for line, flag in zip(lines, boilerplate)
               if flag or (line and (line[0] == "[" and PLACEHOLDERS.match(line) or "©" in line)))


def _spare_copied_stories(units: list[Unit], boilerplate: list[bool], cut: int) -> None:
    """When most of a page's sentences recur on the source's other pages, they are the story, copied.

    A folder can hold the same story several times (saved twice, reposted by
    three sites): its sentences recur as furniture does, but they are the
    article. Repetition then still marks labels and menus, never sentences.
    """
    sentences = [u for u in units if looks_like_sentence(u.text)]
    total = sum(len(u.text) for u in sentences)
    repeated = sum(len(u.text) for u in sentences if u.repeated)
    if total and repeated > COPIED_SHARE * total:
        for unit in sentences:
            if unit.repeated:
                unit.repeated = False
                unit.shaped = (bool(PLACEHOLDERS.match(unit.text)) or "©" in unit.text
                               or any(boilerplate[i] for i in unit.lines) or unit.lines[0] >= cut)


def _placeholder(unit: Unit) -> bool:
    return bool(PLACEHOLDERS.match(unit.text)) or not LETTER.search(unit.text)


def _shaped_furniture(unit: Unit, boilerplate: list[bool], furniture: FurnitureModel | None) -> bool:
    if PLACEHOLDERS.match(unit.text) or "©" in unit.text:
        return True
    if any(boilerplate[i] for i in unit.lines):
        return True
    unit.repeated = furniture is not None and furniture.is_furniture(unit_key(unit.text), unit.text)
    return unit.repeated


def _classify(unit: Unit, stops: frozenset[str]) -> None:
    """jusText's context-free step, on text features (no links or tags in a copy)."""
    text = unit.text
    words = len(text.split()) if not CJK.search(text) else len(text) // 2
    unit.heading = (len(unit.lines) == 1 and not unit.bullet and len(text) <= LENGTH_HIGH
                    and words >= HEADING_WORDS and not looks_like_sentence(text))
    if unit.shaped:
        unit.cf_class = "bad"
        return
    cjk = len(CJK.findall(text)) > len(text) / 3
    low, high = (CJK_LENGTH_LOW, CJK_LENGTH_HIGH) if cjk else (LENGTH_LOW, LENGTH_HIGH)
    length = len(text)
    if length < low:
        unit.cf_class = "short"
        return
    if stops and not cjk:
        # split on spaces, as jusText does: \w would cut Devanagari words at their vowel signs
        words = [w.strip(PUNCTUATION) for w in text.casefold().split()]
        density = sum(w in stops for w in words) / len(words) if words else 0.0
        strong, weak = density >= STOPWORDS_HIGH, density >= STOPWORDS_LOW
    else:  # no stop list for the script: a sentence mark stands in for function words
        strong = weak = bool(SENTENCE_MARK.search(text))
    if unit.bullet and length <= high:
        weak, strong = weak and strong, False  # a list item needs its neighbours to be text
    if strong:
        unit.cf_class = "good" if length > high else "neargood"
    elif weak or (length > high and looks_like_sentence(text)):
        unit.cf_class = "neargood"  # a long sentence dense with names (a lead) is still text
    elif unit.heading:
        unit.cf_class = "short"  # headlines are dense with names; jusText's heading rule decides
    else:
        unit.cf_class = "bad"


def _cells(unit: Unit) -> int:
    return len([c for c in TABLE_CELLS.split(unit.text.strip()) if c]) if len(unit.lines) == 1 else 0


def _table_row(unit: Unit) -> bool:
    return _cells(unit) >= TABLE_MIN_CELLS and bool(DIGIT.search(unit.text)) and not unit.shaped


def _keep_introduced_tables(units: list[Unit]) -> None:
    """A table the text introduces ("Standings after 36 races:") is the article's, rows and all.

    Its rows are short, figure-dense and free of function words, so each on
    its own reads as a menu item; a results list or a calendar page would
    keep only its preamble. A table with no introduction (a price box, a
    league table in the sidebar) is left to the classifier.
    """
    k = 0
    while k < len(units):
        if not _table_row(units[k]):
            k += 1
            continue
        end = k
        while end < len(units) and _table_row(units[end]):
            end += 1
        start = k - 1 if k and _cells(units[k - 1]) >= 2 and not units[k - 1].shaped else k  # its header
        intro = units[start - 1] if start else None
        if end - k >= TABLE_MIN_ROWS and intro is not None and not intro.shaped \
                and len(intro.text.split()) >= HEADING_WORDS and INTRODUCES.search(intro.text):
            for unit in units[start - 1:end]:
                unit.cf_class = "good"
        k = end


def _promote_runs(units: list[Unit]) -> None:
    """A run of borderline paragraphs is text: a short article of short paragraphs.

    jusText needs one good paragraph to anchor its borderline neighbours, so a
    brief of five two-line paragraphs would vanish whole; several of them in
    a row (short lines between them aside) read as the article.
    """
    run: list[Unit] = []
    for unit in units + [Unit([], "", cf_class="bad")]:
        if unit.cf_class == "neargood":
            run.append(unit)
        elif unit.cf_class != "short" or unit.heading:
            if len(run) >= RUN_PARAGRAPHS and sum(len(u.text) for u in run) >= RUN_CHARS:
                for member in run:
                    member.cf_class = "good"
            run = []


def _keep_main_runs(units: list[Unit]) -> None:
    """The article is the largest run of good text and the runs near it; far runs are other stories.

    A page copy carries teasers above the article and related stories,
    author boxes and comments below it, each of them good text on its own.
    Runs separated from the article by more than MAIN_GAP paragraphs of
    furniture are not the article.
    """
    runs: list[list[int]] = []
    since = MAIN_GAP + 1
    for k, unit in enumerate(units):
        if unit.class_type == "good":
            if since > MAIN_GAP or not runs:
                runs.append([])
            runs[-1].append(k)
            since = 0
        elif len(unit.text) > 2:
            since += 1
    if len(runs) < 2:
        return
    main = max(runs, key=lambda run: sum(len(units[k].text) for k in run))
    size = sum(len(units[k].text) for k in main)
    for run in runs:
        if run is not main and sum(len(units[k].text) for k in run) < size * MAIN_SHARE:
            for k in run:
                units[k].class_type = "bad"


def _fill_span(units: list[Unit]) -> None:
    """Between the article's first and last good paragraph, text-like paragraphs are the article.

    jusText drops a borderline paragraph with bad neighbours on both sides;
    in a copy those neighbours are often a caption or an ad box set inside
    the article, so inside the article's span borderline text stays.
    """
    good = [k for k, u in enumerate(units) if u.class_type == "good"]
    if not good:
        return
    for unit in units[good[0]:good[-1] + 1]:
        if unit.class_type == "good" or unit.shaped or unit.bullet:
            continue
        if unit.cf_class == "neargood" or (FILL_SENTENCES and _reads_as_text(unit)):
            unit.class_type = "good"
    for unit in units[good[-1] + 1:]:  # the article's last paragraphs, borderline ones included
        if unit.shaped or unit.bullet or not (unit.cf_class == "neargood" or _reads_as_text(unit)):
            break
        unit.class_type = "good"


def _reads_as_text(unit: Unit) -> bool:
    """A sentence of several words, or a subheading: the article's own, inside its span."""
    words = len(unit.text.split())
    if looks_like_sentence(unit.text):
        return words >= FILL_MIN_WORDS
    return FILL_HEADINGS and unit.heading


def _keep_attribution(units: list[Unit]) -> None:
    """A "Source: ..." or "Via ..." line closing the article is part of it: it says who is cited."""
    good = [k for k, u in enumerate(units) if u.class_type == "good"]
    if not good:
        return
    for unit in units[good[0]:good[-1] + ATTRIBUTION_REACH + 1]:
        if len(unit.text) <= ATTRIBUTION_MAX and ATTRIBUTION.match(unit.text):
            unit.class_type = "good"


def _drop_repeats(units: list[Unit]) -> None:
    """A paragraph the copy shows twice (a sticky header, a pull quote) counts once."""
    seen: set[str] = set()
    for unit in units:
        if unit.class_type != "good":
            continue
        key = unit_key(unit.text)
        if key in seen:
            unit.class_type = "bad"
        seen.add(key)



def _drop_lists_below(units: list[Unit]) -> None:
    """A list of items below the article's start (a comment thread, related teasers) is not the article.

    Lists are found by the beat of their marks (`title.item_lists`: a time,
    a vote count, a date recurring every few paragraphs). A list holding more
    text than the rest of the page is kept (a live blog is its entries), and
    so is one marked by images ("[step-1]"): a how-to sets a screenshot between its steps.
    """
    lists = item_lists(units)
    if not lists:
        return
    listed = {k for first, _, end in lists for k in range(first, end)}
    start = article_start(units, listed)
    if start is None:
        return
    outside = sum(len(u.text) for k, u in enumerate(units) if u.class_type == "good" and k not in listed)
    for first, _, end in lists:
        if first <= start or PLACEHOLDERS.match(units[first].text):
            continue
        if sum(len(u.text) for u in units[first:end] if u.class_type == "good") < outside:
            for unit in units[first:end]:
                unit.class_type = "bad"
