"""The command line: machine-readable output, exit codes and the write lock."""
from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from archive.lock import write_lock
from archive.paths import DataDir
from ingest import cli


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def invoke(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_add_without_paths_ingests_the_bundled_samples(runner, data):
    result = invoke(runner, "add", "--data", data, "--no-entities", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["added"] == 5 and report["failed"] == 0


def test_stats_json_has_the_documented_shape(runner, data):
    invoke(runner, "add", "--data", data, "--no-entities")
    stats = json.loads(invoke(runner, "stats", "--data", data, "--json").output)
    assert stats["articles"] == 5
    assert isinstance(stats["outlets"], dict) and sum(stats["outlets"].values()) == 5
    assert isinstance(stats["months"], dict) and sum(stats["months"].values()) == 5
    assert stats["failures"] == []
    assert stats["index_generation"]


def test_stats_tells_how_long_the_last_add_took_and_where_the_time_went(runner, data, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"title": f"Story {i}", "body": f"Harbour text number {i}. " * 5,
                                        "outlet": "Reuters"}) + "\n" for i in range(7)), encoding="utf-8")
    add = invoke(runner, "add", "--data", data, "--no-entities", "--batch-size", "3", feed)
    assert add.exit_code == 0, add.output
    run = json.loads(invoke(runner, "stats", "--data", data, "--json").output)["last_ingest"]
    assert (run["articles_read"], run["added"], run["batches"]) == (7, 7, 3)  # batches of 3, 3 and 1
    assert set(run["stages"]) == {"read", "extract", "entities", "store", "coverage", "index"}
    assert 0 < sum(run["stages"].values()) <= run["seconds"]
    text = invoke(runner, "stats", "--data", data).output
    assert "last add" in text and "7 article(s) read in" in text and "3 batch(es)" in text
    rate = 7 / run["seconds"]
    shown = f"{rate:.0f}/s" if rate >= 10 else f"{rate:.1f}/s"   # a slow run is not "0/s"
    assert f"({shown}," in text


def test_add_off_a_terminal_prints_progress_lines_with_counts_and_stages(runner, data, tmp_path, monkeypatch):
    import io

    import ingest
    monkeypatch.setattr(ingest.TerminalProgress, "LINE_EVERY", 0.0)
    log = io.StringIO()  # not a terminal: plain lines
    monkeypatch.setattr(ingest.TerminalProgress.__init__, "__defaults__", (log,))
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"title": f"Story {i}", "body": f"Harbour text number {i}. " * 5})
                            + "\n" for i in range(4)), encoding="utf-8")
    result = runner.invoke(cli, ["add", "--data", str(data), "--no-entities", "--batch-size", "2", str(feed)],
                           catch_exceptions=False)
    assert result.exit_code == 0
    lines = log.getvalue().splitlines()
    assert "1 file(s) to look at, 4 article(s) expected" in lines
    assert any(line.startswith("read: 4 of 4 articles (100%)") for line in lines), lines
    assert any("read: 2 of 4 articles" in line and "store 2" in line for line in lines), lines
    assert any("now: coverage" in line for line in lines) and any("now: index" in line for line in lines)


def test_the_data_folder_comes_from_the_environment_when_not_given(runner, data, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DATA", str(data))
    invoke(runner, "add", "--no-entities")
    assert DataDir.resolve().store_path.exists()
    assert DataDir.resolve().root == data.absolute()


def test_a_failed_file_is_reported_but_the_run_exits_zero(runner, data, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "good.txt").write_text("A headline\n\nA sentence of the article body.\n")
    result = invoke(runner, "add", tmp_path / "in", "--data", data, "--no-entities")
    assert result.exit_code == 0
    assert "empty.txt" in result.output and "1 added" in result.output


def test_a_second_writer_is_refused_with_a_clear_message(runner, data):
    folder = DataDir.resolve(data)
    with write_lock(folder.lock_path):
        result = runner.invoke(cli, ["add", "--data", str(data), "--no-entities"])
    assert result.exit_code != 0
    assert "being written by" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_an_unwritable_data_folder_stops_the_run_with_a_message(runner, tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    result = runner.invoke(cli, ["add", "--data", str(locked / "data"), "--no-entities"])
    assert result.exit_code != 0 and "not writable" in result.output


def test_a_data_folder_that_is_a_file_stops_the_run_with_a_message(runner, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = runner.invoke(cli, ["add", "--data", str(blocker / "data"), "--no-entities"])
    assert result.exit_code != 0 and "not writable" in result.output


def test_reindex_rebuilds_and_reports_the_new_generation(runner, data):
    invoke(runner, "add", "--data", data, "--no-entities")
    before = json.loads(invoke(runner, "stats", "--data", data, "--json").output)["index_generation"]
    result = invoke(runner, "reindex", "--data", data)
    assert result.exit_code == 0 and "reindexed 5" in result.output
    after = json.loads(invoke(runner, "stats", "--data", data, "--json").output)["index_generation"]
    assert after != before


def test_search_json_has_the_documented_shape(runner, data):
    invoke(runner, "add", "--data", data, "--no-entities")
    result = invoke(runner, "search", "airstrike", "--data", data, "--json")
    out = json.loads(result.output)
    assert out["total"] >= 1
    hit = out["hits"][0]
    assert {"id", "title", "outlet", "date", "news_id", "url", "snippets"} <= hit.keys()
    assert isinstance(hit["snippets"], list)


def test_search_filters_by_outlet_and_date(runner, data):
    invoke(runner, "add", "--data", data, "--no-entities")
    out = json.loads(invoke(runner, "search", "Syria", "--outlet", "rt", "--from", "2016-09-01",
                            "--to", "2016-09-30", "--data", data, "--json").output)
    assert out["total"] >= 1
    assert all(h["outlet"] == "RT" for h in out["hits"])


def test_a_map_to_an_unknown_field_is_refused_before_any_work(runner, data):
    result = runner.invoke(cli, ["add", "--data", str(data), "--map", "colour=Headline"])
    assert result.exit_code == 2 and "unknown field" in result.output


def test_map_renames_columns_of_a_csv(runner, data, tmp_path):
    src = tmp_path / "feed.csv"
    src.write_text("Kopf,Inhalt,Quelle\nPort strike ends,Dock workers in the port returned to work.,Reuters\n",
                   encoding="utf-8")
    result = invoke(runner, "add", src, "--data", data, "--no-entities", "--json",
                    "--map", "title=Kopf", "--map", "text=Inhalt", "--map", "outlet=Quelle")
    assert json.loads(result.output)["added"] == 1
    stats = json.loads(invoke(runner, "stats", "--data", data, "--json").output)
    assert stats["outlets"] == {"Reuters": 1}


def test_reindex_reads_entities_from_the_store_and_runs_no_ner(runner, sample_data, tmp_path, monkeypatch):
    import shutil

    from archive.entities import EntityExtractor
    from archive.store import Store
    copy = tmp_path / "copy"
    shutil.copytree(sample_data.root, copy, symlinks=True)

    def no_ner(self, articles):
        raise AssertionError("reindex must not run entity extraction")
    monkeypatch.setattr(EntityExtractor, "extract", no_ner)
    result = invoke(runner, "reindex", "--data", copy)
    assert result.exit_code == 0
    from index.query import parse_request
    from index.search import SearchService
    service = SearchService(DataDir(copy).index_root)
    try:
        hits = service.search(parse_request({"q": "", "person": "igor-konashenkov"}))
        assert hits.total == 1
    finally:
        service.close()
    with Store(DataDir(copy).store_path) as store:
        assert store.pending_ids() == []


def test_stats_say_which_languages_get_no_entities(runner, data, tmp_path):
    src = tmp_path / "feed.jsonl"
    src.write_text(json.dumps({"title": "Grève au port", "text": "Les dockers du port ont cessé le travail ce matin.",
                               "lang": "fr", "outlet": "AFP"}) + "\n", encoding="utf-8")
    invoke(runner, "add", src, "--data", data, "--no-entities")
    stats = json.loads(invoke(runner, "stats", "--data", data, "--json").output)
    assert stats["entities"]["no_model_for"] == {"fr": 1}
