"""Fixed-window rate limits kept in the shared cache (Redis where configured, the database cache otherwise).

    verdict = hit("apply:ip:203.0.113.9", limit=10, window=3600)
    if not verdict.allowed:
        ...  # answer 429 with Retry-After: verdict.retry_after (pages: a French message)

Counting in the shared cache makes a limit hold across web workers. Keys must not carry personal data in
clear: hash e-mail addresses with `key_of()` before using them.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def key_of(*parts: str) -> str:
    """A cache key from values that may be personal (e-mail, token): only their digest is kept."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def hit(key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """Count one event for `key` in the current window of `window` seconds; allowed while count <= limit."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    cache_key = f"rl:{key}:{window}:{bucket}"
    retry_after = max(1, int((bucket + 1) * window - now))
    if cache.add(cache_key, 1, timeout=window + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def peek(key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """The current count without counting an event (to refuse early, e.g. after a lockout)."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    count = cache.get(f"rl:{key}:{window}:{bucket}", 0)
    retry_after = max(1, int((bucket + 1) * window - now))
    return Verdict(allowed=count < limit, count=count, limit=limit, retry_after=retry_after)
