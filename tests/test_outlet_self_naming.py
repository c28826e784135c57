"""Outlets from a copied page's furniture: a site saying in another language who publishes it,
and a site's "Stay connected with" prompts."""
from __future__ import annotations

from archive.extract.clean import text_lines
from archive.extract.outlets import outlet_from_furniture, site_line_name

MENU = "\n".join(f"  • {s}" for s in ("Home", "News", "Sport", "Business", "Culture", "Weather"))
HEADLINE = "Harbour bridge to close to cars next spring"
#: The article's paragraphs without their headline (for pages that set it elsewhere, under a byline).
PARAGRAPHS = "\n\n".join([
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, "
    "after engineers warned that the structure could no longer carry heavy traffic safely.",
    "The decision followed a report that found corrosion in most of the steel supports and "
    "recommended that the bridge be rebuilt within five years at a cost the city cannot yet meet."])
STORY = f"{HEADLINE}\n\n{PARAGRAPHS}"


def publisher(*parts: str) -> str | None:
    """The outlet the furniture reader finds on a page made of `parts` (blank lines between)."""
    result = outlet_from_furniture(text_lines("\n\n".join(parts)))
    return result.outlet.name if result else None


def test_a_hungarian_footer_naming_the_sites_publisher_names_the_site():
    mentions = "\n".join(f"• KIKOTO {what}" for what in ("Sport", "Krimi", "Időjárás"))
    footer = "A KIKOTO kiadója a Dunaparti Lapkiadó Zrt. © Minden jog fenntartva"
    assert publisher(MENU, mentions, STORY, footer) == "KIKOTO"


def test_a_german_footer_saying_whose_offer_the_site_is_names_the_site():
    mentions = "\n".join(f"• Hafenblick {what}" for what in ("Sport", "Kultur", "Wetter"))
    footer = "Hafenblick ist ein Angebot der Nordkai Mediengruppe GmbH."
    assert publisher(MENU, mentions, STORY, footer) == "Hafenblick"


def test_without_such_a_footer_the_names_in_the_menus_are_not_enough():
    mentions = "\n".join(f"• Hafenblick {what}" for what in ("Sport", "Kultur", "Wetter"))
    assert publisher(MENU, mentions, STORY, "Impressum") is None


def test_stay_connected_with_names_the_site():
    assert site_line_name("Stay connected with The Harbour Times") == "Harbour Times"
    assert site_line_name("Stay up to date with The Harbour Times for") == "Harbour Times"


def test_a_prompt_to_the_sites_app_in_french_or_spanish_names_the_site():
    from archive.extract.outlets import prompt_line_name
    assert prompt_line_name("Applications Hafenblick iPhone-iPad") == "Hafenblick"
    assert prompt_line_name("Télécharger l'application Le Phare pour Android") == "Le Phare"
    assert prompt_line_name("La app de El Faro para iOS") == "El Faro"
    assert prompt_line_name("Application iPhone") is None


def test_the_sites_app_prompts_and_the_domain_it_writes_name_it():
    header = "Archives\nmenu\nhafenblick.be\nConnexion S'identifier"
    footer = "  □ Hafenblick sur Facebook\n  □ Applications Hafenblick iPhone-iPad\n  □ Application Hafenblick Android"
    rival = "Voir les annonces sur autoplein.be"
    assert publisher(header, MENU, STORY, rival, footer) == "Hafenblick"
