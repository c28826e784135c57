"""One place, nineteen spellings: every written form is one canonical entity.

The spellings are those issue 15 counted in a collection of Syrian-war
articles (Deir Ezzor, Deir ez-Zor, Deir al-Zor, Deir el-Zour, Deir az-Zour,
Deir Ezour, Deir Ezzur, DeirEzzor, Der-Ezzor, Deir al Zour, DEIR EZ-ZOR,
Deir-ez-Zor, ...) completed with the usual transliterations of دير الزور.
The articles are written here, one short report per spelling; the expected
answer (one entity, "Deir ez-Zor", in each of them) is the fixture's own
definition, not computed by the code under test.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.document import Article
from archive.entities import EntityExtractor, Registry, query_variants, variant_key
from archive.entities.canon import canonicalise
from archive.entities.mentions import RawMention

SPELLINGS = (
    "Deir Ezzor", "Deir ez-Zor", "Deir al-Zor", "Deir el-Zour", "Deir az-Zour", "Deir Ezour",
    "Deir Ezzur", "DeirEzzor", "Der-Ezzor", "Deir al Zour", "DEIR EZ-ZOR", "Deir-ez-Zor",
    "Dayr az-Zawr", "Dayr al-Zawr", "Deir Al-Zour", "Deir Ez-Zour", "Deyr ez-Zor", "Deir Azour",
    "Deir el-Zor",
)
REGISTRY = Registry.load()


def report(spelling: str) -> Article:
    body = (f"Government troops advanced on Saturday near {spelling}, a monitoring group said. "
            f"Residents of {spelling} said the roads out of the city had been closed since Friday, "
            f"and aid convoys were waiting at the edge of the province.")
    return Article(id=spelling, slug=spelling, title="Fighting in eastern Syria", body=body,
                   source_path="fixture.txt", record=None, fmt="txt", original=body, lang="en")


def test_there_are_nineteen_distinct_spellings():
    assert len(set(SPELLINGS)) == 19


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_has_the_key_of_deir_ez_zor(spelling):
    assert variant_key(spelling) == variant_key("Deir ez-Zor")


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_is_the_registered_place(spelling):
    entry = REGISTRY.lookup(spelling)
    assert entry is not None and entry.name == "Deir ez-Zor" and entry.type == "place"


def test_all_spellings_in_one_article_are_one_entity_counting_every_mention():
    mentions, pos = [], 0
    for spelling in SPELLINGS:
        mentions.append(RawMention("body", pos, pos + len(spelling), spelling, "GPE"))
        pos += len(spelling) + 5
    entities = canonicalise(mentions, REGISTRY)
    assert [(e.name, e.slug, e.count) for e in entities] == [("Deir ez-Zor", "deir-ez-zor", 19)]
    assert {v.casefold() for v in entities[0].variants} == {s.casefold() for s in SPELLINGS}


def test_a_search_for_any_spelling_is_offered_every_other():
    written = set(SPELLINGS)
    for spelling in SPELLINGS:
        offered = {s.casefold() for s in query_variants(spelling, known=written)}
        assert {s.casefold() for s in written} <= offered, spelling


@pytest.fixture(scope="module")
def extracted():
    extractor = EntityExtractor()
    return dict(zip(SPELLINGS, extractor.extract([report(s) for s in SPELLINGS])))


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_the_extractor_gives_each_report_the_one_place(extracted, spelling):
    places = [e for e in extracted[spelling] if e.slug == "deir-ez-zor"]
    assert len(places) == 1 and places[0].type == "place" and places[0].name == "Deir ez-Zor"
    assert places[0].count >= 2


def test_nothing_else_is_deir_ez_zor(extracted):
    for spelling, entities in extracted.items():
        others = [e.name for e in entities if e.slug != "deir-ez-zor"]
        assert not any(variant_key(n) == variant_key("Deir ez-Zor") for n in others), spelling


# --- a name written in capitals inside a sentence ---------------------------------------------

FIXTURE_REPORTS = Path(__file__).parent / "fixtures" / "spellings_deir_ez_zor.jsonl"


def test_every_report_of_the_search_fixture_has_the_place_as_an_entity():
    # the facet counts what extraction finds: all nineteen reports, "DEIR EZ-ZOR" among them
    rows = [json.loads(line) for line in FIXTURE_REPORTS.read_text(encoding="utf-8").splitlines()]
    reports = [r for r in rows if r["title"].startswith("Report ")]
    articles = [Article(id=r["id"], slug=r["id"], title=r["title"], body=r["body"], source_path="fixture.jsonl",
                        record=None, fmt="jsonl", original=r["body"], lang="en") for r in reports]
    found = EntityExtractor().extract(articles)
    assert len(reports) == 19
    assert [r["id"] for r, entities in zip(reports, found) if not any(e.slug == "deir-ez-zor" for e in entities)] == []


def shouted(text: str, start: int = 0) -> RawMention:
    """A mention in capitals inside a sentence of running text: weak, and marked as shouted there."""
    return RawMention("body", start, start + len(text), text, "GPE", weak=True, shouted_in_prose=True)


def test_a_registered_name_in_capitals_inside_a_sentence_is_an_entity():
    [entity] = canonicalise([shouted("DEIR EZ-ZOR"), shouted("DEIR EZ-ZOR", 60)], REGISTRY)
    assert (entity.slug, entity.type, entity.count) == ("deir-ez-zor", "place", 2)


def test_an_unregistered_name_in_capitals_still_needs_running_text_to_confirm_it():
    assert canonicalise([shouted("GREYSTONE HARBOUR")], REGISTRY) == ()
    # a capitals-only mention that is weak for another reason (a headline line) confirms nothing either
    headline = RawMention("body", 0, 11, "DEIR EZ-ZOR", "GPE", weak=True)
    prose = RawMention("body", 100, 106, "Aleppo", "GPE")
    assert [e.slug for e in canonicalise([headline, prose], REGISTRY)] == ["aleppo"]
