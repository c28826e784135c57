"""Where a copied page names its publisher weakly: a notice with its rights clause first, the one
domain it writes, its masthead line (archive/extract/outlets.py)."""
from __future__ import annotations

from archive.extract.outlets import copyright_holder, masthead_line_name, outlet_from_furniture

PROSE = ("The harbour board voted on Tuesday to close the old ferry pier for repairs, a decision "
         "that leaves the island's commuters with a longer crossing until the spring.")
MENU = ["Home", "Local", "Sport", "Weather", "Opinion", "Contact"]


def outlet_name(lines: list[str]) -> str | None:
    found = outlet_from_furniture(lines)
    return found.outlet.name if found else None


def test_a_notice_with_its_rights_clause_first_names_the_holder_after_it():
    holder = copyright_holder("Copyright © 2021 - All Rights Reserved - Harbour Courier - Managed by Webco")
    assert holder is not None and holder[0] == "Harbour Courier"
    holder = copyright_holder("Gaceta del Puerto, 2021 © Todos los derechos reservados")
    assert holder is not None and holder[0] == "Gaceta del Puerto"


def test_a_link_after_the_rights_clause_is_no_holder():
    assert copyright_holder("© All rights reserved | Terms") is None
    assert copyright_holder("© 2021 All rights reserved") is None
    assert copyright_holder("and some words here © All rights reserved") is None


def test_the_one_site_a_page_writes_twice_in_its_furniture_is_its_publisher():
    lines = [*MENU, "", PROSE, PROSE, "", "Contact the newsroom: desk@harbourcourier.com",
             "harbourcourier.com/subscribe", *MENU]
    assert outlet_name(lines) == "harbourcourier.com"


def test_two_sites_written_alike_name_no_publisher():
    lines = [*MENU, "", PROSE, PROSE, "", "Contact the newsroom: desk@harbourcourier.com",
             "harbourcourier.com/subscribe", "islandpost.com/subscribe", "Tips: tips@islandpost.com", *MENU]
    assert outlet_name(lines) is None


def test_a_masthead_line_the_prose_names_again_is_the_publisher():
    lines = ["Harbour Courier | The island's daily news", *MENU, "", PROSE,
             "Harbour Courier asked the board for the repair schedule, which was not published.",
             PROSE, "", "About Harbour Courier", *MENU]
    assert masthead_line_name(lines[0]) == "Harbour Courier"
    assert outlet_name(lines) == "Harbour Courier"
    assert outlet_name(lines[1:]) is None  # the footer's link and the prose alone are not enough


def test_a_menu_item_at_the_top_is_no_masthead_however_often_it_recurs():
    lines = ["Search", "  • Home", "      □ Ferry Times", "      □ Island Life", *MENU, "", PROSE,
             "Ferry Times said the crossing would take forty minutes longer than before.",
             "      □ Ferry Times", "      □ Ferry Times", PROSE]
    assert outlet_name(lines) is None
    assert masthead_line_name("Politics") is None  # one plain word: a section, not a masthead


def test_a_company_notice_names_the_publication_the_page_keeps_writing():
    lines = [*MENU, "Harbour Courier Live", "", PROSE, "Watch Harbour Courier tonight at nine.", PROSE,
             "", "Harbour Courier apps", "Harbour Courier newsletters",
             "© 2021 Harbour Courier Media Network. All rights reserved."]
    assert outlet_name(lines) == "Harbour Courier"
    # written less often, the company stays a parent the page does not name itself by
    assert outlet_name([*MENU, "", PROSE, PROSE, "© 2021 Harbour Courier Media Network. All rights reserved."]) is None


def test_a_brand_inside_other_names_is_not_written_as_a_word():
    lines = [*MENU, "", PROSE, PROSE, "  • Eurogamer", "  • USgamer", "  • Metagamer",
             "© 2021 Gamer Network. All rights reserved."]
    assert outlet_name(lines) is None


def test_the_pages_own_address_on_a_print_line_is_strong_evidence_of_its_site():
    lines = [*MENU, "", PROSE, PROSE, "", "Printable version: https://harbourcourier.com/island/8836033",
             "Tips: desk@harbourcourier.com", *MENU]
    assert outlet_name(lines) == "harbourcourier.com"
    # the same address in a source line or a sentence is a story's source, not the page's own
    cited = [*MENU, "", PROSE, PROSE, "", "Via https://harbourcourier.com/island/8836033",
             "Tips: desk@harbourcourier.com", *MENU]
    assert outlet_name(cited) is None
