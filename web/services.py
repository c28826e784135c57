"""The two things views read from: the search engine and the store.

The search engine (`index.engines`: Whoosh by default, or an OpenSearch
cluster with `ARCHIVE_ENGINE=opensearch` and `ARCHIVE_OPENSEARCH_URLS`, in
the environment or the app's config) is opened once per app (it caches
searchers and notices a new index generation itself) and closed when the
interpreter exits. The
store is opened lazily once per request and closed on teardown, like
flaskr's `db.py`, so a connection never outlives the request that used it.
"""
from __future__ import annotations

import atexit
import os
from typing import Iterator

from flask import Flask, current_app, g
from werkzeug.datastructures import MultiDict

from archive.paths import DataDir
from archive.store import Store
from index.engines import Engine, EngineOptions, make_engine
from index.model import Hit, SearchRequest, SearchResult
from index.query import parse_request

from .exports import pages

EXTENSION = "search"


#: Engine settings the app's config may carry (else the environment's are used).
ENGINE_SETTINGS = ("ARCHIVE_ENGINE", "ARCHIVE_OPENSEARCH_URLS", "ARCHIVE_OPENSEARCH_USER",
                   "ARCHIVE_OPENSEARCH_PASSWORD", "ARCHIVE_OPENSEARCH_INDEX", "ARCHIVE_OPENSEARCH_CA")


def engine_options(config) -> EngineOptions:
    """The engine the app's config (or else the environment) names."""
    env = {**os.environ, **{k: str(config[k]) for k in ENGINE_SETTINGS if config.get(k)}}
    return EngineOptions.from_env(env)


def init_app(app: Flask, data: DataDir) -> None:
    service = make_engine(engine_options(app.config), data.index_root)
    app.extensions[EXTENSION] = service
    app.extensions["archive_data"] = data
    app.teardown_appcontext(close_store)
    atexit.register(service.close)


def search_service() -> Engine:
    """The app's search engine."""
    return current_app.extensions[EXTENSION]


def get_store() -> Store:
    """The store for this request, opened on first use."""
    if "store" not in g:
        g.store = Store(current_app.extensions["archive_data"].store_path)
    return g.store


def own_store() -> Store:
    """A store connection of its own (a context manager), for work that outlives the request: streams."""
    return Store(current_app.extensions["archive_data"].store_path)


def close_store(_exc: BaseException | None = None) -> None:
    store = g.pop("store", None)
    if store is not None:
        store.close()


def hit_pages(request: SearchRequest, searcher=None) -> Iterator[tuple[Hit, ...]]:
    """Every hit of a search, in its order, a full page (no highlights) at a time.

    `searcher` is the engine's `snapshot()`, so that every page comes from
    one index generation; without one, a snapshot is held for the walk.
    """
    if searcher is None:
        with search_service().snapshot() as pinned:
            yield from hit_pages(request, pinned)
        return
    yield from pages(request, searcher, highlight=False)


def matching_ids(request: SearchRequest, limit: int) -> tuple[list[str], bool]:
    """Ids of a search's hits in its order, at most `limit`; and whether more matched."""
    ids: list[str] = []
    for hits in hit_pages(request):
        ids.extend(h.id for h in hits)
        if len(ids) > limit:
            return ids[:limit], True
    return ids, False


def run_search(args: MultiDict) -> SearchResult:
    """Parse request arguments and search: what every search view calls.

    Raises `InvalidRequest` (shown to the user as a 400) for bad arguments.
    """
    return search_service().search(parse_request(args))
