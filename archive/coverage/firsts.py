"""Who had it first: the earliest article of a story and the later ones reusing its passages.

A story is the compared articles with every article connected to them by
story links or shared passages (walked outwards, at most `MAX_NODES`
articles, nearest first). Each pair of them that shares passages is an
edge from the earlier article to the later one, weighted by the words they
share; a pair published the same day, or one without a date, cannot say
who borrowed from whom, so its edge has no direction. The articles with the
earliest date are the story's first.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from ..store import Store
from . import store as coverage_store

#: Articles one graph holds at most (the compared ones always among them).
MAX_NODES = 12


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    outlet: str | None
    date: dt.date | None
    compared: bool  # one of the articles asked about
    first: bool     # among the earliest dated articles

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "outlet": self.outlet,
                "date": self.date.isoformat() if self.date else None, "compared": self.compared,
                "first": self.first}


@dataclass(frozen=True)
class Edge:
    source: str   # the earlier article (either one when undirected)
    target: str   # the later article, reusing passages of the source
    words: int
    directed: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass(frozen=True)
class ReuseGraph:
    nodes: tuple[Node, ...]  # by date, undated last
    edges: tuple[Edge, ...]
    truncated: bool          # more articles are connected than MAX_NODES

    @property
    def first(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.first)

    def to_dict(self) -> dict:
        return {"nodes": [n.to_dict() for n in self.nodes], "edges": [e.to_dict() for e in self.edges],
                "first": [n.id for n in self.first], "truncated": self.truncated}


def _neighbours(store: Store, ids: list[str]) -> set[str]:
    partners = coverage_store.passage_partners(store, ids)
    links = coverage_store.story_components(store, ids)
    return ({x for found in partners.values() for x in found}
            | {x for group in links.values() for p in group for x in (p.a, p.b)})


def _pair_words(store: Store, ids: Sequence[str]) -> dict[tuple[str, str], int]:
    wanted = set(ids)
    out: dict[tuple[str, str], int] = {}
    for start in range(0, len(ids), 400):
        chunk = list(ids[start:start + 400])
        marks = ",".join("?" * len(chunk))
        for a, b, n in store.db.execute(
                f"SELECT a, b, SUM(words) FROM shared_passages WHERE a IN ({marks}) GROUP BY a, b", chunk):
            if b in wanted:
                key = (min(a, b), max(a, b))
                out[key] = out.get(key, 0) + n
    return out


def reuse_graph(store: Store, compared: Sequence[str]) -> ReuseGraph:
    """The who-had-it-first graph of the story the `compared` articles belong to."""
    coverage_store.ensure_schema(store)
    order = list(dict.fromkeys(compared))
    seen = set(order)
    frontier = list(order)
    truncated = False
    while frontier and not truncated:
        found = sorted(_neighbours(store, frontier) - seen)
        room = MAX_NODES - len(order)
        truncated = len(found) > room
        found = found[:max(0, room)]
        order += found
        seen.update(found)
        frontier = found
    articles = store.get_many(order)
    dates = {i: (a.date.date() if isinstance(a.date, dt.datetime) else a.date) for i, a in articles.items()}
    known = [d for d in dates.values() if d is not None]
    earliest = min(known) if known else None
    nodes = [Node(i, a.title, a.outlet, dates[i], i in compared, earliest is not None and dates[i] == earliest)
             for i, a in articles.items()]
    nodes.sort(key=lambda n: (n.date is None, n.date or dt.date.min, n.id))
    edges = []
    for (a, b), words in sorted(_pair_words(store, [n.id for n in nodes]).items()):
        da, db = dates.get(a), dates.get(b)
        if da is not None and db is not None and da != db:
            source, target = (a, b) if da < db else (b, a)
            edges.append(Edge(source, target, words, True))
        else:
            edges.append(Edge(a, b, words, False))
    return ReuseGraph(tuple(nodes), tuple(edges), truncated)
