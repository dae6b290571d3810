"""A local HTTP endpoint for tests of what Loket sends to other systems (webhooks, the
portals' ongoing affairs): a small threaded server on 127.0.0.1, never the network.

It records every POST (lower-case headers, the raw body, and the body as JSON when it
is JSON) and answers with the next of :attr:`Receiver.answers`: a status code, or
"slow" (answers 204 after ``slow_seconds``, when the client has given up); 204 when
none are left.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self, path: str = "/hook", *, slow_seconds: float = 1.5):
        self.requests: list[dict] = []
        self.answers: list = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {key.lower(): value for key, value in self.headers.items()}
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                receiver.requests.append({"headers": headers, "body": body, "json": parsed})
                answer = receiver.answers.pop(0) if receiver.answers else 204
                if answer == "slow":
                    time.sleep(slow_seconds)
                    answer = 204
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
