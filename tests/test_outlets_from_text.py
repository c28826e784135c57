"""The publisher from a page copied out of a browser: its copyright notice, menus and domain."""
from __future__ import annotations

import pytest

from archive.extract import extract, extract_many
from archive.document import RawDocument
from archive.extract.clean import text_lines
from archive.extract.furniture import FurnitureModel
from archive.extract.outlets import (copyright_holder, logo_line_name, name_matches_domain,
                                     outlet_from_furniture, outlet_from_text, site_line_name)

STORY = ("The council voted on Tuesday to close the old harbour bridge to lorries from March.\n\n"
         "Engineers said the span had corroded faster than expected after two wet winters.\n\n"
         "A replacement is not expected before the end of the decade, the council said.")


def page(*parts: str) -> list[str]:
    return text_lines("\n\n".join(parts))


def found(*parts: str):
    result = outlet_from_furniture(page(*parts))
    return (result.outlet.name, result.origin) if result else None


@pytest.mark.parametrize("line, holder", [
    ("© 2021 Harbour Gazette. All rights reserved.", "Harbour Gazette"),
    ("Copyright © 2018-2021, Valley Courier | Terms | Privacy", "Valley Courier"),
    ("©2020 Lakeside Post LLC. All Rights Reserved.", "Lakeside Post"),
    ("copyright Fjordbladet 2019 - ISSN: 1234-5678", "Fjordbladet"),
    ("© 2020 - Diario del Puerto. Todos los derechos reservados.", "Diario del Puerto"),
    ("Copyright © Kuzey Haber A.Ş.", "Kuzey Haber"),
    ("® 2020 The Weekly Lantern Ltd., All rights reserved.", "The Weekly Lantern"),
    ("Copyright © 2003-2019 Borgis a.s.Copyright © 2019 Hafen.cz a.s.", "Borgis"),
    ("© 2020 Faro del Norte, S.A. Todos los derechos reservados.", "Faro del Norte"),
])
def test_a_copyright_notice_gives_its_holder_without_years_rights_or_legal_form(line, holder):
    assert copyright_holder(line)[0] == holder


@pytest.mark.parametrize("line", [
    "Photo: © Wire Agency", "(Image: © Space Telescope Team)", "Foto: © Hafenbild / Archiv",
    "Copyright Policy", "© Minden jog fenntartva", "Copyright © Thu Dec 10 10:10:50 GMT-03:00",
    "Apple® iPhone",
])
def test_a_picture_credit_or_a_menu_entry_is_no_copyright_holder(line):
    assert copyright_holder(line) is None


def test_a_notice_without_year_or_rights_is_bare():
    holder, company, bare = copyright_holder("© Wire Agency")
    assert (holder, bare) == ("Wire Agency", True)
    assert copyright_holder("© 2021 Wire Agency")[2] is False


def test_a_holder_named_for_its_group_reads_as_a_company():
    assert copyright_holder("© 2021 Northern Media Group, Inc.")[1] is True
    assert copyright_holder("© 2021 Harbour Gazette")[1] is False


@pytest.mark.parametrize("line, name", [
    ("Back to Harbour Gazette", "Harbour Gazette"), ("Zur Fjordbladet.no-Navigation", "Fjordbladet.no"),
    ("Valley Courier Logo", "Valley Courier"), ("Follow Lakeside Post on Twitter", "Lakeside Post"),
    ("About Us", None), ("Latest headlines", None),
])
def test_navigation_and_logo_lines_name_the_site(line, name):
    assert site_line_name(line) == name


@pytest.mark.parametrize("name, host, expected", [
    ("Harbour Gazette", "harbourgazette.com", True), ("NY Post", "nypost.com", True),
    ("Valley Courier", "valleycourier.co.uk", True), ("New Valley Courier", "nvc.com", True),
    ("Northern Media Group", "harbourgazette.com", False),
    ("The North Valley Times", "nvtimes.com", True), ("The Hollow Reporter", "thr.com", True),
    ("МИА «Казинформ»", "inform.kz", True),
])
def test_a_site_name_spells_its_domain(name, host, expected):
    assert name_matches_domain(name, host) is expected


def test_the_footer_notice_and_the_menus_agree_on_the_publisher():
    assert found("Harbour Gazette Logo", "• Home\n• Local\n• Sport", STORY,
                 "Sign up for the Harbour Gazette newsletter",
                 "© 2021 Harbour Gazette. All rights reserved.") == \
        ("Harbour Gazette", "inferred:copyright-line")


def test_an_unregistered_domain_the_page_keeps_writing_is_the_publisher():
    assert found("• Home\n• News", STORY, "Write to the desk at desk@valleycourier.com",
                 "More stories on ValleyCourier.com", "ValleyCourier.com",
                 "© 2021 ValleyCourier.com") == ("ValleyCourier.com", "inferred:copyright-line")


def test_a_parent_company_the_page_never_names_again_is_not_the_publisher():
    assert found("• Home\n• News", STORY, "© 2021 Northern Media Group, Inc. All rights reserved.") is None


def test_a_picture_credit_at_the_foot_is_not_the_publisher():
    assert found(STORY, "The old bridge at dusk. © Wire Agency") is None


def test_a_registered_outlet_in_the_footer_is_normalised_through_the_registry():
    assert found("Support The Guardian", STORY, "© 2021 Guardian News & Media Limited",
                 "The Guardian - Back to home") == ("The Guardian", "inferred:site-line")


def test_the_site_beats_a_wire_agency_in_the_dateline():
    text = "\n\n".join(["Harbour Gazette Logo", "LONDON (Reuters) - " + STORY,
                        "Sign up for the Harbour Gazette newsletter",
                        "© 2021 Harbour Gazette. All rights reserved."])
    article = extract(RawDocument(path="x.txt", record=None, fmt="txt", text=text))
    assert article.outlet == "Harbour Gazette"
    assert article.origins["outlet"] == "inferred:copyright-line"


def test_a_quoted_outlet_in_the_story_is_not_the_publisher():
    assert found("A spokesman told Reuters the bridge would close.", STORY) is None


def test_an_author_named_in_the_menus_is_not_the_publisher():
    assert found("More from Dana Whitfield", "By Dana Whitfield | March 3, 2021", STORY,
                 "About Dana Whitfield", "Dana Whitfield") is None


def test_a_button_label_is_no_site_name():
    assert site_line_name("Skip To Navigation") is None
    assert site_line_name("Reveal sub navigation") is None
    assert site_line_name("Make Harbour Gazette my homepage") == "Harbour Gazette"


def test_a_section_of_the_menus_is_not_the_publisher():
    assert found("About Health", "• Health\n• Sport", "Doctors say health services need more money "
                 "before the winter, and health boards agree with them.", STORY) is None


def test_two_names_with_as_much_evidence_give_no_publisher():
    assert found("Harbour Gazette Logo", "Valley Courier Logo", STORY,
                 "Sign up for the Harbour Gazette newsletter", "Sign up for the Valley Courier newsletter",
                 "Harbour Gazette", "Valley Courier") is None


def test_a_wire_dateline_on_a_whole_page_copy_is_not_the_publisher():
    menus = "\n".join(f"• Section {i}" for i in range(30))
    text = "\n\n".join([menus, "LONDON (Reuters) - " + STORY])
    article = extract(RawDocument(path="x.txt", record=None, fmt="txt", text=text))
    assert article.outlet is None


def test_a_wire_dateline_in_a_bare_article_text_is_its_publisher():
    text = "LONDON (Reuters) - " + STORY
    article = extract(RawDocument(path="x.txt", record=None, fmt="txt", text=text))
    assert (article.outlet, article.origins["outlet"]) == ("Reuters", "inferred:dateline")


@pytest.mark.parametrize("line, name", [
    ("MoreWheelsMoreWheels", "MoreWheels"), ("Revista Faro Revista Faro Revista Faro", "Revista Faro"),
    ("La Voz MediaLa Voz Media La Voz MediaLa Voz Media", "La Voz Media"),
    ("Lifestyle Lifestyle", None), ("Share Share", None), ("Harbour Gazette", None),
])
def test_a_logo_written_twice_names_the_site(line, name):
    assert logo_line_name(line) == name


def kinds_found(*parts: str) -> dict:
    explain: list = []
    outlet_from_furniture(page(*parts), explain=explain)
    return {name: kinds for _, name, kinds, *_ in explain[:-1]}


def test_a_logo_line_counts_in_the_header_only():
    assert kinds_found("Quillfeather GazetteQuillfeather Gazette", "• Home\n• News", STORY) == \
        {"Quillfeather Gazette": {"logo-line": 1}}
    menus = "\n".join(f"• Section {i}" for i in range(45))  # an author's box far down the page
    assert kinds_found(menus, STORY, "Dana WhitfieldDana Whitfield") == {}


def test_a_sentence_in_which_the_site_speaks_of_itself_names_it():
    assert found("• Home\n• News", STORY, "Quillfeather may receive a commission on purchases made "
                 "through links on this page.", "Quillfeather uses cookies and analytics trackers.",
                 "More from Quillfeather") == ("Quillfeather", "inferred:self-line")


def test_a_company_the_story_speaks_of_is_not_the_publisher():
    lines = page("• Home\n• News", "Quillfeather is owned by a trust, and Quillfeather is part of the "
                 "group that bought the harbour bridge.", STORY, "• More from Quillfeather")
    furniture = frozenset(i for i, line in enumerate(lines) if line.startswith("•"))
    assert outlet_from_text(lines, furniture, all_lines=lines) is None


def test_a_name_that_spells_a_domain_the_page_writes_is_the_publisher():
    assert found("• Home\n• News", STORY, "Write to letters@nvtimes.com",
                 "© 2021 The North Valley Times Company") == ("The North Valley Times", "inferred:copyright-line")


def test_hosts_of_one_site_count_together():
    assert found("• Home\n• News", STORY, "• data.spokesgazette.com", "Email webteam@spokesgazette.com",
                 "Photo credit: (otherplace.com)", "© 2021 The Spokes-Gazette | Terms of Service") == \
        ("The Spokes-Gazette", "inferred:copyright-line")


def test_a_domain_the_page_keeps_writing_in_its_furniture_is_the_publisher():
    assert found("Stories trending today at Fjordpost.no", "• Home\n• News", STORY, "Tips: desk@fjordpost.no",
                 "Find more stories at Fjordpost.no", "Fjordpost.no") == ("Fjordpost.no", "inferred:domain")


def test_a_domain_only_in_the_story_or_a_caption_credit_is_not_the_publisher():
    story = ("The club, which organises walks through meetupville.com, said turnout had doubled this "
             "year, and meetupville.com now lists forty groups in the city.")
    assert found("• Home\n• News", "Image: meetupville.com", story, STORY) is None


def test_a_sister_site_in_the_menu_is_not_the_publisher():
    assert found("• Home\n• sisterhomes.com\n• sisterjobs.com", STORY, "• sisterhomes.com") is None


def test_an_abbreviation_is_no_domain():
    assert found("EE.UU", "EE.UU", STORY, "EE.UU") is None


def test_a_notice_naming_a_paper_by_its_masthead_is_enough():
    assert found("• Home\n• News", STORY, "© 2021 The Valley Times. All rights reserved.") == \
        ("The Valley Times", "inferred:copyright-line")
    assert found("• Home\n• News", STORY, "© 2021 Quillfeather. All rights reserved.") is None


def test_the_notice_and_the_logo_naming_one_site_two_ways_agree():
    assert found("Quillfeather Logo", "• Home\n• News", STORY,
                 "© 2021 Quillfeather Digest. All rights reserved.") == \
        ("Quillfeather Digest", "inferred:copyright-line")


def test_a_holder_named_like_a_word_of_the_prose_gets_no_support_from_it():
    prose = "\n\n".join(f"Visitors said the experience of the harbour walk number {i} was worth the "
                         "trip, and the experience is one they will repeat." for i in range(6))
    assert found("• Home\n• News", prose, STORY, "© 2019 Experience") is None


def test_the_notice_a_folder_of_one_sites_pages_repeats_is_its_publisher():
    stories = [STORY.replace("harbour bridge", f"bridge number {i}").replace("March", f"month {i}")
               for i in range(5)]
    notice = "© 2021 Quillfeather. All rights reserved."
    raws = [RawDocument(path=f"site/{i}.txt", record=None, fmt="txt",
                        text="\n\n".join(["• Home\n• News", story, notice]))
            for i, story in enumerate(stories)]
    articles = list(extract_many(raws))
    assert {(a.outlet, a.origins.get("outlet")) for a in articles} == {("Quillfeather", "inferred:copyright-line")}
    alone = extract(raws[0])  # the same page on its own: one notice is not enough
    assert alone.outlet is None


def test_a_folder_model_shared_by_few_pages_adds_nothing():
    model = FurnitureModel(pages=40)
    model.counts["© 0 quillfeather. all rights reserved"] = 3
    lines = page("• Home\n• News", STORY, "© 2021 Quillfeather. All rights reserved.")
    assert outlet_from_furniture(lines, furniture=model) is None


def test_each_candidate_carries_the_features_its_score_is_the_weighted_sum_of():
    from archive.extract.outlets import HAND_WEIGHTS, _gather, _score, candidate_features
    from archive.extract.registry import default_registry
    lines = page("Back to Harbour Gazette", STORY, "© 2021 Harbour Gazette. All rights reserved.")
    found, domain = candidate_features(_gather(lines), lines, default_registry())
    assert domain is None and [key for _f, key, *_ in found] == ["harbourgazette"]
    features = found[0][0]
    # a site line, the footer's notice, one other line naming it, and "Gazette" is a masthead word
    assert features == {"kind:site-line": 1.0, "kind:copyright-line": 1.0, "mentions": 1.0, "masthead": 1.0}
    assert _score(features, HAND_WEIGHTS) == pytest.approx(2.0 + 3.0 + 0.5 + 2.0)
    assert outlet_from_furniture(lines).outlet.name == "Harbour Gazette"
