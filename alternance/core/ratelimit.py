"""Fixed-window rate limits shared by every web worker: Redis where configured, else one database table.

    verdict = hit("apply:ip:203.0.113.9", limit=10, window=3600)
    if not verdict.allowed:
        ...  # answer 429 with Retry-After: verdict.retry_after (pages: a French message)

With a Redis cache (REDIS_URL) the counters are cache keys (add + incr). Without it they live in the
`core_ratecounter` table and one event is one statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING, on
SQLite and PostgreSQL alike): the database cache would cost six queries an event and cull counters past 300
entries. Keys must not carry personal data in clear: hash e-mail addresses and tokens with `key_of()`.
"""

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection

from alternance.core.models import RateCounter

PURGE_EVERY = 500  # about one event in PURGE_EVERY deletes the expired counters


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


def _count_in_table(counter_key: str, ends_at: float) -> int:
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    expires = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(ends_at + 1, tz=UTC))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "
            f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
            [counter_key, expires],
        )
        count = cursor.fetchone()[0]
    if random.randrange(PURGE_EVERY) == 0:
        RateCounter.objects.filter(expires_at__lt=datetime.now(tz=UTC)).delete()
    return count


def hit(key: str, *, limit: int, window: int, now: float | None = None) -> Verdict:
    """Count one event for `key` in the current window of `window` seconds; allowed while count <= limit."""
    counter_key, ends_at, retry_after = _window(key, window, now)
    if _uses_redis():
        if cache.add(counter_key, 1, timeout=window + 1):
            count = 1
        else:
            try:
                count = cache.incr(counter_key)
            except ValueError:  # expired between add and incr
                cache.set(counter_key, 1, timeout=window + 1)
                count = 1
    else:
        count = _count_in_table(counter_key, ends_at)
    return Verdict(allowed=count <= limit, count=count, limit=limit, retry_after=retry_after)


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
    return hit(f"{scope}:{ident}", limit=limit, window=window)


def peek_scope(scope: str, ident: str) -> Verdict:
    """peek() with the limit named `scope` in settings.RATE_LIMITS."""
    limit, window = limit_of(scope)
    return peek(f"{scope}:{ident}", limit=limit, window=window)
