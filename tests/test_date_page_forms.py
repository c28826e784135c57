"""Date forms and placements of copied pages that page_dates used to miss, and the ones it must still refuse."""
from __future__ import annotations

import datetime as dt

from archive.extract.page_dates import candidates, find_page_date, line_dates

TODAY = dt.date(2024, 12, 1)
D = dt.date

PROSE = ("The regional council met on Thursday evening to discuss the new bus timetable, which "
         "residents say leaves the northern villages without a service after seven o'clock.")
LEAD = (PROSE + "\n" + "Several speakers asked for the late buses to return before the winter holidays begin, "
        "and the council promised an answer within a month.")


def dates_of(line: str, lang: str | None = None) -> list[dt.date]:
    return [d for d, _rule, _span in line_dates(line, lang, TODAY)]


def lines_of(*blocks: str) -> list[str]:
    return "\n\n".join(blocks).split("\n")


def test_a_hungarian_date_closes_its_day_with_a_dot_and_is_no_caption():
    line = "Olvasói szavazás 2024. 06. 04. 11:27"
    assert dates_of(line, "hu") == [D(2024, 6, 4)]
    assert [c.date for c in candidates(["Fotó: MTI", line, "Megosztom"], "hu", TODAY)] == [D(2024, 6, 4)]


def test_a_month_named_in_two_calendars_after_a_slash_is_one_month():
    # the Levantine name first (dateparser lacks it), then the one it knows
    assert dates_of("تم نشره الجمعة 24 نيسان / أبريل 2024 09:22 مساءً", "ar") == [D(2024, 4, 24)]


def test_words_the_copy_runs_into_a_date_leave_it_a_date():
    assert dates_of("Wed 29th April 2024 | 03:32 PM", "en") == [D(2024, 4, 29)]
    assert dates_of("Mon., March 23, 2024timer5 min. read", "en") == [D(2024, 3, 23)]
    assert dates_of("Yahoo News Australia28 October 2024", "en") == [D(2024, 10, 28)]
    assert dates_of("G20 March 2024", "en") == []  # a code, not a day


def test_a_line_that_is_only_a_date_under_a_headline_without_a_stop_is_read():
    headline = "Armenian ministry officials fear a reckoning after the defence minister resigns in protest"
    cands = candidates([headline, "08:22, 24.11.2024", "Region: Armenia"], "hy", TODAY)
    assert [c.date for c in cands] == [D(2024, 11, 24)]
    # the tail of a wrapped sentence still is not
    wrapped = ["The minister said the report had been handed to parliament on the morning of",
               "24 November 2024."]
    assert candidates(wrapped, "en", TODAY) == []


def test_far_from_the_headline_the_page_date_is_taken_when_it_is_the_only_one():
    page = lines_of("Home", "News", "Council cuts the late buses", LEAD,
                    *[PROSE] * 12, "11 de Outubro de 2024, 8:34", "Share this article")
    found = find_page_date(page, headline=4, lang="pt", today=TODAY)
    assert found is not None and found.date == D(2024, 10, 11)


def test_far_from_the_headline_two_dates_on_lines_of_their_own_abstain():
    page = lines_of("Home", "News", "Council cuts the late buses", LEAD,
                    *[PROSE] * 12, "11 October 2024", *[PROSE] * 12, "3 September 2024")
    assert find_page_date(page, headline=4, lang="en", today=TODAY) is None


def test_a_date_inside_a_notice_is_not_taken_for_the_page_alone():
    page = lines_of("Home", "News", "Council cuts the late buses", LEAD, *[PROSE] * 12,
                    "Агентство (св-во о регистрации СМИ выдано 02 апреля 1999 г.)")
    assert find_page_date(page, headline=4, lang="ru", today=TODAY) is None


def test_a_forum_members_join_date_under_its_label_is_refused():
    page = ["Well-Known Member", "", "Joined", "    May 11, 2017", "", "Messages", "    3,066"]
    assert candidates(page, "en", TODAY) == []
    assert [c.date for c in candidates(["Posted", "    May 11, 2017"], "en", TODAY)] == [D(2017, 5, 11)]


def test_a_byline_padded_to_the_page_width_with_spaces_is_still_a_short_line():
    line = "  Jane Roe / Pune September 29, 2024" + " " * 230 + "Share"
    assert len(line) > 240
    assert [c.date for c in candidates(["Headline of the story", line], "en", TODAY)] == [D(2024, 9, 29)]
