"""The search engine interface, and which engine an archive uses.

The store of record (SQLite) is the truth; an engine is a derived index of
it, rebuilt or kept in sync from the store, that answers a `SearchRequest`
with a `SearchResult`. Two engines implement `Engine`: Whoosh, embedded in
a folder of the data directory (the default: nothing to run), and an
OpenSearch (or Elasticsearch 8) cluster for archives and readerships that
outgrow one machine (`index.opensearch`). The web app, the command line and
the exports talk only to this interface.

Choosing: `ARCHIVE_ENGINE=whoosh|opensearch`; for OpenSearch
`ARCHIVE_OPENSEARCH_URLS` (comma-separated, e.g.
`http://10.0.0.1:9200,http://10.0.0.2:9200`), optionally
`ARCHIVE_OPENSEARCH_USER` / `ARCHIVE_OPENSEARCH_PASSWORD`,
`ARCHIVE_OPENSEARCH_INDEX` (the alias searched; default `news-archive`) and
`ARCHIVE_OPENSEARCH_CA` (a CA bundle for https), and the shards and
replicas of each new index (`ARCHIVE_OPENSEARCH_SHARDS`, default 1;
`ARCHIVE_OPENSEARCH_REPLICAS`, default 1). The CLI options of
`ingest.py` override the environment.
"""
from __future__ import annotations

import os
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping, Protocol

from archive.document import Article
from archive.store import Store

from .model import Related, SearchRequest, SearchResult

ENGINES = ("whoosh", "opensearch")
DEFAULT_ALIAS = "news-archive"
Progress = Callable[[int], None]


class EngineConfigError(ValueError):
    """The engine settings cannot be used (unknown engine, no cluster URL, ...)."""


class Pinned(Protocol):
    """Searches that all read one state of the index (an export's snapshot)."""

    generation: str | None

    def search(self, request: SearchRequest) -> SearchResult: ...


class Feed(Protocol):
    """Where one ingest run's stored changes go (archive.pipeline.IndexFeedLike)."""

    def stored(self, added: list[Article], updated: list[Article], removed: list[str]) -> None: ...

    def finish(self) -> tuple[int, int]: ...

    def abort(self) -> None: ...


class Engine(Protocol):
    """What the web app, the CLI and the exports ask of a search backend.

    Searches raise `index.errors.SearchError` (never answer with an empty
    result) when they cannot be answered; an index not built yet is an
    empty result with a notice saying so.
    """

    name: str

    def search(self, request: SearchRequest) -> SearchResult: ...

    def snapshot(self) -> AbstractContextManager[Pinned]: ...

    def more_like_this(self, article_id: str, limit: int = 5) -> list[Related]: ...

    def generation(self) -> str | None: ...

    def stats(self) -> dict: ...

    def close(self) -> None: ...

    def rebuild(self, store: Store, progress: Progress | None = None,
                articles: Iterable[Article] | None = None) -> int: ...

    def sync(self, store: Store, progress: Progress | None = None) -> tuple[int, int]: ...

    def feed(self, store: Store, progress: Progress | None = None) -> Feed: ...


@dataclass(frozen=True)
class EngineOptions:
    """Which engine, and where its index lives."""

    engine: str = "whoosh"
    urls: tuple[str, ...] = ()
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    index: str = DEFAULT_ALIAS
    ca_certs: str | None = None
    shards: int = 1      # of each new index (a reindex applies a change)
    replicas: int = 1

    def __post_init__(self):
        if self.engine not in ENGINES:
            raise EngineConfigError(f"the search engine must be one of {', '.join(ENGINES)}, "
                                    f"not {self.engine!r} (ARCHIVE_ENGINE or --engine)")
        if self.engine == "opensearch" and not self.urls:
            raise EngineConfigError("the opensearch engine needs the cluster's address: set "
                                    "ARCHIVE_OPENSEARCH_URLS (comma-separated) or pass --opensearch-url")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "EngineOptions":
        """Options from `ARCHIVE_*` variables; keyword arguments that are not None win."""
        env = os.environ if env is None else env
        found = dict(
            engine=(env.get("ARCHIVE_ENGINE") or "whoosh").strip().lower(),
            urls=split_urls(env.get("ARCHIVE_OPENSEARCH_URLS", "")),
            user=env.get("ARCHIVE_OPENSEARCH_USER") or None,
            password=env.get("ARCHIVE_OPENSEARCH_PASSWORD") or None,
            index=env.get("ARCHIVE_OPENSEARCH_INDEX") or DEFAULT_ALIAS,
            ca_certs=env.get("ARCHIVE_OPENSEARCH_CA") or None,
            shards=_count(env, "ARCHIVE_OPENSEARCH_SHARDS", 1, 1),
            replicas=_count(env, "ARCHIVE_OPENSEARCH_REPLICAS", 1, 0),
        )
        found.update({k: v for k, v in overrides.items() if v not in (None, ())})
        return cls(**found)


def _count(env: Mapping[str, str], name: str, default: int, lowest: int) -> int:
    text = (env.get(name) or "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < lowest:
        raise EngineConfigError(f"{name} must be a whole number of at least {lowest}, not {text[:20]!r}")
    return int(text)


def split_urls(text: str | Iterable[str]) -> tuple[str, ...]:
    """Cluster URLs from a comma-separated string (or several)."""
    parts = [text] if isinstance(text, str) else list(text)
    return tuple(u.strip() for part in parts for u in part.split(",") if u.strip())


class WhooshEngine:
    """The embedded engine: `index.search.SearchService` and `index.writer` over a folder."""

    name = "whoosh"

    def __init__(self, index_root: Path, store_path: Path | None = None):
        from .search import SearchService
        self.root = Path(index_root)
        self.service = SearchService(self.root, store_path)

    def search(self, request: SearchRequest) -> SearchResult:
        return self.service.search(request)

    def snapshot(self):
        return self.service.snapshot()

    def more_like_this(self, article_id: str, limit: int = 5) -> list[Related]:
        return self.service.more_like_this(article_id, limit)

    def generation(self) -> str | None:
        return self.service.generation()

    def stats(self) -> dict:
        return self.service.stats()

    def close(self) -> None:
        self.service.close()

    def rebuild(self, store: Store, progress: Progress | None = None,
                articles: Iterable[Article] | None = None) -> int:
        from .writer import rebuild
        return rebuild(store, self.root, progress, articles)

    def sync(self, store: Store, progress: Progress | None = None) -> tuple[int, int]:
        from .writer import sync
        return sync(store, self.root, progress)

    def feed(self, store: Store, progress: Progress | None = None) -> Feed:
        from .writer import IndexFeed
        return IndexFeed(store, self.root, progress)

    def describe(self) -> str:
        return f"Whoosh index in {self.root}"


def make_engine(options: EngineOptions, index_root: Path, store_path: Path | None = None) -> Engine:
    """The engine `options` name; Whoosh keeps its index under `index_root`.

    Either engine reads passage partners from the store (`index.partners`): `store_path`,
    else the store of the data folder `index_root` belongs to.
    """
    from .partners import beside
    store_path = store_path if store_path is not None else beside(index_root)
    if options.engine == "opensearch":
        from .opensearch import OpenSearchEngine
        return OpenSearchEngine(options, store_path=store_path)
    return WhooshEngine(index_root, store_path)


def engine_from_env(index_root: Path, env: Mapping[str, str] | None = None, **overrides) -> Engine:
    """The engine the environment (and `overrides`, e.g. CLI options) choose."""
    return make_engine(EngineOptions.from_env(env, **overrides), index_root)

