"""The story index finds what datasketch's MinHashLSH finds, in a fraction of the memory.

Expected candidates are computed here with datasketch itself: `MinHashLSH`
with the index's threshold and permutations, its query's keys filtered by
the documented rule (exact duplicates first, then bucket mates whose
estimate reaches half the threshold, most similar first).
"""
from __future__ import annotations

import random
import tracemalloc

import pytest
from datasketch import MinHashLSH

from archive.coverage import storyindex
from archive.coverage.signatures import Signature, signature
from archive.coverage.storyindex import LSH_THRESHOLD, StoryIndex

WORDS = ("oil bank rates trade market shares profit dollar yen grain wheat strike talks minister said "
         "company quarter year rose fell percent billion million exports imports central government").split()


def texts(n: int = 240, seed: int = 3) -> list[tuple[str, str]]:
    """Stories and edited copies of them (a few words changed, some cut), so many share buckets."""
    rnd = random.Random(seed)
    out: list[tuple[str, str]] = []
    for i in range(n):
        if out and i % 3:
            base = rnd.choice(out)[1].split()
            for _ in range(rnd.randint(0, 12)):
                base[rnd.randrange(len(base))] = rnd.choice(WORDS)
            words = base[:rnd.randint(len(base) // 2, len(base))] if i % 7 == 0 else base
        else:
            words = [rnd.choice(WORDS) for _ in range(rnd.randint(30, 80))]
        out.append((f"a{i:04d}", " ".join(words)))
    out.append(("a9998", ""))  # an empty text: in no bucket, never a candidate
    out.append(("a9999", out[5][1]))  # an exact copy
    return out


def expected_candidates(lsh: MinHashLSH, sigs: dict, live: set[str], sig, exclude: str) -> list[str]:
    same = sorted(i for i in live if not sigs[i].empty and sigs[i].fingerprint == sig.fingerprint)
    mates = set(lsh.query(sig.minhash())) - set(same)
    scored = sorted((-sig.estimate(sigs[i]), i) for i in mates if sig.estimate(sigs[i]) >= LSH_THRESHOLD / 2)
    return [i for i in same + [i for _, i in scored] if i != exclude]


def test_candidates_are_datasketchs_bucket_mates_through_merges_removals_and_readds(monkeypatch):
    monkeypatch.setattr(storyindex, "MERGE_EVERY", 16)  # many merges, and queries meeting unmerged rows
    index = StoryIndex()
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=index.num_perm)
    sigs, live = {}, set()
    rnd = random.Random(5)
    asked = found = 0
    for n, (article_id, text) in enumerate(texts()):
        sig = sigs[article_id] = signature(text)
        got = index.candidates(sig, exclude=article_id)
        assert got == expected_candidates(lsh, sigs, live, sig, article_id), article_id
        asked, found = asked + 1, found + len(got)
        index.add(article_id, sig)
        if not sig.empty:
            lsh.insert(article_id, sig.minhash())
        live.add(article_id)
        if n % 10 == 9:  # drop one, and sometimes put it back
            gone = rnd.choice(sorted(live))
            index.remove(gone)
            live.discard(gone)
            if not sigs[gone].empty:
                lsh.remove(gone)
            if n % 20 == 19:
                index.add(gone, sigs[gone])
                live.add(gone)
                if not sigs[gone].empty:
                    lsh.insert(gone, sigs[gone].minhash())
    assert found > asked // 2  # the texts do meet: the comparison is not of empty lists
    reloaded = StoryIndex.from_pairs(index.items())
    assert sorted(reloaded.items()) == sorted(index.items()) and len(reloaded) == len(live)
    for article_id, text in texts()[:60]:
        assert reloaded.candidates(sigs[article_id], exclude=article_id) == index.candidates(
            sigs[article_id], exclude=article_id)


def test_an_indexed_article_costs_a_sixth_of_what_datasketchs_dictionaries_did():
    rnd = random.Random(7)
    pairs = [(f"article-{i:06d}", Signature(tuple(rnd.getrandbits(32) for _ in range(128)), 60, 64,
                                            rnd.randbytes(8)).to_bytes()) for i in range(1000)]
    tracemalloc.start()
    try:
        index = StoryIndex.from_pairs(pairs)
        per_article = tracemalloc.get_traced_memory()[0] / len(index)
    finally:
        tracemalloc.stop()
    # datasketch's MinHashLSH and a Signature of Python ints per article took 14.3 kB each (measured)
    assert per_article < 2400, f"{per_article:.0f} bytes per indexed article"


@pytest.mark.parametrize("text", ["", "one two three"])
def test_a_short_or_empty_text_round_trips_through_the_index(text):
    index = StoryIndex()
    index.add("x", signature(text))
    assert index.signature("x") == signature(text)
    assert dict(index.items())["x"] == signature(text).to_bytes()


def test_exact_copies_are_found_merged_or_not_and_forgotten_when_removed(monkeypatch):
    monkeypatch.setattr(storyindex, "MERGE_EVERY", 4)
    index = StoryIndex()
    text = "the talks on the new trade pact between the two countries failed again on monday"
    others = [" ".join(f"w{i}x{j}" for j in range(30)) for i in range(9)]
    for i in range(9):  # copies 0, 3, 6 among other texts, across merges
        index.add(f"c{i}", signature(text if i % 3 == 0 else others[i]))
    assert index.candidates(signature(text), exclude="c0")[:2] == ["c3", "c6"]
    index.remove("c3")
    assert index.candidates(signature(text))[:2] == ["c0", "c6"]
    index.add("c3", signature(text))  # back, in the rows not merged yet
    assert index.candidates(signature(text))[:3] == ["c0", "c3", "c6"]
    assert index.signature("c6") == signature(text) and "c3" in index and len(index) == 9
