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


def test_word_numbers_are_the_words_of_norm_words_with_their_places():
    from archive.coverage.words import norm_words
    texts = ["The OIL price, said the Minister (2016) -- rose_again; twice.", "", "...",
             "Déir ez-Zor: “quoted” STRASSE Straße ÉTÉ été", "tail word"]
    for text in texts:
        ids, starts, ends = borrowed.word_ids(text)
        placed = words(text)
        assert ids.tolist() == [borrowed.word_id(t) for t in norm_words(text)]
        assert list(zip(starts.tolist(), ends.tolist())) == [(w.start, w.end) for w in placed]
    # the same word, whatever its case or the text around it, has one number; different words do not
    assert borrowed.word_ids("oil OIL Oil")[0].tolist() == [borrowed.word_id("oil")] * 3
    assert borrowed.word_id("été") == borrowed.word_ids("ÉTÉ!")[0][0]
    assert len({borrowed.word_id(w) for w in ("ab", "ba", "a", "b", "abc", "")}) == 6
    assert all(0 <= borrowed.word_id(w) < 2**63 for w in ("x", "zzzzzzzzzzzzzzzzzzzzzzz", "é"))


def test_every_ascii_character_parts_or_joins_words_as_norm_words_says():
    from archive.coverage.words import norm_words
    # each of the 128 ASCII characters between, beside and inside words: letters and digits of either
    # case are word characters folded to lower case; '_', '@', '[', '`', '{' (next to the letters) are not
    every = "".join(chr(c) for c in range(128))
    texts = [every, " ".join(f"Ab{chr(c)}9z" for c in range(128)), every[::-1] + "END"]
    for text in texts:
        ids, starts, ends = borrowed.word_ids(text)
        assert ids.tolist() == [borrowed.word_id(t) for t in norm_words(text)]
        assert list(zip(starts.tolist(), ends.tolist())) == [(w.start, w.end) for w in words(text)]


def test_two_words_with_one_number_do_not_make_a_passage_longer(monkeypatch):
    from archive.coverage.words import norm_words
    real = borrowed.word_ids

    def colliding(text):  # "oil" and "bank" numbered alike, as a hash collision would
        ids, starts, ends = real(text)
        ids = ids.copy()
        ids[[t == "bank" for t in norm_words(text)]] = borrowed.word_id("oil")
        return ids, starts, ends

    monkeypatch.setattr(borrowed, "word_ids", colliding)
    body = "one two three four five six seven eight oil nine ten eleven twelve thirteen fourteen fifteen"
    others = {"a": "one two three four five six seven eight bank nine ten eleven twelve thirteen fourteen fifteen",
              "b": "zero one two three four five six seven eight oil nine ten"}
    found = borrowed.Verifier().verify("new", body, others)
    assert found == _expected("new", body, others)
    monkeypatch.setattr(borrowed, "_runs_hold", lambda *args: True)  # without the check on the words:
    assert borrowed.Verifier().verify("new", body, others) != found  # "bank" would count as "oil"


def test_texts_numbered_together_are_numbered_as_each_alone():
    texts = ["First text, ends in a word", "second TEXT starts here", "", "Straße über alles", "x", "tail"]
    for got, text in zip(borrowed.word_ids_many(texts), texts):
        alone = borrowed.word_ids(text)
        assert [a.tolist() for a in got] == [a.tolist() for a in alone]
