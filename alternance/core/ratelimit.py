"""Fixed-window rate limits shared by every web worker: Redis where configured, else one database table.

    verdict = hit("apply:ip:203.0.113.9", limit=10, window=3600)
    if not verdict.allowed:
        ...  # answer 429 with Retry-After: verdict.retry_after (pages: a French message)

With a Redis cache (REDIS_URL) the counters are cache keys (add + incr). Without it they live in the
`core_ratecounter` table and one event is one statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on
SQLite and PostgreSQL alike): the database cache would cost six queries an event and cull counters past 300
entries. Keys must not carry personal data in clear: hash e-mail addresses and tokens with `key_of()`.

Batched counting (the scopes of BATCHED_SCOPES: searches, the hot path). Each worker process counts a key's
events locally and adds them to the shared store in one statement every FLUSH_EVENTS events or FLUSH_SECONDS,
whichever comes first; a verdict compares the shared count last read plus the local events not yet added with
the limit. Once a key's count reaches half its limit every event goes to the store, so the verdicts near the
limit are exact. What it costs: another worker's events not yet added are not seen, so a client can pass the
limit by at most FLUSH_EVENTS - 1 events per worker process in one window (9 per worker: with 2 workers, 138
searches in a minute instead of 120); events that a worker never added before its window ended are not counted
anywhere else. What it saves: one database round trip per search (about 0.5 ms in the worker and as much in
the database server at national scale), nine times in ten.
"""

import hashlib
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection

from alternance.core.models import RateCounter

PURGE_EVERY = 500  # about one event in PURGE_EVERY deletes the expired counters
BATCHED_SCOPES = frozenset({"search", "suggest"})
"""Scopes counted in batches (see the module docstring): hit_scope() counts them with hit_batched(); "suggest"
(the API's suggestions, one call per keystroke) as well."""
FLUSH_EVENTS = 10
FLUSH_SECONDS = 1.0


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window ends


def key_of(*parts: str) -> str:
    """A cache key from values that may be personal (e-mail, token): only their digest is kept."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def _uses_redis() -> bool:
    return type(cache).__name__ == "RedisCache"


def _window(key: str, window: int, now: float | None) -> tuple[str, float, int]:
    now = time.time() if now is None else now
    bucket = int(now // window)
    return f"rl:{key}:{window}:{bucket}", (bucket + 1) * window, max(1, int((bucket + 1) * window - now))


def _count_in_table(counter_key: str, ends_at: float, events: int = 1) -> int:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    expires = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(ends_at + 1, tz=UTC))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, %s, %s) "
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + EXCLUDED.count RETURNING count",
            [counter_key, events, expires],
        )
        count = cursor.fetchone()[0]
    if random.randrange(PURGE_EVERY) == 0:
        RateCounter.objects.filter(expires_at__lt=datetime.now(tz=UTC)).delete()
    return count


def _add(counter_key: str, ends_at: float, window: int, events: int) -> int:
    """Add `events` to the shared counter; its new value."""
    if not _uses_redis():
        return _count_in_table(counter_key, ends_at, events)
    if cache.add(counter_key, events, timeout=window + 1):
        return events
    try:
        return cache.incr(counter_key, events)
    except ValueError:  # expired between add and incr
        cache.set(counter_key, events, timeout=window + 1)
        return events


def hit(key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """Count one event for `key` in the current window of `window` seconds; allowed while count <= limit."""
    counter_key, ends_at, retry_after = _window(key, window, now)
    count = _add(counter_key, ends_at, window, 1)
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


class _Local:
    """A key's counter in this process: the shared count last read, the events not yet added, when."""

    __slots__ = ("ends_at", "flushed_at", "pending", "shared")

    def __init__(self, ends_at: float, clock: float):
        self.shared, self.pending, self.flushed_at, self.ends_at = 0, 0, clock, ends_at


_LOCAL: dict[str, _Local] = {}
_LOCAL_LOCK = threading.Lock()
_LOCAL_MAX = 10_000  # past this many keys, those of ended windows are dropped


def hit_batched(key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """hit() counted in batches per worker process (module docstring: the overshoot is bounded by
    FLUSH_EVENTS - 1 events per worker and window; exact from half the limit on)."""
    counter_key, ends_at, retry_after = _window(key, window, now)
    clock = time.monotonic()
    with _LOCAL_LOCK:
        entry = _LOCAL.get(counter_key)
        if entry is None:
            if len(_LOCAL) >= _LOCAL_MAX:
                ended = time.time() if now is None else now
                for name in [name for name, e in _LOCAL.items() if e.ends_at <= ended]:
                    del _LOCAL[name]
            entry = _LOCAL[counter_key] = _Local(ends_at, clock)
        entry.pending += 1
        events = 0
        if (
            entry.pending >= FLUSH_EVENTS
            or clock - entry.flushed_at >= FLUSH_SECONDS
            or 2 * (entry.shared + entry.pending) >= limit
        ):
            events, entry.pending, entry.flushed_at = entry.pending, 0, clock
        count = entry.shared + entry.pending
    if events:
        shared = _add(counter_key, ends_at, window, events)
        with _LOCAL_LOCK:
            entry.shared = shared
            count = shared + entry.pending
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


def forget_local() -> None:
    """Forget this process's batched counts (tests)."""
    with _LOCAL_LOCK:
        _LOCAL.clear()


def peek(key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """The current count without counting an event (to refuse early, e.g. after a lockout)."""
    counter_key, _, retry_after = _window(key, window, now)
    if _uses_redis():
        count = cache.get(counter_key, 0)
    else:
        count = RateCounter.objects.filter(key=counter_key).values_list("count", flat=True).first() or 0
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
    count = hit_batched if scope in BATCHED_SCOPES else hit
    return count(f"{scope}:{ident}", limit=limit, window=window)


def peek_scope(scope: str, ident: str) -> Verdict:
    """peek() with the limit named `scope` in settings.RATE_LIMITS."""
    limit, window = limit_of(scope)
    return peek(f"{scope}:{ident}", limit=limit, window=window)
