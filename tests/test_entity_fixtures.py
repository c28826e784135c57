"""The hand-labelled fixtures bench/entities.py reads are well formed."""
from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def rows(name: str) -> list[list[str]]:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_precision_labels_hold_at_least_150_values_each_right_or_wrong_and_wrong_ones_say_why():
    labels = rows("entity_precision_labels.tsv")
    assert len(labels) >= 150
    assert len({tuple(r[:3]) for r in labels}) == len(labels)
    for r in labels:
        assert r[1] in ("person", "org", "place") and r[3] in ("right", "wrong"), r
        assert r[3] == "right" or (len(r) == 5 and r[4]), r


def test_merge_labels_are_same_or_different_and_different_ones_say_why():
    for r in rows("entity_merge_labels.tsv"):
        assert r[2] in ("same", "different"), r
        assert r[2] == "same" or (len(r) == 4 and r[3]), r


def test_key_pair_labels_are_same_or_different_spelling_pairs_and_different_ones_say_why():
    labels = rows("entity_key_pair_labels.tsv")
    assert len(labels) >= 50
    assert len({tuple(r[:2]) for r in labels}) == len(labels)
    for r in labels:
        assert r[0] < r[1] and r[0] == r[0].casefold() and r[2] in ("same", "different"), r
        assert r[2] == "same" or (len(r) == 4 and r[3]), r
