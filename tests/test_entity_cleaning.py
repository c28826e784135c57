"""Values that are never entities or cited sources: money, units, company suffixes, reporting words.

Each rule is tested on a small text written here; the expected names are
what a reader of that text would list, written out by hand.
"""
from __future__ import annotations

import pytest

from archive.coverage.attribution import attributions
from archive.document import Entity, Mention
from archive.entities import Registry
from archive.entities.canon import canonicalise
from archive.entities.cited import source_name
from archive.entities.clean import Cleaned, Rejected, clean_mention
from archive.entities.mentions import RawMention, Span, repair_spans, widen_to_registry
from archive.entities.wordlists import default_word_lists, parse_word_lists
from archive.entities.zones import prose_map

WORDS = default_word_lists()
REGISTRY = Registry.load()


def clean(text: str, label: str = "ORG"):
    return clean_mention(text, 0, len(text), label, WORDS)


@pytest.mark.parametrize("money", ["U.S. Dlrs", "N.Z. Dlrs", "H.K. Dlrs", "Canadian Dollar", "U.S. Dollar",
                                   "HK Dlrs", "Australian Dollars"])
def test_a_currency_after_a_country_is_money_not_a_name(money):
    result = clean(money, "PERSON")
    assert isinstance(result, Rejected) and result.reason == "a currency"


@pytest.mark.parametrize("name", ["Ezra Pound", "Dollar General", "Mark", "Ayn Rand", "Hong Kong"])
def test_names_that_hold_a_currency_word_are_still_names(name):
    assert isinstance(clean(name, "PERSON"), Cleaned)


@pytest.mark.parametrize("suffix", ["Inc", "Co", "Ltd", "Corp", "Co Inc", "Co Ltd", "Plc", "Inc."])
def test_a_company_suffix_alone_is_not_a_name(suffix):
    result = clean(suffix)
    assert isinstance(result, Rejected) and result.reason == "a company suffix alone"


@pytest.mark.parametrize("junk", ["Quoting", "Citing", "According"])
def test_a_reporting_word_alone_is_not_a_name(junk):
    result = clean(junk, "GPE")
    assert isinstance(result, Rejected) and result.reason == "a reporting word"


def test_a_reporting_word_before_a_name_is_dropped_from_it():
    result = clean("Citing Reuters")
    assert isinstance(result, Cleaned) and result.text == "Reuters"


@pytest.mark.parametrize("junk", ["Shr", "Revs", "GMT", "Net 5 pct"])
def test_wire_units_are_not_names(junk):
    assert isinstance(clean(junk), Rejected)


def test_a_name_wrapped_over_two_lines_is_one_mention_but_a_blank_line_ends_it():
    text = "Standard Oil Co and BP North America\nInc said they plan a venture."
    start = text.index("BP")
    result = clean_mention(text, start, text.index(" said"), "ORG", WORDS)
    assert isinstance(result, Cleaned) and text[result.start:result.end] == "BP North America\nInc"
    broken = "BP North America\n\nInc"
    assert isinstance(clean(broken), Rejected)


def test_a_wrapped_mention_has_one_line_of_text_as_its_name_and_exact_offsets():
    body = "The venture, said BP North America\nInc, will manage the money market borrowing."
    start, end = body.index("BP"), body.index(", will")
    (entity,) = canonicalise([RawMention("body", start, end, body[start:end], "ORG")], REGISTRY)
    assert entity.name == "BP North America Inc" and entity.variants == ("BP North America Inc",)
    assert entity.mentions[0].text == body[start:end]


def test_wrapped_prose_counts_as_prose_over_the_line_break():
    body = ("Standard Oil Co and BP North America\nInc said they plan to form a venture to manage the\n"
            "money market borrowing and investment activities of both.")
    prose = prose_map(body)
    assert prose.is_prose_at(body.index("BP"), body.index(" said"))


@pytest.mark.parametrize("text, cut, whole", [
    ("Standard and Poor's Corp said it upgraded the debt.", "Poor's Corp", "Standard and Poor's Corp"),
    ("It has had talks with Pesch and Co, which holds a stake.", "Co", "Pesch and Co"),
])
def test_a_company_cut_after_and_gets_its_first_word_back(text, cut, whole):
    start = text.index(cut)
    spans = repair_spans(text, [Span("ORG", start, start + len(cut))], WORDS)
    assert [text[s.start:s.end] for s in spans] == [whole]


def test_a_first_word_tagged_alone_joins_the_company_it_begins():
    text = "Baker was asked about such loans after Standard and Poor's Corp today downgraded them."
    tagged = [Span("PERSON", text.index("Standard"), text.index(" and")),
              Span("ORG", text.index("Poor's"), text.index(" today"))]
    spans = repair_spans(text, tagged, WORDS)
    assert [text[s.start:s.end] for s in spans] == ["Standard and Poor's Corp"]


def test_a_first_word_the_tagger_ran_on_from_the_headline_joins_the_company_it_begins():
    # a wire headline in capitals above the body: the tagger takes "CENTER BANKS" and the body's first
    # word as one name, and "Poor's Corp" as another (three Reuters articles, all 19,043 extracted)
    text = "S/P DOWNGRADES SIX U.S. MONEY CENTER BANKS\n\nStandard and Poor's Corp said it\ndowngraded six banks."
    tagged = [Span("ORG", text.index("CENTER"), text.index(" and")),
              Span("ORG", text.index("Poor's"), text.index(" said"))]
    spans = repair_spans(text, tagged, WORDS)
    assert [text[s.start:s.end] for s in spans] == ["Standard and Poor's Corp"]


def test_ed_is_a_given_name_so_the_surname_joins_the_full_name():
    entities = canonicalise([RawMention("body", 0, 12, "Ed Malmgreen", "PERSON"),
                             RawMention("body", 40, 49, "Malmgreen", "PERSON")], REGISTRY)
    assert [(e.name, e.count) for e in entities] == [("Ed Malmgreen", 2)]


def test_two_companies_joined_by_and_stay_two():
    text = "Apple Computer Inc and AST Research Inc said they are offering two products."
    tagged = [Span("ORG", 0, len("Apple Computer Inc")),
              Span("ORG", text.index("AST"), text.index(" said"))]
    spans = repair_spans(text, tagged, WORDS)
    assert [text[s.start:s.end] for s in spans] == ["Apple Computer Inc", "AST Research Inc"]


def test_a_country_tagged_as_an_organisation_is_a_place():
    (entity,) = canonicalise([RawMention("body", 0, 4, "Cuba", "ORG")], REGISTRY)
    assert (entity.name, entity.type) == ("Cuba", "place")


def test_a_person_whose_name_ends_like_a_company_is_a_company():
    mention = RawMention("body", 0, 9, "Pizza Inn", "PERSON", org_hint=True)
    (entity,) = canonicalise([mention], REGISTRY)
    assert entity.type == "org"


def test_a_registered_name_the_tagger_cut_short_is_the_whole_name():
    text = "Troops advanced near Dayr az-Zawr on Saturday."
    start = text.index("Dayr")
    spans = widen_to_registry(text, [Span("ORG", start, start + 4)], REGISTRY)
    assert [(text[s.start:s.end], s.label) for s in spans] == [("Dayr az-Zawr", "GPE")]


def test_word_lists_read_the_new_sections():
    words = parse_word_lists("[company-suffixes]\nInc.\n[currencies]\nDlrs\n[units]\npct\n[reporting-words]\nquoting\n")
    assert words.problems == () and "inc" in words.company_suffixes and "dlrs" in words.currencies
    assert "pct" in words.units and "quoting" in words.reporting_words


# --- cited sources -----------------------------------------------------------------------

def entity(name: str, type_: str, body: str, written: str) -> Entity:
    start = body.index(written)
    return Entity(slug=name.lower().replace(" ", "-"), name=name, type=type_, count=1, variants=(name,),
                  mentions=(Mention("body", start, start + len(written), written),))


def test_a_wrapped_company_is_cited_whole_not_by_its_suffix():
    body = "Standard Oil Co and BP North America\nInc said they plan to form a venture."
    cited = [c.source_name for c in attributions(body, entities=[
        entity("BP North America Inc", "org", body, "BP North America\nInc")])]
    assert "Inc" not in cited and "BP North America Inc" in cited


def test_a_company_suffix_is_never_a_cited_source_even_without_entities():
    body = "Shares of the unit rose after BP North America\nInc said it would buy back stock."
    assert all(c.source_name not in ("Inc", "Co", "Ltd") for c in attributions(body))


def test_a_cut_company_name_is_cited_whole():
    body = "NAVISTAR DEBT UPGRADED\nStandard and Poor's Corp said it\nupgraded 500 mln dlrs of debt."
    cited = [c.source_name for c in attributions(body, entities=[
        entity("Standard and Poor's Corp", "org", body, "Standard and Poor's Corp")])]
    assert "Poor's Corp" not in cited and "Standard and Poor's Corp" in cited


def test_source_name_keeps_an_ordinary_name():
    assert source_name("Reuters", "Reuters said", 0, 7) == "Reuters"
    assert source_name("Co", "and Co said", 4, 6) is None


def test_a_head_noun_alone_is_cited_as_the_body_the_article_named_before_it():
    # Reuters writes "the U.S. Agriculture Department said ... the Department said"
    body = ("Stocks are below last season, the U.S. Agriculture Department said.\n"
            "    In its Fruit Situation Report, the Department\nsaid imports rose. The Bank of England\n"
            "left rates alone, and the Bank said it saw no need to act.")
    entities = [entity("U.S. Agriculture Department", "org", body, "U.S. Agriculture Department"),
                entity("Bank of England", "org", body, "Bank of England")]
    cited = [c.source_name for c in attributions(body, entities=entities)]
    assert "Department" not in cited and "Bank" not in cited
    assert "U.S. Agriculture Department" in cited and "Bank of England" in cited


def test_a_head_noun_alone_that_refers_to_nothing_named_is_no_source():
    body = "Prices fell on Monday. The Ministry said it would not intervene."
    assert "Ministry" not in [c.source_name for c in attributions(body)]
    assert source_name("Department", "the Department said", 4, 14) is None
