"""Western names a letter apart stay two names; transliterations of one name stay one.

The Reuters pairs the loose transliteration key joined wrongly (Philips and
Phillips, Colombia and Columbia, Merrell and Merrill, Wolf and Wolff, Labor
and Labour) must be two facet values and must not find each other by
spelling, on the canonical-entity side (`canonicalise`, `query_variants`)
and in the index's spelling expansion (`index.spellings`, through the JSON
API). Transliterated names written several ways (Qaddafi/Kaddafi,
Dmitry/Dmitriy Peskov, Yanukovych/Yanukovich, Sergeyev/Sergeev, Smirnoff/Smirnov,
Abu/Abou Mazen, Khalid Mishaal/Khaled Meshaal) still meet; so do Zelensky, Zelenskyy
and Zelenskiy, which the registry also lists.

The articles are written here, one short report per spelling, and their
entities are canonicalised from mentions given by hand (no tagger), so what
each search must find is the fixture's own definition: the titles.
"""
from __future__ import annotations

import datetime as dt

import pytest

from archive.document import Article
from archive.entities import Registry, query_variants
from archive.entities.canon import canonicalise
from archive.entities.mentions import RawMention
from archive.entities.translit import same_name, strict_key, transliterated
from archive.paths import DataDir
from archive.store import FileState, Store
from web import create_app

REGISTRY = Registry.load()
#: (a, b, label): Western names the loose key joins, and what they are.
WESTERN = [("Philips", "Phillips", "ORG"), ("Colombia", "Columbia", "GPE"), ("Merrell", "Merrill", "ORG"),
           ("Wolf", "Wolff", "PERSON"), ("Labor", "Labour", "ORG")]
#: Spellings of one transliterated name (none of them in the registry).
TRANSLITERATED = [("Qaddafi", "Kaddafi"), ("Dmitry Peskov", "Dmitriy Peskov"), ("Yanukovych", "Yanukovich"),
                  ("Sergeyev", "Sergeev"),
                  ("Smirnoff", "Smirnov"), ("Abu Mazen", "Abou Mazen"), ("Khalid Mishaal", "Khaled Meshaal")]


def mention(text: str, label: str, start: int = 0) -> RawMention:
    return RawMention("body", start, start + len(text), text, label)


# --- the rule ---------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, label", WESTERN)
def test_western_names_a_letter_apart_are_not_one_name(a, b, label):
    assert not same_name(a, b)
    assert not transliterated(a) and not transliterated(b)


@pytest.mark.parametrize("a, b", [("Boeing", "Buying"), ("El Salvador", "Salvador"), ("Al Gore", "Gore"),
                                  ("Federal", "Federal District"), ("Green", "Green Mountain"),
                                  ("Zhao", "Zhou"), ("Zhao Ziyang", "Zhou Ziyang"), ("Millett", "Milliyet")])
def test_an_english_word_a_first_article_a_place_word_or_a_pinyin_vowel_keeps_names_apart(a, b):
    assert not same_name(a, b)


@pytest.mark.parametrize("spellings", TRANSLITERATED)
def test_spellings_of_a_transliterated_name_are_one_name(spellings):
    first, *rest = spellings
    assert all(same_name(first, other) for other in rest)


@pytest.mark.parametrize("a, b", [("Hewlett Packard", "Hewlett-Packard"), ("U.S.", "US"), ("Hong Kong", "Hongkong"),
                                  ("Siemens A.G.", "Siemens AG"), ("McDonald's Corp", "McDonalds Corp"),
                                  ("Guangdong province", "Guangdong")])
def test_punctuation_and_spacing_never_make_two_names(a, b):
    assert strict_key(a) == strict_key(b) and same_name(a, b)


@pytest.mark.parametrize("name", ["Association", "Trial Staff", "Oldham", "Stockholm", "Highpoint", "DHL",
                                  "Macintosh II", "University of California at Berkeley", "Geneva", "Husky"])
def test_english_words_and_acronyms_show_no_sign_of_transliteration(name):
    assert not transliterated(name)


#: A phrase of ordinary words and a name coined by running them together: two things (Reuters labels).
COINED = [("White House", "Whitehouse"), ("West Coast", "Westcoast"), ("New Town", "Newtown"),
          ("Trust Co", "Trustco")]
#: Cuts that leave one name: a word that is itself a word ("Southeast", "Airlines"), words run together
#: inside a longer name ("Federal Paperboard"), a name that is not made of ordinary words ("Hong Kong",
#: "Paine Webber"), initials, and hyphens, spaces or an inner capital between the same words.
SAME_CUT = [("Eastern Air Lines", "Eastern Airlines"), ("South East", "Southeast"), ("South-east", "Southeast"),
            ("Hong Kong", "Hongkong"), ("Paine Webber", "PaineWebber"), ("U.S. Air", "USAir"),
            ("Air Force", "Air-Force"), ("Merchants Bank", "MerchantsBank"), ("The White House", "White House"),
            ("Du Pont", "Dupont"), ("Con Ed", "ConEd"), ("Federal Paper Board", "Federal Paperboard"),
            ("United Steel Workers Union", "United Steelworkers Union"),
            ("Federal Savings and Loan Insurance Corp", "Federal Savings and Loan Insurance Corp.")]


@pytest.mark.parametrize("phrase, coined", COINED)
def test_a_phrase_of_ordinary_words_is_not_the_name_coined_by_running_them_together(phrase, coined):
    assert not same_name(phrase, coined) and strict_key(phrase) != strict_key(coined)


@pytest.mark.parametrize("a, b", SAME_CUT)
def test_a_cut_between_words_that_leaves_one_name_is_forgiven(a, b):
    assert same_name(a, b) and strict_key(a) == strict_key(b)


@pytest.mark.parametrize("phrase, coined", COINED[:2])
def test_a_phrase_and_its_coined_name_in_two_articles_get_two_slugs(phrase, coined):
    [one], [two] = canonicalise([mention(phrase, "ORG")], REGISTRY), canonicalise([mention(coined, "ORG")], REGISTRY)
    assert one.slug != two.slug


def test_a_phrase_is_slugged_by_the_words_it_is_written_in():
    # of the cuts into fewest words, the written one: "savings and loan", not "saving sand loan"
    [entity] = canonicalise([mention("Federal Savings and Loan Insurance Corp", "ORG")], REGISTRY)
    assert entity.slug == "federal-savings-and-loan-insurance-corp"
    [entity] = canonicalise([mention("West Coast", "LOC")], REGISTRY)
    assert entity.slug == "west-coast"


def test_zelensky_is_one_name_by_the_rule_as_well_as_by_the_registry():
    assert same_name("Zelensky", "Zelenskyy") and same_name("Zelenskiy", "Zelensky")
    assert {REGISTRY.lookup(s).name for s in ("Zelensky", "Zelenskyy", "Zelenskiy")} == {"Volodymyr Zelensky"}


def test_names_left_to_the_registry_are_not_joined_by_the_rule():
    # no sign of transliteration on either side, or letters the loose key keeps apart
    for a, b in [("Muammar", "Moammar"), ("Mohammed", "Muhammad"), ("Gaddafi", "Kadhafi"),
                 ("Tchaikovsky", "Chaikovsky")]:
        assert not same_name(a, b), (a, b)


# --- facets: canonical entities ------------------------------------------------------------

@pytest.mark.parametrize("a, b, label", WESTERN)
def test_western_names_in_one_article_are_two_entities_with_two_slugs(a, b, label):
    entities = canonicalise([mention(a, label), mention(b, label, 40)], REGISTRY)
    assert sorted(e.name for e in entities) == sorted([a, b])
    assert len({e.slug for e in entities}) == 2


@pytest.mark.parametrize("a, b, label", WESTERN)
def test_western_names_in_two_articles_get_two_slugs(a, b, label):
    [one], [two] = canonicalise([mention(a, label)], REGISTRY), canonicalise([mention(b, label)], REGISTRY)
    assert one.slug != two.slug


@pytest.mark.parametrize("spellings", TRANSLITERATED)
def test_a_transliterated_name_written_several_ways_in_one_article_is_one_entity(spellings):
    entities = canonicalise([mention(s, "PERSON", 40 * i) for i, s in enumerate(spellings)], REGISTRY)
    assert len(entities) == 1 and entities[0].count == len(spellings)
    assert set(entities[0].variants) == set(spellings)


@pytest.mark.parametrize("a, b, label", WESTERN)
def test_the_query_side_offers_no_western_neighbour(a, b, label):
    assert {s.casefold() for s in query_variants(a, known=[a, b])} == {a.casefold()}


def test_the_query_side_offers_every_transliteration():
    known = [s for group in TRANSLITERATED for s in group]
    assert set(query_variants("Yanukovich", known=known)) == {"Yanukovych", "Yanukovich"}
    assert set(query_variants("Kaddafi", known=known)) == {"Qaddafi", "Kaddafi"}


# --- search: the index's spelling expansion through the JSON API ------------------------------

def report(title: str, names: list[tuple[str, str]]) -> Article:
    """An article naming each (name, label) once, its entities canonicalised from those mentions."""
    body, mentions = "", []
    for name, label in names:
        sentence = f"Reporters asked about {name} on Monday. "
        start = len(body) + len("Reporters asked about ")
        mentions.append(mention(name, label, start))
        body += sentence
    return Article(id=title.lower().replace(" ", "-"), slug=title.lower().replace(" ", "-"), title=title,
                   body=body, source_path="/fixture/false-merges.jsonl", record=None, fmt="jsonl",
                   original=body, outlet="Test Wire", outlet_slug="test-wire", date=dt.date(2020, 1, 2),
                   lang="en", entities=canonicalise(mentions, REGISTRY))


ARTICLES = [report(f"{name} report", [(name, label)]) for a, b, label in WESTERN for name in (a, b)] + [
    report(f"{name} report", [(name, "PERSON")]) for group in TRANSLITERATED for name in group]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from index.writer import rebuild
    data = DataDir(tmp_path_factory.mktemp("false-merges"))
    with Store(data.store_path) as store:
        for n, a in enumerate(ARTICLES):
            store.store_file(FileState(f"/fixture/{n}.jsonl", 1, 1, f"d{n}"), [a])
        rebuild(store, data.index_root)
    app = create_app({"TESTING": True, "ARCHIVE_DATA": str(data.root)})
    yield app.test_client()
    app.extensions["search"].close()


def search(client, q: str) -> dict:
    return client.get("/api/search", query_string={"q": q, "per_page": 100}).get_json()


def titles(client, q: str) -> set[str]:
    return {h["title"] for h in search(client, q)["hits"]}


@pytest.mark.parametrize("name", [n for a, b, _ in WESTERN if a != "Labor" for n in (a, b)])
def test_a_western_name_finds_only_its_own_report_and_offers_no_other_spelling(client, name):
    for q in (name, f'"{name}"'):
        found = search(client, q)
        assert {h["title"] for h in found["hits"]} == {f"{name} report"}, q
        assert found["also_written"] == [], q


def test_labour_is_labor_as_a_word_but_not_as_a_name(client):
    # the text folds British spellings of ordinary words (labour -> labor), so both reports match the
    # word; the spelling expansion adds no other name, and the facet keeps two organisations
    for q in ('"Labour"', '"Labor"'):
        found = search(client, q)
        assert {h["title"] for h in found["hits"]} == {"Labour report", "Labor report"}
        assert found["also_written"] == []
    orgs = {v["label"]: v["count"] for v in search(client, '"Labour"')["facets"]["org"]["values"]}
    assert orgs == {"Labour": 1, "Labor": 1}


@pytest.mark.parametrize("a, b, label", WESTERN)
def test_the_facet_counts_each_western_name_apart(client, a, b, label):
    facet = {"ORG": "org", "GPE": "place", "PERSON": "person"}[label]
    values = {v["label"]: v["count"] for v in search(client, f'"{a}" OR "{b}"')["facets"][facet]["values"]}
    assert values == {a: 1, b: 1}


@pytest.mark.parametrize("spellings", TRANSLITERATED)
def test_any_spelling_of_a_transliterated_name_finds_every_report(client, spellings):
    expected = {f"{s} report" for s in spellings}
    for s in spellings:
        assert titles(client, f'"{s}"') == expected, s
        assert set(search(client, f'"{s}"')["also_written"]) == set(spellings) - {s}, s


# --- the same on the cluster engine ---------------------------------------------------------

@pytest.fixture(scope="module")
def cluster_engine(opensearch_cluster, tmp_path_factory):
    """The same articles in a one-shard index on the test cluster (`tests/opensearch_cluster.py`)."""
    import uuid

    from index.engines import EngineOptions
    from index.opensearch import OpenSearchEngine
    data = DataDir(tmp_path_factory.mktemp("false-merges-cluster"))
    engine = OpenSearchEngine(EngineOptions(engine="opensearch", urls=tuple(opensearch_cluster.urls),
                                            index=f"test-merges-{uuid.uuid4().hex[:8]}"), shards=1, replicas=0)
    with Store(data.store_path) as store:
        for n, a in enumerate(ARTICLES):
            store.store_file(FileState(f"/fixture/{n}.jsonl", 1, 1, f"d{n}"), [a])
        assert engine.rebuild(store) == len(ARTICLES)
    yield engine
    try:  # the cluster is shared: an index without replicas left on it turns it red when a later
        from opensearch_cluster import http_json  # test kills the node holding its one shard
        http_json(f"{opensearch_cluster.urls[opensearch_cluster.running()[0]]}/{engine.alias}-*", "DELETE")
    finally:
        engine.close()


def test_on_the_cluster_western_names_stay_apart_and_transliterations_meet(cluster_engine):
    from index.query import parse_request
    for name in ("Philips", "Phillips", "Colombia", "Merrill", "Wolff"):
        result = cluster_engine.search(parse_request({"q": f'"{name}"', "per_page": "100"}))
        assert [h.title for h in result.hits] == [f"{name} report"] and result.also_written == (), name
    result = cluster_engine.search(parse_request({"q": '"Kaddafi"', "per_page": "100"}))
    assert {h.title for h in result.hits} == {"Qaddafi report", "Kaddafi report"}
    assert result.also_written == ("Qaddafi",)
