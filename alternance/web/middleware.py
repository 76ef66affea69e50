"""Middleware of the pages.

PageGZipMiddleware: Django's GZipMiddleware (same rules: only for clients asking gzip, bodies of 200 bytes
or more, never twice, `Vary: Accept-Encoding`, weak ETags, the random-length file name of the gzip header
against BREACH) with zlib's level 3 instead of 6. On the results page (55 KB of HTML) level 6 took
0.55 ms of CPU a page and level 3 0.24 ms, for 8.8 KB instead of 7.8 KB sent (bench/README.md, Issue 14).
Streamed answers are left to Django's code.
"""

import gzip
import secrets

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 3
"""zlib's fast levels (1 to 3) cost about as much as each other; 4 to 6 twice as much for 5 to 12 % less."""


def compress_page(body: bytes, *, level: int = LEVEL, max_random_bytes: int = 100) -> bytes:
    """`django.utils.text.compress_string` at `level`: gzip, no timestamp, and 0 to max_random_bytes - 1
    random bytes as the header's file name, so that the length of an answer varies (BREACH)."""
    compressed = memoryview(gzip.compress(body, compresslevel=level, mtime=0))
    header = bytearray(compressed[:10])
    header[3] = gzip.FNAME
    return bytes(header) + b"a" * secrets.randbelow(max_random_bytes) + b"\x00" + compressed[10:]


class PageGZipMiddleware(GZipMiddleware):
    """GZipMiddleware with a faster zlib level for whole (not streamed) answers."""

    def process_response(self, request, response):
        if response.streaming:
            return super().process_response(request, response)
        # Django's steps for a whole body (django/middleware/gzip.py), compress_page in place of compress_string
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = compress_page(response.content, max_random_bytes=self.max_random_bytes)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
