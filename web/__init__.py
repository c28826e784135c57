"""The Flask front end: search, article pages, JSON API and exports.

`create_app` is the only entry point (`flask --app web run` finds it). It
resolves the data folder once, opens the search service for the app's
lifetime (in `app.extensions["search"]`, never a module global) and
registers one blueprint per page family. The web layer holds no search
logic: it turns request arguments into a `SearchRequest` with
`index.query.parse_request` and renders what the service returns.

Development: `ARCHIVE_DATA=/path/to/data flask --app web run`. Production:
any WSGI server that can call a factory, e.g.
`waitress-serve --call web:create_app` or
`gunicorn --workers 4 --threads 4 'web:create_app()'` (each worker process
opens its own search service; they share the index on disk).
"""
from __future__ import annotations

import os
from typing import Any, Mapping

from flask import Flask

from archive.paths import ENV_VAR, DataDir

from .jsonsafe import SafeJSONProvider

#: Rows an export writes at most; stated in the export itself and on the page.
EXPORT_ROW_CAP = 10_000


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings, the search service, views, headers, errors."""
    app = Flask(__name__, instance_relative_config=True)
    app.json = SafeJSONProvider(app)
    app.config.from_mapping(
        ARCHIVE_DATA=os.environ.get(ENV_VAR),
        EXPORT_ROW_CAP=EXPORT_ROW_CAP,
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=64 * 1024,   # the app takes no uploads: refuse big bodies (413)
    )
    app.config.from_prefixed_env()
    if config is not None:
        app.config.update(config)
    data = DataDir.resolve(app.config["ARCHIVE_DATA"] or app.instance_path)
    app.config["ARCHIVE_DATA"] = str(data.root)

    from . import errors, security, services
    from .views import api, article, coverage, export, pages, search

    from .formats import day_label
    app.add_template_filter(day_label, "day")
    services.init_app(app, data)
    security.init_app(app)
    errors.init_app(app)
    for module in (search, article, api, export, pages, coverage):
        app.register_blueprint(module.bp)
    return app
