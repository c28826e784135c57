"""Headlines of copied pages whose every paragraph reads as furniture: a brief between heavy menus.

The page is written for the tests in the shape a browser copy has; none is
taken from a corpus.
"""
from __future__ import annotations

from archive.document import RawDocument
from archive.extract import extract
from archive.extract.clean import text_lines
from archive.extract.layout import analyse, borderline_as_text

HEADLINE = "Harbour ferry service suspended after engine fire"
MENU = ["  • Home", "  • News", "  • Sport", "  • Business", "  • Culture", "  • Weather", "  • Travel",
        "  • Opinion", "  • Video", "  • Podcasts"]
BRIEF = [
    "The morning ferry between the harbour and the island was halted on Tuesday after a small fire in its engine room.",
    "Nobody was hurt, the operator said.",
    "Passengers were taken back to the pier by a second boat and the service should resume next week.",
]
TEASERS = ["  • Council votes on new parking rules", "  • Local team wins the regional cup",
           "  • Museum opens a winter exhibition", "  • Storm warning for the coast tonight"]


def menu_page() -> str:
    lines = [*MENU, "", "[site-logo]", "", "[ ] [Search]", "", HEADLINE, ""]
    for paragraph in BRIEF:
        lines += [paragraph, ""]
    lines += ["Most read", *TEASERS, "", "  • About us", "  • Contact", "  • Advertise", "", "[ ] [Subscribe]"]
    return "\n".join(lines) + "\n"


def test_the_fixture_page_has_no_paragraph_of_running_text():
    layout = analyse(text_lines(menu_page()), "en")
    assert layout.classified and not layout.good()


def test_borderline_paragraphs_stand_in_for_the_article_and_leave_the_layout_as_it_was():
    layout = analyse(text_lines(menu_page()), "en")
    relaxed = borderline_as_text(layout)
    good = [" ".join(u.text.split()) for u in relaxed.good()]
    assert BRIEF[0] in good and BRIEF[2] in good
    assert not any(text.startswith("•") for text in good)
    assert not layout.good()


def test_a_page_of_menus_around_a_brief_takes_the_headline_not_a_menu_line():
    article = extract(RawDocument("menu-page.txt", None, "txt", menu_page()))
    assert article.title == HEADLINE


def test_a_page_of_menus_still_has_its_furniture_read_for_the_outlet():
    # no copyright notice: only the page's own prompts name it, and they are read on a page copy
    page = menu_page().replace("[ ] [Subscribe]",
                               "Sign up for the Harbour Gazette newsletter\nGET THE HARBOUR GAZETTE APP")
    article = extract(RawDocument("menu-page.txt", None, "txt", page))
    assert article.title == HEADLINE
    assert article.outlet == "Harbour Gazette"
