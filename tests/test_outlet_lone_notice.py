"""A copied page whose only evidence of its publisher is one notice, and the name once more."""
from __future__ import annotations

from archive.extract.clean import text_lines
from archive.extract.outlets import outlet_from_furniture

STORY = ("The council voted on Tuesday to close the old harbour bridge to lorries from March.\n\n"
         "Engineers said the span had corroded faster than expected after two wet winters.\n\n"
         "A replacement is not expected before the end of the decade, the council said.")
MENU = "• Home\n• News\n• Sport"


def publisher(*parts: str) -> str | None:
    result = outlet_from_furniture(text_lines("\n\n".join(parts)))
    return result.outlet.name if result else None


def test_a_notice_whose_holder_the_page_writes_again_names_the_publisher():
    signup = "Get the Quillfeather newsletter in your inbox every morning"
    assert publisher(MENU, STORY, signup, "© 2021 Quillfeather") == "Quillfeather"


def test_a_holder_named_only_in_its_notice_may_be_a_parent_company():
    assert publisher(MENU, STORY, "Get our newsletter in your inbox every morning",
                     "© 2021 Quillfeather") is None


def test_a_company_holder_is_not_taken_alone():
    signup = "Get the Quillfeather Media Group newsletter every morning"
    assert publisher(MENU, STORY, signup, "© 2021 Quillfeather Media Group, Inc.") is None


def test_a_lone_notice_with_a_rival_name_in_the_furniture_decides_nothing():
    signup = "Quillfeather readers may write to the letters page"
    rival = "Make Harbour Gazette my homepage"
    assert publisher(MENU, rival, STORY, signup, "© 2021 Quillfeather") is None


def test_a_holder_named_only_in_the_notices_does_not_stand_against_the_name_the_site_calls_itself():
    # "Make X my homepage" is the site naming itself; the notice's holder may be its owner
    furniture = "Make Harbour Gazette my homepage"
    mentions = "\n\n".join(f"Harbour Gazette {what}" for what in ("newsletter", "podcast", "jobs", "events",
                                                                  "archive", "puzzles"))
    owner = "\n\n".join(f"Quillfeather {what}" for what in ("careers", "investors", "brands"))
    notice = "© 2021 Quillfeather. All rights reserved."
    assert publisher(MENU, furniture, STORY, mentions, owner, notice) == "Harbour Gazette"


def page_copy(*tail: str) -> str:
    """A page as a browser copies it: menus, the article, then `tail` (a footer, a credit)."""
    menu = "\n".join(f"  • {s}" for s in ("Home", "News", "Sport", "Business", "Culture", "Weather"))
    story = "\n\n".join([
        "Harbour bridge to close to cars next spring",
        "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, "
        "after engineers warned that the structure could no longer carry heavy traffic safely.",
        "The decision followed a report that found corrosion in most of the steel supports and "
        "recommended that the bridge be rebuilt within five years at a cost the city cannot yet meet.",
        "Residents of the harbour district said they had not been told about the plan before the vote "
        "and asked the council to publish the engineers' report in full before any work begins."])
    return "\n\n".join([menu, "[site-logo]", story, "[ ] [Subscribe]", *tail]) + "\n"


def outlet_of_copy(text: str) -> str | None:
    from archive.document import RawDocument
    from archive.extract import extract
    return extract(RawDocument(path="copies/page.txt", record=None, fmt="txt", text=text)).outlet


def test_a_bare_notice_in_the_footer_below_the_article_names_the_publisher():
    footer = "\n".join(f"  • {s}" for s in ("About us", "Contact", "Harbour Gazette jobs", "Privacy"))
    assert outlet_of_copy(page_copy(footer, "© Harbour Gazette")) == "Harbour Gazette"


def test_a_bare_notice_right_under_the_article_is_its_credit_not_the_publisher():
    footer = "\n".join(f"  • {s}" for s in ("About us", "Contact", "Harbour Gazette jobs", "Privacy"))
    assert outlet_of_copy(page_copy("© Harbour Gazette", footer)) is None


def test_a_logos_alt_text_before_the_footer_notice_does_not_make_it_a_credit():
    from archive.extract.outlets import copyright_holder
    assert copyright_holder("Harbour Media Logo © 2020 Harbour Gazette. All rights reserved.")[0] == "Harbour Gazette"
    assert copyright_holder("Logo design © Studio Lantern") is None
    assert copyright_holder("Photo: © Wire Agency") is None
