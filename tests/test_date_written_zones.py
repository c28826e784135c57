"""The publisher's zone from the times a page's own markup writes (archive/readers/page_meta.written_zones)."""
from __future__ import annotations

import datetime as dt

from lxml import html as lxml_html

from archive.readers.html_page import page_document
from archive.readers.page_meta import written_zones

ARTICLE = "<p>" + "The council voted on the new bridge after a long debate in the town hall. " * 12 + "</p>"


def stamped_page(stamp: str, script: str) -> str:
    return ('<html lang="en"><head><meta charset="utf-8">'
            '<meta property="og:url" content="https://www.dailyplanet.com/news/bridge-vote">'
            f'<meta property="article:published_time" content="{stamp}">'
            f"<script>{script}</script></head><body><article>"
            f"<h1>Council approves the new bridge</h1>{ARTICLE}</article></body></html>")


def stated_date(html: str) -> str | None:
    return page_document(html, path="page.html", record=None, fmt="html", hints={}).hints.get("date")


def test_a_utc_stamp_after_midnight_takes_the_day_of_the_offset_the_pages_own_data_writes():
    # 02:54 UTC on 2 May is 22:54 on 1 May at -04:00
    script = 'var schedule = [{"date": "Fri, 01 May 2020 23:00:00 -0400"}, {"at": "2020-05-02T06:00:00-04:00"}];'
    assert stated_date(stamped_page("2020-05-02T02:54:29.000Z", script)) == "2020-05-01"


def test_times_written_in_several_unrelated_offsets_name_no_zone_and_the_day_stays_in_doubt():
    script = 'var feed = ["2020-05-02T06:00:00-04:00", "2020-05-02T11:30:00+05:30", "2020-05-02T08:00:00+02:00"];'
    assert stated_date(stamped_page("2020-05-02T02:54:29.000Z", script)) is None


def test_a_summer_and_a_winter_offset_an_hour_apart_are_one_publishers():
    tree = lxml_html.fromstring('<html><head><script>var a = "2020-03-01T10:00:00-05:00", '
                                'b = "2020-04-01T10:00:00-04:00";</script></head><body><p>x</p></body></html>')
    assert written_zones(tree) == (dt.timezone(dt.timedelta(hours=-5)), dt.timezone(dt.timedelta(hours=-4)))


def test_times_written_in_utc_name_no_zone():
    tree = lxml_html.fromstring('<html><head><script>var a = "2020-03-01T10:00:00+00:00";</script>'
                                '</head><body><p>x</p></body></html>')
    assert written_zones(tree) == ()
