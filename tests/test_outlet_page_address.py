"""Outlets from a copied page's furniture: a footer's year as a script printed it, and the
page's own address given by its print header."""
from __future__ import annotations

from archive.extract.outlets import copyright_holder

from test_outlet_self_naming import MENU, STORY, publisher


def test_a_notice_whose_year_a_script_printed_as_a_date_still_names_its_holder():
    line = "© Thu Dec 10 10:10:50 GMT-03:00 2020 Folha do Porto. Todos os direitos reservados."
    assert copyright_holder(line) == ("Folha do Porto", False, False)


def test_a_notice_with_javascripts_long_date_names_its_holder():
    line = "Copyright © Tue Mar 02 2021 08:15:00 GMT+0100 (Central European Standard Time) Harbour Gazette"
    assert copyright_holder(line)[0] == "Harbour Gazette"


def test_a_clock_in_place_of_a_holder_is_still_no_holder():
    assert copyright_holder("© Thu Dec 10 10:10:50 GMT-03:00 2020") is None


def test_the_print_headers_address_names_the_site_over_a_subscribe_link():
    # the print header's logo copies as its alt text in brackets, then the page's own address
    address = "[print-head] https://www.harbourgazette.com/news/article/Harbour-bridge-to-close-1234.php"
    rival = "  • Subscribe to Coastal-Herald"
    others = "\n".join(f"Coastal-Herald {what}" for what in ("events", "puzzles", "archive"))
    assert publisher(address, MENU, STORY, rival, others,
                     "© 2021 Quillfeather Newspapers") == "harbourgazette.com"
