"""The one per-process cache of data derived from the referentials (indexes, labels, ROME rows).

The referentials change only through load_reference, which records a ReferenceLoad: every value cached
here is dropped when a newer ReferenceLoad exists. The latest load is read at most every CHECK_SECONDS
(other processes see a new load within that delay); a ReferenceLoad saved in this process is seen at once.
"""

import threading
import time
from collections.abc import Callable

from django.db.models.signals import post_save

from alternance.reference.models import ReferenceLoad

CHECK_SECONDS = 5.0

_lock = threading.Lock()
_state: dict = {"version": None, "checked": float("-inf"), "values": {}}


def _values() -> dict:
    now = time.monotonic()
    if now - _state["checked"] >= CHECK_SECONDS:
        version = ReferenceLoad.objects.latest_version()
        with _lock:
            if version != _state["version"]:
                _state["values"] = {}
                _state["version"] = version
            _state["checked"] = now
    return _state["values"]


def cached[T](name: str, build: Callable[[], T]) -> T:
    """The value `build()` made for `name`, rebuilt after a new referential load."""
    values = _values()
    if name not in values:
        with _lock:
            if name not in values:
                values[name] = build()
    return values[name]


def forget() -> None:
    """Drop every cached value (tests, or after writing referential rows outside load_reference)."""
    with _lock:
        _state.update(version=None, checked=float("-inf"), values={})


def check_again() -> None:
    """Read the latest ReferenceLoad on the next access (kept values are dropped only if it changed)."""
    _state["checked"] = float("-inf")


def _on_new_load(sender, created: bool, **kwargs) -> None:
    if created:
        check_again()


post_save.connect(_on_new_load, sender=ReferenceLoad, dispatch_uid="reference-cache-new-load")
