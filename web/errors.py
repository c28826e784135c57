"""Error pages: a clear message for the user, never a traceback.

Bad search parameters (`InvalidRequest`) are the user's to fix and come back
as 400 with the service's message; unknown articles as 404; a search that
could not be answered (`SearchError`: a damaged index, a failing query) as
500 or 503 with its reason. API and export
URLs get JSON errors, pages get an HTML page. Anything unexpected becomes a
plain 500 page (the details go to the log, not to the browser).
"""
from __future__ import annotations

import logging
import sqlite3

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from index.errors import SearchError
from index.query import InvalidRequest

log = logging.getLogger(__name__)

JSON_PREFIXES = ("/api/", "/export.")


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def _render(status: int, title: str, message: str):
    message = message[:1].upper() + message[1:]
    if wants_json():
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    return render_template("error.html", status=status, title=title, message=message), status


def bad_request(exc: InvalidRequest):
    return _render(400, "Bad request", str(exc))


def search_error(exc: SearchError):
    """A search that could not be answered: an error with its reason, never an empty 200."""
    return _render(exc.status, "Search unavailable" if exc.status == 503 else "Search failed", str(exc))


def store_error(exc: sqlite3.DatabaseError):
    """The store failed: when its file is damaged, say so with SQLite's own check; else a 503."""
    from archive.store import StoreDamaged, is_damage

    from .services import own_store
    log.error("store error: %s", exc)
    if is_damage(exc):
        with own_store() as store:
            message = str(StoreDamaged(store.path, store.integrity()))
        return _render(503, "Archive damaged", message)
    return _render(503, "Archive unavailable", f"the archive's store cannot be read right now ({exc})")


def http_error(exc: HTTPException):
    return _render(exc.code or 500, exc.name, exc.description or "")


def internal_error(exc: Exception):
    return _render(500, "Internal error",
                   "Something went wrong on our side. The error has been logged; please try again.")


def init_app(app: Flask) -> None:
    app.register_error_handler(InvalidRequest, bad_request)
    app.register_error_handler(SearchError, search_error)
    app.register_error_handler(sqlite3.DatabaseError, store_error)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(InternalServerError, internal_error)
