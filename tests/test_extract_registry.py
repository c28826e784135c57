"""The outlet registry: names, aliases, domains and URLs resolve to one outlet."""
from __future__ import annotations

import pytest

from archive.extract.registry import REGISTRY_FILE, Outlet, OutletRegistry, resolve_outlet

RT = Outlet("RT", "rt")


@pytest.mark.parametrize("mention", [
    "RT", "RT News", "Russia Today", "rt.com", "RT.com", "www.rt.com", "https://www.rt.com/news/360383/",
    "arabic.rt.com", "the RT", "  rt news  ",
])
def test_every_way_of_naming_rt_resolves_to_one_outlet(mention):
    assert resolve_outlet(mention) == RT


@pytest.mark.parametrize("mention, slug", [
    ("Reuters", "reuters"), ("AP", "associated-press"), ("AFP", "afp"),
    ("FNA", "fars-news-agency"), ("english.farsnews.ir", "fars-news-agency"),
    ("Rasa", "rasa-news-agency"), ("RNA", "rasa-news-agency"),
    ("Before It's News", "before-its-news"), ("Before It’s News", "before-its-news"),
    ("Sputnik Arabic", "sputnik"), ("SANA", "sana"), ("TASS", "tass"), ("Al Jazeera", "al-jazeera"),
    ("bbc.co.uk", "bbc"), ("CNN", "cnn"), ("ZeroHedge", "zero-hedge"), ("Press TV", "press-tv"),
    ("Tasnim", "tasnim-news-agency"), ("Anadolu Agency", "anadolu-agency"), ("Xinhua", "xinhua"),
    ("Guardian", "the-guardian"), ("New York Times", "the-new-york-times"),
    ("washingtonpost.com", "the-washington-post"), ("WSJ", "the-wall-street-journal"),
])
def test_well_known_outlets_and_agencies_are_registered(mention, slug):
    assert resolve_outlet(mention).slug == slug


@pytest.mark.parametrize("mention", ["", None, "London", "samples", "blogdogcicle.blogspot.com",
                                     "RT is a channel", "U.S."])
def test_unknown_names_and_domains_stay_unknown(mention):
    assert resolve_outlet(mention) is None


def test_the_shipped_registry_has_unique_slugs_and_a_few_dozen_outlets():
    registry = OutletRegistry.from_file(REGISTRY_FILE)
    slugs = [o.slug for o in registry.outlets]
    assert len(slugs) >= 36
    assert len(slugs) == len(set(slugs))


def test_a_user_row_needs_only_a_name_and_comments_are_ignored(tmp_path):
    path = tmp_path / "outlets.tsv"
    path.write_text("# my outlets\nname\tslug\taliases\tdomains\n"
                    "Deir Ezzor 24\t\tDZ24|DeirEzzor24\tdeirezzor24.net\n\n"
                    "\tno-name\t\t\n", encoding="utf-8")
    registry = OutletRegistry.from_file(path)
    expected = Outlet("Deir Ezzor 24", "deir-ezzor-24")
    assert registry.outlets == [expected]
    assert registry.resolve("dz24") == expected
    assert registry.resolve("https://news.deirezzor24.net/a/1") == expected
