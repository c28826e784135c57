"""Outlets from a copied page: a domain the article is about (a listicle's item, a possessive in
its prose) is no evidence of the page's own site."""
from __future__ import annotations

from archive.extract import outlet_from_text
from archive.extract.clean import text_lines


def test_a_site_the_listicle_reviews_does_not_rival_the_footers_notice():
    header = "\n".join(f"  • {s}" for s in ("Home", "Travel", "Tech", "Culture", "Shop", "Deals"))
    story = [
        "Solo travel is easier with the right apps and a little planning before the trip begins,",
        "and the best of them help you meet other people who are travelling the same way.",
        "",
        "1. Tripfriends.com ",
        "",
        "Want to make friends while travelling alone? These sites can help you with that.",
        "",
        "Image: tripfriends.com ",
        "",
        "The fact that Tripfriends.com's tagline is \"the world is waiting\" says it all. Get out of",
        "the hotel and into the city, where the groups meet every week in cafes and parks.",
        "Tripfriends.com lists hundreds of groups in every large city of the world, most of them free.",
    ]
    footer = ["  ☆ Quillfeather Careers", "  ☆ Quillfeather Shop", "  ☆ Quillfeather Deals",
              "  ☆ Quillfeather UK", "  ☆ Quillfeather India", "  ☆ Quillfeather Australia",
              "© 2021 Quillfeather, Inc. All Rights Reserved."]
    lines = text_lines("\n".join([header, *story, "", *footer]))
    own = {line.strip() for line in story if line.strip()}
    content = [i for i, line in enumerate(lines) if line and line.strip() in own]
    skip = frozenset(i for i in range(len(lines)) if i not in content)
    found = outlet_from_text(lines, skip, all_lines=lines)
    assert found is not None and found.outlet.name == "Quillfeather"
