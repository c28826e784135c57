"""The extraction bench's outlet judge (bench/extraction.py): names in other scripts and acronyms."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import extraction as bench  # noqa: E402
from archive.extract.registry import default_registry  # noqa: E402


@pytest.mark.parametrize("name, domain, verdict", [
    ("TOI", "timesofindia.indiatimes.com", True),     # times of india
    ("NYT", "nytimes.com", True),
    ("CNN", "nytimes.com", False),
    ("Toi", "timesofindia.indiatimes.com", False),    # an acronym only as written, in capitals
    ("ノート100YEN.com", "note100yen.com", True),      # katakana's vowels are the transliteration's guess
    ("ノート100YEN.com", "other100yen.com", False),
    ("The Liberty Times", "news.ltn.com.tw", False),  # beyond the judge: LTN's N is not in the name
])
def test_outlet_names_judged_against_the_domain(name, domain, verdict):
    assert bench.outlet_matches(name, domain, default_registry()) is verdict


def test_a_label_read_as_english_words_gives_their_initials():
    assert "toi" in bench.label_acronyms("timesofindia")
    assert "cnn" not in bench.label_acronyms("timesofindia")
