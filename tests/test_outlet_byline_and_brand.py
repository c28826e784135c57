"""Outlets from a copied page's furniture: the site on the line under a byline, and a company
notice seconding the brand the site's own lines name."""
from __future__ import annotations

from archive.extract.outlets import _byline_outlet_below

from test_outlet_self_naming import MENU, PARAGRAPHS as STORY, publisher

#: The header's buttons, above the article (where a masthead is read).
HEADER = "\n".join(("Sign in", "Subscribe", "Search", "Weather 17°", "Newsletters", "Podcasts", "Puzzles"))


def test_the_line_under_a_byline_names_the_site_before_its_separator():
    byline = "Harbour bridge to close to cars next spring\n\nBy Ana Ferreira\nHarbour Gazette |\nAug 17, 2020 at 5:00 AM"
    assert publisher(HEADER, MENU, byline, STORY, "Recommended on Harbour Gazette") == "Harbour Gazette"


def test_a_wire_agency_or_a_date_under_a_byline_is_no_site():
    assert _byline_outlet_below("Harbour Gazette |") == "Harbour Gazette"
    assert _byline_outlet_below("Associated Press |") is None
    assert _byline_outlet_below("Aug 17, 2020 |") is None


def test_a_company_notice_seconds_the_brand_the_sites_menus_name():
    menus = "  • More about The Harbour Gazette\n  • The Harbour Gazette UK\n  • The Harbour Gazette UK"
    notice = "® 2020 The Harbour Gazette Publications Inc., All rights reserved."
    assert publisher(MENU, STORY, menus, notice) == "The Harbour Gazette"


def test_a_company_notice_alone_names_no_brand():
    menus = "  • More about us\n  • Careers\n  • Contact"
    notice = "® 2020 The Harbour Gazette Publications Inc., All rights reserved."
    assert publisher(MENU, STORY, menus, notice) is None


def test_a_company_notice_spelling_the_sites_domain_names_the_site_by_its_brand():
    # the page's own address and its menus write the brand; the notice gives the company behind it
    address = "Printable version: https://www.qf.com.br/economia/harbour-bridge-1234.html"
    menus = "\n".join(f"  • qF {what}" for what in ("Mail", "Kids", "Produtos", "Mais"))
    notice = "© 2021 qF Publicidade e Conteúdo Ltda. Todos os direitos reservados."
    assert publisher(address, MENU, menus, STORY, notice) == "qF"
