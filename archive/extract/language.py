"""Language: which language an article is written in (ISO 639-1).

py3langid is small and needs no network; its model is loaded once, on first
use, so importing the archive stays fast. The detector walks the text byte
by byte in Python, so its cost grows with the text: it reads the title and
the opening of the body only, which is plenty to tell a language apart and
keeps extraction within its time budget on large ingests.
"""
from __future__ import annotations

import re
from functools import lru_cache

#: Characters of title + body given to the detector.
SAMPLE_CHARS = 300

#: Fewer letters than this and the guess is not worth keeping.
MIN_LETTERS = 20

LANG_TAG = re.compile(r"([A-Za-z]{2,3})(?:[-_].*)?\Z")


#: Model labels that are varieties of an ISO 639-1 language, and that language.
#: Other labels without a two-letter code ("zxx": no language, "pcm", ...) are
#: left out of the model, so the detector picks the closest real language.
VARIETIES = {"ary": "ar", "arz": "ar", "yue": "zh", "wuu": "zh", "uzs": "uz", "gug": "gn", "sdh": "ku"}


def detect_language(title: str, body: str) -> str | None:
    """The language code of the text, or None when there is too little text or no clear answer.

    Only languages news is plausibly written in are candidates (`NEWS_LANGUAGES`,
    so no Volapük), and the guess must be confident (`MIN_CONFIDENCE`, a
    probability calibrated for the sample's length): a table of figures such
    as a wire service's earnings report ("Shr 45 cts vs 58 cts / Net 1.1 mln")
    is unknown rather than Danish. An unknown language still gets English
    entity extraction when its words are in the Latin script.
    """
    return _classify(f"{title}\n{body[:SAMPLE_CHARS]}" if title else body[:SAMPLE_CHARS])


def _classify(sample: str) -> str | None:
    """The news language of a sample, None when it has too few letters or no confident answer."""
    if not _has_enough_letters(sample):
        return None
    code, confidence = _news_identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return VARIETIES.get(code, code) or None


#: Languages news is written in that the model knows (ISO 639-1), for `detect_language`.
NEWS_LANGUAGES = frozenset("""
af am ar az be bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl gu he hi hr hu hy id is it
ja ka kk km kn ko ku ky lo lt lv mk ml mn mr ms mt my ne nl nn no pa pl ps pt ro ru si sk sl so
sq sr sv sw ta te th tl tr uk ur uz vi zh""".split())
#: The detector's probability below which `detect_language` abstains. Prose in
#: any of the languages scores above 0.99 on a title and an opening; on the
#: 19,043 Reuters bodies every guess other than English but one (French, 0.87)
#: is a table of figures scoring 0.05-0.16, and English tables score 0.05-0.99.
MIN_CONFIDENCE = 0.2


@lru_cache(maxsize=1)
def _news_identifier():
    """The model restricted to NEWS_LANGUAGES (and their varieties), with calibrated probabilities."""
    import numpy
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels
                              if code in NEWS_LANGUAGES or VARIETIES.get(code) in NEWS_LANGUAGES])
    identifier.nb_ptc = numpy.ascontiguousarray(identifier.nb_ptc)
    return identifier


def page_language(lines: list[str], chars: int = 1200) -> str | None:
    """The language of a copied page, judged on its longest lines (menus are short), as detect_language judges."""
    longest = sorted((line for line in lines if line), key=len, reverse=True)
    sample, size = [], 0
    for line in longest:
        sample.append(line)
        size += len(line)
        if size >= chars:
            break
    return _classify(" ".join(sample))


def _has_enough_letters(sample: str) -> bool:
    """At least MIN_LETTERS letters; the opening usually settles it cheaply."""
    if sum(map(str.isalpha, sample[:3 * MIN_LETTERS])) >= MIN_LETTERS:
        return True
    return sum(map(str.isalpha, sample)) >= MIN_LETTERS


def normalise_language(value: object) -> str | None:
    """A language hint ("en", "en-US", "EN_gb", "und") as a lower-case primary tag, None if it names none.

    "und" (undetermined), "mul" (several), "zxx" (no linguistic content) and
    "mis" are the standard codes for not knowing, so they give None.
    """
    if value is None:
        return None
    m = LANG_TAG.match(str(value).strip())
    if not m:
        return None
    code = m.group(1).lower()
    return None if code in UNKNOWN_LANGUAGE_CODES else code


#: ISO 639 codes that say the language is not known or not one language.
UNKNOWN_LANGUAGE_CODES = frozenset({"und", "mul", "zxx", "mis"})
