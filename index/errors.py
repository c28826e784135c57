"""What the search side can fail with, each a one-line message for people.

The web app answers these with an error page or JSON error (never a 200
with an empty result), the command line with a clean message and exit 1.
"""
from __future__ import annotations

from pathlib import Path


class SearchError(Exception):
    """A search could not be answered; str() is the message to show."""

    status = 500


class IndexUnavailable(SearchError):
    """The index exists but cannot be opened or read (damaged, unreadable)."""

    status = 503

    def __init__(self, path: Path | str, reason: str):
        super().__init__(f"the index in {path} cannot be read ({reason}); "
                         "run `ingest.py reindex` to rebuild it from the store")
        self.path = Path(path)
        self.reason = reason


class SearchFailed(SearchError):
    """The search itself went wrong (the details are in the server log)."""

    def __init__(self, reason: str):
        super().__init__(f"the search failed ({reason}); the details are in the server log")
        self.reason = reason


class StoreUnreadable(SearchError):
    """The store of record, which some answers are read from (passage partners), cannot be read."""

    status = 503
