"""`c1 serve`: preview a release's site on localhost (the downloads beside it resolve too)."""

from __future__ import annotations

import functools
import http.server
from pathlib import Path


def make_server(folder: Path, port: int = 8000, host: str = "127.0.0.1"
                ) -> http.server.ThreadingHTTPServer:
    """An HTTP server for the release folder, bound to loopback only by default."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    return _Server((host, port), handler)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        return  # a browser closing a connection early is not worth a traceback


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        return
