"""A cluster that is down: clear messages in the CLI and the web app, never a traceback; the store keeps everything."""
from __future__ import annotations

import json
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_corpus  # noqa: E402

import ingest  # noqa: E402
from archive.store import Store  # noqa: E402
from index.engines import EngineOptions  # noqa: E402
from index.opensearch import ClusterUnavailable, OpenSearchEngine  # noqa: E402
from index.query import parse_request  # noqa: E402


@pytest.fixture
def dead_url() -> str:
    """A loopback address where nothing listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_search_on_a_cluster_that_is_down_raises_a_clear_error(dead_url):
    engine = OpenSearchEngine(EngineOptions(engine="opensearch", urls=(dead_url,)))
    with pytest.raises(ClusterUnavailable, match="cannot be used: no node could be reached") as found:
        engine.search(parse_request({"q": "harbour"}))
    assert dead_url in str(found.value) and "store of record is untouched" in str(found.value)
    assert found.value.status == 503


def test_the_cli_says_the_cluster_is_down_and_exits_1(dead_url, tmp_path):
    result = CliRunner().invoke(ingest.cli, ["search", "harbour", "--data", str(tmp_path),
                                             "--engine", "opensearch", "--opensearch-url", dead_url])
    assert result.exit_code == 1
    assert "cannot be used: no node could be reached" in result.output and "Traceback" not in result.output


def test_the_cli_names_a_missing_cluster_address(tmp_path, monkeypatch):
    monkeypatch.delenv("ARCHIVE_OPENSEARCH_URLS", raising=False)
    result = CliRunner().invoke(ingest.cli, ["reindex", "--data", str(tmp_path), "--engine", "opensearch"])
    assert result.exit_code == 1 and "ARCHIVE_OPENSEARCH_URLS" in result.output


def test_adding_while_the_cluster_is_down_stops_before_storing_anything(dead_url, tmp_path):
    """The feed asks the cluster for its index first, so a cluster that is down changes nothing."""
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps({"title": f"Gondola {i}", "body": f"A gondola story number {i}.",
                                            "outlet": "TASS", "date": "2016-12-01"}) for i in range(3)) + "\n")
    data = tmp_path / "data"
    result = CliRunner().invoke(ingest.cli, ["add", str(source), "--data", str(data), "--no-entities",
                                             "--no-coverage", "--engine", "opensearch", "--opensearch-url", dead_url])
    assert result.exit_code == 1 and "cannot be used" in result.output and "Traceback" not in result.output
    with Store(data / "archive.sqlite3") as store:
        assert store.count() == 0 and store.pending_ids() == []


def test_the_web_app_shows_an_error_page_not_a_traceback(dead_url, tmp_path):
    from web import create_app
    root = tmp_path / "archive"
    root.mkdir()
    search_corpus.build(root)
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(root), "ARCHIVE_ENGINE": "opensearch",
                      "ARCHIVE_OPENSEARCH_URLS": dead_url})
    client = app.test_client()
    page = client.get("/?q=harbour")
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "no node could be reached" in text and "Traceback" not in text
    api = client.get("/api/search?q=harbour")
    assert api.status_code == 503 and "no node could be reached" in api.get_json()["error"]["message"]
    app.extensions["search"].close()
