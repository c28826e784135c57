"""Titles: a standalone headline near the top, else a shortened lead sentence."""
from __future__ import annotations

import textwrap

import pytest

from archive.document import RawDocument
from archive.extract import _is_metadata_line, extract
from archive.extract.clean import content_lines, text_lines
from archive.extract.layout import analyse
from archive.extract.title import (FEATURES, LEAD_TITLE_MAX, find_headline, headline_features, is_hashtag_strip,
                                   article_start, is_headline_line, past_teasers,
                                   lead_sentence_title, shorten, strip_site_suffix)

LEAD = ("Damascus has a recording of conversations between the American military and Islamic State "
        "terrorists ahead of the airstrike near Deir ez-Zor, the speaker of the council said.")


def lines_of(text: str) -> list[str]:
    return content_lines(text_lines(text))


def headline(text: str) -> str | None:
    found = find_headline(lines_of(text))
    return found.text if found else None


def test_a_short_line_at_the_top_is_the_headline():
    assert headline(f"Talks to Resume in Geneva\n\n{LEAD}") == "Talks to Resume in Geneva"


def test_a_headline_may_sit_below_a_date_line_and_a_lead_paragraph():
    text = f"20 September 2016 - 22:36\nNews ID: 1\n{LEAD}\nISIL Terrorist Has American Weapon\n\n{LEAD}"
    assert headline(text) == "ISIL Terrorist Has American Weapon"


def test_page_furniture_and_bare_dates_are_never_the_headline():
    text = f"Skip to main content\nVisits:\n\nSaturday, September 17, 2016 12:58\n\n{LEAD}"
    assert headline(text) is None


def test_the_headline_keeps_its_text_as_written():
    title = "US Airstrike Kills 62 Syrian Soldiers in Deir ez-Zor ..”Serious And Blatant Aggression”"
    assert headline(f"{title}\n\n{LEAD}") == title


def test_hard_wrapped_wire_lines_are_not_headlines():
    text = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought.\n"
    assert headline(text) is None


def test_a_question_is_a_headline_only_as_the_first_line():
    assert headline(f"Is the Truce Over?\n\n{LEAD}") == "Is the Truce Over?"
    assert headline(f"{LEAD}\nWhat happens next?\n\n{LEAD}") is None


def test_without_a_headline_the_lead_sentence_is_cut_at_a_word_boundary():
    found = lead_sentence_title(lines_of(f"{LEAD} A second sentence follows."))
    assert found.rule == "inferred:lead-sentence"
    assert found.text.endswith("…")
    stem = found.text[:-1]
    assert len(stem) <= LEAD_TITLE_MAX and LEAD.startswith(stem) and LEAD[len(stem)] == " "


def test_the_lead_sentence_title_leaves_out_the_dateline():
    found = lead_sentence_title(lines_of("BEIRUT (Reuters) - Syrian troops advanced. More followed."))
    assert found.text == "Syrian troops advanced"


def test_the_first_sentence_ends_at_a_full_stop_but_not_after_an_abbreviation():
    found = lead_sentence_title(lines_of("Mr. Abbas met U.S. envoys in Damascus. Talks went on."))
    assert found.text == "Mr. Abbas met U.S. envoys in Damascus"


@pytest.mark.parametrize("sentence, expected", [
    ("Short sentence.", "Short sentence"),
    ("Wait for it...", "Wait for it..."),
])
def test_shorten_drops_only_a_single_final_full_stop(sentence, expected):
    assert shorten(sentence) == expected


def test_a_site_name_suffix_is_stripped_only_when_it_names_the_site():
    assert strip_site_suffix("Talks resume | RT World News", ["RT World News"]) == "Talks resume"
    assert strip_site_suffix("Talks resume - BBC News", [], same_outlet=lambda s: s == "BBC News") == \
        "Talks resume"
    assert strip_site_suffix("Syria - Russia talks resume", ["BBC"]) == "Syria - Russia talks resume"


SHORT_LEAD = "Syrian troops advanced on the city. More units followed them."


def test_the_lead_sentence_title_passes_over_a_login_form():
    text = f"Username: [          ]\nPassword: [          ]\n[Login]\n\n{SHORT_LEAD}"
    assert lead_sentence_title(lines_of(text)).text == "Syrian troops advanced on the city"


def test_the_lead_sentence_title_passes_over_a_breadcrumb_trail_ending_in_its_arrow():
    text = f"Home » Column »\n\n{SHORT_LEAD}"
    assert lead_sentence_title(lines_of(text)).text == "Syrian troops advanced on the city"


def test_a_lead_with_an_arrow_inside_it_is_still_the_lead():
    text = "Prices rose > 5% in May. Traders were surprised."
    assert lead_sentence_title(lines_of(text)).text == "Prices rose > 5% in May"


# --- copied pages: furniture the headline scorer refuses ---------------------------------------

from test_title_candidates import ARTICLE, HEADLINE  # noqa: E402  (the same small story, its headline)

STORY = ARTICLE[:3]


def copied_page(*above_headline: str) -> str:
    """A page as a browser copies it: a menu, lines set above the headline, the byline, the story."""
    menu = ["  • Home", "  • News", "  • Sport", "  • Business", "  • Culture"]
    head = [*menu, "", "[site-logo]", "", *(f"{line}\n" for line in above_headline), HEADLINE, "",
            "By Jane Example", ""]
    body = ["\n".join(textwrap.wrap(p, 80)) + "\n" for p in STORY]
    return "\n".join([*head, *body, "  • About us", "  • Contact", "Follow us on social media", "",
                      "[ ] [Subscribe]", ""])


def candidates(text: str) -> list[str]:
    layout = analyse(text_lines(text), "en")
    return [" ".join(layout.units[k].text.split()) for k, _ in headline_features(layout.units, _is_metadata_line)]


def copied_title(text: str) -> str:
    return extract(RawDocument(path="copies/page.txt", record=None, fmt="txt", text=text)).title


def test_a_row_of_hashtags_is_no_headline_candidate():
    strip = "Trending Topics : #Budget2020#HarbourBridge#CityCouncil"
    text = copied_page(strip)
    assert HEADLINE in candidates(text) and strip not in candidates(text)
    assert copied_title(text) == HEADLINE


@pytest.mark.parametrize("line, strip", [
    ("#Budget2020 #Elections #Covid19", True),
    ("Trending: #Budget #Vote", True),
    ("#MeToo reaches the courts", False),
    ("Why #MeToo and #TimesUp still matter", False),
])
def test_a_hashtag_strip_has_two_tags_or_more_and_no_other_words(line, strip):
    assert is_hashtag_strip(line) is strip


def test_the_items_of_a_numbered_list_are_no_headline_candidates():
    items = ["1. Harbour district residents demand a vote on the bridge",
             "2. Engineers publish the corrosion report in full", "3. Council meets the harbour residents"]
    text = copied_page(*items)
    assert HEADLINE in candidates(text) and not set(items) & set(candidates(text))
    assert copied_title(text) == HEADLINE


def test_a_numbered_breadcrumb_leaves_the_headline_it_ends_with():
    text = copied_page("1. Home >", "2. News >", f"3. {HEADLINE}")
    assert copied_title(text) == HEADLINE


def features_of(text: str) -> dict[str, dict[str, float]]:
    layout = analyse(text_lines(text), "en")
    return {" ".join(layout.units[k].text.split()): dict(zip(FEATURES, values))
            for k, values in headline_features(layout.units, _is_metadata_line)}


def test_a_headline_after_a_breadcrumb_counts_as_shown_again_by_its_copy_without_it():
    crumbed = f"Home » News » {HEADLINE}"
    values = features_of(copied_page(crumbed))[crumbed]
    assert values["shown_twice"] == 1.0 and values["count"] == 2.0


@pytest.mark.parametrize("notice", [
    "This is a preview of our new site, you may opt out by clicking here",
    "Something went wrong while loading the weather widget!",
    "Sign in to your reader account to keep reading",
])
def test_a_sites_prompt_or_error_message_is_no_headline_candidate(notice):
    text = copied_page(notice)
    assert HEADLINE in candidates(text) and notice not in candidates(text)
    assert copied_title(text) == HEADLINE


@pytest.mark.parametrize("line, headline_like", [
    ("Cliquez ici pour lire la suite de cet article", False),
    ("Please turn off your ad blocker to see the pictures", False),
    ("Haga clic aquí para ver la galería de fotos", False),
    ("Abonnez-vous pour lire tous nos articles en ligne", False),
    ("Subscribe today and read every story for a month", False),
    ("Why readers subscribe to their local papers again", True),
    ("Readers click on stories about the harbour bridge", True),
    ("Council says something must be done about the harbour bridge", True),
])
def test_a_prompt_in_the_second_person_or_the_imperative_is_no_headline_line(line, headline_like):
    assert is_headline_line(line) is headline_like


def test_a_name_and_the_pages_outlet_on_one_line_is_a_byline_not_a_headline():
    credit = "Jane Example. Harbour Gazette"
    text = copied_page("Harbour Gazette", credit)
    assert HEADLINE in candidates(text) and credit not in candidates(text)
    assert copied_title(text) == HEADLINE


def test_a_name_before_an_outlet_the_page_does_not_show_alone_stays_a_candidate():
    line = "Jane Example. Harbour Gazette"
    assert line in candidates(copied_page(line))


TEASERS = [
    ("Ferry fares to rise in the autumn", "The harbour ferry company said on Monday that fares would rise by a tenth from "
     "October, blaming the cost of fuel and the repairs its two oldest boats need before the..."),
    ("School roof repairs finished early", "Builders finished the repairs to the roof of the harbour district school a "
     "week early, the council said, and pupils will be back in their classrooms when the..."),
    ("New bus routes for the west end", "The transport authority has drawn up three new bus routes for the west end of "
     "the city, which residents have asked for since the old tram line was closed in the..."),
    ("Library opens on Sundays again", "The central library will open on Sunday afternoons again from next month, "
     "its director said, after readers signed a petition that was handed to the mayor at the..."),
    ("Market hall to get a new roof", "The old market hall by the harbour will get a new glass roof next year, the "
     "council decided, once the traders have agreed where their stalls will stand while the..."),
]


def teaser_list_page() -> str:
    """A list of teasers (a bullet item, its snippet wrapped under it) right above the article's header."""
    lines = ["  • Home", "  • News", "  • Sport", "  • Business", "  • Culture", "", "Breaking News", ""]
    for headline, snippet in TEASERS:
        wrapped = textwrap.wrap(f"{headline} {snippet}", 76)
        lines += [f"  • {wrapped[0]}", *(f"    {line}" for line in wrapped[1:])]
    lines += ["", HEADLINE, "", "By Jane Example", ""]
    lines += ["\n".join(textwrap.wrap(p, 80)) + "\n" for p in STORY]
    return "\n".join([*lines, "  • About us", "  • Contact", "Follow us on social media", "", "[ ] [Subscribe]", ""])


def test_a_list_of_teasers_opening_the_articles_run_leaves_the_header_below_it_to_the_article():
    assert copied_title(teaser_list_page()) == HEADLINE


def test_bullet_points_with_finished_sentences_are_not_teasers():
    page = teaser_list_page().replace("the...", "the city.")
    units = analyse(text_lines(page), "en").units
    start = article_start(units)
    assert units[start].bullet and past_teasers(units, start) == start


@pytest.mark.parametrize("notice", [
    "The contents of this site are copyright Harbour Media Ltd, all rights reserved",
    "Tous droits réservés pour tous les pays Harbour Media",
])
def test_a_copyright_notice_is_no_headline_candidate(notice):
    text = copied_page(notice)
    assert HEADLINE in candidates(text) and notice not in candidates(text)


def test_a_story_about_copyright_may_be_a_headline():
    line = "European Parliament passes the copyright reform"
    assert line in candidates(copied_page(line))


def test_a_menu_of_the_sites_languages_is_no_headline_candidate():
    menu = "English Français Русский Ελληνικά हिन्दी"
    text = copied_page(menu)
    assert HEADLINE in candidates(text) and menu not in candidates(text)


def test_a_japanese_headline_with_latin_letters_is_still_a_candidate():
    line = "Kindle for PCのショートカットキーを変える方法"
    assert line in candidates(copied_page(line))


def test_a_line_opening_with_the_stop_of_the_words_cut_before_it_is_no_headline_candidate():
    fragment = ". And the harbour district is left waiting once more"
    text = copied_page(fragment)
    assert HEADLINE in candidates(text) and fragment not in candidates(text)


@pytest.mark.parametrize("line", [".NET Framework support ends for old harbour systems",
                                  "... and then the harbour bridge closed for good"])
def test_a_dot_that_opens_a_word_or_an_ellipsis_leaves_a_candidate(line):
    assert line in candidates(copied_page(line))
