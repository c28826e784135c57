"""Shared fixtures: the bundled samples, the shared corpora, a sample archive.

The sample archive is built once per session through the real code path
(`Ingest` with entities, then the index), so every test reads what a user
who ran `ingest.py add` would have.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from archive.paths import SAMPLES_DIR, DataDir

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


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
