"""The publisher's time zones from its country-code domain, and the local day of a UTC moment."""
from __future__ import annotations

import datetime as dt

from archive.extract.zones import country_of, country_zones, local_day

UTC = dt.timezone.utc


def test_a_country_code_domain_names_its_country_and_a_generic_one_none():
    assert country_of("ici.radio-canada.ca") == "ca"
    assert country_of("www.mirror.co.uk") == "gb"  # .uk is Great Britain's code
    assert country_of("www.couriermail.com.au") == "au"
    assert country_of("abc7ny.com") is None
    assert country_of("news.example.tv") is None  # a code sold as a generic name
    assert country_of(None) is None


def test_a_moment_after_midnight_utc_is_the_day_before_everywhere_in_canada():
    # 00:23 UTC is 20:23 in Halifax and 17:23 in Vancouver: the 24th across the country
    moment = dt.datetime(2020, 8, 25, 0, 23, tzinfo=UTC)
    assert local_day(moment, country_zones("ca")) == dt.date(2020, 8, 24)


def test_a_country_whose_zones_straddle_the_date_line_gives_no_day():
    # 21:00 UTC is still the 1st in Kaliningrad (23:00) but the 2nd in Kamchatka
    moment = dt.datetime(2021, 3, 1, 21, 0, tzinfo=UTC)
    assert local_day(moment, country_zones("ru")) is None


def test_without_zones_there_is_no_local_day():
    assert local_day(dt.datetime(2021, 3, 1, 23, 0, tzinfo=UTC), ()) is None


def test_the_generic_country_codes_are_data_read_once():
    from archive.extract.zones import vanity_codes
    from archive.paths import DATA_FILES
    written = {line.strip() for line in (DATA_FILES / "vanity_codes.txt").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")}
    assert vanity_codes() == written and {"tv", "io", "fm"} <= written
    assert vanity_codes() is vanity_codes()  # cached, not re-read per article
    assert country_of("radio.example.fm") is None and country_of("www.example.fr") == "fr"
