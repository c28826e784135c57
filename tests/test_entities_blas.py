"""The model's matrix products run on numpy's OpenBLAS held to one thread, and find what BLIS finds."""
from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

from archive.document import Article
from archive.entities import EntityExtractor

TEXTS = [
    ("Talks in Geneva", "Foreign Minister Sergei Lavrov met John Kerry in Geneva on Friday, the State Department said."),
    ("Oil", "Saudi Aramco and Exxon Mobil Corp said on Monday that prices in Houston would rise."),
    ("Bank", "Deutsche Bank chief executive John Cryan said in Frankfurt that the bank would cut jobs."),
]


def _openblas_threads() -> int | None:
    """Threads numpy's OpenBLAS may use, asked of the library itself."""
    maps = Path("/proc/self/maps").read_text(encoding="utf-8", errors="replace")
    for line in maps.splitlines():
        fields = line.split(None, 5)
        path = fields[5].strip() if len(fields) == 6 else ""
        if "openblas" in path.rsplit("/", 1)[-1].lower():
            lib = ctypes.CDLL(path)
            for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads"):
                if hasattr(lib, name):
                    return getattr(lib, name)()
    return None


def test_model_uses_one_thread_openblas_and_finds_what_blis_finds():
    from thinc.api import NumpyOps

    extractor = EntityExtractor()
    nlp = extractor._model("en")
    if _openblas_threads() is None:
        pytest.skip("numpy is not built on OpenBLAS here")
    assert _openblas_threads() == 1
    nodes = [node for _, component in nlp.pipeline for node in component.model.walk()]
    assert nodes and all(isinstance(n.ops, NumpyOps) and not n.ops.use_blis for n in nodes)
    articles = [Article(id=f"a{n}", slug=f"a{n}", title=t, body=b, source_path="t.jsonl", record=n, fmt="jsonl",
                        original=b, lang="en") for n, (t, b) in enumerate(TEXTS)]
    found = extractor.extract(articles)
    saved = [n.ops for n in nodes]
    blis = NumpyOps()
    try:
        for n in nodes:
            n.ops = blis
        assert EntityExtractor().extract(articles) == found
    finally:
        for n, ops in zip(nodes, saved):
            n.ops = ops
    assert {"Geneva", "Frankfurt", "John Kerry"} <= {e.name for ents in found for e in ents}
