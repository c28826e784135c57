"""Story signatures: a compact, stored summary of an article's text.

An article's signature is computed once, at ingest, and kept (as bytes) next
to the article, so that finding the other copies of its story never means
re-reading the archive. It holds a MinHash of the article's word shingles
(which estimates the Jaccard similarity of two shingle sets from 128 numbers
each, and feeds the LSH index in `storyindex.py`), the number of shingles,
and a fingerprint of the normalised word sequence (equal fingerprints mean
the same text: an exact duplicate, whatever the file, layout or punctuation).

What is signed is the title followed by the body: for long articles the
title weighs little, but for short notices (a dividend, a price change) the
title is what tells two otherwise identical bodies apart.
"""
from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from .words import SHINGLE_WORDS, norm_words, shingles

#: Permutations per MinHash: the estimate's standard error is about
#: sqrt(J(1-J)/128) <= 0.045, enough to pick candidates that are then verified.
NUM_PERM = 128
SEED = 1
SCHEME = "affine32"

#: Serialised layout: format version, num_perm, shingle count, word count,
#: 8-byte text fingerprint, then num_perm little-endian uint32 hash values.
FORMAT_VERSION = 1
_HEADER = struct.Struct("<BHII8s")


class BadSignature(ValueError):
    """Stored signature bytes could not be read (truncated or another format)."""


@dataclass(frozen=True)
class Signature:
    """What the story index needs to know about one article's text."""

    hashvalues: tuple[int, ...]
    shingles: int
    words: int
    fingerprint: bytes

    @property
    def empty(self) -> bool:
        return self.shingles == 0

    def minhash(self) -> LeanMinHash:
        return LeanMinHash(seed=SEED, hashvalues=np.asarray(self.hashvalues, dtype=np.uint32),
                           scheme=SCHEME)

    def estimate(self, other: "Signature") -> float:
        """Estimated Jaccard similarity of the two texts' shingle sets."""
        if self.empty or other.empty:
            return 0.0
        if self.fingerprint == other.fingerprint:
            return 1.0
        a = np.asarray(self.hashvalues, dtype=np.uint32)
        b = np.asarray(other.hashvalues, dtype=np.uint32)
        return float(np.count_nonzero(a == b)) / len(a)

    def to_bytes(self) -> bytes:
        head = _HEADER.pack(FORMAT_VERSION, len(self.hashvalues), self.shingles, self.words,
                            self.fingerprint)
        return head + np.asarray(self.hashvalues, dtype="<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Signature":
        try:
            version, num_perm, n_shingles, n_words, fingerprint = _HEADER.unpack_from(data)
        except struct.error as exc:
            raise BadSignature(f"signature too short ({len(data)} bytes)") from exc
        if version != FORMAT_VERSION:
            raise BadSignature(f"signature format {version}, expected {FORMAT_VERSION}")
        body = data[_HEADER.size:]
        if len(body) != 4 * num_perm:
            raise BadSignature(f"signature holds {len(body)} bytes of hash values, expected {4 * num_perm}")
        values = np.frombuffer(body, dtype="<u4")
        return cls(tuple(int(v) for v in values), n_shingles, n_words, fingerprint)


def signed_text(article_or_text) -> str:
    """The text a signature covers: title and body of an Article, or a string."""
    if isinstance(article_or_text, str):
        return article_or_text
    title = getattr(article_or_text, "title", "") or ""
    body = getattr(article_or_text, "body", "") or ""
    return f"{title}\n{body}" if title else body


def fingerprint(tokens: list[str]) -> bytes:
    return hashlib.blake2b(" ".join(tokens).encode("utf-8", "surrogatepass"), digest_size=8).digest()


@lru_cache(maxsize=4)
def _permutations(num_perm: int):
    """The seeded permutations of every signature: datasketch draws them again for each MinHash otherwise
    (a sixth of signing's time)."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


def _sha1_32(data: bytes) -> int:
    """datasketch's sha1_hash32 (the first 4 bytes of SHA-1, little-endian), without its struct call."""
    return int.from_bytes(hashlib.sha1(data).digest()[:4], "little")


def signature(article_or_text, num_perm: int = NUM_PERM) -> Signature:
    """The signature of an Article (title + body) or of a plain text."""
    return signature_of_words(norm_words(signed_text(article_or_text)), num_perm)


def signed_words(title: str, body_words: list[str]) -> list[str]:
    """`norm_words(signed_text(article))` from the body's words: no word runs across the line
    that joins title and body, so the title's words come first, then the body's."""
    return norm_words(title) + body_words if title else body_words


def signature_of_words(tokens: list[str], num_perm: int = NUM_PERM) -> Signature:
    """The signature of a text from its normalised words (`norm_words`)."""
    grams = shingles(tokens, SHINGLE_WORDS)
    mh = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME, hashfunc=_sha1_32,
                 permutations=_permutations(num_perm))
    if grams:
        mh.update_batch([g.encode("utf-8", "surrogatepass") for g in grams])
    return Signature(tuple(int(v) for v in mh.hashvalues), len(grams), len(tokens), fingerprint(tokens))


def signature_bytes(article_or_text) -> bytes:
    """`signature(...)` serialised, ready for a BLOB column."""
    return signature(article_or_text).to_bytes()
