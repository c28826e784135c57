"""What kind of source a cited name is, and its canonical name and slug.

A cited name is resolved in the order of trust: the outlet registry
(`archive.extract.registry.resolve_outlet`) for outlets and agencies; the
article's own entities (found by the entity extractor, when given) and the
entity registry (`archive.entities`, when installed) for people and
organisations; then the wording itself (a title before a name, "Ministry" or
"Command" in it, "Inc" or "Bank" after it). Both registries are imported
lazily and are optional: without them a name is kept as written, slugified.

Kinds: ``agency`` (a news or wire agency), ``outlet`` (any other publisher),
``official`` (a government or military body, or a person speaking for one),
``organisation`` (companies, parties, international bodies, NGOs) and
``person`` (someone with no official role in the text).
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from slugify import slugify

AGENCY, OUTLET, OFFICIAL, ORGANISATION, PERSON = "agency", "outlet", "official", "organisation", "person"
KINDS = (AGENCY, OUTLET, OFFICIAL, ORGANISATION, PERSON)

#: Registry slugs of wire services whose names do not say "agency".
WIRE_SERVICES = frozenset({
    "reuters", "associated-press", "afp", "upi", "dpa", "ansa", "efe", "kyodo-news", "yonhap",
    "xinhua", "tass", "interfax", "ria-novosti", "anadolu-agency", "sana", "irna", "bernama",
    "pti", "ani", "aap", "ap",
})
AGENCY_WORDS = re.compile(r"\b(?:agency|agence|agencia|agenzia|agentur|news service|wire)\b", re.I)
OUTLET_WORDS = re.compile(
    r"\b(?:news|newspaper|daily|times|post|journal|gazette|herald|telegraph|tribune|tv|television|"
    r"channel|radio|broadcast(?:er|ing)?|magazine|website|blog|press|media|today|insider|"
    r"observer|guardian|independent|express|mail|chronicle|monitor|review|weekly|online)\b|\d", re.I)
OFFICIAL_WORDS = re.compile(
    r"\b(?:ministry|minister|department|pentagon|kremlin|white house|command|army|armed forces|"
    r"military|government|presidency|president|parliament|duma|council|police|embassy|cabinet|"
    r"senate|congress|treasury|general staff|foreign office|state department|navy|air force|"
    r"administration|authorities|prosecutor|commission|governor|mayor|ambassador|"
    r"spokesman|spokeswoman|spokesperson|officials?|premier|chancellor)\b", re.I)
ORGANISATION_WORDS = re.compile(
    r"\b(?:inc|corp|corporation|co|ltd|plc|llc|group|bank|institute|association|union|committee|"
    r"organi[sz]ation|foundation|university|observatory|fund|party|federation|society|company|"
    r"exchange|un|nato|opec|imf|who|unicef|red cross|red crescent)\b", re.I)

#: Titles and roles that, before a name, make its bearer an official.
ROLE_WORDS = re.compile(
    r"\b(?:President|Prime Minister|Minister|Foreign Minister|Defen[cs]e Minister|Secretary|"
    r"Major-General|Lieutenant-General|General|Gen\.|Colonel|Col\.|Admiral|Commander|Ambassador|"
    r"Senator|Sen\.|Governor|Mayor|Chancellor|King|Prince|Sheikh|Speaker|spokes(?:man|woman|person)|"
    r"official|minister|speaker|ambassador|envoy|commander|chief|head|director|deputy|aide|adviser|"
    r"advisor|representative|senator|governor|mayor|lawmaker|MP)\b\.?,?")
#: Leading titles stripped from a person's name ("President Bashar Assad" -> "Bashar Assad").
TITLE_PREFIX = re.compile(
    r"^(?:(?:President|Prime Minister|Foreign Minister|Defen[cs]e Minister|Minister|Secretary|"
    r"Major-General|Lieutenant-General|General|Gen\.|Colonel|Col\.|Admiral|Commander|Ambassador|"
    r"Senator|Sen\.|Governor|Mayor|Chancellor|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Speaker)\s+)+")

#: Country possessives folded into the adjective, so that "Russia's Defense
#: Ministry" and "the Russian Defense Ministry" are one source.
DEMONYMS = {
    "russia": "Russian", "syria": "Syrian", "iran": "Iranian", "iraq": "Iraqi", "turkey": "Turkish",
    "israel": "Israeli", "china": "Chinese", "ukraine": "Ukrainian", "france": "French",
    "germany": "German", "britain": "British", "america": "American", "egypt": "Egyptian",
    "jordan": "Jordanian", "lebanon": "Lebanese", "japan": "Japanese", "india": "Indian",
    "pakistan": "Pakistani", "afghanistan": "Afghan", "saudi arabia": "Saudi", "qatar": "Qatari",
    "yemen": "Yemeni", "libya": "Libyan", "poland": "Polish", "italy": "Italian", "spain": "Spanish",
}
#: Spellings folded for the slug only (the name stays as written).
SPELLINGS = {"defense": "defence", "organization": "organisation", "center": "centre"}
POSSESSIVE = re.compile(r"^(?P<country>[A-Z][\w ]*?)['’]s\s+(?P<rest>.+)$")


@dataclass(frozen=True)
class Source:
    name: str
    slug: str
    kind: str


def _resolve_outlet(name: str):
    try:
        from archive.extract.registry import resolve_outlet
    except ImportError:
        try:
            from archive.extract.outlets import resolve_outlet  # the planned module name
        except ImportError:
            return None
    return resolve_outlet(name)


def _entity_registry():
    """The shipped entity registry, or None when it is not installed or unreadable."""
    try:
        from archive.entities import Registry
    except ImportError:
        return None
    from archive.errors import ArchiveError
    try:
        return Registry.load()
    except ArchiveError:  # an unreadable registry must not stop attribution
        return None


_ENTITY_REGISTRY: list = []


def _entity_lookup(name: str):
    """(canonical name, slug, type) of `name` in the entity registry, if listed."""
    if not _ENTITY_REGISTRY:
        _ENTITY_REGISTRY.append(_entity_registry())
    registry = _ENTITY_REGISTRY[0]
    if registry is None:
        return None
    found = registry.lookup(name)
    if found is None:
        return None
    return found.name, name_slug(found.name), found.type


def canonical_form(name: str) -> str:
    """"Russia's Defense Ministry" -> "Russian Defense Ministry"; titles of people kept."""
    name = re.sub(r"\s+", " ", name).strip(" ,.;:-–—\"'“”‘’()")
    name = re.sub(r"^(?:the|The)\s+", "", name)
    m = POSSESSIVE.match(name)
    if m and m.group("country").casefold() in DEMONYMS:
        name = f"{DEMONYMS[m.group('country').casefold()]} {m.group('rest')}"
    return name


def name_slug(name: str) -> str:
    words = [SPELLINGS.get(w.casefold(), w) for w in re.findall(r"[\w]+", name)]
    return slugify(" ".join(words)) or slugify(name) or "unknown"


def looks_like_person(name: str) -> bool:
    """Two to four title-case words, none of them an organisation or outlet word."""
    parts = name.split()
    if not 2 <= len(parts) <= 4:
        return False
    if OFFICIAL_WORDS.search(name) or ORGANISATION_WORDS.search(name) or OUTLET_WORDS.search(name) \
            or AGENCY_WORDS.search(name):
        return False
    return all(re.match(r"^[A-Z][a-z'’-]+[a-z]$|^(?:al|el|bin|ibn|van|von|de)[-]?\w*$", p) for p in parts)


#: Capitalised titles after which a person's name follows.
TITLE_WORDS = re.compile(
    r"\b(?:President|Minister|Secretary|Major-General|Lieutenant-General|General|Colonel|Admiral|"
    r"Commander|Ambassador|Senator|Governor|Mayor|Chancellor|Speaker|Spokes(?:man|woman|person)|"
    r"Mr|Mrs|Ms|Dr)\b\.?\s+")


def _after_title(name: str) -> str:
    """The words after the last title in `name` ("Syrian Foreign Minister Walid Muallem" -> "Walid Muallem")."""
    last = None
    for last in TITLE_WORDS.finditer(name):
        pass
    return name[last.end():] if last else name


def looks_like_person_or_surname(name: str) -> bool:
    if looks_like_person(name):
        return True
    return bool(re.match(r"^[A-Z][a-z'’-]+[a-z]$", name)) and not (
        OFFICIAL_WORDS.search(name) or ORGANISATION_WORDS.search(name) or OUTLET_WORDS.search(name))


#: Names `classify` remembers per process (the most recently used; bounded however long the run).
CLASSIFIED_MAX = 20_000


def classify(name: str, *, publication: bool = False, role: bool = False,
             entity_type: str | None = None) -> Source | None:
    """The source a cited `name` stands for, or None if it is no name at all.

    `publication` says the wording only fits a publisher ("Source: X",
    "told X", "(X) -"); `role` that the text gives the name an official role
    ("spokeswoman Maria Zakharova"); `entity_type` is what the article's own
    entities say the name is ("person", "org", "place").

    The answer depends on the arguments and on the two registries, which a
    process loads once, so it is remembered: the same few names ("Reuters",
    "the ministry", a minister's surname) are cited by article after article,
    and resolving them again was half of the citation pass's time.
    """
    return _classify(name, publication, role, entity_type)


@lru_cache(maxsize=CLASSIFIED_MAX)
def _classify(name: str, publication: bool, role: bool, entity_type: str | None) -> Source | None:
    name = canonical_form(name)
    if not name or not re.search(r"[A-Za-z]", name):
        return None
    outlet = _resolve_outlet(name)
    if outlet is not None:
        kind = AGENCY if outlet.slug in WIRE_SERVICES or AGENCY_WORDS.search(outlet.name) else OUTLET
        return Source(outlet.name, outlet.slug, kind)
    if AGENCY_WORDS.search(name):
        return Source(name, name_slug(name), AGENCY)
    person_name = _after_title(name)
    titled = person_name != name and looks_like_person_or_surname(person_name)
    if not titled:
        person_name = name
    entity = _entity_lookup(person_name if titled else name)
    if entity is not None:
        canonical, slug, etype = entity
        entity_type = entity_type or etype
    else:
        canonical, slug = None, None
    if entity_type == "person" or (entity_type is None and (titled or looks_like_person(person_name))):
        kind = OFFICIAL if (role or titled) else PERSON
        return Source(canonical or person_name, slug or name_slug(person_name), kind)
    if publication or OUTLET_WORDS.search(name):
        return Source(canonical or name, slug or name_slug(name), OUTLET)
    if OFFICIAL_WORDS.search(name):
        return Source(canonical or name, slug or name_slug(name), OFFICIAL)
    if role:
        return Source(canonical or name, slug or name_slug(name), OFFICIAL)
    return Source(canonical or name, slug or name_slug(name), ORGANISATION)
