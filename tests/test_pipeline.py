"""An ingest run does only the work that changed, and never loses what it had."""
from __future__ import annotations

import json
import os
import shutil

import pytest

import archive.pipeline as pipeline
from archive.document import Entity
from archive.paths import DataDir
from archive.pipeline import Ingest, IngestOptions
from archive.store import Store
from index.writer import IndexFeed, generation


def run(data: DataDir, paths, entities=None, prune=False):
    def index(store, progress):
        return IndexFeed(store, data.index_root)
    with Store(data.store_path) as store:
        return Ingest(store, IngestOptions(prune=prune), entities=entities, index=index).run(paths)


@pytest.fixture
def corpus(tmp_path, samples_dir):
    folder = tmp_path / "in"
    shutil.copytree(samples_dir, folder)
    return folder


@pytest.fixture
def data(tmp_path):
    return DataDir(tmp_path / "data")


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def test_adding_the_samples_stores_and_indexes_five_articles(corpus, data):
    report = run(data, [corpus])
    assert (report.added, report.indexed, report.failures) == (5, 5, [])
    with Store(data.store_path) as store:
        assert store.count() == 5 and store.pending_ids() == []


def test_a_second_run_on_unchanged_input_extracts_nothing_and_writes_no_index(corpus, data, monkeypatch):
    run(data, [corpus])
    before = generation(data.index_root)
    calls = []
    monkeypatch.setattr(pipeline, "extract", lambda raw: calls.append(raw))
    report = run(data, [corpus])
    assert calls == []
    assert (report.unchanged, report.added, report.updated, report.indexed) == (5, 0, 0, 0)
    assert generation(data.index_root) == before


def test_a_touched_but_identical_file_is_hashed_not_reread(corpus, data, monkeypatch):
    run(data, [corpus])
    target = next(corpus.iterdir())
    os.utime(target, ns=(1, 1))
    calls = []
    monkeypatch.setattr(pipeline, "extract", lambda raw: calls.append(raw))
    report = run(data, [corpus])
    assert calls == [] and report.unchanged == 5


def test_a_changed_file_updates_its_articles_and_drops_the_ones_it_lost(tmp_path, data):
    src = tmp_path / "feed.jsonl"
    write_jsonl(src, [{"id": "n1", "title": "First story", "body": "Alpha text about ports.", "outlet": "Reuters"},
                      {"id": "n2", "title": "Second story", "body": "Beta text about ships.", "outlet": "Reuters"}])
    assert run(data, [src]).added == 2
    write_jsonl(src, [{"id": "n1", "title": "First story", "body": "Alpha text, corrected.", "outlet": "Reuters"}])
    report = run(data, [src])
    assert (report.updated, report.removed, report.index_deleted) == (1, 1, 1)
    with Store(data.store_path) as store:
        assert [a.body for a in store] == ["Alpha text, corrected."]


def test_prune_forgets_articles_whose_file_is_gone(corpus, data):
    run(data, [corpus])
    victim = sorted(corpus.iterdir())[0]
    victim.unlink()
    assert run(data, [corpus]).removed == 0, "without --prune nothing is removed"
    report = run(data, [corpus], prune=True)
    assert report.removed == 1
    with Store(data.store_path) as store:
        assert store.count() == 4
        assert all(a.source_path != str(victim) for a in store)


def test_a_bad_file_is_reported_and_the_good_ones_are_kept(corpus, data):
    (corpus / "broken.jsonl").write_text('{"title": "ok", "body": "fine text here"}\n{"title": \n', encoding="utf-8")
    (corpus / "empty.txt").write_bytes(b"")
    report = run(data, [corpus])
    reasons = {(os.path.basename(f.path), f.record) for f in report.failures}
    assert ("empty.txt", None) in reasons
    assert ("broken.jsonl", 2) in reasons
    assert report.added == 6
    with Store(data.store_path) as store:
        assert store.count() == 6
        assert {os.path.basename(f["path"]) for f in store.stats()["failures"]} == {"empty.txt", "broken.jsonl"}


def test_a_missing_path_is_a_failure_not_a_crash(tmp_path, data):
    report = run(data, [tmp_path / "nope"])
    assert len(report.failures) == 1 and "no such" in report.failures[0].reason


class CountingExtractor:
    """Stands in for spaCy: tags 'Syria' and counts the articles it is given."""

    version = "counting-1"

    def __init__(self):
        self.seen = 0

    def extract(self, articles):
        self.seen += len(articles)
        return [tuple([Entity("syria", "Syria", "place", a.body.count("Syria"))]) if "Syria" in a.body else ()
                for a in articles]


def test_entities_are_cached_by_content_so_a_copy_runs_no_extraction(corpus, data, tmp_path):
    extractor = CountingExtractor()
    run(data, [corpus], entities=extractor)
    assert extractor.seen == 5
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    report = run(data, [copy], entities=extractor)
    assert extractor.seen == 5 and report.entity_runs == 0 and report.added == 5
    with Store(data.store_path) as store:
        tagged = [a for a in store if a.entities]
        assert len(tagged) == 10 and all(a.entities[0].slug == "syria" for a in tagged)


def test_reextract_updates_changed_entities_and_flags_them_for_the_index(corpus, data):
    run(data, [corpus])
    with Store(data.store_path) as store:
        changed = pipeline.reextract(store, CountingExtractor())
        assert changed == sum(1 for a in store if a.entities)
        assert len(store.pending_ids()) == changed
