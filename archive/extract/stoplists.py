"""Stop lists per language, from jusText's maintained lists (100 languages).

Stopword density is what tells running text from menus and link lists in any
language: a sentence is a third function words, a menu almost none. The lists
are jusText's; this module only maps our ISO 639-1 codes to its names.
"""
from __future__ import annotations

from functools import lru_cache

#: Codes whose English name differs from jusText's list name.
JUSTEXT_NAMES = {"nb": "Norwegian_Bokmal", "no": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk",
                 "tl": "Tagalog", "fil": "Tagalog", "pa": "Western_Panjabi", "fy": "West_Frisian",
                 "sh": "Serbo_Croatian"}


@lru_cache(maxsize=None)
def stoplist(lang: str | None) -> frozenset[str]:
    """The stop words of a language (lowercase); empty when jusText has no list for it."""
    import justext
    if not lang:
        return frozenset()
    name = JUSTEXT_NAMES.get(lang) or _english_name(lang)
    if not name or name not in _available():
        return frozenset()
    return frozenset(justext.get_stoplist(name))


@lru_cache(maxsize=1)
def _available() -> frozenset[str]:
    import justext
    return frozenset(justext.get_stoplists())


def _english_name(lang: str) -> str | None:
    from babel import Locale, UnknownLocaleError
    try:
        name = Locale.parse(lang).get_display_name("en")
    except (ValueError, UnknownLocaleError):
        return None
    return name.replace(" ", "_") if name else None
