"""The connection to the cluster: every listed host, retries, and errors people can read.

opensearch-py's transport keeps a pool of the listed hosts: a request that
fails to connect (a node down, a timeout, a 502/503/504) is retried on the
next host, and a failed host is left out for a while before it is tried
again. So a search goes on while one node of several is down. What cannot
be answered becomes an `index.errors.SearchError` naming the cluster and
why (never a traceback, never an empty result).
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from opensearchpy import OpenSearch
from opensearchpy import exceptions as os_errors

from ..engines import EngineOptions
from ..errors import SearchError, SearchFailed

TIMEOUT_S = 30
RETRY_STATUSES = (429, 502, 503, 504)


class ClusterUnavailable(SearchError):
    """The search cluster cannot be reached or refused the request; the store is untouched."""

    status = 503

    def __init__(self, urls, reason: str):
        hosts = ", ".join(urls)
        super().__init__(f"the OpenSearch cluster ({hosts}) cannot be used: {reason}. "
                         "The store of record is untouched; check the cluster (ARCHIVE_OPENSEARCH_URLS) "
                         "and try again")
        self.reason = reason


def connect(options: EngineOptions) -> OpenSearch:
    """A client over every host in `options.urls`, retrying across them.

    Bodies are not gzipped: a page of hits is tens of kilobytes, and compressing it costs the
    node and the client more CPU than the bytes cost a LAN or loopback link."""
    auth = (options.user, options.password or "") if options.user else None
    https = any(u.startswith("https:") for u in options.urls)
    return OpenSearch(
        hosts=list(options.urls), http_auth=auth, use_ssl=https, verify_certs=https,
        ca_certs=options.ca_certs, ssl_show_warn=False,
        timeout=TIMEOUT_S, max_retries=max(3, 2 * len(options.urls)), retry_on_timeout=True,
        retry_on_status=RETRY_STATUSES, http_compress=False)


def describe(exc: Exception) -> str:
    """A one-line reason for a client error."""
    if isinstance(exc, os_errors.ConnectionTimeout):
        return "no node answered in time"
    if isinstance(exc, os_errors.ConnectionError):
        return "no node could be reached"
    if isinstance(exc, os_errors.AuthenticationException):
        return "it refused the credentials (ARCHIVE_OPENSEARCH_USER / _PASSWORD)"
    if isinstance(exc, os_errors.AuthorizationException):
        return "the user may not do this"
    if isinstance(exc, os_errors.TransportError):
        info = exc.info if isinstance(exc.info, dict) else {}
        error = info.get("error")
        detail = (error.get("reason") or error.get("type")) if isinstance(error, dict) else error
        return f"HTTP {exc.status_code}: {detail or exc.error}"
    return f"{type(exc).__name__}: {exc}"


@contextmanager
def translated(urls) -> Iterator[None]:
    """Client errors as `SearchError`s: unreachable/refused -> ClusterUnavailable, else SearchFailed."""
    try:
        yield
    except SearchError:
        raise
    except (os_errors.ConnectionError, os_errors.AuthenticationException,
            os_errors.AuthorizationException) as exc:
        raise ClusterUnavailable(urls, describe(exc)) from None
    except os_errors.TransportError as exc:
        if isinstance(exc.status_code, int) and exc.status_code in RETRY_STATUSES:
            raise ClusterUnavailable(urls, describe(exc)) from None
        raise SearchFailed(describe(exc)) from exc


def is_missing_index(exc: Exception) -> bool:
    return isinstance(exc, os_errors.NotFoundError) and "index_not_found" in str(exc.error)


class UnsupportedCluster(SearchError):
    """The cluster's distribution or version lacks an API the archive needs."""


@dataclass(frozen=True)
class PitApi:
    """Where one distribution opens and closes a point in time, and how it names the id."""

    open_path: str      # with {index}
    opened_key: str     # the id's key in the answer to open
    close_path: str
    many: bool          # whether close takes a list of ids

    def close_body(self, pit_id: str) -> dict:
        return {self.opened_key: [pit_id] if self.many else pit_id}


OPENSEARCH_PIT = PitApi("/{index}/_search/point_in_time", "pit_id", "/_search/point_in_time", True)
ELASTICSEARCH_PIT = PitApi("/{index}/_pit", "id", "/_pit", False)


def _version(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", number or "")[:3]) or (0,)


def pit_api(info: dict) -> PitApi:
    """The point-in-time endpoints of the cluster whose root answer (`GET /`) is `info`.

    OpenSearch (2.4 and later) says `version.distribution: opensearch` and serves
    `/_search/point_in_time`; Elasticsearch (7.10 and later, so 8) has no distribution
    field (or says `elasticsearch`) and serves `/_pit`. Searches inside either take the
    same `pit: {id, keep_alive}` body. Older versions have no point in time: refused here
    with the version named, rather than failing on an unknown endpoint mid-export."""
    version = info.get("version") or {}
    distribution = (version.get("distribution") or "elasticsearch").lower()
    number = _version(version.get("number", ""))
    if distribution == "opensearch":
        if number < (2, 4):
            raise UnsupportedCluster(f"OpenSearch {version.get('number')} has no point in time "
                                     "(OpenSearch 2.4 or later is needed)")
        return OPENSEARCH_PIT
    if number < (7, 10):
        raise UnsupportedCluster(f"Elasticsearch {version.get('number')} has no point in time "
                                 "(Elasticsearch 7.10 or later is needed)")
    return ELASTICSEARCH_PIT


class PointInTime:
    """Open and close a point in time on OpenSearch 2 or Elasticsearch 8 (`pit_api`)."""

    def __init__(self, client: OpenSearch):
        self.client = client
        self._api: PitApi | None = None

    def api(self) -> PitApi:
        if self._api is None:
            self._api = pit_api(self.client.info())
        return self._api

    def open(self, index: str, keep_alive: str) -> str:
        api = self.api()
        return self.client.transport.perform_request(
            "POST", api.open_path.format(index=index), params={"keep_alive": keep_alive})[api.opened_key]

    def close(self, pit_id: str) -> None:
        api = self.api()
        self.client.transport.perform_request("DELETE", api.close_path, body=api.close_body(pit_id))
