"""A facet lists its values in the order the reader expects, whatever the facet's size.

The expected lists are made here by counting plain Python lists of each
document's values, never by the code under test: by count then name, dates
newest first, a fixed order where the facet has one, by name when asked;
the articles without a value last; selected and excluded values always
shown; `more` set when values were left off.
"""
from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from index.columns import Column, MultiColumn
from index.facets import FacetSpec, build_facet
from index.model import MISSING, SearchRequest

WORDS = ["", "ap", "bbc", "cnn", "dpa", "efe", "rt", "tass"]
SPECS = {
    "by count": FacetSpec("outlet", "Outlet", "outlet", "outlet", missing_label="(unknown outlet)"),
    "dates": FacetSpec("date", "Date", "month", "month", chronological=True, missing_label="(no date)"),
    "fixed order": FacetSpec("date_provenance", "Date source", "date_provenance", "date_provenance",
                             order=("rt", "ap", "tass")),
    "multi": FacetSpec("cites", "Cites", "cites", "cites"),
}


def columns(spec: FacetSpec, per_doc: list[list[str]], stories: list[int]):
    """The facet's field as the index holds it: sorted values, one code per document (or per pair)."""
    values = sorted({v for vs in per_doc for v in vs} | {""})
    code = {v: i for i, v in enumerate(values)}
    if spec.field == "cites":
        pairs = [(d, code[v]) for d, vs in enumerate(per_doc) for v in vs if v]
        col = MultiColumn([v for v in values], np.array([d for d, _ in pairs], dtype=np.int64),
                          np.array([c for _, c in pairs], dtype=np.int32), len(per_doc))
    else:
        col = Column(values, np.array([code[vs[0]] for vs in per_doc], dtype=np.int32))
    lacking = np.array([not any(vs) for vs in per_doc], dtype=bool)
    return SimpleNamespace(field=lambda name: col, stories=np.array(stories, dtype=np.int64),
                           lacking=lambda name: lacking)


def expected(spec: FacetSpec, per_doc, stories, base, request: SearchRequest):
    limit = 200 if request.more == spec.name else request.facet_limit
    inside = [d for d in range(len(per_doc)) if base[d]]
    if request.collapse:
        counts = Counter(v for v, _ in {(v, stories[d]) for d in inside for v in per_doc[d] if v})
        lacking = len({stories[d] for d in inside if not any(per_doc[d])})
    else:
        counts = Counter(v for d in inside for v in per_doc[d] if v)
        lacking = sum(1 for d in inside if not any(per_doc[d]))
    found = list(counts.items())
    if request.more == spec.name and request.more_sort == "name":
        found.sort(reverse=spec.chronological)
    elif spec.chronological:
        found.sort(reverse=True)
    elif spec.order:
        found.sort(key=lambda vc: (spec.order.index(vc[0]) if vc[0] in spec.order else 99, vc[0]))
    else:
        found.sort(key=lambda vc: (-vc[1], vc[0]))
    if spec.missing_label and lacking:
        found.append((MISSING, lacking))
    shown = found[:limit]
    wanted = set(getattr(request, spec.param)) | set(request.excluded(spec.param))
    shown += [(v, dict(found).get(v, 0)) for v in sorted(wanted - {v for v, _ in shown})]
    return shown, len(found) > limit


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(sorted(SPECS)),
       docs=st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3),
                               st.integers(0, 6), st.booleans()), max_size=30),
       chosen=st.lists(st.sampled_from(WORDS[1:] + [MISSING, "zzz"]), max_size=2),
       dropped=st.lists(st.sampled_from(WORDS[1:]), max_size=1),
       limit=st.integers(1, 5), more=st.booleans(), by_name=st.booleans(), collapse=st.booleans())
def test_facet_values_are_listed_as_counted_by_hand(kind, docs, chosen, dropped, limit, more, by_name,
                                                    collapse):
    spec = SPECS[kind]
    per_doc = [sorted(set(vs)) if spec.field == "cites" else vs[:1] for vs, _, _ in docs]
    stories = [s for _, s, _ in docs]
    base = np.array([inside for _, _, inside in docs], dtype=bool)
    request = SearchRequest(**{spec.param: tuple(dict.fromkeys(chosen))}, facet_limit=limit,
                            more=spec.name if more else None, more_sort="name" if by_name else "count",
                            collapse=collapse, exclude=tuple((spec.param, v) for v in dropped))
    facet = build_facet(spec, columns(spec, per_doc, stories), base, request, lambda f, v: v.upper())
    shown, more_left = expected(spec, per_doc, stories, base, request)
    assert [(v.value, v.count) for v in facet.values] == shown
    assert facet.more == more_left
    assert [v.selected for v in facet.values] == [v in chosen for v, _ in shown]
    assert [v.excluded for v in facet.values] == [v in dropped for v, _ in shown]


def test_a_facet_of_thousands_of_values_shows_the_most_frequent_first():
    spec = SPECS["multi"]
    per_doc = [sorted({f"s{d % 3000:04d}", f"s{d % 7:04d}"}) for d in range(20_000)]
    cols = columns(spec, per_doc, list(range(20_000)))
    facet = build_facet(spec, cols, np.ones(20_000, dtype=bool), SearchRequest(), lambda f, v: v)
    counts = Counter(v for vs in per_doc for v in vs)
    ranked = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))
    assert len(counts) == 3000
    assert [(v.value, v.count) for v in facet.values] == ranked[:10]
    assert facet.more
