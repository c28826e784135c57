"""Bytes to text: detect the encoding, never fail on a bad byte.

Scraped files come in every encoding and are often damaged. UTF-8 is tried
first because it is by far the commonest and checking it is cheap; only when
it fails does charset-normalizer guess. Invalid bytes become U+FFFD so that
one bad byte never costs an article. A leading byte-order mark is dropped.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from ftfy import fix_encoding
from ftfy.badness import is_bad

#: Windows-1252 is the web's commonest single-byte encoding; when the detector
#: finds it as plausible as its first pick (short Western texts often tie with
#: Central European code pages), it wins.
PREFERRED_SINGLE_BYTE = "cp1252"

#: How many bytes around the first invalid UTF-8 byte the detector looks at,
#: so that detecting the encoding of a 50 MB file stays fast.
DETECTION_WINDOW = 256 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def known_codec(name: str | None) -> str | None:
    """A codec name Python knows for a declared charset, else None."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def declared_html_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag near its top."""
    match = _META_CHARSET.search(data[:4096])
    return known_codec(match.group(1).decode("ascii", "replace")) if match else None


def detect_encoding(data: bytes) -> str:
    """The most likely encoding of `data`: BOM, then UTF-8, then a guess."""
    bom = bom_encoding(data)
    if bom:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"  # a sample cut inside a multi-byte character
        start = max(0, exc.start - DETECTION_WINDOW // 4)
        sample = data[start:start + DETECTION_WINDOW]
        return "utf-8" if mostly_utf8(sample) else guess_encoding(sample)


def mostly_utf8(sample: bytes) -> bool:
    """True when UTF-8 text with a few bad bytes is likelier than another encoding.

    Valid multi-byte sequences are rare by chance in single-byte encodings;
    when they outnumber the invalid bytes, the text is damaged UTF-8.
    """
    text = sample.decode("utf-8", errors="surrogateescape")
    invalid = len(_ESCAPED.findall(text))
    valid = len(_NON_ASCII.findall(text)) - invalid
    return valid > 0 and valid >= invalid


def guess_encoding(sample: bytes) -> str:
    """charset-normalizer's best guess, preferring Windows-1252 on a tie."""
    matches = list(from_bytes(sample))
    if not matches:
        return "utf-8"  # decoded with replacement characters
    best = matches[0]
    for match in matches:
        if (match.chaos, -match.coherence) > (best.chaos, -best.coherence):
            break
        if PREFERRED_SINGLE_BYTE in match.could_be_from_charset:
            return PREFERRED_SINGLE_BYTE
    return best.encoding


def repair_mojibake(text: str) -> str:
    """`text` with its mojibake undone, line by line ("MÃ¼nchen" -> "München").

    Scrapers often store UTF-8 that some step read as Windows-1252, so a whole
    collection can arrive as "Ã¤" and "Ð¡". The bytes are then valid and no
    decoder can notice; only the characters show it. ftfy recognises such
    sequences and reverses them. It is asked line by line, so that a file
    whose menu is damaged and whose article is not (or the reverse) has each
    part judged on its own, and clean lines are left exactly as they were.
    """
    if text.isascii() or not is_bad(text):
        return text
    return "".join(fix_encoding(line) if is_bad(line) else line
                   for line in text.splitlines(keepends=True))


def decode(data: bytes, declared: str | None = None) -> str:
    """Text of `data` in its declared or detected encoding; never raises.

    A declared charset (HTTP header, <meta>) is trusted only when the bytes
    decode cleanly with it, because pages often declare the wrong one.
    """
    codec = known_codec(declared)
    if codec and not bom_encoding(data):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass
    encoding = detect_encoding(data)
    text = data.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text
