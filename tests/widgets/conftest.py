"""Shared fixtures of the widgets' browser tests: the help center over the demo build, and a host product on
another origin that loads the widget under a strict Content-Security-Policy.

- `widget_server`: base URL of a real server (`python -m api`) over the demo build (content/, with the widget
  bundle and /demo/), which answers cross-origin calls from `host_origin` only.
- `host_origin`: base URL of a second origin, a plain static server whose page `/` loads
  `<widget_server>/widgets/help-widget.js` with `data-api`, sent with a strict policy (`HOST_CSP`).
"""

from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.api.conftest import SECRET, Server

HOST_CSP = ("default-src 'self'; script-src 'self' {api}; style-src 'self' {api}; connect-src {api}; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")

HOST_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Work orders · Partner app</title>
<link rel="stylesheet" href="/host.css">
<script src="{api}/widgets/help-widget.js" data-api="{api}" data-context="/work-orders/new" defer></script>
</head>
<body>
<header><p>Partner app</p></header>
<main>
  <h1>New work order</h1>
  <form action="/" method="get" data-help-id="wo-new-form">
    <label for="priority">Priority</label>
    <select id="priority" name="priority" data-help-id="wo-priority-field">
      <option>P1 Emergency</option>
      <option selected>P3 Routine</option>
    </select>
    <button type="submit" data-help-id="wo-new-button">Create work order</button>
  </form>
  <div data-help-card="wo-sla-timer"></div>
</main>
</body>
</html>
"""

HOST_CSS = """body { margin: 0 auto; max-width: 40rem; padding: 1rem; font: 1rem/1.5 system-ui, sans-serif; color: #1f2933; }
label, select, button { display: block; margin: 0.5rem 0; min-height: 2.5rem; font: inherit; }
"""


class HostSite:
    """A static server on its own port (so its own origin) serving the host page of an API known only later:
    the API server must know this origin before it starts, and this page must know the API's."""

    def __init__(self) -> None:
        self.api = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                path = self.path.split("?", 1)[0]
                if path in ("/", "/index.html"):
                    site.send(self, HOST_PAGE.format(api=site.api), "text/html; charset=utf-8")
                elif path == "/host.css":
                    site.send(self, HOST_CSS, "text/css; charset=utf-8")
                else:
                    self.send_error(404)

            def log_message(self, *args) -> None:  # the test's output stays the test's
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def send(self, handler: BaseHTTPRequestHandler, body: str, content_type: str) -> None:
        data = body.encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Content-Security-Policy", HOST_CSP.format(api=self.api))
        handler.send_header("Cache-Control", "no-store")
        handler.end_headers()
        handler.wfile.write(data)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def _host_site():
    site = HostSite()
    yield site
    site.close()


@pytest.fixture(scope="session")
def widget_server(demo_build, _host_site, tmp_path_factory) -> str:
    """Base URL of the help center over the demo build, allowing calls from `host_origin`'s origin only."""
    out: Path = demo_build[0]
    env = {**os.environ, "HELP_CENTER_SECRET": SECRET, "HELP_CENTER_DATA": str(tmp_path_factory.mktemp("widgets-var")),
           "HELP_CENTER_ALLOWED_ORIGINS": _host_site.url}
    env.pop("HELP_CENTER_DB", None)
    server = Server(out, env)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def host_origin(_host_site, widget_server) -> str:
    """Base URL of the host product on a second origin; its page `/` loads the widget from `widget_server`."""
    _host_site.api = widget_server
    return _host_site.url


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where the browser tests leave screenshots (HELP_CENTER_TEST_ARTIFACTS, else test-artifacts/, git-ignored)."""
    folder = Path(os.environ.get("HELP_CENTER_TEST_ARTIFACTS") or Path(__file__).resolve().parents[2] / "test-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
