"""The time zones a publisher may write in, from its domain.

A page stamped "2020-08-25T00:23:33Z" was published on the 24th in Ottawa
and on the 25th in Moscow: a UTC stamp says the moment, not the publisher's
day. Where the publisher is can be read from its country-code domain
(.ca, .co.uk, .com.au). The country's zones (the IANA table, through pytz) then give
the local day, when they all agree on it; a country spanning many hours
(Russia, the United States) agrees less often, and the day stays in doubt.

A language tag's region is not used: pages tag themselves with their CMS's
default (a Florida paper as es-ES, a Manila one as en-US) far too often.

Country codes sold as generic names (.tv, .io, .fm ...) say nothing about
where a publisher is; they are data in archive/data/vanity_codes.txt.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytz

from ..paths import data_lines

#: Country-code domains whose ISO code differs.
CODE_ALIASES = {"uk": "gb"}


def country_of(host: str | None) -> str | None:
    """The ISO country code of the domain's country-code ending, None for a generic one."""
    if not host:
        return None
    code = host.casefold().rstrip(".").rsplit(".", 1)[-1]
    code = CODE_ALIASES.get(code, code)
    if len(code) == 2 and code.isalpha() and code not in vanity_codes() and _zone_names(code):
        return code
    return None


@lru_cache(maxsize=1)
def vanity_codes() -> frozenset[str]:
    """Country-code top-level domains used as generic ones (not where the site is), read once."""
    return frozenset(code.casefold() for code in data_lines("vanity_codes.txt"))


@lru_cache(maxsize=None)
def _zone_names(code: str) -> tuple[str, ...]:
    try:
        return tuple(pytz.country_timezones[code.upper()])
    except KeyError:
        return ()


@lru_cache(maxsize=None)
def country_zones(code: str | None) -> tuple[ZoneInfo, ...]:
    """The country's time zones (empty for an unknown or missing code)."""
    zones = []
    for name in _zone_names(code or ""):
        try:
            zones.append(ZoneInfo(name))
        except ZoneInfoNotFoundError:  # a zone the system's tz database lacks: skip it
            continue
    return tuple(zones)


def local_day(moment: dt.datetime, zones: tuple[ZoneInfo, ...]) -> dt.date | None:
    """The calendar day of an aware moment in every one of the zones, if they agree; else None."""
    if not zones or moment.tzinfo is None:
        return None
    days = {moment.astimezone(zone).date() for zone in zones}
    return days.pop() if len(days) == 1 else None


__all__ = ["country_of", "country_zones", "local_day", "vanity_codes"]
