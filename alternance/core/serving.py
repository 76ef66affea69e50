"""Tuning of a process that serves requests: the garbage collector of a long-lived worker.

    serving.prepare_process()   # config/wsgi.py (every gunicorn worker), and the benchmarks' in-process clients

A worker holds a few hundred thousand long-lived objects (Django, ninja's schemas, the referential caches, the
search index's vocabularies): each full (generation 2) collection walked them all, some tens of ms on a page
that takes a few ms, and with CPython's default thresholds one came every few hundred requests, which is most
of the p99. Here the collector runs less often (GC_THRESHOLDS), and the objects alive after the first requests
(when the index is mapped and the caches are filled) are frozen (gc.freeze: moved to a generation the collector
never walks) after FREEZE_AFTER[i] requests; each freeze first collects, so no garbage is kept.
Nothing is leaked: cycles made by requests are still collected, only less often (generation 0 every
GC_THRESHOLDS[0] net allocations of container objects instead of 700).
"""

import gc
import threading

from django.core.signals import request_finished

GC_THRESHOLDS = (10_000, 20, 50)
FREEZE_AFTER = frozenset({1, 20, 200, 2_000})
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
