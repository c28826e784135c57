"""A transliteration-aware key: spellings of one Arabic, Persian or Russian name meet.

Two keys, and a rule for when the loose one may join:

- `strict_key`: only what never changes a name: case, accents, apostrophes,
  dots, spaces, hyphens, inner capitals, an article ("U.S."/"US",
  "Hong Kong"/"Hongkong", "Hewlett Packard"/"Hewlett-Packard"). One cut is
  kept: a phrase of ordinary English words (`ordinary_phrase`: "White
  House", "West Coast", "Trust Co") keys on its words, so it never meets
  the name coined by writing them as one word ("Whitehouse", a trader;
  "Westcoast", a pipeline company; "Trustco", a bank); it still meets the
  same words cut otherwise ("Eastern Air Lines"/"Eastern Airlines",
  "South East"/"Southeast": a word itself). Words are
  `archive/data/english_words.txt`.
- `variant_key`: the loose key below, which also forgives doubled letters,
  vowel classes and consonant spellings. On ordinary Western names those are
  the differences between two names ("Philips"/"Phillips",
  "Colombia"/"Columbia", "Merrell"/"Merrill", "Wolf"/"Wolff"), so
- `same_name(a, b)`: two spellings are one name when their strict keys are
  equal, or when their loose keys are equal and at least one of them shows a
  sign of transliteration (`transliterated`): an Arabic article or
  particle ("al-", "ez-", "abu", "bin"), an article fused onto a later word
  ("Ezzor", "Azour"), letters English spelling does not write ("kh", "dh",
  "zh", "q" without "u", "gh" before a consonant, a final "iy", "yy", "yi", "ii", "uu",
  word-initial "dj"/"ts"/"tch"), a Slavic, Caucasian or Persian ending
  ("-ov", "-ev", "-sky", "-enko", "-vich", "-shvili", "-adze", "-ollah"), or an
  ayn or hamza mark inside a word ("Ba'ath", "Saʿid"). A name whose every
  word is Pinyin ("Zhao", "Zhou", "Qian Qichen") shows no sign by its
  letters: Pinyin is one standard spelling, so its vowels are exact.
- `context_keys(names)`: the key each of the names met together (one
  article's) is grouped and slugged under: the loose key for a group of
  loose-key neighbours one of which shows such a sign, else the strict key.
  An article that writes only an unmarked spelling ("Kaddafi") so files it
  under its strict key, apart from the articles that write "Qaddafi" (two
  facet values), though a search for either finds both.

So "Deir Ezzor" and "Dayr al-Zawr" meet (both are marked), "Raqqa" takes
"Rakka" (one is), and "Philips" never takes "Phillips" (neither is). The
signs read a name on its own, so a transliteration that shows none on
either side ("Muammar"/"Moammar", "Alexei"/"Aleksei") is left to the
registry (`archive/data/entities.tsv`), which joins by the same rule against
its listed spellings. "Labor"/"Labour" are two names here (the US
Department, Britain's party); as ordinary words the index's text analysis
folds them (`index.stems`), which is a word rule, not an entity merge.

Scraped news spells one name many ways: "Deir ez-Zor", "Deir Ezzor",
"DeirEzzor", "Der-Ezzor", "Deir Ezour", "Dayr al-Zawr"; "al-Tharda",
"Al-Thardah"; "Zelensky", "Zelenskyy"; "Kyiv", "Kiev"; "Djibouti",
"Jibouti". The loose key forgives exactly the differences transliteration
makes and nothing more:

- case, accents, apostrophes, and where the words of a name are cut: spaces,
  hyphens and a capital inside a word ("DeirEzzor", "Chi-cheng"/"Chicheng")
  all count alike, so the key is written without separators;
- the Arabic article (al-, el-, ez-, ad-, ash-, ...), also when it is fused
  onto the next word ("Ezzor", and "Ezour"/"Azour" with one z);
- doubled letters ("Raqqa"/"Raqa"), q/k ("Iraq"/"Irak"), dh/z
  ("Ladhiqiyah"/"Laziqiyah"), dj/j ("Djibouti"/"Jibouti"), x/ks
  ("Alexei"/"Aleksei");
- Cyrillic-to-Latin variants: y inside a word is a vowel ("Kyiv"/"Kiev",
  "Sergeyev"/"Sergeev", "Zelenskyy"/"Zelenskiy"), and a word-final
  -off is -ov ("Smirnoff"/"Smirnov");
- a final "h" after a vowel ("Thardah"/"Tharda");
- a generic last word of a place name ("Anbar province", "Tharda Mountain");
- vowel spelling inside a class: o/u/ou/aw ("Zor"/"Zur"/"Zawr") and
  e/i/y/ei/ay ("Deir"/"Dayr"); a lone "a" stays apart from both, so
  "Gaza" and "Giza", "Iran" and "Oran" keep different keys (and so do
  "Hamid" and "Hamad": "Mohammad"/"Mohammed" is for the registry).

Consonants are kept, so "Syria" and "Syrian Army", or "Aleppo" and
"Idlib", never meet; acronyms key on their exact letters.
"""
from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from functools import lru_cache

from ..paths import DATA_FILES
from .wordlists import default_word_lists

#: Arabic article forms (assimilated to sun letters too), and English "the".
ARTICLES = frozenset({
    "al", "el", "il", "ul", "ad", "ed", "ar", "er", "as", "es", "at", "et",
    "az", "ez", "an", "en", "ash", "esh", "ath", "eth", "adh", "edh", "the",
})
#: Generic words after a place's name that do not change which place it is:
#: "Anbar province" is Anbar, "al-Tharda Mountain" is al-Tharda. ("City" is
#: not here: Mexico City is not Mexico.)
PLACE_SUFFIXES = frozenset({"province", "governorate", "district", "region", "mountain",
                            "mountains", "countryside", "suburbs", "outskirts"})
VOWELS = frozenset("aeiou")
_FUSED_ARTICLE = re.compile(r"^[ae](?=([tdrzsln])\1.)")
#: "Ezour", "Azour": the article fused onto z with one letter (z only: "Ali" is no "al-i").
_FUSED_Z = re.compile(r"^[ae](?=z[aeiouy])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
#: Consonant spellings that transliterations use for one sound, in order.
_CONSONANTS = (("dj", "j"), ("dh", "z"), ("q", "k"), ("x", "ks"))
_FINAL_OFF = re.compile(r"(?<=[aeiou])ff$")
_SPLIT = re.compile(r"[\s\-‐‑‒–—_/.,]+")
_DROP = re.compile(r"['’‘`ʼʻʿʾ\"“”]")
_DOUBLE = re.compile(r"(.)\1+")


def ascii_fold(text: str) -> str:
    """Lower case without accents: "Erdoğan" -> "erdogan"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_tokens(text: str) -> list[str]:
    """The words of a name, folded, with apostrophes dropped and hyphens and inner capitals split."""
    return [t for t in _SPLIT.split(_DROP.sub("", ascii_fold(_CAMEL.sub(" ", text)))) if t]


def _vowel_class(run: str) -> str:
    """A run of vowels by class: o/u are "o", e/i/y are "e", a is "a".

    A run of one class is that class ("ou", "ii", "ei"); a before either
    class is that class ("ay"/"ai" -> "e", "aw" -> "o": Dayr, Zawr); other
    mixes keep their order ("oi" in "Moi" is not "ao" in "Mao"), and "ea"
    stays "ea" ("Reagan" is not "Regan").
    """
    if run == "ea":
        return "ea"
    classes = _DOUBLE.sub(r"\1", "".join(_VOWEL_CLASSES.get(c, "e") for c in run))
    if len(classes) == 2 and classes[0] == "a":
        return classes[1]
    return "ia" if classes == "ea" else classes  # "Asian" is not "ASEAN"


_VOWEL_CLASSES = {"a": "a", "o": "o", "u": "o"}


def _fold_vowels(token: str) -> str:
    out: list[str] = []
    run = ""
    for i, ch in enumerate(token):
        nxt = token[i + 1] if i + 1 < len(token) else ""
        semivowel = (ch == "y" and i > 0) or (ch == "w" and run and nxt not in VOWELS)
        if ch in VOWELS or semivowel:
            run += {"y": "i", "w": "u"}.get(ch, ch)
            continue
        if run:
            out.append(_vowel_class(run))
            run = ""
        out.append(ch)
    if run:
        out.append(_vowel_class(run))
    return "".join(out)


def strip_fused_article(word: str) -> str:
    """"ezzor" -> "zor", "assad" -> "sad": an article written onto its word."""
    return _FUSED_ARTICLE.sub("", word)


def token_key(token: str, fused_article: bool = True) -> str:
    """The key of one folded word (see the module docstring)."""
    if fused_article:
        token = _FUSED_Z.sub("", _FUSED_ARTICLE.sub("", token))
    for written, sound in _CONSONANTS:
        token = token.replace(written, sound)
    token = _DOUBLE.sub(r"\1", _FINAL_OFF.sub("v", token))
    if len(token) > 3:
        token = re.sub(r"(?<=[aeiou])h$", "", token)
    return _fold_vowels(token)


#: Article forms that, capitalised and followed by a space, are a given name ("Ed Malmgreen").
GIVEN_NAMES = frozenset({"Ed"})


def key_tokens(text: str) -> list[str]:
    """Per-word keys of a name, articles dropped (unless that leaves nothing)."""
    words = name_tokens(text)
    given = text.split(" ", 1)[0] in GIVEN_NAMES and " " in text.strip()
    kept = [w for i, w in enumerate(words) if not (w in ARTICLES and i < len(words) - 1 and not (given and i == 0))]
    while len(kept) > 1 and kept[-1] in PLACE_SUFFIXES:
        kept.pop()
    if not kept:
        return []
    return [token_key(w, fused_article=i > 0) for i, w in enumerate(kept)]


@lru_cache(maxsize=1 << 16)
def variant_key(text: str) -> str:
    """The transliteration key of a whole name: equal keys mean one name.

    >>> variant_key("Deir ez-Zor") == variant_key("Deir Ezzur") == variant_key("Dayr al-Zawr")
    True
    >>> variant_key("Aleppo") == variant_key("Idlib")
    False

    Acronyms are letters, not sounds: "EC", "ICC" and "EEC" are three
    bodies, so a name of two to four capitals ("EC", "MoU") keys on its
    exact letters.
    """
    letters = text.replace(".", "").strip()
    capitals = sum(c.isupper() for c in letters)
    if 2 <= len(letters) <= 4 and letters.isalpha() and (letters.isupper() or (capitals >= 2 and not letters.istitle())):
        return "=" + letters.lower()  # "MoU", "EC"
    return "".join(key_tokens(text))


# --- when the loose key may join ---------------------------------------------------

#: Words of Arabic names that only a transliteration writes as words.
PARTICLES = frozenset({"abu", "abou", "bin", "ibn", "bint", "abd", "abdel", "abdul", "abdal", "ould"})
#: Letters inside a word that English spelling does not write; a name writing them is transliterated.
#: ("kh" not after a consonant: "Elkhart", "Stockholm" are compounds; "dh" not in "-dham": "Oldham";
#: "yi" not after a vowel nor before "ng": "Kyiv" is marked, "buying" and "flying" are not; "iy" only
#: ending a word, as Russian "-iy" does: "Dmitriy", not the Turkish "Milliyet", which is no transliteration.)
_FOREIGN_LETTERS = re.compile(
    r"(?:^|(?<=[aeiouy]))kh|dh(?!am$)|zh|q(?!u)|(?<![uoie])gh(?=[^aeiouyth])|iy$|yy|(?<![aeiou])yi(?!ng)|ii|uu|"
    r"^dj|^ts(?=[aeiou])|^tch|shch")
#: Endings of Russian, Ukrainian, Polish, Georgian, Armenian and Persian/Arabic names.
_FOREIGN_ENDINGS = re.compile(
    r"(?<=..)(?:[^aeiou]ov|[^aeiou]ova|[^aeiou]ev|yev|yeva|off|sk[iy]y?|skaya|skii|"
    r"enko|vich|vych|shvili|adze|[^r]yan|ollah|ullah|allah)$")
#: Arabic article forms that, as a word of their own, are no English, French or Spanish word
#: ("at", "es", "en", "et" are; "El" opening a name is "El Paso").
STANDALONE_ARTICLES = frozenset({"al", "el", "az", "ez", "ad", "ash", "ath", "adh", "edh"})
#: An article fused onto a later word by the z it doubles, or by one z ("Ezzor", "Azzam", "Azour");
#: other letters are left out: "Association", "Attorney", "Addison" are English.
_FUSED_SIGN = re.compile(r"^[ae]z[aeiouyz]")
#: An ayn or hamza between letters ("Ba'ath", "Sana'a"), not a Western O'/D'/L' prefix nor a possessive 's.
_AYN = re.compile(r"(?<=[^\W\d_]{2})['’ʿʾʼʻ`](?=[^\W\d_])|[ʿʾʻ]")
_ROMAN = re.compile(r"^[ivxl]+$")
#: A word made of Hanyu Pinyin syllables. Pinyin is a standard, so "Zhao" and "Zhou" are two names:
#: its "zh" and "q" are no licence for the loose key's vowel classes.
_PINYIN_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhrzcsyw]|[jqx](?=[iu]))"
_PINYIN_FINAL = r"(?:iang|iong|uang|ang|eng|ing|ong|iao|ian|uai|uan|ai|ei|ao|ou|an|en|er|in|un|ia|ie|iu|ua|uo|ui|ue|a|o|e|i|u)"
_PINYIN = re.compile(rf"^{_PINYIN_INITIAL}?{_PINYIN_FINAL}(?:{_PINYIN_INITIAL}{_PINYIN_FINAL})*$")


def _words_as_written(text: str) -> list[tuple[str, str]]:
    """(as written, folded) for each word of a name, split as `name_tokens` splits it."""
    out = []
    for w in _SPLIT.split(_DROP.sub("", _CAMEL.sub(" ", text))):
        folded = ascii_fold(w)
        if folded:
            out.append((w, folded))
    return out


@lru_cache(maxsize=1 << 16)
def transliterated(text: str) -> bool:
    """Whether a name shows a sign of being transliterated from another script (see the module docstring).

    >>> transliterated("Deir ez-Zor"), transliterated("Raqqa"), transliterated("Zelensky")
    (True, True, True)
    >>> transliterated("Phillips"), transliterated("Columbia"), transliterated("Labour")
    (False, False, False)
    """
    if _AYN.search(text.replace("'s ", " ").removesuffix("'s")):
        return True
    chunks = [c for c in re.split(r"\s+", _CAMEL.sub(" ", text).strip()) if c]
    for i, chunk in enumerate(chunks):
        parts = [ascii_fold(p) for p in re.split(r"[\-‐‑‒–—]+", chunk) if p]
        # "al-Zor", "Deir-ez-Zor": an article hyphen-joined to the next part
        if any(p in ARTICLES - {"the"} for p in parts[:-1]):
            return True
        # "Deir al Zour", "Bashar Al Assad": an article word, lower case or after the name's first word
        if i + 1 < len(chunks) and len(parts) == 1 and parts[0] in STANDALONE_ARTICLES and (chunk.islower() or i > 0):
            return True
    words = _words_as_written(text)
    if any(w in PARTICLES or (i > 0 and _FUSED_SIGN.search(w)) for i, (_, w) in enumerate(words)):
        return True
    if all(_PINYIN.match(w) or w in PLACE_SUFFIXES for _, w in words):
        return False  # "Zhao", "Qian Qichen": pinyin is one spelling; its vowels are not loose
    for written, w in words:
        if (written.isupper() and len(w) > 1) or _ROMAN.match(w):  # acronyms and numerals: "DHL", "II"
            continue
        if _FOREIGN_LETTERS.search(w) or (len(w) >= 6 and _FOREIGN_ENDINGS.search(w)):
            return True
    return False


# --- where words are cut: a phrase of ordinary words, and a name coined from them -----------

#: Ordinary English words (lower case), one a line: archive/data/english_words.txt.
ENGLISH_WORDS_PATH = DATA_FILES / "english_words.txt"
_CHUNK = re.compile(r"[\s\-‐‑‒–—_/,]+")


@lru_cache(maxsize=1)
def _english_words() -> tuple[frozenset[str], str]:
    raw = ENGLISH_WORDS_PATH.read_bytes()
    words = {line.strip() for line in raw.decode("utf-8").splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(words), hashlib.sha256(raw).hexdigest()


def english_words() -> frozenset[str]:
    """The ordinary English words the cut rule reads (`ENGLISH_WORDS_PATH`)."""
    return _english_words()[0]


def english_words_digest() -> str:
    """A digest of the word file's bytes: part of the extractor's version, so an edit re-extracts."""
    return _english_words()[1]


def _ordinary_word(chunk: str, all_capitals: bool) -> bool:
    """Whether one written word of a name is ordinary English words: one ("Coast"; or a company suffix,
    "Co", "PLC", "N.V."), or several run together ("Paperboard", "Steelworkers"; each of four letters
    or more).

    A word with a dot inside ("U.S.") or, in a name not written all in
    capitals, a word in capitals ("US", "EC") is initials, not a word.
    """
    if ascii_fold(chunk.replace(".", "")) in default_word_lists().company_suffixes:
        return True  # "Plc", "PLC", "N.V.": however a suffix is written
    bare = chunk.rstrip(".")
    if "." in bare or not bare.isalpha() or (not all_capitals and len(bare) > 1 and bare.isupper()):
        return False
    word = ascii_fold(bare)
    return word in _words() or _fewest_words(word, _long_words()) is not None


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    return english_words() | default_word_lists().company_suffixes


@lru_cache(maxsize=4)
def _longest(words: frozenset[str]) -> int:
    return max(map(len, words))


@lru_cache(maxsize=1)
def _long_words() -> frozenset[str]:
    """Words a run-together word may be cut into: four letters or more ("Norton" is no "nor ton"), or a
    company suffix ("Trustco")."""
    return frozenset(w for w in _words() if len(w) >= 4) | default_word_lists().company_suffixes


@lru_cache(maxsize=1 << 16)
def ordinary_phrase(text: str) -> bool:
    """Whether a name is two or more written words, each ordinary English words.

    Its words may be cut by spaces, hyphens or a capital inside a word
    ("White House", "Air-Force", "MerchantsBank"). One written word is never
    a phrase: "Whitehouse", "Westcoast", "Worldbank" are names coined from
    one ("Federal Paperboard" is a phrase, as "Federal Paper Board" is).

    >>> ordinary_phrase("White House"), ordinary_phrase("West Coast"), ordinary_phrase("Trust Co")
    (True, True, True)
    >>> ordinary_phrase("Whitehouse"), ordinary_phrase("Hong Kong"), ordinary_phrase("US Air")
    (False, False, False)
    """
    chunks = [c for c in _CHUNK.split(_CAMEL.sub(" ", _DROP.sub("", text)).strip()) if c]
    all_capitals = "".join(chunks).isupper()
    return len(chunks) >= 2 and all(_ordinary_word(c, all_capitals) for c in chunks)


@lru_cache(maxsize=1 << 16)
def _fewest_words(letters: str, words: frozenset[str] | None = None,
                  written: frozenset[int] = frozenset()) -> tuple[str, ...] | None:
    """`letters` cut into the fewest of `words` (default: every ordinary word), or None when they cannot be.

    Of the cuts with fewest words, the one keeping most of the `written` cuts
    (positions in `letters`): "Savings and Loan" stays "savings and loan", not
    "saving sand loan"; then the shorter first word.
    """
    words = _words() if words is None else words
    longest = _longest(words)
    n = len(letters)
    best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[n] = (0, 0, ())
    for start in range(n - 1, -1, -1):
        for end in range(start + 1, min(n, start + longest) + 1):  # shorter first words first
            rest = best[end]
            if rest is None or letters[start:end] not in words:
                continue
            cost = (rest[0] + 1, rest[1] - (end in written or end == n))
            if best[start] is None or cost < best[start][:2]:
                best[start] = (*cost, (letters[start:end], *rest[2]))
    return None if best[0] is None else best[0][2]


#: Generic last words the strict key drops too: "Guangdong province" is Guangdong, but "Federal
#: District" is not "Federal", nor "Green Mountain" "Green" (the loose key drops those as well, for
#: transliterated names: "al-Tharda Mountain").
STRICT_PLACE_SUFFIXES = PLACE_SUFFIXES - {"district", "mountain", "mountains"}


@lru_cache(maxsize=1 << 16)
def strict_key(text: str) -> str:
    """The key of a name where only case, accents, punctuation, spacing and articles are forgiven.

    >>> strict_key("Hewlett-Packard") == strict_key("Hewlett Packard"), strict_key("U.S.") == strict_key("US")
    (True, True)
    >>> strict_key("Philips") == strict_key("Phillips"), strict_key("El Salvador") == strict_key("Salvador")
    (False, False)
    """
    loose = variant_key(text)
    if loose.startswith("="):
        return loose
    words = name_tokens(text)
    first = text.strip().split(" ", 1)[0]
    # "El Salvador", "Al Gore": a capitalised first word before a space is part of the name
    spaced = " " in text.strip() and first[:1].isupper() and ascii_fold(first) in ARTICLES - {"the"}
    kept = [w for i, w in enumerate(words)
            if not (w in ARTICLES and i < len(words) - 1 and not (spaced and i == 0))]
    while len(kept) > 1 and kept[-1] in STRICT_PLACE_SUFFIXES:
        kept.pop()
    joined = "".join(kept)
    if ordinary_phrase(text):
        written = frozenset(itertools.accumulate(len(w) for w in kept))
        # "White House" is a phrase, "Whitehouse" a name coined from it: a phrase keys on its words, cut
        # the one way ordinary words cut its letters, so "Eastern Air Lines" still meets "Eastern Airlines",
        # and "South East" "Southeast" (a word itself), but "West Coast" never meets "Westcoast".
        cut = _fewest_words(joined, written=written)
        if cut is not None and len(cut) > 1:
            return " ".join(cut)
    return joined


def same_name(a: str, b: str) -> bool:
    """Whether two spellings are one name by the rule of this module (no registry involved).

    >>> same_name("Deir Ezzor", "Dayr al-Zawr"), same_name("Raqqa", "Rakka"), same_name("Philips", "Phillips")
    (True, True, False)
    """
    if strict_key(a) == strict_key(b):
        return bool(strict_key(a))
    return variant_key(a) == variant_key(b) != "" and (transliterated(a) or transliterated(b))


def context_keys(names) -> dict[str, str]:
    """The key each of `names` (met together: one article, one query) is grouped under.

    Names sharing a loose key are one group, under that key, when any of
    them looks transliterated; otherwise each keeps its strict key. Within
    the names given this is `same_name` made transitive.
    """
    by_loose: dict[str, list[str]] = {}
    for n in dict.fromkeys(names):
        by_loose.setdefault(variant_key(n), []).append(n)
    out: dict[str, str] = {}
    for loose, group in by_loose.items():
        marked = bool(loose) and any(transliterated(n) for n in group)
        out.update({n: loose if marked else strict_key(n) for n in group})
    return out
