"""The citation pass's shortcuts leave its citations as they were.

A rule whose pattern spells out a word ("told", "according to") is not
scanned over a text without that word (`attribution.REQUIRED`), and a name
is classified once per process (`sources.classify` remembers). Both are
exact only if every match of such a rule contains its word and a name's
class depends on nothing but the arguments: checked here on the five
samples, on wire sentences, and on one sentence written for each rule.
"""
from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest

from archive.coverage import attribution, sources
from archive.coverage.attribution import RULES, REQUIRED, REQUIRED_ANY_CASE, attributions
from archive.paths import SAMPLES_DIR

REUTERS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"

#: One text per rule with a required word, each cited the way that rule reads it.
WRITTEN = {
    "dateline": "MOSCOW, March 3 (Interfax) - The talks ended without an agreement.",
    "source line": "The ceasefire held overnight.\n\nSource: Syrian Arab News Agency",
    "headline pipe": "Ceasefire holds in the north after talks | Al Masdar News\n\nThe guns fell silent.",
    "told": "A senior commander told Reuters that the troops would stay.",
    "cited by": "The figures were confirmed, as cited by the Interfax news agency.",
    "originally": "This article Originally Appeared on ZeroHedge.com and is reposted.",
    "according to": "The convoy crossed at dawn, according to the Interior Ministry.",
    "citing": "The agency reported the figures, citing the Central Bank of Egypt.",
    "statement by": "In a statement issued by the Russian Defence Ministry, the strikes were confirmed.",
}


def texts() -> list[str]:
    out = [p.read_text(encoding="utf-8") for p in sorted(Path(SAMPLES_DIR).glob("*.txt"))]
    out += list(WRITTEN.values())
    if REUTERS.exists():
        with gzip.open(REUTERS, "rt", encoding="utf-8") as fh:
            out += [json.loads(line).get("body") or "" for line in itertools.islice(fh, 600)]
    return out


def test_every_rule_with_a_required_word_is_written_out_here():
    assert set(REQUIRED) | set(REQUIRED_ANY_CASE) == set(WRITTEN)
    assert set(REQUIRED) | set(REQUIRED_ANY_CASE) <= {rule for rule, _, _ in RULES}


@pytest.mark.parametrize("rule", sorted(WRITTEN))
def test_each_match_of_a_rule_holds_its_required_word(rule):
    pattern = next(p for r, p, _ in RULES if r == rule)
    matched = 0
    for text in texts():
        for m in pattern.finditer(text):
            matched += 1
            if rule in REQUIRED:
                assert any(word in m.group(0) for word in REQUIRED[rule]), (rule, m.group(0))
            else:
                assert any(word in m.group(0).lower() for word in REQUIRED_ANY_CASE[rule]), (rule, m.group(0))
    assert pattern.search(WRITTEN[rule]), f"the sentence written for {rule!r} is not read by it"
    assert matched >= 1


def test_the_written_sentences_cite_their_sources():
    cited = {rule: {c.rule for c in attributions(text)} for rule, text in WRITTEN.items()}
    assert all(rule in found for rule, found in cited.items()), cited


def test_citations_are_the_same_with_the_names_remembered_or_not(monkeypatch):
    corpus = texts()
    sources._classify.cache_clear()
    remembered = [attributions(t, publisher="Reuters") for t in corpus]
    again = [attributions(t, publisher="Reuters") for t in corpus]  # every name from the memory now
    assert sources._classify.cache_info().hits > 0
    monkeypatch.setattr(sources, "_classify", sources._classify.__wrapped__)  # no memory: always computed
    computed = [attributions(t, publisher="Reuters") for t in corpus]
    assert remembered == again == computed
    assert sum(map(len, computed)) > 100


def test_the_remembered_names_are_bounded():
    sources._classify.cache_clear()
    for n in range(sources.CLASSIFIED_MAX + 40):
        sources.classify(f"Ministry number {n}")
    assert sources._classify.cache_info().currsize <= sources.CLASSIFIED_MAX


def test_a_text_without_the_required_word_is_not_scanned_by_that_rule(monkeypatch):
    scanned: list[str] = []

    class Recording:
        def __init__(self, rule, pattern):
            self.rule, self.pattern = rule, pattern

        def finditer(self, text):
            scanned.append(self.rule)
            return self.pattern.finditer(text)

    monkeypatch.setattr(attribution, "RULES", tuple((r, Recording(r, p), pub) for r, p, pub in RULES))
    list(attribution._iter_matches("The minister said the talks went well."))
    assert "told" not in scanned and "according to" not in scanned
    assert "cited by" not in scanned and "originally" not in scanned
    assert "speaker then verb" in scanned
    scanned.clear()
    list(attribution._iter_matches("It FIRST ran on the site, Reuters reported."))
    assert "cited by" in scanned and "originally" in scanned
    scanned.clear()
    list(attribution._iter_matches("Le ministre l'a dit à l'agence (Interfax)."))  # not ASCII: scanned whatever its case
    assert "originally" in scanned
