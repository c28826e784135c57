"""Datelines: the "BEIRUT (Reuters) - " or "Rasa - " that opens a wire story.

A dateline names the place and, often, the agency that wrote the story; the
outlet cascade reads the agency from it, and a title made from the lead
sentence leaves it out. Only capitalised words may stand before the dash,
so "The U.S.-led coalition - which ..." is not taken for one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

CAP_WORD = r"[A-Z][\w.'’]*"
DATELINE = re.compile(
    r"(?:(?P<place>" + CAP_WORD + r"(?:\s+" + CAP_WORD + r"){0,3})"      # BEIRUT / New York / Rasa
    r"(?:,\s*" + CAP_WORD + r"(?:\s+(?:" + CAP_WORD + r"|\d{1,2})){0,2}){0,2}"  # , D.C. / , Sept 27
    r"(?:\s*\((?P<agency>[^()\n]{2,40})\))?"                                  # (Reuters)
    r"|\((?P<bare_agency>[^()\n]{2,40})\))"                                  # (AFP) alone
    r"\s*(?:--|[-–—])\s+(?=\S)")


@dataclass(frozen=True)
class Dateline:
    place: str | None
    agency: str | None
    rest: str


def match_dateline(line: str) -> Dateline | None:
    """The dateline opening this line, or None."""
    m = DATELINE.match(line)
    if not m:
        return None
    return Dateline(place=m.group("place"), agency=m.group("agency") or m.group("bare_agency"),
                    rest=line[m.end():])
