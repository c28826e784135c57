"""The outlet registry: which names, aliases and web domains mean one outlet.

Scraped text names one publisher many ways ("RT", "RT News", "Russia Today",
"rt.com", "https://arabic.rt.com/..."). Counting coverage by outlet only works
if all of them become one value, so every outlet the archive recognises is
listed once, as data, in `archive/data/outlets.tsv` (users extend it there).
Other modules (coverage, attribution) call `resolve_outlet` to turn any
mention of a publisher into the same `Outlet`.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from ..ids import outlet_slug
from ..paths import DATA_FILES

#: The registry shipped with the project.
REGISTRY_FILE = DATA_FILES / "outlets.tsv"

#: Characters trimmed from both ends of a name before looking it up.
NAME_TRIM = " \t.,:;!?-–—()[]{}\"'“”‘’«»*_|/"

#: Host prefixes that say nothing about the outlet.
HOST_PREFIXES = ("www.", "www2.", "m.", "mobile.", "amp.")

DOMAIN_SHAPE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?(?:[/?#].*)?$",
                          re.IGNORECASE)
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Outlet:
    """A publisher as the archive names it: display name and URL-safe slug."""

    name: str
    slug: str


def name_key(text: str) -> str:
    """The form under which a name is looked up: case, quotes, 'The' ignored."""
    key = SPACES.sub(" ", text.replace("’", "'").replace("‘", "'")).strip(NAME_TRIM).casefold()
    if key.endswith("'s"):
        key = key[:-2]
    if key.startswith("the "):
        key = key[4:]
    return key


def host_of(text: str) -> str | None:
    """The host name of a URL or bare domain, without 'www.'; None if not one."""
    text = text.strip()
    if not text or " " in text or not DOMAIN_SHAPE.match(text):
        return None
    if "://" not in text:
        text = "//" + text
    try:
        host = (urlsplit(text).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix):
            host = host[len(prefix):]
            break
    return host or None


class OutletRegistry:
    """Outlets by name/alias key and by domain."""

    def __init__(self, outlets: list[tuple[Outlet, list[str], list[str]]]):
        self.outlets: list[Outlet] = []
        self._by_name: dict[str, Outlet] = {}
        self._by_domain: dict[str, Outlet] = {}
        for outlet, aliases, domains in outlets:
            self.outlets.append(outlet)
            for alias in [outlet.name, *aliases]:
                key = name_key(alias)
                if key:
                    self._by_name.setdefault(key, outlet)
            for domain in domains:
                host = host_of(domain)
                if host:
                    self._by_domain.setdefault(host, outlet)

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "OutletRegistry":
        """Read a registry TSV (name, slug, aliases, domains; '#' comments).

        A row without a name is skipped; a row without a slug gets one made
        from its name, so a user adding an outlet needs to give a name only.
        """
        rows = []
        text = Path(path).read_text(encoding="utf-8")
        for line in text.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cells = [c.strip() for c in line.split("\t")] + ["", "", "", ""]
            name, slug, aliases, domains = cells[:4]
            if not name or (name.casefold() == "name" and slug.casefold() == "slug"):
                continue
            slug = slug or outlet_slug(name)
            if not slug:
                continue
            rows.append((Outlet(name, slug), _split_list(aliases), _split_list(domains)))
        return cls(rows)

    def by_domain(self, text: str) -> Outlet | None:
        """The outlet whose domain is the host of `text`, or a parent of it."""
        host = host_of(text)
        if not host:
            return None
        labels = host.split(".")
        for i in range(len(labels) - 1):
            found = self._by_domain.get(".".join(labels[i:]))
            if found:
                return found
        return None

    def by_name(self, text: str) -> Outlet | None:
        return self._by_name.get(name_key(text))

    def resolve(self, text_or_domain: str | None) -> Outlet | None:
        """The registered outlet a name, alias, domain or URL stands for."""
        if not text_or_domain or not text_or_domain.strip():
            return None
        return self.by_name(text_or_domain) or self.by_domain(text_or_domain)


def _split_list(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


@lru_cache(maxsize=1)
def default_registry() -> OutletRegistry:
    """The shipped registry, read once per process."""
    return OutletRegistry.from_file(REGISTRY_FILE)


def resolve_outlet(text_or_domain: str | None) -> Outlet | None:
    """The registered outlet for a name, alias, domain or URL; None if unknown."""
    return default_registry().resolve(text_or_domain)
