"""The rules on top of the headline scores (title.reranked), tested on scores given by hand.

The paragraphs are written for the tests; none is taken from a corpus. The
scores are set by hand, so that the rules are tested apart from the fitted weights.
"""
from __future__ import annotations

from archive.extract.layout import Unit
from archive.extract.title import reranked

HEADLINE = "Council votes to close the harbour bridge to cars"


def _units(texts: list[str]) -> list[Unit]:
    return [Unit([k], t, cf_class="short", class_type="bad") for k, t in enumerate(texts)]


def test_a_headline_copied_with_a_list_number_gives_way_to_the_headline_itself():
    # a numbered breadcrumb ("1. Home >", "2. News >", "3. Headline") right above the headline
    texts = ["1. Home >", "2. News >", f"3. {HEADLINE}", HEADLINE, "By Jane Doe"]
    units = _units(texts)
    scored = [(6.6, 2), (6.4, 3), (1.0, 4)]
    assert reranked(units, list(scored), {})[0] == (6.4, 3)


def test_a_numbered_headline_without_its_bare_copy_nearby_stays_first():
    texts = [f"3. {HEADLINE}", "By Jane Doe", "Another story of the week", "4. More news", "5. Old news",
             "Share this", HEADLINE]
    units = _units(texts)
    scored = [(6.6, 0), (2.0, 2), (1.0, 6)]  # the bare copy is too far down to be its twin
    assert reranked(units, list(scored), {})[0] == (6.6, 0)


def test_a_headline_opening_with_a_figure_and_no_list_number_stays_first():
    texts = ["10 things to know about the harbour bridge", "things to know about the harbour bridge"]
    units = _units(texts)
    scored = [(6.6, 0), (6.4, 1)]
    assert reranked(units, list(scored), {})[0] == (6.6, 0)


def _no_features(ks) -> dict[int, list[float]]:
    from archive.extract.title import FEATURES
    return {k: [0.0] * len(FEATURES) for k in ks}


STANDFIRST = "Engineers found that the old bridge over the harbour can no longer carry heavy traffic safely"


def test_the_headline_above_its_standfirst_takes_its_place():
    units = _units([HEADLINE, STANDFIRST, "By Jane Doe"])
    scored = [(5.0, 1), (4.5, 0)]
    assert reranked(units, list(scored), _no_features([0, 1]))[0] == (4.5, 0)


def test_a_row_of_tags_in_capitals_above_the_headline_does_not_take_its_place():
    tags = "BUDGET 2021 LOCAL ELECTIONS 2020 QUARANTINE PROTESTS"
    units = _units([tags, HEADLINE, "By Jane Doe"])
    scored = [(5.0, 1), (4.5, 0)]
    assert reranked(units, list(scored), _no_features([0, 1]))[0] == (5.0, 1)


def test_a_headline_in_capitals_above_a_standfirst_in_capitals_takes_its_place():
    units = _units([HEADLINE.upper(), STANDFIRST.upper(), "By Jane Doe"])
    scored = [(5.0, 1), (4.5, 0)]
    assert reranked(units, list(scored), _no_features([0, 1]))[0] == (4.5, 0)


def test_a_kicker_with_its_section_run_on_in_capitals_does_not_take_the_headlines_place():
    kicker = "Interview with the harbour master POLITICS"
    units = _units([kicker, HEADLINE, "By Jane Doe"])
    scored = [(5.0, 1), (4.5, 0)]
    assert reranked(units, list(scored), _no_features([0, 1]))[0] == (5.0, 1)


def test_a_headline_ending_in_an_acronym_above_its_standfirst_still_takes_its_place():
    headline = "Harbour bridge repairs will be paid for by NATO"
    units = _units([headline, STANDFIRST, "By Jane Doe"])
    scored = [(5.0, 1), (4.5, 0)]
    assert reranked(units, list(scored), _no_features([0, 1]))[0] == (4.5, 0)
