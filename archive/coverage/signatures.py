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
from itertools import accumulate
from typing import Iterable

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
def _permutations(num_perm: int) -> np.ndarray:
    """The seeded permutations of every signature, (2, num_perm) uint32: datasketch draws them again
    for each MinHash otherwise (a sixth of signing's time)."""
    return MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME).permutations


#: MurmurHash3's 32-bit finalizer (shifts and multipliers): what datasketch's "affine32" scheme
#: mixes each input hash with before permuting it.
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_MAX32 = np.uint32(0xFFFFFFFF)


def _minhash_values(grams: Iterable[bytes], num_perm: int) -> np.ndarray:
    """datasketch's `MinHash(num_perm, seed=SEED, scheme="affine32", hashfunc=sha1_hash32)` after
    `update_batch(grams)`, as its uint32 hash values, computed in one pass.

    datasketch calls its hash function once per shingle from Python (a call
    that slices the digest and converts it to an int) before its numpy part;
    here each shingle costs one SHA-1 digest, and the digests are read as
    numbers together: the first 4 bytes of each, little-endian, as
    `sha1_hash32` reads them. The tests compare both on many texts.
    """
    sha1 = hashlib.sha1
    digests = b"".join([sha1(g).digest() for g in grams])
    if not digests:
        return np.full(num_perm, _MAX32, dtype=np.uint32)
    hv = np.frombuffer(digests, dtype="<u4")[::5].astype(np.uint32)  # a SHA-1 digest is 5 words
    s1, m1, s2, m2, s3 = _FMIX32
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    a, b = _permutations(num_perm)
    return np.minimum(np.full(num_perm, _MAX32, dtype=np.uint32), (hv[:, None] * a + b).min(axis=0))


def signature(article_or_text, num_perm: int = NUM_PERM) -> Signature:
    """The signature of an Article (title + body) or of a plain text."""
    return signature_of_words(norm_words(signed_text(article_or_text)), num_perm)


def signed_words(title: str, body_words: list[str]) -> list[str]:
    """`norm_words(signed_text(article))` from the body's words: no word runs across the line
    that joins title and body, so the title's words come first, then the body's."""
    return norm_words(title) + body_words if title else body_words


def shingle_bytes(tokens: list[str], size: int = SHINGLE_WORDS) -> set[bytes]:
    """`words.shingles(tokens, size)`, each as its UTF-8 bytes (what the MinHash hashes).

    ASCII words (most wire copy) are joined and encoded once, and each
    shingle is a slice of those bytes between two word boundaries, instead
    of a string joined and encoded per shingle.
    """
    if len(tokens) > size:
        text = " ".join(tokens)
        if text.isascii():
            data = text.encode("ascii")
            ends = list(accumulate(len(t) + 1 for t in tokens))  # past each word and its space
            return {data[start:end - 1] for start, end in zip([0, *ends], ends[size - 1:])}
    return {g.encode("utf-8", "surrogatepass") for g in shingles(tokens, size)}


def signature_of_words(tokens: list[str], num_perm: int = NUM_PERM) -> Signature:
    """The signature of a text from its normalised words (`norm_words`)."""
    grams = shingle_bytes(tokens, SHINGLE_WORDS)
    values = _minhash_values(grams, num_perm)
    return Signature(tuple(values.tolist()), len(grams), len(tokens), fingerprint(tokens))


def signature_bytes(article_or_text) -> bytes:
    """`signature(...)` serialised, ready for a BLOB column."""
    return signature(article_or_text).to_bytes()
