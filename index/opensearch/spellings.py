"""The archive's own spellings of a name, looked up on the cluster (see `index.spellings`).

`index.spellings` finds every spelling the archive writes of a typed name
by scanning the `spellings` field's terms with the name's transliteration
key as prefix, on a Whoosh reader. `TermLister` answers the same two
questions (the terms with a prefix, and how many documents hold each) with
one terms aggregation, so both engines widen phrases and name queries, and
offer "also written as", by the same code.
"""
from __future__ import annotations

from ..spellings import FIELD, MAX_SPELLINGS

#: Terms read per prefix (the most frequent `MAX_SPELLINGS` of them are used).
SCAN = 10 * MAX_SPELLINGS


def lucene_prefix(prefix: str) -> str:
    """A Lucene regular expression matching the terms that start with `prefix`."""
    return "".join(c if c.isalnum() else "\\" + c for c in prefix) + ".*"


class TermLister:
    """The slice of a Whoosh reader `index.spellings` uses, read from the alias `index`."""

    schema = frozenset({FIELD})

    def __init__(self, client, index: str):
        self.client = client
        self.index = index
        self._counts: dict[str, int] = {}

    def expand_prefix(self, field: str, prefix: str) -> list[bytes]:
        body = {"size": 0, "aggs": {"terms": {"terms": {
            "field": field, "include": lucene_prefix(prefix), "size": SCAN,
            "order": [{"_count": "desc"}, {"_key": "asc"}]}}}}
        buckets = self.client.search(index=self.index, body=body)["aggregations"]["terms"]["buckets"]
        self._counts.update({b["key"]: int(b["doc_count"]) for b in buckets})
        return sorted(b["key"].encode("utf-8") for b in buckets)

    def doc_frequency(self, field: str, term) -> int:
        return self._counts.get(term.decode("utf-8") if isinstance(term, bytes) else term, 0)
