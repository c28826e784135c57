"""The connection to the cluster: every listed host, retries, and errors people can read.

opensearch-py's transport keeps a pool of the listed hosts: a request that
fails to connect (a node down, a timeout, a 502/503/504) is retried on the
next host, and a failed host is left out for a while before it is tried
again. So a search goes on while one node of several is down. What cannot
be answered becomes an `index.errors.SearchError` naming the cluster and
why (never a traceback, never an empty result).
"""
from __future__ import annotations

from contextlib import contextmanager
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
    """A client over every host in `options.urls`, retrying across them."""
    auth = (options.user, options.password or "") if options.user else None
    https = any(u.startswith("https:") for u in options.urls)
    return OpenSearch(
        hosts=list(options.urls), http_auth=auth, use_ssl=https, verify_certs=https,
        ca_certs=options.ca_certs, ssl_show_warn=False,
        timeout=TIMEOUT_S, max_retries=max(3, 2 * len(options.urls)), retry_on_timeout=True,
        retry_on_status=RETRY_STATUSES, http_compress=True)


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


class PointInTime:
    """Open and close a point in time on OpenSearch 2 or Elasticsearch 8 (their endpoints differ)."""

    def __init__(self, client: OpenSearch):
        self.client = client
        self._opensearch: bool | None = None

    def _is_opensearch(self) -> bool:
        if self._opensearch is None:
            version = self.client.info().get("version", {})
            self._opensearch = version.get("distribution") == "opensearch"
        return self._opensearch

    def open(self, index: str, keep_alive: str) -> str:
        if self._is_opensearch():
            return self.client.transport.perform_request(
                "POST", f"/{index}/_search/point_in_time", params={"keep_alive": keep_alive})["pit_id"]
        return self.client.transport.perform_request(
            "POST", f"/{index}/_pit", params={"keep_alive": keep_alive})["id"]

    def close(self, pit_id: str) -> None:
        if self._is_opensearch():
            self.client.transport.perform_request("DELETE", "/_search/point_in_time",
                                                  body={"pit_id": [pit_id]})
        else:
            self.client.transport.perform_request("DELETE", "/_pit", body={"id": pit_id})
