"""The OpenSearch test cluster itself: it forms, it loads its plugins, it leaves nothing behind.

These run real JVMs (opensearch-launcher/), talk plain HTTP to them, and check what
the fault tests and the engine tests take for granted. A killed node (its replica
promoted, the node rejoining) is tests/test_opensearch_faults.py, on the archive's index.
"""
from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import opensearch_cluster
from opensearch_cluster import Cluster, ClusterError, http_json

pytestmark = pytest.mark.cluster

TESTS = Path(__file__).resolve().parent


def alive(pid: int) -> bool:
    """Whether a process with this id still exists (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pids, timeout=30.0) -> list[int]:
    """The pids still alive after up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    return [p for p in pids if alive(p)]


@pytest.fixture
def cluster(opensearch_cluster):
    """The session's cluster, whole and green before the test (an earlier test may have killed a node)."""
    opensearch_cluster.heal()
    return opensearch_cluster


def test_three_nodes_form_one_green_cluster(cluster):
    health = cluster.wait_for("green")
    assert health["status"] == "green"
    assert health["number_of_nodes"] == 3
    names = set()
    for url in cluster.urls:
        status, root = http_json(url)
        assert status == 200
        assert root["cluster_name"] == cluster.name
        assert root["version"]["number"] == "2.19.6"
        names.add(root["name"])
    assert names == {"node-0", "node-1", "node-2"}
    status, nodes = http_json(f"{cluster.urls[0]}/_cat/nodes?format=json&h=name,cluster_manager")
    assert sorted(n["name"] for n in nodes) == ["node-0", "node-1", "node-2"]
    assert [n["cluster_manager"] for n in nodes].count("*") == 1


def test_the_classpath_plugins_are_loaded(cluster):
    """Accent folding and stemming come from analysis-common, scripts from painless."""
    status, body = http_json(f"{cluster.urls[1]}/_analyze", "POST", {
        "tokenizer": "standard", "filter": ["lowercase", "asciifolding", "porter_stem"],
        "text": "Élections Running"})
    assert status == 200, body
    assert [t["token"] for t in body["tokens"]] == ["elect", "run"]
    status, body = http_json(f"{cluster.urls[2]}/_scripts/painless/_execute", "POST",
                             {"script": {"source": "params.a * 2", "params": {"a": 21}}})
    assert (status, body) == (200, {"result": "42"})


def test_stop_ends_every_jvm_and_removes_the_data_folder():
    cluster = Cluster().start(nodes=1)
    pids, root = cluster.pids, cluster.root
    assert pids and all(alive(p) for p in pids)
    assert (root / "node-0" / "data").is_dir()
    cluster.stop()
    assert wait_gone(pids, timeout=0) == []  # stop() waited for them
    assert not root.exists()
    cluster.stop()  # twice is harmless


def children_of(pid: int) -> list[int]:
    """The ids of the processes whose parent is `pid`."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_the_jvms_go_when_their_controller_is_killed():
    """A pytest run killed with SIGKILL runs no cleanup at all: the nodes notice their
    standard input close and exit by themselves, even while still starting."""
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(TESTS)!r})
        from opensearch_cluster import Cluster
        Cluster().start(nodes=2)
    """)
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        jvms = wait_until_found(lambda: children_of(child.pid) if len(children_of(child.pid)) == 2 else [],
                                timeout=60)
        assert all(alive(p) for p in jvms)
        homes = {Path(arg.split("=", 1)[1]) for p in jvms
                 for arg in Path(f"/proc/{p}/cmdline").read_bytes().decode().split("\0")
                 if arg.startswith("path.home=")}
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert wait_gone(jvms, timeout=30) == []
    # the dead controller could not remove its folder: this test does
    roots = {home.parent for home in homes}
    assert len(roots) == 1 and next(iter(roots)).name.startswith("opensearch-cluster-")
    shutil.rmtree(next(iter(roots)))


def wait_until_found(find, timeout: float):
    deadline = time.monotonic() + timeout
    while not (found := find()):
        assert time.monotonic() < deadline, "not found in time"
        time.sleep(0.1)
    return found


def test_a_node_that_cannot_start_is_reported_with_its_log():
    cluster = Cluster(settings={"no.such.setting": "1"}, start_timeout=120)
    with pytest.raises(ClusterError) as raised:
        cluster.start(nodes=1)
    message = str(raised.value)
    assert "node-0 exited" in message
    assert "unknown setting [no.such.setting]" in message  # the log's tail, not just an exit code
    assert cluster.running() == []
    assert cluster.root is None


def test_a_launcher_that_cannot_be_built_says_what_is_missing(monkeypatch):
    monkeypatch.setattr(opensearch_cluster, "_is_built", lambda: False)
    monkeypatch.setattr(opensearch_cluster.shutil, "which", lambda name: None)
    with pytest.raises(ClusterError, match=r"Maven \(mvn\) not found: install it \(Debian: maven\)"):
        opensearch_cluster.ensure_built()
