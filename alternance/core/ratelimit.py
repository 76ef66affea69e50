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


def client_key(request) -> str:
    """The digest of the client's address (REMOTE_ADDR: the proxy in front must set it to the client's)."""
    return key_of(request.META.get("REMOTE_ADDR", ""))


def limit_of(scope: str) -> tuple[int, int]:
    """(limit, window in seconds) of a named limit in settings.RATE_LIMITS."""
    from django.conf import settings

    limit, window = settings.RATE_LIMITS[scope]
    return int(limit), int(window)


def hit_scope(scope: str, ident: str) -> Verdict:
    """hit() with the limit named `scope` in settings.RATE_LIMITS, for the digest `ident`."""
    limit, window = limit_of(scope)
    return hit(f"{scope}:{ident}", limit=limit, window=window)


def peek_scope(scope: str, ident: str) -> Verdict:
    """peek() with the limit named `scope` in settings.RATE_LIMITS."""
    limit, window = limit_of(scope)
    return peek(f"{scope}:{ident}", limit=limit, window=window)
