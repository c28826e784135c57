"""Attribution: the sources an article says its information comes from.

Each rule below is one way news text names a source, tried on every
sentence: a speech or report verb after a name ("FNA reported", "the
Pentagon said", "Zakharova told Rossiya 24"), a preposition before one
("according to SANA", "as cited by Sputnik", "citing the General Command",
"in a statement published by the Russian Defence Ministry"), and the
publication marks of reposted copy ("(Reuters) -" datelines, "Source: ...",
"originally appeared on ...", a headline line ending "| Outlet"). Names are
resolved and classified by `sources.py`.

The publisher is not its own source: when the article's outlet is known and
a citation of that outlet stands where publishers sign their copy (a
dateline, a "Source:" line, or the closing words of a paragraph as in
"..., FNA reported."), it is a sign-off and left out.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterable, Iterator

from archive.entities.cited import source_name

from .sources import ROLE_WORDS, _resolve_outlet, TITLE_PREFIX, Source, canonical_form, classify, name_slug

# --- names -------------------------------------------------------------------

CAP = r"(?:[A-Z][\w'’&.-]*[\w’]|[A-Z])"
NUM = r"\d+(?![\d.,]*\w)"
CONNECT = r"(?:of|for|the|de|du|al|el|la|des|del)"
NAME = rf"{CAP}(?:[ \t]+(?:{CONNECT}[ \t]+)*(?:{CAP}|{NUM}))*"
#: Head nouns that may follow a name and belong to it ("SANA news agency").
HEAD = r"(?:[ \t]+(?:news[ \t]+agency|agency|newspaper|daily|television|TV|channel|radio|website))?"

#: Capitalised words that start sentences without being names.
NOT_NAMES = frozenset("""the a an in on at but and or so yet meanwhile however later also earlier
subsequently alternatively it he she they we i you this that these those there then thus still
today yesterday tomorrow last first when while after before as if since both one some many
our their his her its my your officials sources reports source witnesses analysts experts
dealers traders economists bankers diplomats residents observers investors brokers industry
company spokesman spokeswoman police""".split())

SPEECH_VERBS = (r"(?:said|says|say|told|tells|reported|reports|stated|states|added|adds|stressed|"
                r"noted|confirmed|announced|claimed|wrote|writes|warned|explained|insisted|"
                r"declared|revealed|disclosed|acknowledged|admitted|quoted|cited)")
ADVERB = r"(?:[ \t]+(?:first|also|later|earlier|previously|then|further|separately|officially))?"

# --- rules -------------------------------------------------------------------
#: Each rule: name, compiled pattern with a named group "name", and whether
#: its wording fits a publisher only (then an unknown name is an outlet).
RULES: tuple[tuple[str, re.Pattern, bool], ...] = (
    ("dateline", re.compile(
        rf"^[ \t]*(?:[A-Z][A-Za-z .'-]{{1,40}},[^\n()]{{0,30}})?\((?P<name>{NAME})\)[ \t]*[-–—]+",
        re.M), True),
    ("bare dateline", re.compile(
        rf"\A[^\w]*(?:[^\n]*\n){{0,6}}?[ \t]*(?P<name>{NAME})[ \t]+[-–—]+[ \t]+(?=[A-Z])"), True),
    ("source line", re.compile(
        r"^[ \t]*(?:Source|Sources|Via|Courtesy of|Credit)[ \t]*:[ \t]*(?P<name>[^\n]{2,120}?)[ \t]*$",
        re.M | re.I), True),
    ("originally", re.compile(
        rf"\b(?:originally|first)[ \t]+(?:appeared|published|posted|ran)[ \t]+(?:on|in|at|by)[ \t]+"
        rf"(?:the[ \t]+)?(?P<name>{NAME}|[\w.-]+\.[a-z]{{2,}}(?:/\S*)?)", re.I), True),
    ("headline pipe", re.compile(
        rf"^[^\n|]{{15,200}}[ \t]+\|[ \t]+(?P<name>{NAME})[ \t]*$", re.M), True),
    ("told", re.compile(rf"\btold[ \t]+(?:the[ \t]+)?(?P<name>{NAME}){HEAD}(?=[ \t]*(?:[,.;:]|that\b|on\b|in\b|$))",
                        re.M), True),
    ("according to", re.compile(
        rf"\b[Aa]ccording[ \t]+to[ \t]+(?:the[ \t]+)?(?:[\w’']+[ \t]+){{0,3}}?(?P<name>{NAME}){HEAD}"), False),
    ("cited by", re.compile(
        rf"\b(?:as[ \t]+)?(?:cited|quoted|reported)[ \t]+by[ \t]+(?:the[ \t]+)?(?P<name>{NAME}){HEAD}"), False),
    ("citing", re.compile(
        rf"\b[Cc]iting[ \t]+(?:\w+[ \t]+){{0,3}}?(?:from[ \t]+)?(?:the[ \t]+)?(?P<name>{NAME}){HEAD}"), False),
    ("statement by", re.compile(
        rf"\bstatement[ \t]+(?:published|issued|released|posted|put[ \t]+out)?[ \t]*(?:by|from)[ \t]+"
        rf"(?:the[ \t]+)?(?P<name>{NAME}){HEAD}"), False),
    ("speaker then verb", re.compile(
        rf"(?P<name>{NAME}){HEAD}(?:,[^,.;\n“”\"]{{2,80}},)?{ADVERB}[ \t]+{SPEECH_VERBS}\b"), False),
    ("verb then speaker", re.compile(
        rf"[,”\"'][ \t]*(?:said|says|added|stressed|told[ \t]+\w+)[ \t]+(?:the[ \t]+)?(?P<name>{NAME}){HEAD}"
        rf"(?=[ \t]*[,.;])"), False),
)

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘'(]?[A-Z0-9])|\n\s*\n|\n")
SIGN_OFF_RULES = frozenset({"dateline", "bare dateline", "source line", "originally", "headline pipe"})


@dataclass(frozen=True)
class Citation:
    """One place an article attributes information to a source."""

    source_name: str
    source_slug: str
    kind: str
    phrase: str     # the words that make the attribution, as written
    sentence: str   # the sentence they stand in
    start: int      # span of `phrase` in the text
    end: int
    rule: str = ""

    def to_dict(self) -> dict:
        return {"source_name": self.source_name, "source_slug": self.source_slug, "kind": self.kind,
                "phrase": self.phrase, "sentence": self.sentence, "start": self.start,
                "end": self.end, "rule": self.rule}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; line breaks always end one."""
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _clean_name(raw: str) -> str:
    """Drop sentence-initial words that are not part of the name."""
    words = raw.split()
    while words and words[0].casefold().strip("’'") in NOT_NAMES:
        words = words[1:]
    return " ".join(words)


NOUN_PHRASE_RULES = frozenset({"according to", "cited by", "citing", "statement by", "told"})
NOUN_PHRASE_END = re.compile(r"[,.;:()\n“”\"]|\b(?:that|said|says|on|in|at|as|when|which|who|and)\b")
NAME_IN_PHRASE = re.compile(rf"(?P<name>{NAME}){HEAD}")
POSSESSIVE_ONLY = re.compile(r"^[A-Z][\w-]*['’]s$")
DEMONYM_SHAPE = re.compile(r"^(?:[A-Z][a-z]+(?:ian|ean|an|ese|ish|i|ic)|US|U\.S\.|UK|EU)$")


def _best_name(text: str, start: int, first: str) -> str:
    """The source named in the noun phrase starting at `start`.

    "Syria's official SANA news agency" names SANA, not Syria; "the Syrian
    presidency's Twitter account" names the Syrian presidency. A name the
    outlet registry knows wins; a possessive alone is passed over; a lone
    adjective of nationality takes the noun after it.
    """
    end_m = NOUN_PHRASE_END.search(text, start + len(first))
    phrase = text[start:end_m.start() if end_m else min(len(text), start + 120)]
    runs = [(_clean_name(m.group("name")), m.group(0).strip(), m.end()) for m in NAME_IN_PHRASE.finditer(phrase)]
    for name, with_head, _ in runs:
        if _resolve_outlet(with_head) is not None:
            return with_head
        if _resolve_outlet(name) is not None:
            return name
    for name, with_head, end in runs:
        if not name or POSSESSIVE_ONLY.match(name):
            continue
        if DEMONYM_SHAPE.match(name):
            noun = re.match(r"[ \t]+([a-z]+)", phrase[end:])
            return f"{name} {noun.group(1)}" if noun else ""
        return with_head
    return ""


def _source_line_name(value: str) -> str:
    """'Source: http://x.blogspot.com/...' -> 'x.blogspot.com'; names stay names."""
    value = value.strip().strip(".")
    m = re.match(r"^(?:https?://)?(?:www\.)?([\w.-]+\.[a-z]{2,})(?:[/:?#]\S*)?$", value, re.I)
    return m.group(1).lower() if m else value


def _people(text: str, entities: Iterable) -> dict[str, tuple[str, bool]]:
    """Surname -> (full name, has an official role), from full names in the text."""
    people: dict[str, tuple[str, bool]] = {}
    for ent in entities:
        if getattr(ent, "type", None) == "person" and len(ent.name.split()) >= 2:
            people.setdefault(ent.name.split()[-1], (ent.name, False))
    for m in re.finditer(rf"(?P<role>{ROLE_WORDS.pattern}[ \t]+)(?:[A-Z][\w’'-]*[ \t]+)*?"
                         rf"(?P<name>[A-Z][a-z’'-]+(?:[ \t]+[A-Z][a-z’'-]+){{1,3}})\b", text):
        name = TITLE_PREFIX.sub("", m.group("name"))
        if len(name.split()) >= 2:
            people[name.split()[-1]] = (name, True)
    return people


def _has_role(text: str, start: int) -> bool:
    """A title or role word in the few words just before `start`."""
    before = text[max(0, start - 40):start]
    return bool(ROLE_WORDS.search(before.split(".")[-1]))


def _entity_types(entities: Iterable) -> dict[str, str]:
    types = {}
    for ent in entities:
        for variant in (ent.name, *getattr(ent, "variants", ())):
            types.setdefault(variant.casefold(), ent.type)
    return types


def _publisher_slug(publisher: str | None) -> str | None:
    if not publisher:
        return None
    found = classify(publisher, publication=True)
    return found.slug if found else name_slug(publisher)


def _is_sign_off(text: str, rule: str, end: int, paragraph_end: int) -> bool:
    if rule in SIGN_OFF_RULES:
        return True
    rest = text[end:paragraph_end]
    return not re.search(r"\w", rest)


def _paragraph_end(text: str, pos: int) -> int:
    m = re.compile(r"\n[ \t]*\n").search(text, pos)
    return m.start() if m else len(text)


#: Text each rule's pattern cannot match without (one of the words given, matched
#: case-sensitively by the rule itself, or punctuation): a text without any of them is not
#: scanned by that rule. Scanning a text for a rule it holds no trigger of cost as much as a match.
REQUIRED: dict[str, tuple[str, ...]] = {
    "dateline": ("(",), "source line": (":",), "headline pipe": ("|",), "told": ("told",),
    "according to": ("ccording",), "cited by": ("cited", "quoted", "reported"), "citing": ("iting",),
    "statement by": ("statement",)}
#: The same for rules that ignore case: one of these words in the text lower-cased. Only ASCII
#: texts are skipped this way (there `re.I` folds nothing but A-Z, as `str.lower` does).
REQUIRED_ANY_CASE: dict[str, tuple[str, ...]] = {"originally": ("originally", "first")}


def _iter_matches(text: str) -> Iterator[tuple[str, bool, re.Match]]:
    lowered = text.lower() if text.isascii() else None
    for rule, pattern, publication in RULES:
        needed = REQUIRED.get(rule)
        if needed is not None and not any(word in text for word in needed):
            continue
        needed = REQUIRED_ANY_CASE.get(rule)
        if needed is not None and lowered is not None and not any(word in lowered for word in needed):
            continue
        for m in pattern.finditer(text):
            yield rule, publication, m


def attributions(text: str, publisher: str | None = None, entities: Iterable = ()) -> list[Citation]:
    """Citations in `text`, in order, without the publisher's own sign-off.

    `publisher` is the article's outlet (name or slug) when known;
    `entities` its extracted entities, which help tell people from
    organisations.
    """
    text = text or ""
    entities = tuple(entities or ())
    people = _people(text, entities)
    types = _entity_types(entities)
    own = _publisher_slug(publisher)
    spans = sentences(text)
    starts = [s for s, _ in spans]
    found: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for rule, publication, m in _iter_matches(text):
        raw = m.group("name")
        name = _source_line_name(raw) if rule == "source line" else _clean_name(raw)
        if rule in NOUN_PHRASE_RULES:
            name = _best_name(text, m.start("name"), name)
        if not name or len(name) > 100 or len(re.sub(r"\W", "", name)) < 2:
            continue
        if rule == "bare dateline" and _resolve_outlet(name) is None:
            continue  # "Syria -- ..." is a place, not a publisher
        if any(s <= m.start("name") < e for s, e in taken):
            continue  # already read as part of an earlier rule's name
        at = text.find(name, m.start("name")) if rule != "source line" else -1
        name = source_name(name, text, at, at + len(name), entities)  # a wrapped or cut name made whole
        if not name:
            continue
        role = _has_role(text, m.start("name"))
        full = people.get(name)
        if full is not None and len(name.split()) == 1:
            name, role = full[0], role or full[1]
        elif len(name.split()) >= 2 and name.split()[-1] in people and people[name.split()[-1]][1]:
            role = True
        source = classify(name, publication=publication, role=role,
                          entity_type=types.get(canonical_form(name).casefold()))
        if source is None:
            continue
        if own and source.slug == own and _is_sign_off(text, rule, m.end(), _paragraph_end(text, m.end())):
            continue
        start, end = m.start(), m.end()
        if rule == "bare dateline":
            start = m.start("name")
        elif rule == "headline pipe":
            start = text.rfind("|", m.start(), m.start("name"))
        elif rule in NOUN_PHRASE_RULES:
            at = text.find(name.split()[-1], m.start("name"))
            end = max(end, at + len(name.split()[-1])) if at >= 0 else end
        found.append(_citation(text, source, start, end, rule, spans, starts))
        taken.append((m.start("name"), m.end("name")))
    found.sort(key=lambda c: (c.start, c.end))
    return _without_nested(found)


def _citation(text: str, source: Source, start: int, end: int, rule: str, spans, starts) -> Citation:
    while start < end and text[start] in " \t\n,”\"'":
        start += 1
    while end > start and text[end - 1] in " \t\n":
        end -= 1
    i = max(0, bisect_right(starts, start) - 1)
    s_start, s_end = spans[i] if spans else (0, len(text))
    return Citation(source.name, source.slug, source.kind, text[start:end],
                    text[s_start:s_end].strip(), start, end, rule)


def _without_nested(citations: list[Citation]) -> list[Citation]:
    """One citation per source per place: drop a same-source one inside another."""
    out: list[Citation] = []
    for c in citations:
        if any(o.source_slug == c.source_slug and o.start <= c.start and c.end <= o.end for o in out):
            continue
        out = [o for o in out if not (o.source_slug == c.source_slug and c.start <= o.start and o.end <= c.end)]
        out.append(c)
    return out


def cited_sources(citations: Iterable[Citation]) -> list[Source]:
    """Each cited source once, in order of first citation."""
    seen: dict[str, Source] = {}
    for c in citations:
        seen.setdefault(c.source_slug, Source(c.source_name, c.source_slug, c.kind))
    return list(seen.values())


def article_citations(article) -> list[Citation]:
    """Citations in an Article's body, its outlet being the publisher."""
    return attributions(getattr(article, "body", "") or "", publisher=getattr(article, "outlet", None),
                        entities=getattr(article, "entities", ()) or ())
