"""Tuning of a process that serves requests: the garbage collector of a long-lived worker, and the WSGI handler.

    serving.prepare_process()   # config/wsgi.py (every gunicorn worker), and the benchmarks' in-process clients
    application = serving.Handler()   # config/wsgi.py: Django's WSGIHandler, with a shorter chain for the
                                      # paths of settings.SESSIONLESS_PATHS (see Handler)

A worker holds a few hundred thousand long-lived objects (Django, ninja's schemas, the referential caches, the
search index's vocabularies); a full (generation 2) collection walks them all. Here the objects alive after
the first requests (the index mapped, the caches filled) are frozen (gc.freeze: moved to a generation the
collector never walks) after each count of FREEZE_AFTER requests; each freeze first collects (one full
collection, a few tens of ms once in a worker's life), so no garbage is kept. The collector also runs less
often (GC_THRESHOLDS): 300 national searches in process ran 37 generation-0, 3 generation-1 and no
generation-2 collections with CPython's defaults, 4, 0 and 0 with these. Measured effect on the CPU per
search: within the noise of a shared machine (bench/README.md, Issue 14); the gain expected is on the tail of
a worker that runs for hours (a full collection over every long-lived object). Cycles made by requests are
still collected, only less often (generation 0 every GC_THRESHOLDS[0] net allocations of container objects
instead of 700).
"""

import gc
import threading

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished

GC_THRESHOLDS = (10_000, 20, 50)
FREEZE_AFTER = frozenset({1, 50, 1_000})
"""Numbers of finished requests after which the objects alive are frozen."""

_state = {"requests": 0, "prepared": False}
_lock = threading.Lock()


def _count_request(**kwargs) -> None:
    with _lock:
        _state["requests"] += 1
        freeze = _state["requests"] in FREEZE_AFTER
    if freeze:
        freeze_now()


def freeze_now() -> None:
    """Collect, then freeze every object alive: later collections skip them."""
    gc.collect()
    gc.freeze()


def prepare_process() -> None:
    """Set the collector's thresholds and freeze after the first requests (idempotent)."""
    with _lock:
        if _state["prepared"]:
            return
        _state["prepared"] = True
    gc.set_threshold(*GC_THRESHOLDS)
    freeze_now()
    request_finished.connect(_count_request, dispatch_uid="alternance.core.serving")


class Handler(WSGIHandler):
    """Django's WSGIHandler; a request whose PATH_INFO is one of settings.SESSIONLESS_PATHS (open JSON endpoints
    that read no session, user, CSRF token, message nor HTMX header: the search API) goes through the same
    middleware minus those of settings.SESSIONLESS_SKIP (sessions, CSRF, users, messages, HTMX, allauth). An
    unread session or CSRF token sets no cookie and no `Vary`, so the answers are the same, byte for byte
    (tests/core/test_serving.py); each costs about 0.15-0.2 ms of CPU less (bench/README.md, Issue 14). The
    security headers, CSP, gzip, CommonMiddleware and X-Frame-Options run for every request, and MIDDLEWARE
    stays the whole list (Django's and allauth's system checks read it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessionless_paths = frozenset(getattr(settings, "SESSIONLESS_PATHS", ()))
        skipped = set(getattr(settings, "SESSIONLESS_SKIP", ()))
        self.sessionless = self
        if self.sessionless_paths and skipped:
            # Django's handler reads its chain from settings.MIDDLEWARE: built once, at start, with the shorter list
            whole = settings.MIDDLEWARE
            settings.MIDDLEWARE = [path for path in whole if path not in skipped]
            try:
                self.sessionless = WSGIHandler()
            finally:
                settings.MIDDLEWARE = whole

    def __call__(self, environ, start_response):
        if self.sessionless is not self and environ.get("PATH_INFO") in self.sessionless_paths:
            return self.sessionless(environ, start_response)
        return super().__call__(environ, start_response)
