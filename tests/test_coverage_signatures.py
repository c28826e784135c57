"""Signatures are datasketch's MinHash of the text's word 5-grams, whatever computes them.

The expected values are computed here with datasketch itself: a `MinHash`
with the scheme, seed and SHA-1 hash function the archive's signatures
name, updated with each shingle's UTF-8 bytes. A stored signature computed
another way would no longer meet the archive's older ones in the story
index.
"""
from __future__ import annotations

import hashlib
import random
import struct

import pytest
from datasketch import MinHash

from archive.coverage.signatures import NUM_PERM, SCHEME, SEED, shingle_bytes, signature
from archive.coverage.words import norm_words

WORDS = ("the ministry said on Tuesday that its forces had struck targets near Deir ez-Zor "
         "Reuters reported prices rose 3.5 pct in March Société Générale café Zürich 東京 ").split()


def datasketch_values(text: str) -> tuple[tuple[int, ...], int]:
    tokens = norm_words(text)
    if not tokens:
        grams = set()
    elif len(tokens) <= 5:
        grams = {" ".join(tokens)}
    else:
        grams = {" ".join(tokens[i:i + 5]) for i in range(len(tokens) - 4)}
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME,
                 hashfunc=lambda data: struct.unpack("<I", hashlib.sha1(data).digest()[:4])[0])
    mh.update_batch([g.encode("utf-8", "surrogatepass") for g in grams])
    return tuple(int(v) for v in mh.hashvalues), len(grams)


def random_texts(n: int) -> list[str]:
    rng = random.Random(12)
    return [" ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 400))) for _ in range(n)]


@pytest.mark.parametrize("text", ["", "Price up", "one two three four five", "one two three four five six",
                                  "Ünïcödé wörds, ≠ ascii: 東京 café", "broken \ud800 surrogate here now ok"])
def test_a_short_odd_or_empty_text_is_signed_as_datasketch_signs_it(text):
    sig = signature(text)
    assert (sig.hashvalues, sig.shingles) == datasketch_values(text)


def test_long_texts_with_repeated_runs_are_signed_as_datasketch_signs_them():
    for text in random_texts(40):
        sig = signature(text)
        assert (sig.hashvalues, sig.shingles) == datasketch_values(text)
        assert sig.words == len(norm_words(text))


@pytest.mark.parametrize("text", ["", "a", "a b c d e", "a b c d e f", "one two one two one two one two",
                                  "café au lait tous les matins à Paris", "x" * 30 + " y z w v u t"])
def test_shingle_bytes_are_the_shingles_encoded(text):
    tokens = norm_words(text)
    assert shingle_bytes(tokens) == {" ".join(tokens[i:i + 5]).encode("utf-8") for i in range(max(1, len(tokens) - 4))
                                     } - ({b""} if not tokens else set())
