"""Rewrite the README's screenshots of the search page, at desktop and phone size: `make screenshots`.

The bundled samples are ingested the way `ingest.py add` does (into a
temporary folder), the app is served on 127.0.0.1 and Debian's chromium
photographs a search. Tests never write these files; this does, on purpose.
"""
from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from archive.paths import SAMPLES_DIR, DataDir  # noqa: E402
from conftest import build_archive  # noqa: E402
from web import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SHOTS = {ROOT / "web" / "static" / "screenshot-search.png": {"viewport": {"width": 1366, "height": 900}},
         ROOT / "web" / "static" / "screenshot-search-phone.png": {"viewport": {"width": 390, "height": 844},
                                                                   "is_mobile": True, "device_scale_factor": 2}}
SEARCH = "/search?q=airstrike"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = DataDir(Path(tmp))
        report = build_archive(data, [SAMPLES_DIR])
        if report.failures:
            raise SystemExit(f"the samples did not ingest cleanly: {report.failures}")
        app = create_app({"ARCHIVE_DATA": str(data.root)})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
                for path, options in SHOTS.items():
                    context = browser.new_context(**options)
                    page = context.new_page()
                    page.goto(f"http://127.0.0.1:{server.server_port}{SEARCH}")
                    page.screenshot(path=str(path), full_page=False)
                    context.close()
                    print(f"wrote {path.relative_to(ROOT)}")
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["search"].close()


if __name__ == "__main__":
    main()
