"""The numpy passage verifier finds exactly what the word-by-word passage finder finds."""
from __future__ import annotations

import random

from archive.coverage import borrowed
from archive.coverage.passages import MAX_REPEATS, passages_of_words
from archive.coverage.words import words


def _expected(article_id: str, body: str, others: dict[str, str]) -> list[borrowed.SharedWith]:
    """Each pair through passages.passages_of_words, the reference implementation."""
    out = []
    for other_id, other in sorted(others.items()):
        if other_id == article_id:
            continue
        found = passages_of_words(body, words(body), words(other))
        if found:
            out.append(borrowed.SharedWith(article_id, other_id, tuple(found)))
    return out


def _text(rnd: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rnd.choice(vocab) for _ in range(n))


def _corpus(seed: int, n: int = 12) -> list[str]:
    """Texts that share runs, runs split by a changed word, repeated runs, and non-ASCII words."""
    rnd = random.Random(seed)
    vocab = ["the", "said", "oil", "price", "Déir", "ez-Zor", "“quoted”", "bank", "rose", "fell", "2016",
             "minister", "talks", "on", "a", "in"]
    quotes = [_text(rnd, vocab, rnd.randint(8, 30)) for _ in range(6)]
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 6)):
            if rnd.random() < 0.6:
                words_ = rnd.choice(quotes).split()
                if rnd.random() < 0.3:  # one word changed: two runs a gap apart
                    words_[rnd.randrange(len(words_))] = rnd.choice(vocab)
                parts.append(" ".join(words_))
            else:
                parts.append(_text(rnd, vocab, rnd.randint(1, 20)))
        texts.append(",  ".join(parts))
    return texts


def test_verifier_finds_the_same_passages_as_the_word_by_word_finder():
    verifier = borrowed.Verifier(cache=4)
    for seed in range(8):
        texts = _corpus(seed)
        others = {f"o{n}": t for n, t in enumerate(texts[1:])}
        assert verifier.verify("new", texts[0], others) == _expected("new", texts[0], others)
        # the article itself among the candidates is skipped, and a short text shares nothing
        others["new"] = texts[0]
        others["short"] = "the oil"
        assert verifier.verify("new", texts[0], others) == _expected("new", texts[0], others)


def test_a_run_repeated_more_than_max_repeats_times_in_the_other_text_is_not_followed():
    run = "one two three four five six seven eight"
    body = f"{run} and then nine ten"
    often = " x ".join([run] * (MAX_REPEATS + 1))
    few = " x ".join([run] * MAX_REPEATS)
    others = {"often": often, "few": few}
    found = borrowed.Verifier().verify("new", body, others)
    assert found == _expected("new", body, others)
    assert [s.b for s in found] == ["few"]


def test_a_candidate_whose_text_changed_is_read_again_not_taken_from_the_cache():
    verifier = borrowed.Verifier()
    body = "the minister said on Monday that oil prices would rise again soon"
    assert verifier.verify("new", body, {"a": body})
    changed = "a completely different text about nothing the minister ever said here"
    assert verifier.verify("new", body, {"a": changed}) == _expected("new", body, {"a": changed})
