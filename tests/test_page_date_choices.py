"""Which of a copied page's dates is its own (archive/extract/page_dates.choose and its helpers)."""
from __future__ import annotations

import datetime as dt

from archive.extract.page_dates import find_page_date

TODAY = dt.date(2024, 12, 1)
D = dt.date

LEAD = ("The regional council met on Thursday evening to discuss the new bus timetable, which "
        "residents say leaves the northern villages without a service after seven o'clock.\n"
        "Several speakers asked for the late buses to return before the winter holidays begin, "
        "and the council promised an answer within a month.")
HEADLINE = "Council keeps the late buses"


def page(*head: str, tail: str = "") -> list[str]:
    """Lines of a copied page: the given head lines, the lead, then the tail."""
    return "\n\n".join([*head, LEAD, tail]).split("\n")


def page_date(lines: list[str], lang: str = "en") -> dt.date | None:
    found = find_page_date(lines, lines.index(HEADLINE), lang, TODAY)
    return found.date if found else None


def test_the_sites_today_in_the_header_does_not_outvote_the_date_under_the_headline():
    lines = page("Monday, 15 April 2024", "Home", "News", HEADLINE, "14.04.2024 23:32")
    assert page_date(lines) == D(2024, 4, 14)


def test_the_header_today_in_another_language_is_known_by_its_weekday_name():
    lines = page("понедельник, 15 апреля 2024, 00:03", "Главная", HEADLINE, "14.04.2024 23:32")
    assert page_date(lines, "ru") == D(2024, 4, 14)


def test_a_header_date_earlier_than_the_one_under_the_headline_still_disagrees():
    lines = page("Monday, 8 April 2024", "Home", "News", HEADLINE, "14.04.2024 23:32")
    assert page_date(lines) is None


def test_a_later_date_above_the_headline_without_a_weekday_still_disagrees():
    lines = page("15 April 2024", "Home", "News", HEADLINE, "14.04.2024 23:32")
    assert page_date(lines) is None


def test_a_date_line_under_a_byline_set_apart_by_bars_is_no_tail_of_a_wrapped_sentence():
    byline = "By Leonora Castaneda-Whitfield | lcw@northernvalleynews.example | Northern Valley News"
    assert len(byline) >= 70
    dated = "PUBLISHED: April 14, 2024 at 9:06 a.m. | UPDATED: April 14, 2024 at 9:26 a.m."
    lines = page(HEADLINE, f"{byline}\n{dated}")  # the date line right under the byline
    assert page_date(lines) == D(2024, 4, 14)


def test_the_date_in_a_wire_datelines_parenthesis_is_the_articles():
    lines = page(HEADLINE, "BEIRUT (Example Agency / Wire - 14th April, 2024) The regional council met on "
                 "Thursday evening to discuss\nthe new bus timetable.")
    assert page_date(lines) == D(2024, 4, 14)


def test_a_date_in_parentheses_inside_a_sentence_is_still_about_an_event():
    lines = page(HEADLINE, "The new depot (opened 14 April, 2024 by the mayor) will take the late buses "
                 "from the\nnorthern villages.")
    assert page_date(lines) is None


def test_a_birth_date_in_a_profile_is_never_the_pages_date():
    lines = page(HEADLINE, "Latest revision as of 05:33, 7 April 2024", "• Birthdate: 1981-04-01 (age 43)")
    assert page_date(lines) == D(2024, 4, 7)


def test_a_last_edited_date_is_an_update_not_a_rival():
    lines = page(HEADLINE, "2 April 2024", "This page was last edited on 7 April 2024, at 05:33.")
    assert page_date(lines) == D(2024, 4, 2)


BYLINE = "April 14, 2024 Ann Taylor Audio, Local News, Media, News Comments Off on Council Keeps the Late\nBuses"


def test_a_long_byline_opening_with_the_date_gives_it():
    assert page_date(page(HEADLINE, BYLINE)) == D(2024, 4, 14)


def test_a_bulleted_ticker_above_the_headline_is_no_list_with_the_byline_below_it():
    ticker = "\n".join(["• [ April 14, 2024 ] Council keeps the late buses Audio",
                        "• [ April 13, 2024 ] Weekend church announcements",
                        "• [ April 12, 2024 ] Snow may see accumulation Audio"])
    assert page_date(page(ticker, HEADLINE, BYLINE)) == D(2024, 4, 14)


def test_a_sentence_opening_with_a_date_is_still_about_an_event():
    lines = page(HEADLINE, "April 12, 2024, was the day the council first met to discuss the timetable of\n"
                 "the late buses.")
    assert page_date(lines) is None


def test_a_year_run_into_the_time_after_it_still_ends_the_date():
    lines = page(HEADLINE, "Redazione ROMA", "14 aprile 202410:43 News")
    assert page_date(lines, "it") == D(2024, 4, 14)


def test_digits_of_other_scripts_and_spaced_slashes_are_read():
    lines = page(HEADLINE, "حسام أبو العلا - القاهرة", "٠٢:٠٠ الثلاثاء ١٤ / ٤ / ٢٠٢٤")
    assert page_date(lines, "ar") == D(2024, 4, 14)
