"""Tuning of a process that serves requests: the garbage collector of a long-lived worker.

    serving.prepare_process()   # config/wsgi.py (every gunicorn worker), and the benchmarks' in-process clients

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
