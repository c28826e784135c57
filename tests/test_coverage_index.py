"""Signatures survive storage; the story index reloads and answers the same."""
from __future__ import annotations

from archive.coverage import StoryIndex, overlap, signature, signature_bytes, story_groups
from archive.coverage.groups import DUPLICATE, REPOST, REWRITE, SHARED_WIRE_TEXT, StoryLink
from archive.coverage.signatures import Signature

BASE = " ".join(f"word{i}" for i in range(200))


def test_a_signature_round_trips_through_bytes():
    sig = signature(BASE)
    assert Signature.from_bytes(sig.to_bytes()) == sig
    assert len(signature_bytes(BASE)) < 600


def test_layout_and_punctuation_do_not_change_the_text_fingerprint():
    assert signature("The talks, failed.\n\nToday").fingerprint == signature("the TALKS failed today").fingerprint


def test_the_index_reloads_from_stored_pairs_and_from_a_file(tmp_path):
    index = StoryIndex()
    index.add("a", signature(BASE))
    index.add("b", signature(BASE + " extra words here"))
    index.add("c", signature("something else entirely about grain prices in Chicago today"))
    errors: list = []
    again = StoryIndex.from_pairs(list(index.items()) + [("bad", b"\x01\x02")], errors=errors)
    assert errors and errors[0][0] == "bad"
    index.save(tmp_path / "sigs.sqlite3")
    loaded = StoryIndex.load(tmp_path / "sigs.sqlite3")
    for idx in (again, loaded):
        assert idx.candidates(signature(BASE), exclude="a") == ["b"]


def test_link_kinds_follow_the_documented_thresholds():
    assert overlap(BASE, BASE.upper()).kind == DUPLICATE
    assert overlap(BASE, BASE + " one more").kind == REPOST
    half = " ".join(f"word{i}" for i in range(120))
    assert overlap(half, BASE).kind == SHARED_WIRE_TEXT  # all of the shorter one, J = 0.6
    edited = " ".join(f"word{i}" if i % 20 else "changed" for i in range(200))
    assert overlap(edited, BASE).kind == REWRITE
    assert overlap(BASE, "unrelated text " * 30).kind is None


def test_story_groups_are_connected_components_counting_duplicates_once():
    links = [StoryLink("b", "a", DUPLICATE, 1, 1, 1), StoryLink("c", "b", REPOST, .95, .95, .95),
             StoryLink("x", "y", REWRITE, .6, .7, .7)]
    groups = story_groups(links)
    assert [g.members for g in groups] == [("a", "b", "c"), ("x", "y")]
    assert groups[0].id == "a" and groups[0].distinct_texts() == 2
