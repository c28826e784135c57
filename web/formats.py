"""How the pages write dates: one place, in a form every platform's strftime can make."""
from __future__ import annotations

import datetime as dt


def day_label(day: dt.date) -> str:
    """"5 Sep 2016": the day without a leading zero, which only glibc's strftime can write by a flag."""
    return f"{day.day} {day:%b %Y}"
