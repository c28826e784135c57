"""The bundled samples through the real pipeline: what a user of `ingest.py add` gets.

These are the acceptance lists of the ingest and entity issues, checked on
the stored articles (clean bodies, merged entities), not on raw files.
"""
from __future__ import annotations

import datetime as dt

import pytest

from archive.store import Store


@pytest.fixture(scope="module")
def articles(sample_data):
    with Store(sample_data.store_path) as store:
        return {a.source_path.rsplit("/", 1)[-1][:3]: a for a in store}


def entity_names(articles, type_):
    return {e.name for a in articles.values() for e in a.entities_of(type_)}


def variants(articles, slug):
    return {v for a in articles.values() for e in a.entities if e.slug == slug for v in e.variants}


@pytest.mark.parametrize("sample, outlet, date, news_id", [
    ("000", "Rasa News Agency", dt.date(2016, 9, 20), "423733"),
    ("001", "Fars News Agency", dt.date(2016, 9, 27), None),
    ("002", "Before It's News", dt.date(2016, 9, 17), None),
    ("003", "RT", dt.date(2016, 9, 27), None),
    ("004", None, None, None),
])
def test_each_sample_gets_its_outlet_date_and_news_id(articles, sample, outlet, date, news_id):
    article = articles[sample]
    assert (article.outlet, article.date, article.news_id) == (outlet, date, news_id)


def test_titles_are_headlines_where_the_text_has_one(articles):
    assert articles["000"].title == "ISIL Terrorist Has American Weapon"
    assert articles["001"].title.startswith("Audio of ISIS, US Military Radio Communication")
    assert articles["002"].title.startswith("US Airstrike Kills 62 Syrian Soldiers in Deir ez-Zor")


@pytest.mark.parametrize("boilerplate", [
    "Send comment", "Report abuse", "Story Views", "Last 24 Hours", "Email this story", "Newsletter",
    "string(1692)", '"contenttypeid"', "Skip to main content", "Scroll to Continue", "Recommended for You",
    "Please type in your comments", "Razz", "% of readers think this story is Fact",
])
def test_no_boilerplate_line_survives_in_a_clean_body(articles, boilerplate):
    assert all(boilerplate not in a.body for a in articles.values())


def test_the_samples_are_indexed_and_findable(sample_data):
    from index.query import parse_request
    from index.search import SearchService
    service = SearchService(sample_data.index_root)
    try:
        result = service.search(parse_request({"q": "Konashenkov"}))
        assert result.total == 1 and result.hits[0].outlet == "Before It's News"
        assert any("<mark>Konashenkov</mark>" in s for s in result.hits[0].snippets)
    finally:
        service.close()


def test_places_merge_the_spellings_of_deir_ez_zor_and_keep_the_cities_apart(articles):
    places = entity_names(articles, "place")
    assert {"Deir ez-Zor", "Syria", "Russia", "Iraq", "Aleppo", "Raqqa", "Palmyra"} <= places
    assert {"Deir Ezzur", "Deir ez-Zor"} <= variants(articles, "deir-ez-zor")
    assert not places & {"Deir Ezzur", "Deir Ezzor"}, "variants are not entities of their own"


def test_organisations_merge_the_names_of_islamic_state(articles):
    orgs = entity_names(articles, "org")
    assert "Islamic State" in orgs and {"ISIL", "ISIS", "Daesh", "Islamic State"} <= variants(articles, "islamic-state")
    assert {"Pentagon", "SANA"} <= orgs
    assert {"Russian Defense Ministry", "Russia’s Defense Ministry"} & variants(articles, "russian-defence-ministry")


def test_people_are_found_and_assad_is_one_person(articles):
    people = entity_names(articles, "person")
    assert {"Igor Konashenkov", "Maria Zakharova", "Walid Muallem", "Hadiya Khalaf Abbas", "Bashar al-Assad"} <= people
    assert {"Assad", "Bashar Assad"} <= variants(articles, "bashar-al-assad")
    assert not people & {"Assad", "Bashar Assad"}


@pytest.mark.parametrize("junk", ["Story Views", "Airstrike Kills", "string(1692", "Fact", "Kills",
                                  "Terrorist Has American Weapon", "Syrian"])
def test_page_furniture_headline_fragments_and_demonyms_are_not_entities(articles, junk):
    assert all(e.name != junk and junk not in e.variants for a in articles.values() for e in a.entities)


def test_a_search_for_one_spelling_finds_articles_that_write_another(sample_data):
    from index.query import parse_request
    from index.search import SearchService
    service = SearchService(sample_data.index_root)
    try:
        result = service.search(parse_request({"q": '"Deir Ezzor"', "per_page": "10"}))
        ids = {h.id for h in result.hits}
        assert len(ids) == 5, "every sample names the place, in one spelling or another"
        assert any("<mark>Deir ez-Zor</mark>" in s or "<mark>Deir</mark> <mark>ez-Zor</mark>" in s
                   or "ez-Zor</mark>" in s for h in result.hits for s in h.snippets)
    finally:
        service.close()
