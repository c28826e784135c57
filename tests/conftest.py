"""Shared fixtures: the bundled samples, the shared corpora, a sample archive.

The sample archive is built once per session through the real code path
(`Ingest` with entities, then the index), so every test reads what a user
who ran `ingest.py add` would have.
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from archive.paths import SAMPLES_DIR, DataDir

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


CLUSTER_UNIT = "the OpenSearch cluster tests"
SLOW_UNIT = "the slow tests"
BENCH_UNIT = "the tests on the extraction bench's figures"
#: The 100,000-row export builds its own big index (about 4 minutes): a unit of its own, queued
#: right after the slow unit, so that it runs beside the slow tests instead of after them.
EXPORT_UNIT = "tests/test_web_export_scale.py"


@functools.cache
def scheduling_unit(module: str) -> str:
    """The unit a test module's tests are scheduled in under `pytest -n N` (`make test`).

    A module is one unit, so its fixtures are built once, not on every worker. Every
    module on the OpenSearch test cluster is one unit, so one worker starts its JVMs.
    The slow modules (crash, load, scale: each runs processes of its own against time)
    are one unit too, run one after another as they always were, never beside each other.
    The modules reading the extraction bench's figures share one run of it.
    Read from the module's text because the scheduler sees node ids, not markers.
    """
    path = Path(__file__).parent.parent / module
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if "opensearch_cluster" in text:
        return CLUSTER_UNIT
    if module == EXPORT_UNIT:
        return EXPORT_UNIT
    if "pytest.mark.slow" in text:
        return SLOW_UNIT
    if "extraction_bench" in text:   # the session fixture that runs bench/extraction.py: run once
        return BENCH_UNIT
    return module


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's scope scheduling, with our units (its `loadgroup` marks are lost on pytest 9's node ids)."""
    from xdist.scheduler import LoadScopeScheduling

    class ByUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return scheduling_unit(nodeid.split("::", 1)[0])

    return ByUnit(config, log)


def pytest_collection_modifyitems(config, items):
    """The slow units first, so that no worker is left with a long one while the others sit idle.

    `make test` passes `--no-loadscope-reorder`: xdist would otherwise queue the units by
    their number of tests, which puts the few long slow tests last.
    """
    def rank(item) -> int:
        return {SLOW_UNIT: 0, EXPORT_UNIT: 1, CLUSTER_UNIT: 2, BENCH_UNIT: 3}.get(
            scheduling_unit(item.nodeid.split("::", 1)[0]), 4)

    items.sort(key=rank)   # stable: within a rank, the order pytest collected


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES_DIR


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.skip(f"shared corpora not found at {CORPORA}")
    return CORPORA


@pytest.fixture(scope="session")
def extraction_bench(corpora):
    """bench/extraction.py's figures on pages-dev (text and HTML) and the samples, computed once."""
    import importlib.util
    import sys
    path = Path(__file__).resolve().parents[1] / "bench" / "extraction.py"
    spec = importlib.util.spec_from_file_location("bench_extraction", path)
    bench = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, bench)  # its dataclasses look their module up
    spec.loader.exec_module(bench)
    return bench.run(pages=corpora / "pages-dev", html_root=corpora / "html")


def build_archive(data: DataDir, paths, entities: bool = True, coverage: bool = True):
    """Ingest `paths` into `data` the way `ingest.py add` does; the report."""
    from archive.pipeline import Ingest
    from archive.store import Store
    from index.writer import IndexFeed

    extractor = None
    if entities:
        from archive.entities import EntityExtractor
        extractor = EntityExtractor()

    step = None
    if coverage:
        from archive.coverage.ingest import CoverageStep
        step = CoverageStep()

    def index(store, progress):
        return IndexFeed(store, data.index_root)

    with Store(data.store_path) as store:
        return Ingest(store, entities=extractor, index=index, coverage=step).run(paths)


@pytest.fixture(scope="session")
def sample_data(tmp_path_factory) -> DataDir:
    """A data folder holding the five bundled samples, ingested with entities."""
    data = DataDir(tmp_path_factory.mktemp("sample-archive"))
    report = build_archive(data, [SAMPLES_DIR])
    assert not report.failures, report.failures
    return data


@pytest.fixture(scope="session")
def opensearch_cluster():
    """A 3-node OpenSearch cluster on loopback (tests/opensearch_cluster.py), started once.

    Skipped with the reason when it cannot start (no Java or Maven, a failed build), except
    in CI (CI set), where the cluster tests must run and so that is a failure.
    """
    import os
    from opensearch_cluster import Cluster, ClusterError
    try:
        cluster = Cluster().start(nodes=3)
    except ClusterError as error:
        if os.environ.get("CI"):
            pytest.fail(f"the OpenSearch test cluster did not start, and CI must run it: {error}")
        pytest.skip(f"the OpenSearch test cluster did not start: {error}")
    try:
        yield cluster
    finally:
        cluster.stop()
