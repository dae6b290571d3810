"""A stand-in for the Flemish widget server (Burgerprofiel) for tests: a WSGI server in a
thread on 127.0.0.1 that serves a header widget's embed script. The script adds a
``[data-stub-global-header]`` element after itself, the way the real widget renders the
global header; the requests it got are in :attr:`WidgetServer.requests`."""

from __future__ import annotations

import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

WIDGET_ID = "a1b2c3d4-0000-4000-8000-00000000cafe"
SCRIPT = """(function () {
  var header = document.createElement("div");
  header.setAttribute("data-stub-global-header", "");
  header.textContent = "Vlaanderen is open (test header)";
  document.currentScript.after(header);
})();
"""


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class WidgetServer:
    def __init__(self):
        self.requests: list[str] = []
        self._server = make_server("127.0.0.1", 0, self.app, WSGIServer, _QuietHandler)
        self.origin = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def app(self, environ, start_response):
        path = environ["PATH_INFO"]
        self.requests.append(path)
        if path == f"/api/v1/widget/{WIDGET_ID}/embed":
            start_response("200 OK", [("Content-Type", "application/javascript")])
            return [SCRIPT.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
