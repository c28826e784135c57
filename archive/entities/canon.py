"""Canonical entities of one article, from its clean mentions.

Every mention maps to one canonical entity, by these steps in order:

1. the alias registry ("Daesh" -> Islamic State, "America" -> United States);
2. surname to full name, within this article only ("Konashenkov" ->
   "Igor Konashenkov" when the article also names Igor Konashenkov; a surname
   shared by two full names in the article stays apart);
3. the transliteration rule (`translit.same_name`, made transitive over the
   article's names by `translit.context_keys`): "Deir Ezzur" and "Deir ez-Zor"
   meet, as spellings that share the loose key and look transliterated;
   "Philips" and "Phillips" do not (neither looks transliterated).

A group is kept only when at least one mention is in running text and free
of headline words (or, when the registry knows it, for an article with no
running text at all or a mention in capitals inside a sentence: "officials in
DEIR EZ-ZOR said"); its weaker mentions (title, headline lines) then count
too. The slug is the registry name's slug, else
the slug of the group's key (the loose key of a transliterated name, the
strict key of any other), so the same entity written differently in two
articles still gets one slug (and one facet value), and two Western names a
letter apart get two.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from slugify import slugify

from ..document import Entity, Mention
from .mentions import RawMention
from .registry import Registry, RegistryEntry
from .translit import ARTICLES, GIVEN_NAMES, context_keys, name_tokens, strip_fused_article

#: Labels a bare surname may carry when the tagger gets its type wrong.
SURNAME_LABELS = frozenset({"PERSON", "ORG", "NORP"})
#: A nationality-or-religion span (NORP) naming one of these is a group.
GROUP_WORDS = frozenset({
    "front", "brigade", "brigades", "movement", "party", "army", "forces", "militia",
    "militias", "group", "organisation", "organization", "council", "union", "league",
    "brotherhood", "corps", "battalion", "battalions", "regiment", "committee", "guard",
    "guards", "mujahideen", "mujahedeen",
})
FIELD_ORDER = {"title": 0, "body": 1}
#: A name's slug: the same names come back article after article.
_slug = lru_cache(maxsize=1 << 16)(slugify)


@lru_cache(maxsize=1 << 16)
def surname_keys(text: str) -> tuple[str, ...]:
    """Per-word forms for matching a surname against a full name's last words.

    Only case, accents and the Arabic article are forgiven ("Assad" is the
    last word of "Bashar al-Assad"); vowels are not, so "Regan" never takes
    "Reagan"'s place.
    """
    words = name_tokens(text)
    given = text.split(" ", 1)[0] in GIVEN_NAMES and " " in text.strip()
    kept = [w for i, w in enumerate(words) if not (w in ARTICLES and i < len(words) - 1 and not (given and i == 0))]
    return tuple(strip_fused_article(w) for w in kept)


@dataclass
class _Group:
    gid: tuple[str, str]
    entry: RegistryEntry | None = None
    person_anchor: bool = False
    mentions: list[RawMention] = field(default_factory=list)


def _full_names(mentions: Sequence[RawMention], entries: dict[int, RegistryEntry | None],
                keys: dict[str, str]) -> dict[tuple[str, str], set[tuple[str, ...]]]:
    """Multi-word person names in the article, by the group they will anchor."""
    fulls: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for i, m in enumerate(mentions):
        entry = entries[i]
        if entry is not None:
            if entry.type == "person":
                names = fulls.setdefault(("registry", entry.name), set())
                names.update(k for k in map(surname_keys, entry.spellings) if len(k) >= 2)
            continue
        words = surname_keys(m.name)
        if m.type == "person" and len(words) >= 2:
            fulls.setdefault(("key", keys[m.name]), set()).add(words)
    return fulls


def _surname_owner(keys: tuple[str, ...], fulls: dict[tuple[str, str], set[tuple[str, ...]]]
                   ) -> tuple[str, str] | None:
    """The one full name whose last words `keys` are, or None (none or several)."""
    owners = {gid: names for gid, names in fulls.items()
              if any(len(keys) < len(n) and n[-len(keys):] == keys for n in names)}
    # "Abbas" is a suffix of both "Khalaf Abbas" and "Hadiya Khalaf Abbas": the longer wins.
    longest = {gid for gid, names in owners.items()
               if not any(other != gid and all(any(len(n) < len(o) and o[-len(n):] == n for o in onames)
                                               for n in names)
                          for other, onames in owners.items())}
    return next(iter(longest)) if len(longest) == 1 else None


def _group_type(group: _Group) -> str | None:
    if group.entry is not None:
        return group.entry.type
    if group.person_anchor or any(m.titled for m in group.mentions):
        return "person"
    votes = Counter(m.type for m in group.mentions if m.type)
    if votes:
        best = max(votes.values())
        return next(m.type for m in group.mentions if m.type and votes[m.type] == best)
    if any(w.lower() in GROUP_WORDS for m in group.mentions for w in m.name.split()):
        return "org"
    return None  # only a nationality or religion: "Syrian", "Islamist"


def _display_name(group: _Group) -> str:
    if group.entry is not None:
        return group.entry.name
    # The fullest form ("Igor Konashenkov", not "Konashenkov"), from running
    # text where possible, the most written, ties to the first seen.
    longest = max(len(m.name.split()) for m in group.mentions)
    full = [m for m in group.mentions if len(m.name.split()) == longest]
    candidates = [m for m in full if not m.weak] or full
    counts = Counter(m.name for m in candidates)
    best = max(counts.values())
    return next(m.name for m in candidates if counts[m.name] == best)


def _variants(display: str, mentions: Sequence[RawMention]) -> tuple[str, ...]:
    """Distinct spellings written, the display name first; case duplicates fold."""
    by_fold: dict[str, Counter] = {}
    order: list[str] = []
    for m in mentions:
        fold = m.name.casefold()
        if fold not in by_fold:
            by_fold[fold] = Counter()
            order.append(fold)
        by_fold[fold][m.name] += 1 if m.weak else 2  # prefer the running text's casing
    spelling = {f: c.most_common(1)[0][0] for f, c in by_fold.items()}
    total = {f: sum(1 for m in mentions if m.name.casefold() == f) for f in order}
    rest = sorted((f for f in order if f != display.casefold()), key=lambda f: (-total[f], order.index(f)))
    head = [display] if display.casefold() in by_fold else []
    return tuple(head + [spelling[f] for f in rest])


def canonicalise(mentions: Sequence[RawMention], registry: Registry) -> tuple[Entity, ...]:
    """The canonical entities named by one article's mentions."""
    entries = {i: registry.lookup(m.name) for i, m in enumerate(mentions)}
    keys = context_keys(m.name for i, m in enumerate(mentions) if entries[i] is None)
    fulls = _full_names(mentions, entries, keys)
    groups: dict[tuple[str, str], _Group] = {}
    for i, m in enumerate(mentions):
        entry = entries[i]
        if entry is not None:
            gid = ("registry", entry.name)
        else:
            owner = _surname_owner(surname_keys(m.name), fulls) if (m.label in SURNAME_LABELS or m.titled) else None
            gid = owner or ("key", keys[m.name])
        group = groups.setdefault(gid, _Group(gid, entry=entry))
        if gid in fulls:
            group.person_anchor = True
        group.mentions.append(m)

    has_prose = any(not m.weak for m in mentions)
    by_slug: dict[str, tuple[str, str, str, list[RawMention]]] = {}
    for group in groups.values():
        type_ = _group_type(group)
        confirmed = any(not m.weak for m in group.mentions) or (group.entry is not None and (
            not has_prose or any(m.shouted_in_prose for m in group.mentions)))
        if type_ is None or not confirmed:
            continue
        name = _display_name(group)
        slug = _slug(group.entry.name if group.entry else group.gid[1])
        if not slug:
            continue
        if slug in by_slug:  # two routes to one entity: keep one
            by_slug[slug][3].extend(group.mentions)
        else:
            by_slug[slug] = (slug, name, type_, list(group.mentions))

    entities = []
    for slug, name, type_, ms in by_slug.values():
        ms.sort(key=lambda m: (FIELD_ORDER.get(m.field, 2), m.start))
        entities.append(Entity(
            slug=slug, name=name, type=type_, count=len(ms), variants=_variants(name, ms),
            mentions=tuple(Mention(m.field, m.start, m.end, m.text) for m in ms)))
    entities.sort(key=lambda e: (-e.count, FIELD_ORDER.get(e.mentions[0].field, 2), e.mentions[0].start))
    return tuple(entities)
