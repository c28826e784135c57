"""Story groups on Reuters-21578: verified against the slow, exact computation."""
from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass

import pytest

from archive.coverage import StoryIndex, StoryLinker, signature, story_groups
from archive.coverage.groups import DUPLICATE, GROUP_JACCARD, REPOST, WINDOW_DAYS

pytestmark = pytest.mark.corpus

SAMPLE_SIZE = 3000


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    body: str
    date: dt.date | None


@pytest.fixture(scope="module")
def stories(corpora) -> list[Story]:
    path = corpora / "reuters21578" / "reuters21578.jsonl.gz"
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in itertools.islice(fh, SAMPLE_SIZE):
            rec = json.loads(line)
            date = dt.date.fromisoformat(rec["date"][:10]) if rec.get("date") else None
            out.append(Story(rec["id"], rec.get("title") or "", rec.get("body") or "", date))
    return out


@pytest.fixture(scope="module")
def linked(stories):
    by_id = {s.id: s for s in stories}
    index = StoryIndex()
    linker = StoryLinker(index, lambda ids: {i: by_id[i] for i in ids})
    links = []
    for s in stories:
        links.extend(linker.add(s.id, s))
    return links, linker


def slow_shingles(s: Story) -> set[tuple[str, ...]]:
    """Word 5-grams of title + body, written independently of archive.coverage."""
    toks = re.findall(r"[^\W_]+", f"{s.title}\n{s.body}".casefold())
    if len(toks) <= 5:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i:i + 5]) for i in range(len(toks) - 4)}


def slow_jaccard(a: Story, b: Story) -> float:
    sa, sb = slow_shingles(a), slow_shingles(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def test_exact_and_near_duplicates_are_found(linked):
    links, _ = linked
    kinds = {link.kind for link in links}
    assert DUPLICATE in kinds and REPOST in kinds


def test_a_sample_of_groups_holds_no_false_link(linked, stories):
    links, _ = linked
    by_id = {s.id: s for s in stories}
    groups = story_groups(links)
    assert len(groups) >= 20
    for group in random.Random(7).sample(groups, 20):
        for link in group.links:
            a, b = by_id[link.a], by_id[link.b]
            assert slow_jaccard(a, b) >= GROUP_JACCARD or link.kind == DUPLICATE
            assert abs(slow_jaccard(a, b) - link.jaccard) < 1e-9


def test_recall_against_exhaustive_pairs_is_high(linked, stories):
    """Every pair sharing a shingle is scored exactly (all other pairs score 0)."""
    links, _ = linked
    shingle_sets = {s.id: slow_shingles(s) for s in stories}
    holders = defaultdict(list)
    for sid, grams in shingle_sets.items():
        for g in grams:
            holders[g].append(sid)
    pairs = set()
    for ids in holders.values():
        if len(ids) < 200:
            pairs.update(itertools.combinations(sorted(ids), 2))
    by_id = {s.id: s for s in stories}
    truth = set()
    for a, b in pairs:
        sa, sb = shingle_sets[a], shingle_sets[b]
        same_text = re.findall(r"[^\W_]+", f"{by_id[a].title}\n{by_id[a].body}".casefold()) == \
            re.findall(r"[^\W_]+", f"{by_id[b].title}\n{by_id[b].body}".casefold())
        near = len(sa & sb) / len(sa | sb) >= GROUP_JACCARD
        close = abs((by_id[a].date - by_id[b].date).days) <= WINDOW_DAYS
        if same_text or (near and close):
            truth.add((a, b))
    found = {tuple(sorted((link.a, link.b))) for link in links}
    assert found <= truth  # no false link at all
    recall = len(found & truth) / len(truth)
    assert recall >= 0.95, f"recall {recall:.3f} over {len(truth)} true pairs"


def test_adding_one_article_compares_it_with_candidates_only(linked, stories):
    _, linker = linked
    index = linker.index
    assert len(index) == len(stories)
    newcomer = stories[0]
    before_cmp, before_ver = index.comparisons, linker.verifications
    candidates = index.candidates(signature(newcomer), exclude=newcomer.id)
    index.comparisons = before_cmp
    linker.links_for(newcomer.id + "-copy", newcomer)
    compared = index.comparisons - before_cmp
    verified = linker.verifications - before_ver
    assert 1 <= verified <= len(candidates) + 1
    assert compared < len(stories) / 100
    # and the archive-wide cost of building the index stayed linear
    assert index.comparisons < 2 * len(stories)
