"""Coverage kept by the real ingest pipeline: citations, links, incremental runs, removal.

Expected values come from the library run directly on the stored articles
(or from the texts themselves), never from the tables under test.
"""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from archive.coverage import article_citations
from archive.coverage import store as coverage_store
from archive.coverage.ingest import CoverageStep, rebuild_coverage
from archive.paths import SAMPLES_DIR, DataDir
from archive.pipeline import Ingest
from archive.store import Store
from conftest import build_archive
from ingest import cli

BIN_REPOST_EDIT = ("Sixty-two Syrian soldiers", "Sixty-two Syrian army soldiers")


def rows(store: Store, table: str, column: str, article_id: str) -> int:
    return store.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (article_id,)).fetchone()[0]


def run(data: DataDir, paths, prune: bool = False) -> CoverageStep:
    """One `add` run with a fresh coverage step; the step, for its counters."""
    from archive.pipeline import IngestOptions
    step = CoverageStep()
    with Store(data.store_path) as store:
        report = Ingest(store, IngestOptions(prune=prune), coverage=step).run(paths)
    assert not report.failures, report.failures
    return step


def by_outlet(store: Store, outlet: str):
    return next(a for a in store.iter_articles() if a.outlet == outlet)


@pytest.fixture(scope="module")
def sample_store(sample_data):
    with Store(sample_data.store_path) as store:
        yield store


# --- what the samples' coverage holds ---------------------------------------------

def test_every_sample_article_is_signed_once(sample_store):
    assert coverage_store.signature_count(sample_store) == sample_store.count() == 5


def test_stored_citations_are_what_attribution_finds_in_each_article(sample_store):
    for article in sample_store.iter_articles():
        expected = sorted((c.source_slug, c.phrase, c.start) for c in article_citations(article))
        stored = sorted((c.source_slug, c.phrase, c.start)
                        for c in coverage_store.citations_of(sample_store, article.id))
        assert stored == expected, article.id


def test_sana_and_the_russian_defence_ministry_are_cited_by_several_articles(sample_store):
    citing = {}
    for article in sample_store.iter_articles():
        for c in coverage_store.citations_of(sample_store, article.id):
            citing.setdefault(c.source_slug, set()).add(article.id)
    assert len(citing["sana"]) >= 2
    assert len(citing["russian-defence-ministry"]) >= 3


def test_named_outlets_and_channels_are_cited_where_the_text_says_so(sample_store):
    expectations = [("RT", "sputnik", "Sputnik"), ("Before It's News", "zero-hedge", "Zero Hedge")]
    for publisher, slug, word in expectations:
        article = by_outlet(sample_store, publisher)
        found = [c for c in coverage_store.citations_of(sample_store, article.id) if c.source_slug == slug]
        assert found and word in article.body[found[0].start:found[0].end]
    rossiya = [c for a in sample_store.iter_articles()
               for c in coverage_store.citations_of(sample_store, a.id) if c.source_slug == "rossiya-24"]
    assert rossiya and rossiya[0].kind == "outlet"


def test_no_article_cites_its_own_publisher(sample_store):
    for article in sample_store.iter_articles():
        cited = {c.source_slug for c in coverage_store.citations_of(sample_store, article.id)}
        assert article.outlet_slug not in cited


def test_no_two_samples_form_a_story_group(sample_store):
    assert coverage_store.all_links(sample_store) == []
    assert coverage_store.story_summaries(sample_store) == []


def test_citation_counts_add_up_to_the_stored_citations(sample_store):
    counts = coverage_store.citation_counts(sample_store)
    total = sample_store.db.execute("SELECT COUNT(*) FROM citations").fetchone()[0]
    assert sum(c.citations for c in counts) == total
    sana = [c for c in counts if c.source_slug == "sana"]
    assert sum(c.articles for c in sana) >= 2


# --- incremental runs ---------------------------------------------------------------

@pytest.fixture()
def small_archive(tmp_path):
    """The samples ingested (without entities) from a folder the test may change."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES_DIR, folder)
    data = DataDir(tmp_path / "data")
    build_archive(data, [folder], entities=False)
    return data, folder


def test_rerunning_add_on_unchanged_files_signs_nothing(small_archive):
    data, folder = small_archive
    step = run(data, [folder])
    assert step.signed == 0
    assert step.index is None  # not even loaded


def test_a_new_repost_is_compared_with_its_candidates_only_and_linked(small_archive):
    data, folder = small_archive
    original = (SAMPLES_DIR / "002_c9631d2d550c0fb6.txt").read_text(encoding="utf-8")
    assert BIN_REPOST_EDIT[0] in original
    (folder / "repost.txt").write_text(original.replace(*BIN_REPOST_EDIT), encoding="utf-8")
    step = run(data, [folder])
    assert step.signed == 1
    assert len(step.index) == 6
    # one exact comparison: the article it copies, not the four other stored ones
    assert step.linker.verifications == 1
    assert step.index.comparisons <= 1
    with Store(data.store_path) as store:
        copy = next(a for a in store.iter_articles() if a.source_path.endswith("repost.txt"))
        links = coverage_store.links_of(store, copy.id)
        source = next(a for a in store.iter_articles() if a.source_path.endswith("002_c9631d2d550c0fb6.txt"))
        assert [link.id for link in links] == [source.id]
        assert links[0].kind in ("repost", "shared wire text")
        groups = coverage_store.story_summaries(store)
        assert len(groups) == 1 and set(m.id for m in groups[0].members) == {copy.id, source.id}


def test_an_identical_copy_is_a_duplicate_counted_once(small_archive):
    data, folder = small_archive
    shutil.copy(SAMPLES_DIR / "003_e708c6bec30fd41c.txt", folder / "copy.txt")
    run(data, [folder])
    with Store(data.store_path) as store:
        (group,) = coverage_store.story_summaries(store)
        assert group.size == 2 and group.distinct_texts == 1
        assert group.kinds == {"duplicate": 1}
        assert coverage_store.duplicate_count(store) == 1


def test_a_removed_file_leaves_no_coverage_rows(small_archive):
    data, folder = small_archive
    shutil.copy(SAMPLES_DIR / "002_c9631d2d550c0fb6.txt", folder / "copy.txt")
    run(data, [folder])
    with Store(data.store_path) as store:
        copy_id = next(a.id for a in store.iter_articles() if a.source_path.endswith("copy.txt"))
        assert rows(store, "story_links", "a", copy_id) + rows(store, "story_links", "b", copy_id) == 1
        assert rows(store, "citations", "article_id", copy_id) > 0
    (folder / "copy.txt").unlink()
    run(data, [folder], prune=True)
    with Store(data.store_path) as store:
        assert copy_id not in store
        for table, column in (("story_signatures", "article_id"), ("story_links", "a"),
                              ("story_links", "b"), ("citations", "article_id")):
            assert rows(store, table, column, copy_id) == 0
        assert coverage_store.signature_count(store) == 5


def test_a_changed_article_replaces_its_coverage(small_archive):
    data, folder = small_archive
    path = folder / "004_4b30b7630e901a3c.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("told Rossiya 24", "told reporters"),
                    encoding="utf-8")
    step = run(data, [folder])
    assert step.signed == 1
    with Store(data.store_path) as store:
        slugs = {row[0] for row in store.db.execute("SELECT source_slug FROM citations")}
        assert "rossiya-24" not in slugs
        assert coverage_store.signature_count(store) == 5


def test_an_unreadable_signature_is_recomputed_on_the_next_run(small_archive):
    data, folder = small_archive
    with Store(data.store_path) as store:
        victim = store.ids()[0]
        store.db.execute("UPDATE story_signatures SET signature = ? WHERE article_id = ?", (b"xx", victim))
    shutil.copy(SAMPLES_DIR / "001_f40835fafc506217.txt", folder / "copy.txt")
    step = run(data, [folder])
    assert [article_id for article_id, _ in step.repaired] == [victim]
    with Store(data.store_path) as store:
        assert coverage_store.signature_count(store) == 6
        assert len(dict(coverage_store.stored_signatures(store))[victim]) > 2


def test_rebuild_recomputes_coverage_for_an_archive_ingested_without_it(tmp_path):
    data = DataDir(tmp_path / "data")
    build_archive(data, [SAMPLES_DIR], entities=False, coverage=False)
    with Store(data.store_path) as store:
        coverage_store.ensure_schema(store)
        assert coverage_store.signature_count(store) == 0
        step = rebuild_coverage(store)
        assert step.signed == store.count() == coverage_store.signature_count(store)
        expected = sum(len(article_citations(a)) for a in store.iter_articles())
        assert store.db.execute("SELECT COUNT(*) FROM citations").fetchone()[0] == expected


# --- the CLI -------------------------------------------------------------------------

def test_stories_and_cites_json_have_their_documented_shape(small_archive):
    data, folder = small_archive
    shutil.copy(SAMPLES_DIR / "000_033e566f6da3e044.txt", folder / "copy.txt")
    run(data, [folder])
    runner = CliRunner()
    out = runner.invoke(cli, ["stories", "--data", str(data.root), "--json"], catch_exceptions=False)
    assert out.exit_code == 0
    (story,) = json.loads(out.output)["stories"]
    assert set(story) >= {"id", "size", "outlets", "first_date", "last_date", "title", "members"}
    assert story["size"] == 2 and story["distinct_texts"] == 1
    assert story["first_date"] == story["last_date"]
    # one outlet twice: filtered out by --min-outlets 2
    two = runner.invoke(cli, ["stories", "--data", str(data.root), "--json", "--min-outlets", "2"])
    assert json.loads(two.output)["stories"] == []

    out = runner.invoke(cli, ["cites", "--data", str(data.root), "--json"], catch_exceptions=False)
    cites = json.loads(out.output)["cites"]
    assert cites and set(cites[0]) == {"outlet", "outlet_slug", "source_name", "source_slug", "kind",
                                       "articles", "citations"}
    with Store(data.store_path) as store:
        expected = sum(len(article_citations(a)) for a in store.iter_articles())
    assert sum(c["citations"] for c in cites) == expected
