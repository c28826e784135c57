"""The store of record keeps exactly what each file yields, and says what changed."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from archive.document import Article, Entity, Mention
from archive.errors import ArticleNotFound, BadRecord
from archive.store import FileState, Store


def article(aid: str, path: str = "/src/a.jsonl", record: int | None = 1, body: str = "Body text.",
            **kw) -> Article:
    return Article(id=aid, slug=aid, title=kw.pop("title", f"Title {aid}"), body=body, source_path=path,
                   record=record, fmt="jsonl", original=body, **kw)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


def state(path="/src/a.jsonl", digest="d1"):
    return FileState(path, 10, 1, digest)


def test_an_article_round_trips_with_all_its_fields(store):
    ent = Entity("deir-ez-zor", "Deir ez-Zor", "place", 2, ("Deir ez-Zor", "Deir Ezzor"),
                 (Mention("body", 0, 11, "Deir ez-Zor"),))
    a = article("a1", outlet="RT", outlet_slug="rt", date=dt.date(2016, 9, 27), news_id="42",
                url="https://rt.com/x", lang="en", origins={"date": "inferred:top-line"}, entities=(ent,))
    store.store_file(state(), [a])
    assert store.get("a1") == a


def test_an_original_that_is_the_body_is_stored_once_and_read_back_whole(store):
    clean = article("a1", body="A record's clean text.")                 # original == body
    page = replace(article("a2", record=2), original="Menu | Home\nBody text.\nFooter")
    store.store_file(state(), [clean, page])
    rows = dict(store.db.execute("SELECT id, data FROM articles"))
    assert rows["a1"].count("A record's clean text.") == 1
    assert "Menu | Home" in rows["a2"]
    assert store.get("a1") == clean and store.get("a2") == page
    assert store.get_many(["a1", "a2"]) == {"a1": clean, "a2": page}
    assert sorted(store.iter_articles(), key=lambda a: a.id) == [clean, page]


def test_a_row_written_with_its_original_twice_is_read_and_stays_unchanged_when_stored_again(store):
    # rows written before the original was left out hold it beside the body: still read, and an
    # unchanged article stored again is not rewritten (nor indexed again) for the new layout
    a = article("a1", body="Kept as older code kept it.")
    store.store_file(state(), [a])
    older = json.dumps(a.to_dict(), ensure_ascii=False, sort_keys=True)
    store.db.execute("UPDATE articles SET data = ? WHERE id = 'a1'", (older,))
    store.mark_indexed(["a1"])
    assert store.get("a1") == a
    again = store.store_file(state(digest="d2"), [a])
    assert again.unchanged == ["a1"] and again.written == []
    assert store.pending_ids() == []
    changed = store.store_file(state(digest="d3"), [replace(a, body="Now changed.", original="Now changed.")])
    assert changed.updated == ["a1"]


def test_an_unknown_id_raises_article_not_found(store):
    with pytest.raises(ArticleNotFound):
        store.get("nope")


def test_storing_a_file_again_reports_added_updated_unchanged_and_removed(store):
    first = store.store_file(state(), [article("a1"), article("a2", record=2)])
    assert (first.added, first.updated, first.removed) == (["a1", "a2"], [], [])
    second = store.store_file(state(digest="d2"), [article("a1"), article("a3", record=3, body="New.")])
    assert second.unchanged == ["a1"] and second.added == ["a3"] and second.removed == ["a2"]
    third = store.store_file(state(digest="d3"), [article("a1", body="Changed."), article("a3", record=3, body="New.")])
    assert third.updated == ["a1"] and third.unchanged == ["a3"]
    assert sorted(store.ids()) == ["a1", "a3"]


def test_changed_and_removed_articles_wait_for_the_index(store):
    store.store_file(state(), [article("a1"), article("a2", record=2)])
    assert store.pending_ids() == ["a1", "a2"]
    store.mark_indexed(["a1", "a2"])
    store.store_file(state(digest="d2"), [article("a1", body="Changed.")])
    assert store.pending_ids() == ["a1"]
    assert store.pending_deletes() == ["a2"]
    store.mark_indexed(["a1"], ["a2"])
    assert store.pending_ids() == [] and store.pending_deletes() == []


def test_the_same_text_from_two_files_is_kept_twice_under_different_ids(store):
    store.store_file(state("/src/one.txt"), [article("same-id", path="/src/one.txt", record=None)])
    changes = store.store_file(state("/src/two.txt"), [article("same-id", path="/src/two.txt", record=None)])
    assert len(changes.added) == 1 and changes.added[0].startswith("same-id-")
    assert store.count() == 2
    again = store.store_file(state("/src/two.txt", "d9"), [article("same-id", path="/src/two.txt", record=None)])
    assert again.unchanged == changes.added, "the second copy keeps its id on re-ingest"


def test_record_failures_are_kept_per_file_and_replaced_on_the_next_run(store):
    store.store_file(state(), [article("a1")], [BadRecord("/src/a.jsonl", 7, "invalid JSON")])
    assert store.failures() == [{"path": "/src/a.jsonl", "record": 7, "reason": "invalid JSON"}]
    store.store_file(state(digest="d2"), [article("a1")], [])
    assert store.failures() == []


def test_a_whole_file_failure_keeps_the_articles_it_gave_before(store):
    store.store_file(state(), [article("a1")])
    store.record_file_failure("/src/a.jsonl", "permission denied")
    assert store.count() == 1
    assert store.failures()[0]["reason"] == "permission denied"


def test_forgetting_a_file_removes_its_articles_and_queues_index_deletes(store):
    store.store_file(state(), [article("a1")])
    assert store.forget_file("/src/a.jsonl") == ["a1"]
    assert store.count() == 0 and store.pending_deletes() == ["a1"]


def test_entity_cache_is_keyed_by_content_and_extractor_version(store):
    ent = Entity("syria", "Syria", "place", 1)
    store.cache_entities("h1", "v1", [ent])
    assert store.cached_entities("h1", "v1") == (ent,)
    assert store.cached_entities("h1", "v2") is None


def test_stats_count_by_outlet_month_and_language(store):
    store.store_file(state(), [
        article("a1", outlet="RT", date=dt.date(2016, 9, 27), lang="en"),
        article("a2", record=2, outlet="RT", date=dt.date(2016, 9, 1), lang="en"),
        article("a3", record=3, lang="fr"),
    ])
    stats = store.stats()
    assert stats["articles"] == 3
    assert stats["outlets"] == {"RT": 2, "(unknown)": 1}
    assert stats["months"] == {"(undated)": 1, "2016-09": 2}
    assert stats["languages"] == {"en": 2, "fr": 1}


def test_the_store_checks_its_own_file(store):
    store.store_file(state(), [article("a1")])
    assert store.integrity() == "ok"
