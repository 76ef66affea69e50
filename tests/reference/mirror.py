"""A small HTTP server on the loopback address that serves a data folder like a mirror or a publisher would.

It answers ETag / If-None-Match (304), Range / If-Range (206), and can be told to misbehave: cut a file
after half of it (`truncate`), or answer 404 for some paths. Every request is recorded (`requests`).
"""

import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


class MirrorServer:
    def __init__(self, root: Path):
        self.root = root
        self.requests: list[tuple[str, int]] = []  # (path, status)
        self.truncate: set[str] = set()
        self.missing: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep the test output clean
                pass

            def do_GET(self):
                path = unquote(urlsplit(self.path).path).lstrip("/")
                file = server.root / path
                if path in server.missing or not file.is_file():
                    return self._status(path, 404)
                body = file.read_bytes()
                etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._status(path, 304, {"ETag": etag})
                start = 0
                ranged = self.headers.get("Range", "")
                if ranged.startswith("bytes=") and self.headers.get("If-Range", etag) == etag:
                    start = int(ranged[6:].split("-")[0])
                status = 206 if start else 200
                self.send_response(status)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body) - start))
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                self.end_headers()
                server.requests.append((path, status))
                if path in server.truncate:
                    self.wfile.write(body[start : start + (len(body) - start) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body[start:])

            def _status(self, path, status, headers=None):
                server.requests.append((path, status))
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def statuses(self, path: str) -> list[int]:
        return [status for p, status in self.requests if p == path]
