"""Titles: the headline when the text has one, else a short lead sentence.

Scraped text often opens with its headline (sometimes twice, once from the
page title and once from the heading), but it may sit below a date line or a
lead paragraph. A headline is a short line of its own, near the top, that
does not end like a sentence and is not a date, a source line or furniture.
Hard-wrapped wire copy has short lines too, but they run on into the next
line; a headline stands alone. Without one, the first sentence of the
article serves, shortened at a word boundary.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .clean import SENTENCE_END
from .dateline import match_dateline
from .dates import match_date_line

#: Non-blank lines scanned at the top for a headline.
HEAD_LINES = 5
HEADLINE_MAX = 200
#: Longest title made from a lead sentence.
LEAD_TITLE_MAX = 120

WORD = re.compile(r"[^\W\d_]{2,}")
URL_ONLY = re.compile(r"(?:https?://|www\.)\S+\Z", re.IGNORECASE)
WEB_ADDRESS = re.compile(r"https?://\S", re.IGNORECASE)
PAREN_LINE = re.compile(r"\(.*\)\Z")
LABEL_LINE = re.compile(r"[^:]{1,40}:\s*\Z|(?:source|sources|via|credit|photo|image)\s*:", re.IGNORECASE)
SPACES = re.compile(r"\s+")
#: A list item's mark at the start of a line, as a browser copies it.
LIST_BULLET = re.compile(r"\s*[•◦▪■□●○*►▶]\s")
#: What a browser copies of an image or a form field: its alt text or label in brackets.
BRACKETED = re.compile(r"\[[^\]]*\]")
FULL_STOP_END = re.compile(r"[.…][\"'”’)\]]*\Z")
QUESTION_END = re.compile(r"[?!][\"'”’)\]]*\Z")
#: Sentence ends; the word before is checked against ABBREVIATIONS.
SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?P<close>[\"'”’)\]]*)\s+(?=[\"“‘(\[]?[A-Z0-9])")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen lt col sgt capt maj adm gov sen rep prof jr sr inc co corp ltd no vs "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u".split())
#: Separators between a title and the site name a page appends to it.
SITE_SUFFIX = re.compile(r"\s+(?:\||–|—|-|::|·)\s+(?P<site>[^|–—]{2,60})\Z")


@dataclass(frozen=True)
class FoundTitle:
    text: str
    index: int | None
    rule: str


def is_headline_line(line: str) -> bool:
    """Could this line be a headline, judged on the line alone?"""
    if not (8 <= len(line) <= HEADLINE_MAX) or len(WORD.findall(line)) < 2:
        return False
    if line.endswith((",", ";", ":")) or FULL_STOP_END.search(line):
        return False
    if LIST_BULLET.match(line) or len(WORD.findall(BRACKETED.sub(" ", line))) < 2:
        return False  # a menu item, or a copied image or form field ("[logo]", "[Login]")
    if len(MENU_MARKS.findall(line)) >= 2 or is_hashtag_strip(line) or PROMPT.search(line):
        return False  # a breadcrumb or a menu on one line, a row of hashtags, a prompt
    return not (URL_ONLY.match(line) or PAREN_LINE.match(line) or LABEL_LINE.match(line)
                or match_date_line(line))


#: What a site says to its reader about the page rather than the story: a call to click or tap, to opt
#: out, to sign in, to subscribe (a line opening with the verb: "S'abonner - 2 mois pour 1€"), to turn
#: off an ad blocker or turn on JavaScript, to check your inbox; an error message. Said in the second
#: person or the imperative, which a headline, written about others, does not use for these.
PROMPT = re.compile(
    r"\b(?:click(?:ing)?|tap(?:ping)?)\s+(?:here|below)\b|\byou (?:may|can|could) (?:also )?opt[- ]?out\b"
    r"|\bopt[- ]?out (?:by|here|if you)\b|\b(?:sign|log) ?in to (?:your|continue|comment|post)\b"
    r"|\b(?:your|my|disable|turn off|turned off|whitelist)\s+(?:your\s+)?ad[- ]?blocker\b"
    r"|\b(?:enable|turn on) javascript\b|\bsomething went wrong\b|\b(?:please )?try again (?:later|in)\b"
    r"|\bplease try again\b|\ban error (?:has )?occurred\b|\bplease check your (?:inbox|e-?mail)\b"
    r"|\bcliquez ici\b|\bcliquer ici\b|\b(?:haga|haz) clic aquí|\bpulse aquí|\bclique aqui\b|\bclicca qui\b"
    r"|\bhier klicken\b|\bklicken sie hier\b|\bklik hier\b|\bkliknij tutaj\b|\bнажмите (?:здесь|сюда)"
    r"|\bune erreur (?:s'est produite|est survenue)|\bse ha producido un error\b|\bein fehler ist aufgetreten\b"
    r"|\bпроизошла ошибка"
    r"|\bsubscribe (?:now|today|here)\b|^(?:subscribe|s'abonner|abonnez-vous|suscr[ií]bete|abonnieren|iscriviti"
    r"|assine|подпишитесь|подписаться)\b",
    re.IGNORECASE)
#: A copyright notice: the sign as a word of its own (glued to a letter it is more likely mojibake: "Ã©"
#: for "é"), or the words reserving the rights ("... copyright Harbour Media, LLC. All rights reserved.");
#: the word "copyright" alone may be a story's subject ("EU copyright reform passes").
RIGHTS_RESERVED = re.compile(
    r"(?<!\S)©|\ball rights reserved\b|\btodos los derechos reservados\b|\btous droits réservés\b"
    r"|\balle rechte vorbehalten\b|\btutti i diritti riservati\b|\btodos os direitos reservados\b"
    r"|\bвсе права защищены\b|\balle rechten voorbehouden\b|\bwszelkie prawa zastrzeżone\b",
    re.IGNORECASE)
#: A hashtag ("#IPL2020"), and the label a row of them may open with ("Trending Topics :").
HASHTAG = re.compile(r"#[^\W_][\w-]*")
TAG_LABEL = re.compile(r"[^:#]{1,40}:")


def is_hashtag_strip(line: str) -> bool:
    """Is the line a row of hashtags (two or more), perhaps under a label, with no other words?

    A page's strip of trending tags links to topics; a headline may name one
    tag ("#MeToo reaches the courts") but says something in words besides.
    """
    tags = HASHTAG.findall(line)
    if len(tags) < 2:
        return False
    rest = HASHTAG.sub(" ", line).strip()
    label = TAG_LABEL.match(rest)
    if label:
        rest = rest[label.end():]
    return len(WORD.findall(rest)) < 2


def find_headline(lines: list[str], skip: frozenset[int] = frozenset()) -> FoundTitle | None:
    """The first line near the top that stands alone and reads as a headline.

    A line ending in "?" or "!" is taken only as the very first line: lower
    down it is more likely a short sentence of the article.
    """
    seen = 0
    for i, line in enumerate(lines):
        if not line or i in skip:
            continue
        if is_headline_line(line) and (seen == 0 or not QUESTION_END.search(line)) \
                and _stands_alone(lines, i, skip):
            return FoundTitle(line, i, "inferred:headline")
        seen += 1
        if seen >= HEAD_LINES:
            break
    return None


def _stands_alone(lines: list[str], i: int, skip: frozenset[int]) -> bool:
    """Neither run on from the line above nor into the line below."""
    before = i - 1
    if before >= 0 and lines[before] and before not in skip and not SENTENCE_END.search(lines[before]):
        return False
    after = i + 1
    return after >= len(lines) or not lines[after] or after in skip or lines[after] == lines[i]


def lead_sentence_title(lines: list[str], skip: frozenset[int] = frozenset()) -> FoundTitle | None:
    """The first sentence of the first paragraph, without its dateline, shortened.

    A paragraph that cannot open an article is passed over (`_no_lead`): a
    form (a login box, a search field) or a breadcrumb trail that ends in its
    arrow, copied as text when the page's own furniture was not recognised.
    When every paragraph is such, the first one serves still.
    """
    found = None
    for first, paragraph in _paragraphs(lines, skip):
        found = found or (first, paragraph)
        if not _no_lead(paragraph):
            found = first, paragraph
            break
    if found is None:
        return None
    first, paragraph = found
    text = SPACES.sub(" ", " ".join(paragraph)).strip()
    dateline = match_dateline(text)
    if dateline:
        text = dateline.rest
    title = shorten(first_sentence(text)) or text[:LEAD_TITLE_MAX]  # "." alone is still a title
    return FoundTitle(title, first, "inferred:lead-sentence")


def _paragraphs(lines: list[str], skip: frozenset[int]):
    """(index of its first line, its lines) for each paragraph, its lines up to 4 x LEAD_TITLE_MAX characters."""
    paragraph: list[str] = []
    first = None
    for i, line in enumerate(lines):
        if i in skip:
            continue
        if not line:
            if paragraph:
                yield first, paragraph
            paragraph, first = [], None
            continue
        if sum(map(len, paragraph)) > 4 * LEAD_TITLE_MAX:
            continue  # long enough for its first sentence; the rest of it is not read
        first = i if first is None else first
        paragraph.append(line)
    if paragraph:
        yield first, paragraph


#: A form's empty field as a browser copies it ("Username: [          ]").
FORM_FIELD = re.compile(r"\[\s*\]")
#: A breadcrumb trail ending in its arrow, the page's headline not copied after it ("Home » Column »").
OPEN_CRUMBS = re.compile(r"(?:[^»›>\s][^»›>]{0,39}[»›>]\s*)+\Z")


def _no_lead(paragraph: list[str]) -> bool:
    """Is the paragraph a form (an empty field in it) or a bare breadcrumb trail? Never an article's lead."""
    return (any(FORM_FIELD.search(line) for line in paragraph)
            or len(paragraph) == 1 and bool(OPEN_CRUMBS.match(paragraph[0])) and bool(MENU_MARKS.search(paragraph[0])))


def first_sentence(text: str) -> str:
    for m in SENTENCE_BREAK.finditer(text):
        before = text[:m.start()].rstrip(".!?").rsplit(None, 1)
        word = before[-1].casefold() if before else ""
        if len(word) == 1 or word in ABBREVIATIONS:
            continue
        return text[:m.end("close")]
    return text


def shorten(sentence: str, limit: int = LEAD_TITLE_MAX) -> str:
    """A sentence as a title: final full stop dropped, cut at a word boundary."""
    sentence = sentence.strip()
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit + 1].rsplit(None, 1)[0] if " " in sentence[:limit + 1] else sentence[:limit]
    return cut.rstrip(" ,;:-–—") + "…"


def clean_title(text: object) -> str | None:
    """A title hint with its whitespace tidied; None when empty."""
    if text is None:
        return None
    title = SPACES.sub(" ", str(text)).strip()
    return title or None


def strip_site_suffix(title: str, site_names: list[str], same_outlet=None) -> str:
    """The title without a trailing " | Site Name" naming the page's own site.

    `site_names` are names known to be the site (its site_name hint, the
    outlet); `same_outlet(suffix)` may say whether a suffix names that outlet
    under another alias.
    """
    m = SITE_SUFFIX.search(title)
    if not m or m.start() == 0:
        return title
    suffix = m.group("site").strip()
    known = {n.casefold() for n in site_names if n}
    if suffix.casefold() in known or (same_outlet is not None and same_outlet(suffix)):
        return title[:m.start()].rstrip()
    return title


# --- titles of copied pages: the best-scored candidate above the lead ------------------------

#: Paragraphs above the lead searched for the headline (the lead found may be a teaser's, far below it).
CANDIDATE_UNITS = 400
#: Paragraphs into the article's run a headline may stand (a teaser or notice can open the run).
INSIDE_UNITS = 8
#: Shortest and longest headline, in characters (ideographic scripts count double).
TITLE_MIN = 12
TITLE_MAX = 220
#: A word of four letters or more; the Indic scripts' vowel signs (Devanagari to Sinhala) are no
#: letters to \w, so their blocks count whole, or "गेहूं" would fall apart into fragments.
CONTENT_WORD = re.compile(r"(?:[^\W\d_]|[\u0900-\u0963\u0971-\u0dff]){4,}")
DIGITS = re.compile(r"\d+")
#: A run of ideographs or katakana (hiragana, which writes mostly endings and particles, parts runs).
IDEOGRAPH_RUN = re.compile(r"[\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
#: A byline opening, in the languages the archive meets most.
BYLINE = re.compile(r"(?:by|von|par|por|di|door|av|af|przez|от|автор)\s+\S", re.IGNORECASE)
#: Bullets and separators: two of them in one line make it a menu or a breadcrumb.
MENU_MARKS = re.compile(r"[•·|»›>]\s|\s[|»›]|｜")
SOCIAL = re.compile(r"\b(?:facebook|twitter|whatsapp|pinterest|linkedin|reddit|telegram|flipboard|tumblr|"
                    r"e-?mail|messenger|vk|pint|print|copy link|share)\b", re.IGNORECASE)
LIST_NUMBER = re.compile(r"\d{1,2}[.)]\s")
#: A title with a site name appended (" | Site", " - Site"), as a page's <title> copies.
SUFFIXED = re.compile(r"\s+(?:\||–|—|-|::|·|»)\s+[^|–—»]{2,60}\Z")
#: Most words of a site name appended to a title.
SUFFIX_WORDS = 5
#: A line wholly in brackets: a credit, an image's alt text.
WRAPPED = re.compile(r"[(\[<{].*[)\]>}]\Z")
#: Longest label before a caption's copy of a line ("Image:", "Foto:", "Photo credit:").
CAPTION_LABEL = 25
#: Furniture paragraphs in a row that make a menu.
MENU_RUN = 3
#: Neighbouring paragraphs looked at around a candidate (its byline, its breadcrumb).
NEIGHBOURS = 3
#: Paragraphs under a headline where its byline or date line may stand.
BYLINE_REACH = 4
INNER_SENTENCE = re.compile(r"[a-z]{2}[.!?]\s+[A-Z]")
CREDIT_END = re.compile(r"\([^()]{2,80}\)\s*\Z")
CREDIT_WORDS = re.compile(r"\b(?:photo|image|picture|credit|getty|file photo|foto|bild|imagen|immagine|фото)\b",
                          re.IGNORECASE)
DATEISH = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b(?:19|20)\d{2}\b")
#: Words of three letters or more; a line with a year or a time needs this many to be a
#: headline ("2020 Audi e-tron Sportback revealed") rather than a date line ("Updated Nov 20, 2019 2:16 AM").
WORD3 = re.compile(r"[^\W\d_]{3,}")
DATED_HEADLINE_WORDS = 5
#: What a page's script, a data blob or an image's file name leaves as a line ('"title_hn":"\\u0936',
#: "010_Clymer-2"; an image placeholder aside, "[poll_butt]"): code, never a headline.
CODE_LIKE = re.compile(r"\\u[0-9a-fA-F]{4}|[{}]|\"\s*:\s*[\"{\[]|[^\W_]_[^\W_]")
#: An HTML entity left undecoded ("Facebook&#39;s", "&quot;"): a copy of the page's markup (an image's
#: attribute, a script's data), not text the page shows; its shown twin, if any, is decoded.
MARKUP_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|quot|amp|apos|lt|gt|nbsp);")
#: A caption's credit opening with its label ("Photo: Jane Doe / AP", "Fotó: ... / MTI").
CREDIT_LABEL = re.compile(r"(?:photos?|fotos?|fotó|fotografía|image|picture|credits?|bild|imagen|immagine|фото)\s*:",
                          re.IGNORECASE)
#: An image's placeholder opening a line, as a teaser's thumbnail copies ("[radmin_new] ...").
THUMBNAIL = re.compile(r"(?:\[[^\]\s]*\]\s*)+")
#: A breadcrumb before a headline on its line ("Home » ...", "Home / India News / ..."): crumbs of a few
#: words, parted by an arrow (one crumb is enough) or a slash or bar (two are needed: "Biden / Harris ...").
BREADCRUMB = re.compile(r"(?:[^\W\d_][^»›>/|]{0,24}?\s+[»›>]\s+)+"
                        r"|(?:[^\W\d_][^»›>/|]{0,24}?\s+[/|]\s+){2,}")
#: Fewest words of what follows a breadcrumb for it to be a headline.
CRUMBED_WORDS = 4
#: A sentence's last mark in the scripts the archive meets (Latin, CJK, Devanagari, Arabic).
ANY_SENTENCE_END = re.compile(r"[.。।॥۔][\"'”’)\]」』]*\Z")


#: What the headline scorer looks at, in the order of `TITLE_WEIGHTS` (see `headline_features`).
FEATURES = (
    "share", "gap", "at_start", "at_start_paragraph", "full_stop", "open_end", "too_long", "wordy",
    "shown_twice", "long_paragraph", "lower_start", "repeated", "list_number", "byline_below",
    "inner_sentence", "label", "brackets", "credit", "heading", "question", "title_case", "bad_class",
    "inside", "echoed", "typical_length", "body_share", "position", "dated", "symbols",
    # relative to the page and to the other candidates
    "log_gap", "after", "count", "first_after_menu", "len_rank", "dist_rank", "top", "suffixed",
    "share1", "menu_above", "far_before", "good_above", "best_share", "best_body_share",
    "near_cands", "byline_next", "date_next", "prev_list", "next_good", "prev_menu",
    "twin_below", "twin_above", "cluster_first",
    # a headline against its standfirst, a caption or a credit
    "wrapped", "lead_prefix", "caption_echo", "pair_first", "pair_second",
)
#: Hand-set weights, the fallback when archive/data/title_weights.json is absent.
HAND_WEIGHTS = {
    "share": 3.0, "gap": -0.08, "at_start": -1.0, "at_start_paragraph": -3.0, "full_stop": -2.0,
    "open_end": -3.0, "too_long": -2.0, "wordy": 1.0, "shown_twice": 1.0, "long_paragraph": -1.0,
    "lower_start": -1.0, "repeated": -1.0, "list_number": -1.5, "byline_below": 1.0,
    "inner_sentence": -1.5, "label": -1.5, "brackets": -1.5, "credit": -1.5, "inside": -0.5,
}
WEIGHTS_FILE = "title_weights.json"


@lru_cache(maxsize=1)
def title_weights() -> tuple[tuple[float, ...], float]:
    """The scorer's weights and bias: fitted on the dev set by bench/title_weights.py, else by hand."""
    import json
    from ..paths import DATA_FILES
    path = DATA_FILES / WEIGHTS_FILE
    weights, bias = dict(HAND_WEIGHTS), 0.0
    if path.exists():
        fitted = json.loads(path.read_text(encoding="utf-8"))
        weights, bias = fitted["weights"], float(fitted.get("bias", 0.0))
    return tuple(float(weights.get(name, 0.0)) for name in FEATURES), bias


def score_candidates(units, is_date_line,
                     taken: frozenset[int] = frozenset()) -> list[tuple[float, int]]:
    """(score, unit index) for every paragraph that may be the headline, best first."""
    weights, bias = title_weights()
    candidates = headline_features(units, is_date_line, taken)
    scored = [(bias + sum(w * f for w, f in zip(weights, features)), k) for k, features in candidates]
    scored.sort(key=lambda sk: (-sk[0], sk[1]))
    return reranked(units, scored, dict(candidates))


def reranked(units, scored, features) -> list[tuple[float, int]]:
    """`scored` (best first) with the rules on top of the scores applied: the headline set above
    its standfirst (`_headline_above`), then the headline without a list number (`_unnumbered_twin`)."""
    for rule in (lambda: _headline_above(units, scored, features), lambda: _unnumbered_twin(units, scored)):
        chosen = rule()
        if chosen is not None:
            scored.remove(chosen)
            scored.insert(0, chosen)
    return scored


def _unnumbered_twin(units, scored) -> tuple[float, int] | None:
    """The best candidate's copy without a list number, when the best is "3. Headline".

    A numbered breadcrumb ("1. Home >", "2. Blog >", "3. Headline") or a
    table of contents copies the headline with its item's number; the
    headline itself, shown near it, is the same line without the number.
    """
    if not scored:
        return None
    k = scored[0][1]
    text = " ".join(units[k].text.split())
    m = LIST_NUMBER.match(text)
    if not m:
        return None
    bare = text[m.end():].strip().casefold()
    for s, j in scored[1:]:
        if abs(j - k) <= NEIGHBOURS and " ".join(units[j].text.split()).casefold() == bare:
            return s, j
    return None


#: Paragraphs above the best candidate searched for the headline it may be the standfirst of,
#: and how much lower that headline may score.
ABOVE_REACH = 6
ABOVE_MARGIN = 1.0
HEADLINE_WORDS = 4


def _headline_above(units, scored, features) -> tuple[float, int] | None:
    """The headline set above the best candidate, when the best is its standfirst or a subheading.

    A standfirst shares the article's words and so often outscores its
    headline; the headline is the candidate nearest above it, a line of a
    few words that is no sentence, credit, quote or breadcrumb, scoring nearly as well.
    """
    if not scored:
        return None
    best, k = scored[0]
    by_index = {j: (s, j) for s, j in scored}
    for j in range(k - 1, max(-1, k - 1 - ABOVE_REACH), -1):
        if j not in by_index:
            continue
        text = " ".join(units[j].text.split())
        first_letter = next((c for c in text if c.isalpha()), "")
        values = dict(zip(FEATURES, features[j]))
        if (by_index[j][0] >= best - ABOVE_MARGIN and (len(text.split()) >= HEADLINE_WORDS or CJK_CHAR.search(text))
                and not ANY_SENTENCE_END.search(text) and not first_letter.islower()
                and not (values["credit"] or values["brackets"]) and "(" not in text
                and not MENU_MARKS.search(text) and not _shouted_over(text, units[k].text)
                and not _section_after(text)):
            return by_index[j]
        return None
    return None


#: Fewest letters of a section's name run on in capitals after a line (see `_section_after`):
#: more than most acronyms that end a headline have ("... says NASA", "... joins NATO").
SECTION_LETTERS = 6


def _section_after(text: str) -> bool:
    """Does a section's name in capitals run on after words in lower case ("... Federico Achával
    POLÍTICA")? A teaser's or a kicker's template, not a headline's."""
    words = text.split()
    if len(words) < 2:
        return False
    last = words[-1]
    return (last.isupper() and sum(c.isalpha() for c in last) >= SECTION_LETTERS
            and any(c.islower() for c in words[-2]))


def _shouted_over(text: str, best: str) -> bool:
    """Is the line all in capitals over a best candidate that is not?

    A row of tags or a section's name set above the headline is often in
    capitals; a page that sets its headline so sets its standfirst alike, or
    sets the headline alone so, and then it is the best candidate itself.
    """
    cased = [c for c in text if c.upper() != c.lower()]
    return bool(cased) and all(c.isupper() for c in cased) and any(c.islower() for c in best)


def headline_features(units, is_date_line, taken: frozenset[int] = frozenset()) -> list[tuple[int, list[float]]]:
    """(unit index, FEATURES values) for every paragraph that may be the headline.

    What a headline looks like in a copy: a line of its own, a few words
    long, not ending in a full stop, above the start of the article's running
    text (a byline, a date, share buttons or a photo caption may stand
    between), sharing its words with the article's first paragraphs, often
    shown twice (once from the page title or a breadcrumb), and not furniture.
    Lines that cannot be a headline at all (a date, a byline, a menu on one
    line, a URL) are not candidates.

    The window is wide (the run read as the article may be a teaser's or a
    related story's, far below the headline), so some features place a
    candidate among the others rather than on its own: the longest, the
    nearest to the lead, the one sharing most words with it, the first line
    after the last menu, the one with a byline or a date right below it.
    Gaps and echoes are counted once per page, not per candidate: the window
    holds hundreds of paragraphs.
    """
    from .furniture import unit_key
    _, listed, start, notice = _listed_units(units, is_date_line)
    if start is None:
        return []
    opening = [k for k in range(start, len(units)) if units[k].class_type == "good"][:4]
    opening_words = {g: content_words(units[g].text) for g in opening}
    body_words = set().union(*(content_words(u.text) for u in units if u.class_type == "good"))
    folded = [" ".join(u.text.split()).casefold() for u in units]
    # a headline after a breadcrumb on its line ("Home » Headline") is shown again when the page repeats it
    keys = [unit_key(without_breadcrumb(" ".join(u.text.split())) if MENU_MARKS.search(u.text) else u.text)
            for u in units]
    shown: dict[str, int] = {}
    for key in keys:
        shown[key] = shown.get(key, 0) + 1
    menu_end = _last_menu_end(units, start)
    # the first paragraph with text after the menu that is not furniture itself
    after_menu = None if menu_end is None else next(
        (j for j in range(menu_end + 1, len(units)) if len(units[j].text) > 2 and not units[j].shaped), len(units))
    # paragraphs with text before each index, for gaps; the page's text once, for echoes
    with_text = [0]
    for u in units:
        with_text.append(with_text[-1] + (len(u.text) > 2))
    joined = "\n".join(folded)
    exact: dict[str, int] = {}
    for f in folded:
        exact[f] = exact.get(f, 0) + 1
    thumbnailed = _thumbnailed_links(folded[start + 1:start + 1 + INSIDE_UNITS])
    raw: list[tuple[int, int, int, dict]] = []
    for k in range(max(0, start - CANDIDATE_UNITS), min(len(units), start + INSIDE_UNITS + 1)):
        unit = units[k]
        if k in listed:
            continue  # an item of a list of teasers or comments, away from the article
        if len(unit.lines) > 3 or unit.bullet or (unit.shaped and not unit.repeated) or 2 * len(unit.text) < TITLE_MIN:
            continue  # a wrapped paragraph, a list item, furniture by its shape; or too short to tell
        text = without_breadcrumb(" ".join(unit.text.split()))
        size = len(text) + sum(1 for c in text if ord(c) > 0x2e80)
        if not (TITLE_MIN <= size <= TITLE_MAX * 2):
            continue
        if taken.issuperset(unit.lines):
            continue  # already read as metadata (a date line, a news ID)
        if k == notice != start and NOTICE_SENTENCE.search(unit.text):
            continue  # a notice above the article's header (see `past_notice`): one that says something
        if k > start and (unit.cf_class not in ("short", "bad", "neargood")
                          or unit.cf_class == "neargood" and FULL_STOP_END.search(text)):
            continue  # inside the article's run only a line of its own, not a sentence, can be the headline
        if is_date_line(text) or URL_ONLY.match(text) or WEB_ADDRESS.search(text) or LABEL_LINE.match(text):
            continue  # (a line with a web address in it is a link or a prompt: "... SUBSCRIBE https://...")
        dated = bool(DATEISH.search(text)) and len(DIGITS.findall(text)) >= 2
        if dated and len(WORD3.findall(text)) < DATED_HEADLINE_WORDS:
            continue  # a date and time line with a few words around it ("Updated ...")
        if BYLINE.match(text) or len(MENU_MARKS.findall(text)) >= 2 or len(SOCIAL.findall(text)) >= 2:
            continue  # "By Jane Doe", a breadcrumb, a menu or a share bar on one line
        if is_hashtag_strip(text) or PROMPT.search(text) or RIGHTS_RESERVED.search(text):
            continue  # "Trending: #Budget2020 #Elections": links to tags; a site's prompt, error or copyright notice
        if FRAGMENT_START.match(text):
            continue  # ". Un point c'est tout ...": the rest of a line cut after its stop, not a line of its own
        if not text.isascii() and _scripts(text) >= LANGUAGE_MENU_SCRIPTS:
            continue  # "English हिन्दी বাংলা اردو": a row of the site's editions, each named in its own script
        if _name_and_outlet(text, shown):
            continue  # "Jane Doe. Harbour Gazette": a byline or a credit naming the page's own outlet
        if CODE_LIKE.search(BRACKETED.sub(" ", text)) or CREDIT_LABEL.match(text) or MARKUP_ENTITY.search(text):
            continue  # a script's or a file's leftovers, a photo credit
        if k < start and folded[k] in thumbnailed:
            continue  # a related story's headline, linked again with its thumbnail from inside the article
        gap = max(0, with_text[start] - with_text[k + 1])
        title_words = content_words(text)
        lead_words = set().union(*(opening_words[g] for g in opening if g != k))
        first_words = set().union(*(opening_words[g] for g in opening[:1] if g != k))
        share = len(title_words & lead_words) / len(title_words) if title_words else 0.0
        words = text.split()
        capitalised = sum(1 for w in words if w[:1].isupper()) / len(words) if words else 0.0
        at_start = k >= start
        below = _neighbour(units, range(k + 1, min(len(units), k + 1 + NEIGHBOURS)))
        above = _neighbour(units, range(k - 1, max(-1, k - 1 - NEIGHBOURS), -1))
        below_text = " ".join(below.text.split()) if below else ""
        if LIST_NUMBER.match(text) and any(u is not None and LIST_NUMBER.match(u.text.strip()) for u in (above, below)):
            continue  # an item of a numbered list ("4. ...", "5. ..."): a most-read list, a table of contents
        values = {
            "share": share,
            "gap": min(gap, 25),
            "at_start": at_start and unit.cf_class in ("short", "bad"),
            "at_start_paragraph": at_start and unit.cf_class not in ("short", "bad"),
            "full_stop": bool(FULL_STOP_END.search(text)) and not text.rstrip("\"'”’)]").endswith(("…", "...")),
            "open_end": text.endswith((",", ";", ":")),
            "too_long": size > TITLE_MAX,
            "wordy": len(words) >= 4 or size >= 24,
            "shown_twice": shown.get(keys[k], 0) >= 2,
            "long_paragraph": unit.class_type == "good" and size > 160,
            "lower_start": text[:1].islower(),
            "repeated": unit.repeated,
            "list_number": bool(LIST_NUMBER.match(text)),
            "byline_below": _byline_below(units, k, is_date_line),
            "inner_sentence": bool(INNER_SENTENCE.search(text)),
            "label": not CJK_CHAR.search(text) and len(words) < 4,
            "brackets": "[" in text or "<" in text,
            "credit": bool(CREDIT_END.search(text) or CREDIT_WORDS.search(text)),
            "heading": unit.heading,
            "question": bool(QUESTION_END.search(text)),
            "title_case": capitalised,
            "bad_class": unit.cf_class == "bad",
            "inside": min(max(0, k - start), INSIDE_UNITS),
            "echoed": len(text) >= 20 and joined.count(folded[k]) > exact[folded[k]],  # inside a longer line
            "typical_length": 30 <= size <= 130,
            "body_share": len(title_words & body_words) / len(title_words) if title_words else 0.0,
            "position": k / len(units),
            "dated": dated,
            "symbols": _symbol_share(text),
            "log_gap": math.log1p(gap),
            "after": k > start,
            "count": min(shown.get(keys[k], 0), 3),
            "first_after_menu": menu_end is not None and menu_end < k <= after_menu,
            "top": k < 3,
            "suffixed": _site_suffixed(text),
            "share1": len(title_words & first_words) / len(title_words) if title_words else 0.0,
            "menu_above": menu_end is not None and k > menu_end,
            "far_before": gap > 25,
            "good_above": sum(1 for u in units[max(0, k - 5):k] if u.class_type == "good") / 5,
            "byline_next": bool(BYLINE.match(below_text)),
            "date_next": bool(below_text) and (is_date_line(below_text)
                                               or bool(DATEISH.search(below_text)) and len(below_text) <= 80),
            "prev_list": above is not None and bool(LIST_NUMBER.match(above.text.strip())),
            "next_good": below is not None and below.class_type == "good",
            "prev_menu": above is not None and (above.shaped or above.bullet),
            "wrapped": bool(WRAPPED.match(text)),
            "lead_prefix": _opens_longer(folded, k),
            "caption_echo": _labelled_copy(folded, k),
        }
        raw.append((k, size, gap, values))
    sizes = sorted((size for _, size, _, _ in raw), reverse=True)
    gaps = sorted(gap for k, _, gap, _ in raw if k <= start)
    best_share = max((v["share"] for *_, v in raw), default=0.0)
    best_body = max((v["body_share"] for *_, v in raw), default=0.0)
    cand_words = {k: content_words(units[k].text) for k, *_ in raw}
    sizes_by = {k: size for k, size, *_ in raw}
    next_text, prev_text = _text_neighbours(units, sizes_by)
    out: list[tuple[int, list[float]]] = []
    for k, size, gap, values in raw:
        near = [j for j, *_ in raw if j != k and abs(j - k) <= NEIGHBOURS and keys[j] != keys[k]]
        values["twin_below"] = any(_shares(cand_words[k], cand_words[j]) for j in near if j > k)
        values["twin_above"] = any(_shares(cand_words[k], cand_words[j]) for j in near if j < k)
        values["cluster_first"] = not any(j < k for j in near)
        # a headline and its standfirst: two candidates in a row, the shorter first
        nxt, prev = next_text[k], prev_text[k]
        values["pair_first"] = nxt in sizes_by and sizes_by[nxt] > size
        values["pair_second"] = prev in sizes_by and sizes_by[prev] < size
        values["len_rank"] = min(sizes.index(size), 10) / 10
        values["dist_rank"] = min(gaps.index(gap), 10) / 10 if k <= start else 1.0
        values["best_share"] = best_share > 0 and values["share"] >= best_share
        values["best_body_share"] = best_body > 0 and values["body_share"] >= best_body
        values["near_cands"] = sum(1 for j, *_ in raw if abs(j - k) <= NEIGHBOURS) / (2 * NEIGHBOURS + 1)
        out.append((k, [float(values[name]) for name in FEATURES]))
    return out


#: A line that opens with the mark ending or parting the words before it (a full stop, not an ellipsis;
#: a comma, a semicolon, a closing bracket), then a space: the rest of a line or a link cut in two.
FRAGMENT_START = re.compile(r"(?:\.(?!\.)|[,;)\]])\s")
#: Scripts in one line that make it a menu of a site's languages: a headline is written in one, with
#: words of another at most (a name in Latin letters in a Hindi or Russian headline).
LANGUAGE_MENU_SCRIPTS = 3
#: Scripts written together, counted as one (Japanese mixes kanji, hiragana and katakana).
SCRIPT_GROUPS = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK", "HALFWIDTH": "CJK", "FULLWIDTH": "CJK"}


def _scripts(text: str) -> int:
    """How many scripts the line's letters are written in, counting a script with two letters or more."""
    import unicodedata
    letters: dict[str, int] = {}
    for c in text:
        if c.isalpha():
            script = unicodedata.name(c, "?").split()[0].split("-")[0]
            script = SCRIPT_GROUPS.get(script, script)
            letters[script] = letters.get(script, 0) + 1
    return sum(1 for n in letters.values() if n >= 2)


#: A person's name and the outlet after it, parted by a full stop, a slash or a comma ("Jane Doe. Harbour
#: Gazette", "Jane Doe / Harbour Gazette"): a byline or a photo credit, as a page sets it by the article.
NAME_WORD = r"[^\W\d_]+(?:[-'’][^\W\d_]+)*"
NAME_AND_OUTLET = re.compile(rf"(?P<name>{NAME_WORD}(?: {NAME_WORD}){{1,2}})\s*[./,]\s+(?P<outlet>\S.{{1,60}})\Z")


def _name_and_outlet(text: str, shown: dict[str, int]) -> bool:
    """Is the line a name and the page's outlet ("Jane Doe. Harbour Gazette"), the outlet being a
    line the page shows on its own as well (its masthead, a logo's text)?

    A headline that ends in its site's name ("Talks resume | Harbour Gazette") is parted from it by
    a bar or a dash; one parted by a full stop or a comma says more before it than a name.
    """
    from .furniture import unit_key
    m = NAME_AND_OUTLET.match(text)
    return bool(m) and all(w[:1].isupper() for w in m.group("name").split()) \
        and unit_key(m.group("outlet")) in shown


def without_breadcrumb(text: str) -> str:
    """A line less the breadcrumb a copy put before its headline ("Home » Markets » Headline ...")."""
    m = BREADCRUMB.match(text)
    if not m:
        return text
    rest = text[m.end():].strip()
    first_letter = next((c for c in rest if c.isalpha()), "")
    if len(rest.split()) < CRUMBED_WORDS or MENU_MARKS.search(rest) or first_letter.islower():
        return text  # no headline after it, or a clause after a mark ("Harbour bridge > closed for ...")
    return rest


def _thumbnailed_links(folded: list[str]) -> set[str]:
    """The lines after an image's placeholder ("[thumb_12] Headline ..."): a teaser with its thumbnail."""
    out = set()
    for f in folded:
        m = THUMBNAIL.match(f)
        if m and len(f[m.end():].split()) >= HEADLINE_WORDS:
            out.add(f[m.end():].strip())
    return out


def content_words(text: str) -> set[str]:
    """A line's content words, folded, for the shares: words of four letters or more, and in the
    scripts written without spaces (Chinese, Japanese) pairs of ideographs or katakana instead,
    since a run of them between two marks is a phrase, not a word another line repeats."""
    runs = IDEOGRAPH_RUN.findall(text)
    words = {w.casefold() for w in CONTENT_WORD.findall(IDEOGRAPH_RUN.sub(" ", text) if runs else text)}
    for run in runs:
        words.update(run[i:i + 2] for i in range(len(run) - 1))
    return words


def _site_suffixed(text: str) -> bool:
    """Does the line end in " | Site" or " - Site"? A clause after a dash ("... - ограничил полномочия ...") does not."""
    m = SUFFIXED.search(text)
    if not m:
        return False
    suffix = m.group().lstrip(" |–—-:·»")
    first = next((c for c in suffix if c.isalpha()), "")
    return not first.islower() and len(suffix.split()) <= SUFFIX_WORDS


def _text_neighbours(units, ks) -> tuple[dict[int, int | None], dict[int, int | None]]:
    """For each index in `ks`, the next and the previous paragraph with text."""
    nxt: dict[int, int | None] = {}
    prev: dict[int, int | None] = {}
    for k in ks:
        nxt[k] = next((j for j in range(k + 1, min(len(units), k + 1 + NEIGHBOURS))
                       if len(units[j].text.strip()) > 2), None)
        prev[k] = next((j for j in range(k - 1, max(-1, k - 1 - NEIGHBOURS), -1)
                        if len(units[j].text.strip()) > 2), None)
    return nxt, prev


def _opens_longer(folded: list[str], k: int) -> bool:
    """Does a longer paragraph open with this one (a standfirst repeated as the lead, a caption and its credit)?"""
    text = folded[k]
    return len(text) >= 20 and any(len(f) > len(text) + 10 and f.startswith(text) for f in folded)


def _labelled_copy(folded: list[str], k: int) -> bool:
    """Is this line repeated after a short label ("Image: ...", "Foto: ..."), as a caption is?"""
    text = folded[k]
    if len(text) < 20:
        return False
    for f in folded:
        if len(f) > len(text) and f.endswith(text):
            label = f[:-len(text)].rstrip()
            if label.endswith(":") and len(label) <= CAPTION_LABEL:
                return True
    return False


def _shares(a: set[str], b: set[str]) -> bool:
    """Do two lines share a third of the shorter one's words (a headline and its standfirst)?"""
    return bool(a and b) and len(a & b) >= min(len(a), len(b)) / 3


def _last_menu_end(units, start: int) -> int | None:
    """The last paragraph of the last run of MENU_RUN furniture paragraphs above the article."""
    end, run = None, 0
    for k in range(start):
        unit = units[k]
        if unit.shaped or unit.bullet:
            run += 1
            if run >= MENU_RUN:
                end = k
        elif len(unit.text) > 2:
            run = 0
    return end


def _neighbour(units, ks):
    """The first paragraph with text among `ks`."""
    return next((units[j] for j in ks if len(units[j].text.strip()) > 2), None)


def _symbol_share(text: str) -> float:
    """The share of a line's visible characters that are neither letters nor digits (rules, bullets, icons)."""
    visible = [c for c in text if not c.isspace()]
    return sum(1 for c in visible if not c.isalnum()) / len(visible) if visible else 1.0


def _byline_below(units, k: int, is_date_line) -> bool:
    for unit in units[k + 1:k + 1 + BYLINE_REACH]:
        text = unit.text.strip()
        if BYLINE.match(text) or is_date_line(text) or (DATEISH.search(text) and len(text) <= 80):
            return True
    return False


#: Paragraphs of other text a run of the article may skip (an ad, a caption, a quote box).
CLUSTER_GAP = 6
#: What a good paragraph's characters count for in a run when it ends in no sentence mark (a
#: teaser's headline, a subheading, a menu read as text) or is cut short by an ellipsis (a teaser's snippet).
UNFINISHED_WEIGHT = 0.1
TRUNCATED_WEIGHT = 0.3
#: A paragraph's last sentence mark, in the scripts the archive meets.
PARAGRAPH_END = re.compile(r"[.!?…。！？।؟][\"'”’)\]」』»]*\s*\Z")
TRUNCATED_END = re.compile(r"(?:\.\.\.|…)[\"'”’)\]»]*\s*\Z")


def _run_weight(unit) -> float:
    """The characters of a good paragraph, counted fully when it ends as running text does."""
    if not PARAGRAPH_END.search(unit.text):
        return UNFINISHED_WEIGHT * len(unit.text)
    if TRUNCATED_END.search(unit.text):
        return TRUNCATED_WEIGHT * len(unit.text)
    return float(len(unit.text))


#: A line that may mark each item of a list (its date, its vote count, a separator image): at most
#: MARK_MAX characters, with figures ("22:10", "Rating: 9 Votes", "[blank_1x1]"). Marks of one shape
#: ITEM_MARKS times in a row, each at most ITEM_UNITS paragraphs from the last, make a list when every
#: item between two marks is a snippet (SNIPPET_CHARS at most), or stays under ITEM_CHARS and holds a
#: mark of another shape or no more paragraphs than the items before it.
MARK_MAX = 60
ITEM_MARKS = 3
ITEM_UNITS = 12
SNIPPET_CHARS = 400
ITEM_CHARS = 1500
MARK_DIGITS = re.compile(r"\d+")


def _mark_key(text: str, is_date_line) -> str | None:
    """The shape of a short line, digits masked: the same for every item's date, counter or separator.

    A known furniture line ("Advertisement", a share button) is no mark: a
    page sets it inside its article as often as between list items.
    """
    from .clean import is_boilerplate
    if len(text) > MARK_MAX or not MARK_DIGITS.search(text):
        return None  # a label or a status line ("Loading...", "Reply"): a player or a form repeats those too
    text = " ".join(text.split())
    if is_boilerplate(text):
        return None
    if is_date_line is not None and is_date_line(text):
        return "<date>"
    return MARK_DIGITS.sub("#", text.casefold())


def item_lists(units, is_date_line=None) -> list[tuple[int, int, int]]:
    """Lists of items built from one template: teasers, a comment thread.

    A list of teasers repeats its template for every story (a headline, a
    snippet, a date line, a "Read more" link), a comment thread for every
    comment (a name, a time, a vote count): lines of one shape (digits aside)
    recur every few paragraphs. An article's paragraphs have no such beat.
    Each list is (its first mark, its last mark, the end of its last item):
    when the marks open the items (a comment's time, a teaser's date above
    it), the item after the last mark is the list's too, guessed as long as
    its shortest item.
    A menu's items recur as well, but they are list items already (bullets), not marks.
    """
    return [(first, last, end) for first, last, end, _ in _item_lists(units, is_date_line)]


def _item_lists(units, is_date_line=None) -> list[tuple[int, int, int, list[range]]]:
    """`item_lists`, each list with its items' paragraphs (from a mark to the next when the marks
    open the items, from the paragraph after a mark to the next mark when they close them)."""
    positions: dict[str, list[int]] = {}
    for k, unit in enumerate(units):
        key = _mark_key(unit.text, is_date_line) if len(unit.text) > 2 and not unit.bullet else None
        if key is not None:
            positions.setdefault(key, []).append(k)
    recurring = {key: ks for key, ks in positions.items() if len(ks) >= ITEM_MARKS}
    mark_at = {k: key for key, ks in recurring.items() for k in ks}
    lists: list[tuple[int, int, int, list[range]]] = []
    for key, ks in recurring.items():
        chain = [ks[0]]
        for k in ks[1:] + [None]:
            beat = max((b - a for a, b in zip(chain, chain[1:])), default=None)
            if k is not None and 2 <= k - chain[-1] <= ITEM_UNITS and _is_item(units, chain[-1] + 1, k, key, mark_at, beat):
                chain.append(k)
                continue
            if len(chain) >= ITEM_MARKS:
                beat = min(b - a for a, b in zip(chain, chain[1:]))
                if _marks_open_items(units, chain):
                    end = min(len(units), chain[-1] + beat)
                    items = [range(a, b) for a, b in zip(chain, chain[1:] + [end])]
                else:
                    end = chain[-1] + 1
                    items = [range(a + 1, b + 1) for a, b in zip(chain, chain[1:])]
                lists.append((chain[0], chain[-1], end, items))
            chain = [k]
    return lists


def listed_units(units, is_date_line=None) -> tuple[set[int], set[int], int | None]:
    """The paragraphs of a page's lists of items (see `item_lists`): those the article does not
    start in, and those that are not its headline; and where the article starts, outside them.

    A list that ends right above the article's first paragraph, or holds it,
    may carry the article's own header, set as its teasers' are (headline,
    byline, time): the items that may hold it stay candidates (those shaped
    otherwise than the teasers, see `_header_items`), and
    the scorer, which weighs what a line shares with the lead, tells the
    headline from the teasers. The teasers of a related list set between the
    headline and the article ("More stories like this one") would otherwise
    share the story's words and outscore it.
    """
    return _listed_units(units, is_date_line)[:3]


def _listed_units(units, is_date_line=None) -> tuple[set[int], set[int], int | None, int | None]:
    """`listed_units`, and where the article's run starts before `past_notice` moves it (the
    notice, when the two differ), so the title scorer does not find that start a second time."""
    lists = _item_lists(units, is_date_line)
    no_start = {k for first, _, end, _ in lists for k in range(first, end)}
    notice = start = article_start(units, no_start)
    if start is not None:
        notice = start = past_teasers(units, start, no_start)
        start = past_notice(units, start, no_start)
    if not no_start or start is None:
        return no_start, set(), start, notice
    near = set([k for k in range(start) if len(units[k].text) > 2][-CLUSTER_GAP:])
    no_headline: set[int] = set()
    for first, last, end, items in lists:
        if first <= start <= last:
            continue  # the page is all lists: the article's header is among their items
        if last in near or end - 1 in near:
            no_headline.update(range(first, end))
            no_headline.difference_update(*_header_items(units, items, is_date_line))
        else:
            no_headline.update(range(first, last + 1))
    return no_start, no_headline, start, notice


#: Fewest teasers (a bullet item and its snippet) of a list that the article's run may open with.
TEASER_ITEMS = 2


def past_teasers(units, start: int, listed: set[int] | frozenset[int] = frozenset()) -> int:
    """The article's start, past a list of teasers that opens the run of good text above its header.

    A list of other stories, each a bullet line with its headline and the
    rest of its snippet wrapped under it, cut short by an ellipsis, reads as
    good text, and with a few lines of header between it and the article the
    two make one run. When the run opens with a bullet item or the snippet
    under one, and most of the list's snippets are cut short (TEASER_ITEMS at least),
    the article starts at the first good paragraph after the list, if one
    stands within CLUSTER_GAP paragraphs of it; its header is then above it again.
    """
    def text_before(k: int):
        return next((units[j] for j in range(k - 1, -1, -1) if len(units[j].text) > 2), None)
    above = text_before(start)
    if not units[start].bullet and (above is None or not above.bullet):
        return start
    items = truncated = 0
    for k in range(start, len(units)):
        unit = units[k]
        if len(unit.text) <= 2 or unit.bullet:
            continue
        if text_before(k).bullet:
            items += 1  # a snippet under its bullet item
            truncated += bool(TRUNCATED_END.search(unit.text))
            continue
        if items < TEASER_ITEMS or 2 * truncated < items:
            return start
        since = 0
        for j in range(k, len(units)):
            if units[j].class_type == "good" and units[j].cf_class != "short" and j not in listed:
                return j
            if len(units[j].text) > 2:
                since += 1
                if since > CLUSTER_GAP:
                    break
        return start
    return start


#: Longest paragraph read as a notice set above the article's header (a prompt, a beta or
#: subscription notice), and the fewest words of the headline line that must part it from the article.
NOTICE_MAX = 200
#: Paragraphs from the article's first finished one whose words a headline shares.
NOTICE_LEAD = 4
#: A notice that says something (a sentence's end inside it or at its end) is no headline; a
#: line without one, above a headline-shaped line, may be the headline over its subtitle.
#: Most paragraphs of a notice, and the longest of its paragraphs after the first.
NOTICE_PARAGRAPHS = 4
NOTICES_MAX = 2 * NOTICE_MAX
NOTICE_SENTENCE = re.compile(r"[.!?。！？](?:\s|\Z)")


def past_notice(units, start: int, listed: set[int] | frozenset[int] = frozenset()) -> int:
    """The article's start, past a notice that opens the run of good text above the article's header.

    A short notice or prompt ("This is a BETA experience. You may opt-out",
    "Never miss a report from ...") can read as good text and sit right above
    the header, so the run read as the article starts with it. The header
    then stands inside the run: a line of its own shaped as a headline,
    between the notice and the first finished paragraph that follows, and
    sharing more of that paragraph's words than the notice does (a notice
    speaks of the site, a headline of the story). A standfirst parted from the
    article by its byline shares the article's words as the byline does not:
    it stays the start.
    A run may open with the headline itself, read as good text (a line of
    its own, no longer than a headline runs, with no sentence in it): the
    article starts at the first finished paragraph under it, past its
    byline, its date and any subtitle (`_past_headline`). A longer line
    without a sentence's end is more likely a lead that lost its full stop.
    A notice may run to a few short paragraphs (a comment section's rules
    set above the story); the headline under it may read as good text. Short
    paragraphs above a subheading may be the story's own, though, or
    teasers: under such a notice only a headline the page shows above the
    run as well and nowhere below it (`_shown_above_only`) moves the start.
    """
    if len(units[start].text) > NOTICE_MAX:
        return start
    opening = " ".join(units[start].text.split())
    if (is_headline_line(opening) and len(WORD.findall(opening)) >= HEADLINE_WORDS
            and len(opening) <= LEAD_TITLE_MAX and not NOTICE_SENTENCE.search(opening)):
        return _past_headline(units, start, listed)  # no sentence in it: the headline, read as good text
    headers: list[str] = []
    notices = [start]
    since = 0
    for k in range(start + 1, len(units)):
        unit = units[k]
        if len(unit.text) <= 2:
            continue
        text = " ".join(unit.text.split())
        shaped = (not unit.bullet and len(unit.lines) <= 3 and is_headline_line(text)
                  and len(WORD.findall(text)) >= HEADLINE_WORDS)
        if unit.class_type == "good" and unit.cf_class != "short" and k not in listed:
            finished = PARAGRAPH_END.search(unit.text) and not TRUNCATED_END.search(unit.text)
            if finished and headers:
                if len(notices) > 1:
                    headers = _shown_above_only(units, headers, start, k)
                lead = set().union(*(content_words(u.text) for u in units[k:k + NOTICE_LEAD]
                                     if u.class_type == "good"))
                notice = _share(set().union(*(content_words(units[j].text) for j in notices)), lead)
                return k if any(_share(content_words(h), lead) > notice for h in headers) else start
            if finished and not headers and len(unit.text) <= NOTICES_MAX and len(notices) < NOTICE_PARAGRAPHS:
                notices.append(k)  # a notice of a few short paragraphs (a comment section's rules)
            elif not (shaped and not finished and len(notices) > 1):
                return start  # (a headline read as good text stands under a notice of several paragraphs)
        since += 1
        if since > CLUSTER_GAP:
            return start
        if shaped:
            headers.append(text)
    return start


def _past_headline(units, start: int, listed) -> int:
    """The first finished paragraph under a run that opens with its headline read as good text.

    Lines shaped as headlines may stand between, read as good text too (a
    subtitle, the headline again beside a column's text); a paragraph that
    neither ends as a sentence nor is shaped so (a snippet cut short) ends the search.
    """
    since = 0
    for k in range(start + 1, len(units)):
        unit = units[k]
        if len(unit.text) <= 2:
            continue
        if unit.class_type == "good" and unit.cf_class != "short" and k not in listed:
            finished = PARAGRAPH_END.search(unit.text) and not TRUNCATED_END.search(unit.text)
            if finished:
                return k
            text = " ".join(unit.text.split())
            if not (is_headline_line(text) and len(WORD.findall(text)) >= HEADLINE_WORDS and len(unit.lines) <= 3):
                return start
        since += 1
        if since > CLUSTER_GAP:
            return start
    return start


def _shown_above_only(units, headers: list[str], start: int, end: int) -> list[str]:
    """The headers a page shows above the run as well (its title bar, a share box), and nowhere below.

    A notice of several paragraphs (a comment section's rules) may stand
    above the header inside the run; so may the story's own first paragraphs
    above a subheading, or teasers above another teaser. The headline alone
    has its copies above the article; a teaser recurs in the lists below too.
    """
    def folded(u) -> str:
        return " ".join(u.text.split()).casefold()
    above = {folded(u) for u in units[:start]}
    below = {folded(u) for u in units[end:]}
    return [h for h in headers if h.casefold() in above and h.casefold() not in below]


def _header_items(units, items: list[range], is_date_line) -> list[range]:
    """The items of a list ending above the article that may hold the article's own header.

    A page may set its header in a list's template (a headline, a byline, a
    time), right above the article or among the teasers (a feed that goes on
    below the header); but its header holds what the teasers lack (a source
    line, a byline, no image) or lacks what they hold (the date line of a
    header that the page shows once, above): an item shaped otherwise than
    the list's usual one. An item of the usual shape, the last one too, is a teaser.
    """
    shapes = [_template_shape(units, item, is_date_line) for item in items]
    usual = max(shapes, key=shapes.count)  # the first of the most common, for a page read twice alike
    if shapes.count(usual) < 2:
        return items  # no two items alike: no template to tell a teaser by
    return [item for item, shape in zip(items, shapes) if shape != usual]


def _template_shape(units, item: range, is_date_line) -> tuple:
    """An item's paragraphs as its template sets them: bullets, date lines and other lines."""
    return tuple("bullet" if units[j].bullet else "date" if is_date_line and is_date_line(units[j].text) else "line"
                 for j in item if len(units[j].text) > 2 or units[j].bullet)


def _share(words: set[str], other: set[str]) -> float:
    return len(words & other) / len(words) if words else 0.0


def _marks_open_items(units, chain: list[int]) -> bool:
    """Does each mark open its item (a date line above its teaser) rather than close it?

    Marks that close their items (a teaser's date line below it) have a
    first item above the first mark, shaped as the item below it is; marks
    that open them have something else there (the list's heading, a menu),
    and a last item below the last mark. When only one side holds the
    template to its figures (the teaser's own date or byline line: "Do UOL
    05/06/2020"), that side has the item; else the coarser shape above decides.
    """
    item = units[chain[0] + 1:chain[1]]
    before = units[max(0, chain[0] - len(item)):chain[0]]
    after = units[chain[-1] + 1:chain[-1] + 1 + len(item)]
    template = [_item_figures(u) for u in item]
    above, below = [_item_figures(u) for u in before] == template, [_item_figures(u) for u in after] == template
    if above != below:
        return below
    return [_item_shape(u) for u in before] != [_item_shape(u) for u in item]


def _item_shape(unit) -> tuple[bool, bool, bool]:
    return len(unit.text) > SNIPPET_CHARS // 4, bool(ANY_SENTENCE_END.search(unit.text)), unit.bullet


def _item_figures(unit) -> tuple[bool, bool, bool, bool]:
    """`_item_shape`, and whether the paragraph is a short line with figures (a date, a count)."""
    return (*_item_shape(unit), len(unit.text) <= MARK_MAX and bool(MARK_DIGITS.search(unit.text)))


def _is_item(units, first: int, end: int, key: str, mark_at: dict[int, str], beat: int | None) -> bool:
    """Could the paragraphs from `first` to `end`, between two marks of `key`, be one item of a list?

    A short one, a snippet, can; a longer one (a comment, a long snippet)
    only when a mark of another recurring shape stands in it (its time, its
    vote count) or it has no more paragraphs than the longest item before it
    (`beat` paragraphs from mark to mark): a template, which a stretch of an article does not follow.
    """
    chars = sum(len(units[j].text) for j in range(first, end))
    if chars <= SNIPPET_CHARS:
        return True
    return chars <= ITEM_CHARS and (beat is not None and end - first + 1 <= beat or any(mark_at.get(j, key) != key for j in range(first, end)))


def article_start(units, listed: set[int] | frozenset[int] = frozenset()) -> int | None:
    """The first paragraph of the largest run of good text: where the article begins.

    A cookie notice or a teaser can be good text too, above the article; the
    article is the run with the most good text, gaps of a few paragraphs allowed.
    A list of teasers reads as good text as well, but its paragraphs are
    headlines, which end in no sentence mark, and snippets cut short by an
    ellipsis: those count for little. The paragraphs of a list of items
    (`listed`, see `item_lists`: teasers with their dates, a comment thread)
    count for nothing, unless the page has no good text outside them.
    """
    best, best_size = None, 0
    run_start, run_size, since = None, 0, 0
    if listed and not any(u.class_type == "good" and u.cf_class != "short"
                          for k, u in enumerate(units) if k not in listed):
        listed = frozenset()  # the page is all lists (a live blog, a results page): its lists are the article
    if not any(u.class_type == "good" and u.cf_class != "short" for u in units):
        # only short good text (a brief, a page in a script without a stop list): its first line
        return next((k for k, u in enumerate(units) if u.class_type == "good"), None)
    for k, unit in enumerate(units):
        if unit.class_type == "good" and unit.cf_class != "short" and k not in listed:
            if run_start is None or since > CLUSTER_GAP:
                run_start, run_size = k, 0
            run_size += _run_weight(unit)
            since = 0
            if run_size > best_size:
                best, best_size = run_start, run_size
        elif len(unit.text) > 2:
            since += 1
    return best
