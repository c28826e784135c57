"""The document model: what a reader yields and what the archive keeps.

A `RawDocument` is one article as its source gives it (text plus the hints the
source itself carries, such as a CSV column or an HTML meta tag). An `Article`
is what extraction makes of it and what the store keeps; the index is derived
from Articles only. Both are frozen so that a value computed once (an id, a
hash) can never drift from the data it was computed from.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping

#: Hint keys a reader may set. Readers fill only what the source states.
HINT_KEYS = ("title", "outlet", "date", "url", "canonical_url", "site_name",
             "news_id", "lang", "author")
#: Hints only a reader sets: a date it guessed (not one the source states),
#: and the rule that guessed it. Extraction marks such a date inferred.
GUESS_KEYS = ("date_inferred", "date_rule")

#: Entity types kept (spaCy's GPE/LOC/FAC fold into "place").
ENTITY_TYPES = ("person", "org", "place")


@dataclass(frozen=True)
class RawDocument:
    """One article as read from its source, before any extraction.

    `path` and `record` are the provenance: the file, and the 1-based record
    number inside it for formats holding many articles (None for one-article
    files). `text` is plain text; `html` is set instead when the source is a
    web page, so extraction can use the page's own metadata.
    """

    path: str
    record: int | None
    fmt: str
    text: str = ""
    html: str | None = None
    hints: Mapping[str, str] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """The file, and the record when there is one, for error messages."""
        return self.path if self.record is None else f"{self.path}#{self.record}"


@dataclass(frozen=True)
class Mention:
    """One place an entity is named: character span in `field` as written."""

    field: str  # "title" or "body"
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """A canonical entity as named in one article."""

    slug: str
    name: str
    type: str  # one of ENTITY_TYPES
    count: int
    variants: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "slug": self.slug, "name": self.name, "type": self.type,
            "count": self.count, "variants": list(self.variants),
            "mentions": [[m.field, m.start, m.end, m.text] for m in self.mentions],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Entity":
        return cls(
            slug=d["slug"], name=d["name"], type=d["type"], count=int(d["count"]),
            variants=tuple(d.get("variants", ())),
            mentions=tuple(Mention(f, int(s), int(e), t) for f, s, e, t in d.get("mentions", ())),
        )


@dataclass(frozen=True)
class Article:
    """An article as the archive keeps it: clean text, metadata, provenance.

    `origins` says, per metadata field, whether the value was stated by the
    source ("explicit") or worked out from the text ("inferred"), with the
    rule that found it after a colon (e.g. "inferred:dateline"). Users need
    this to judge how far to trust a date or an outlet.
    """

    id: str
    slug: str
    title: str
    body: str
    source_path: str
    record: int | None
    fmt: str
    original: str
    outlet: str | None = None
    outlet_slug: str | None = None
    date: dt.date | None = None
    news_id: str | None = None
    url: str | None = None
    lang: str | None = None
    origins: Mapping[str, str] = field(default_factory=dict)
    entities: tuple[Entity, ...] = ()

    @property
    def content_hash(self) -> str:
        """Hash of what extraction reads (title + clean body): the cache key."""
        return content_hash(self.title, self.body)

    @property
    def month(self) -> str | None:
        return self.date.strftime("%Y-%m") if self.date else None

    def is_inferred(self, name: str) -> bool:
        return self.origins.get(name, "").startswith("inferred")

    def entities_of(self, type_: str) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.type == type_)

    def with_entities(self, entities: tuple[Entity, ...]) -> "Article":
        return replace(self, entities=tuple(entities))

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["date"] = self.date.isoformat() if self.date else None
        d["origins"] = dict(self.origins)
        d["entities"] = [e.to_dict() for e in self.entities]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Article":
        kwargs = {f.name: d.get(f.name) for f in fields(cls) if f.name in d}
        if kwargs.get("date"):
            kwargs["date"] = dt.date.fromisoformat(kwargs["date"])
        kwargs["origins"] = dict(d.get("origins") or {})
        kwargs["entities"] = tuple(Entity.from_dict(e) for e in d.get("entities") or ())
        return cls(**kwargs)


def content_hash(title: str, body: str) -> str:
    """A short, stable digest of an article's readable content."""
    h = hashlib.blake2b(digest_size=16)
    h.update(title.encode("utf-8", "surrogatepass"))
    h.update(b"\x00")
    h.update(body.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


__all__ = ["RawDocument", "Article", "Entity", "Mention", "content_hash",
           "HINT_KEYS", "GUESS_KEYS", "ENTITY_TYPES", "asdict"]
