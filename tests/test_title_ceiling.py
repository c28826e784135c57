"""The extraction bench's title ceiling: does a copied page show its silver title at all?"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def _bench():
    path = Path(__file__).resolve().parents[1] / "bench" / "extraction.py"
    spec = importlib.util.spec_from_file_location("bench_extraction", path)
    if spec.name not in sys.modules:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return sys.modules[spec.name]


PAGE = "Skip to content\n\nHarbour bridge to close\nto cars next spring\n\nBy Jane Example\n"


def test_a_title_shown_on_one_line_or_wrapped_over_two_counts():
    shown = _bench().title_shown
    assert shown(PAGE, "Harbour bridge to close to cars next spring | City Gazette", [])
    assert shown("x\nHarbour bridge to close to cars next spring\n", "Harbour bridge to close to cars next spring", [])


def test_a_title_the_copy_never_shows_is_unknowable_unless_an_h1_is_shown():
    shown = _bench().title_shown
    assert not shown(PAGE, "City Gazette - Local news", [])
    assert shown(PAGE, "City Gazette - Local news", ["Harbour bridge to close to cars next spring"])
