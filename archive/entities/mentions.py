"""From tagged spans to clean mentions with exact character offsets.

The tagger sees an article as one or more segments (the title and the body,
or pieces of a very long body). This module repairs the tagger's span
boundaries where they predictably go wrong, maps each span back to its
field ("title" or "body") and offset, cleans it, and marks whether it is
confirmed by running text or only "weak" (see `zones`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from .clean import ORG_WORDS, Cleaned, clean_mention, is_demonym
from .registry import Registry
from .translit import PLACE_SUFFIXES
from .wordlists import WordLists
from .zones import ProseMap

#: spaCy labels kept, and the type each becomes. NORP is decided later: it is
#: kept only where it names a group (registry, or an organisation word).
LABEL_TYPES = {"PERSON": "person", "ORG": "org", "GPE": "place", "LOC": "place",
               "FAC": "place", "NORP": None}
#: Words of an institution's name that say nothing about whose it is:
#: "Russia's Defense Ministry" is named by its country.
GENERIC_INSTITUTION_WORDS = frozenset({
    "defense", "defence", "foreign", "interior", "justice", "finance", "health", "ministry",
    "army", "navy", "air", "force", "forces", "armed", "general", "staff", "command",
    "council", "parliament", "government", "police", "security", "intelligence", "service",
    "services", "department", "office", "cabinet", "embassy", "military", "national",
    "guard", "coast", "central", "bank", "state", "supreme", "court", "agency", "presidency",
    "affairs", "emergencies", "emergency", "of", "the", "and", "for", "'s", "ministry's",
})
#: A name ending in, or followed by, one of these is a place whatever the tagger
#: said ("al-Tharda Mountain", "took al-Thardah mountain").
PLACE_WORDS = PLACE_SUFFIXES | frozenset({
    "city", "town", "village", "river", "valley", "lake", "airport", "airbase", "desert",
    "hills", "heights", "border", "crossing", "camp", "oasis", "peninsula", "strait",
})
#: The label a registry type is given when the registry finds a name the tagger missed.
REGISTRY_LABELS = {"person": "PERSON", "org": "ORG", "place": "GPE"}
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_POSSESSIVE_GAP = re.compile(r"^['’]s\s$")
_SLASHED = re.compile(r"^[^\W\d_][\w'’\-. ]*(?:/[^\W\d_][\w'’\-. ]*)+$")
#: "Standard and ", "Pesch & ": a first word the tagger left out of a company's name.
_PARTNER = re.compile(r"(?:^|(?<=[\s(\"“]))([A-Z][\w'’.-]*)(?:[ \t]+|[ \t]*\n[ \t]*)(?:and|&)"
                      r"(?:[ \t]+|[ \t]*\n[ \t]*)$")
_WORD_BEFORE = re.compile(r"([a-z]+)[ \t]*\n?[ \t]*$")


@dataclass(frozen=True)
class Span:
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class Piece:
    """A stretch of a segment that is field[field_start:field_start+length]."""

    field: str
    field_start: int
    seg_start: int
    length: int


@dataclass(frozen=True)
class RawMention:
    """One cleaned mention, before canonicalisation."""

    field: str
    start: int
    end: int
    text: str
    label: str
    titled: bool = False
    weak: bool = False
    #: Weak only for being written in capitals, inside a sentence of running text ("officials in DEIR
    #: EZ-ZOR said"): a name the registry knows is confirmed by such a mention.
    shouted_in_prose: bool = False
    place_hint: bool = False
    org_hint: bool = False

    @property
    def name(self) -> str:
        """The text with its spacing made plain: a name hard-wrapped over two lines is one line."""
        return " ".join(self.text.split())

    @property
    def type(self) -> str | None:
        if self.titled:
            return "person"
        if self.place_hint:
            return "place"
        return "org" if self.org_hint else LABEL_TYPES.get(self.label)


def _is_generic_institution(name: str) -> bool:
    words = name.lower().replace("’", "'").split()
    return bool(words) and all(w in GENERIC_INSTITUTION_WORDS for w in words)


def repair_spans(text: str, spans: Sequence[Span], words: WordLists | None = None) -> list[Span]:
    """Fix predictable boundary errors of the tagger.

    - "Russia's" + "Defense Ministry" -> one organisation "Russia's Defense Ministry",
      and "Russian" + "Foreign Ministry" -> "Russian Foreign Ministry";
    - "Hadiya" (taken for a nationality) + "Khalaf Abbas" -> one person;
    - "ISIS/ISIL" -> two mentions;
    - "Standard and " + "Poor's Corp", "Pesch and " + "Co" -> the whole company
      (a name ending in a company suffix, after "Word and" that no span holds,
      or a one-word span, or a span run on from the headline that ends with it).
    """
    out: list[Span] = []
    # a span run on from the headline into the body is the name it ends with, before it is joined to
    # another: "...CENTER BANKS\n\nStandard" + "and Poor's Corp"
    ordered = sorted((_last_paragraph(text, s) for s in spans), key=lambda s: (s.start, s.end))
    if words is not None:
        ordered = _with_partners(text, ordered, words)
    for span in ordered:
        prev = out[-1] if out else None
        gap = text[prev.end:span.start] if prev else ""
        owner_gap = (prev is not None and ((prev.label == "GPE" and _POSSESSIVE_GAP.match(gap)) or
                     (prev.label == "NORP" and gap == " " and is_demonym(text[prev.start:prev.end]))))
        if prev and span.label == "ORG" and owner_gap and _is_generic_institution(text[span.start:span.end]):
            out[-1] = Span("ORG", prev.start, span.end)
            continue
        if (prev and span.label == "PERSON" and prev.label == "NORP" and gap == " "
                and " " not in text[prev.start:prev.end]
                and text[prev.start:prev.start + 1].isupper()
                and not is_demonym(text[prev.start:prev.end])):
            out[-1] = Span("PERSON", prev.start, span.end)
            continue
        out.extend(_split_slashes(text, span))
    return out


def _with_partners(text: str, spans: list[Span], words: WordLists) -> list[Span]:
    """Company names cut after "Word and " grown back, in order; a one-word ORG span swallowed doing so goes."""
    out: list[Span] = []
    for span in spans:
        previous = out[-1] if out else None
        grown = _with_partner(text, span, previous, words)
        if previous is not None and grown.start <= previous.start:
            out.pop()
        out.append(grown)
    return out


def _with_partner(text: str, span: Span, previous: Span | None, words: WordLists) -> Span:
    """The span grown back over "Word and " when it is a company name cut there.

    "Word" may be a one-word ORG or PERSON span of its own ("Standard" + "Poor's Corp"),
    never part of a longer span or another kind of name ("Apple Computer Inc
    and AST Research Inc" stay two).
    """
    if span.label != "ORG":
        return span
    last = text[span.start:span.end].split()[-1:]
    if not last or last[0].strip(".,").lower() not in words.company_suffixes:
        return span
    line_start = text.rfind("\n", 0, max(text.rfind("\n", 0, span.start), 0)) + 1
    m = _PARTNER.search(text, line_start, span.start)
    if not m or m.end() != span.start:
        return span
    if previous is not None and previous.end > m.start(1) and not (
            previous.label in ("ORG", "PERSON") and (previous.start, previous.end) == (m.start(1), m.end(1))):
        return span
    first = m.group(1)
    if first.lower() in words.stop or first.lower() in words.headline_verbs or first.lower() in ("the", "a", "an"):
        return span
    return Span(span.label, m.start(1), span.end)


def _split_slashes(text: str, span: Span) -> list[Span]:
    chunk = text[span.start:span.end]
    if "/" not in chunk or not _SLASHED.match(chunk.strip()):
        return [span]
    parts, pos = [], span.start
    for part in chunk.split("/"):
        parts.append(Span(span.label, pos, pos + len(part)))
        pos += len(part) + 1
    return parts


def registry_spans(text: str, spans: Sequence[Span], registry: Registry) -> list[Span]:
    """Registered names the tagger missed, found in the text between its spans.

    Listed spellings first, then unlisted ones by transliteration key
    (`Registry.find_by_key`), in the gaps the listed ones leave.
    """
    found: list[Span] = []
    for finder in (registry.find, registry.find_by_key):
        pos = 0
        for span in sorted([*spans, *found], key=lambda s: s.start) + [Span("", len(text), len(text))]:
            if span.start > pos:
                found.extend(Span(REGISTRY_LABELS[entry.type], s, e) for s, e, entry in finder(text, pos, span.start))
            pos = max(pos, span.end)
    return found


def widen_to_registry(text: str, spans: Sequence[Span], registry: Registry) -> list[Span]:
    """Tagged spans cut short inside a registered name ("Dayr" of "Dayr az-Zawr") become the whole name."""
    matches = [(s, e, entry) for finder in (registry.find, registry.find_by_key) for s, e, entry in finder(text)]
    out = list(spans)
    for s, e, entry in sorted(matches, key=lambda m: m[0] - m[1]):
        inside = [sp for sp in out if sp.start < e and s < sp.end]
        if inside and all(s <= sp.start and sp.end <= e and (sp.start, sp.end) != (s, e) for sp in inside):
            out = [sp for sp in out if sp not in inside] + [Span(REGISTRY_LABELS[entry.type], s, e)]
    return sorted(out, key=lambda sp: (sp.start, sp.end))


def repeated_spans(text: str, spans: Sequence[Span]) -> list[Span]:
    """Other places where the text writes a tagged name again, word for word, untagged.

    A tagger is not consistent across repetitions ("near Deyr ez-Zor ... of
    Deyr ez-Zor"); a name it found once is the same name where it is written
    again. Only names holding a capital and at least four letters are repeated.
    """
    taken = sorted((s.start, s.end) for s in spans)
    found: list[Span] = []
    seen: set[tuple[str, str]] = set()
    for span in spans:
        written = text[span.start:span.end]
        if (span.label, written) in seen or sum(c.isalpha() for c in written) < 4 or not any(c.isupper() for c in written):
            continue
        seen.add((span.label, written))
        for start, end in written_again(text, written):
            if not any(s < end and start < e for s, e in taken):
                found.append(Span(span.label, start, end))
                taken.append((start, end))
    return found


_WORD_BEFORE_NAME = re.compile(r"[\w'’-]")
_WORD_AFTER_NAME = re.compile(r"[\w'’]|-\w")


def written_again(text: str, written: str) -> Iterator[tuple[int, int]]:
    r"""Where `written` stands in `text` as whole words, left to right, never overlapping.

    What `re.finditer(r"(?<![\w'’-])NAME(?![\w'’]|-\w)")` finds, without
    compiling a pattern per name: that cost more than the rest of the rules.
    """
    size = len(written)
    at = text.find(written)
    while at >= 0:
        end = at + size
        if (at == 0 or not _WORD_BEFORE_NAME.match(text, at - 1)) and not _WORD_AFTER_NAME.match(text, end):
            yield at, end
            at = text.find(written, end)
        else:
            at = text.find(written, at + 1)


_BLANK_LINES = re.compile(r"\n[ \t\r]*\n\s*")


def _last_paragraph(text: str, span: Span) -> Span:
    """A span run on over a blank line (a headline into the body) is the name it ends with."""
    last = None
    for last in _BLANK_LINES.finditer(text, span.start, span.end):
        pass
    return Span(span.label, last.end(), span.end) if last is not None and last.end() < span.end else span


def _place_hint(segment_text: str, cleaned: Cleaned) -> bool:
    last = cleaned.text.split()[-1].lower()
    following = _NEXT_WORD.match(segment_text, cleaned.end)
    return last in PLACE_WORDS or bool(following and following.group(1) in PLACE_WORDS)


def _org_hint(segment_text: str, cleaned: Cleaned, label: str, words: WordLists) -> bool:
    """A "person" whose last word is a company's ("Pizza Inn", "Woodco Inc"), or that a
    word for an organisation introduces ("the state oil company Petrobras"), is an organisation."""
    if label != "PERSON" or cleaned.titled:
        return False
    last = cleaned.text.split()[-1].strip(".,").lower()
    before = _WORD_BEFORE.search(segment_text, max(0, cleaned.start - 40), cleaned.start)
    return (last in words.company_suffixes or last in ORG_WORDS
            or bool(before and before.group(1) in words.org_heads))


def mentions_from_spans(segment_text: str, spans: Iterable[Span], pieces: Sequence[Piece],
                        body_prose: ProseMap | None, words: WordLists) -> list[RawMention]:
    """Clean the kept spans of one segment and map them to their fields."""
    out: list[RawMention] = []
    for span in repair_spans(segment_text, [s for s in spans if s.label in LABEL_TYPES], words):
        span = _last_paragraph(segment_text, span)
        piece = next((p for p in pieces if p.seg_start <= span.start and span.end <= p.seg_start + p.length), None)
        if piece is None:
            continue  # crosses from the title into the body
        cleaned = clean_mention(segment_text, span.start, span.end, span.label, words)
        if not isinstance(cleaned, Cleaned):
            continue
        start = piece.field_start + cleaned.start - piece.seg_start
        end = piece.field_start + cleaned.end - piece.seg_start
        in_prose = piece.field == "body" and body_prose is not None and body_prose.is_prose_at(start, end)
        out.append(RawMention(piece.field, start, end, cleaned.text, span.label,
                              titled=cleaned.titled, weak=cleaned.weak or not in_prose,
                              shouted_in_prose=cleaned.shouting and in_prose,
                              place_hint=_place_hint(segment_text, cleaned),
                              org_hint=_org_hint(segment_text, cleaned, span.label, words)))
    return out
