"""JSON that is safe to reflect: `<`, `>` and `&` written as unicode escapes.

The API and exports echo the user's query back. As JSON that is harmless
when served as application/json with nosniff, but a response sniffed or
saved and opened as HTML must not carry live markup either, so the same
escapes Jinja's `tojson` uses are applied everywhere JSON leaves the app.
"""
from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def dumps(obj: Any, **kwargs: Any) -> str:
    """json.dumps, with markup characters escaped (still valid, equal JSON)."""
    return json.dumps(obj, **kwargs).translate(_ESCAPES)


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider with markup characters escaped."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return super().dumps(obj, **kwargs).translate(_ESCAPES)
