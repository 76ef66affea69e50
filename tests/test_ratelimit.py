"""The shared rate-limit counter: a fixed window per key, Retry-After until the window ends."""

import pytest

from alternance.core.ratelimit import hit, key_of, peek

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_random_purge(monkeypatch):
    """The counters here live in windows of the past (now=...): a random purge (one event in PURGE_EVERY)
    would delete them in the middle of a test; test_expired_counters_are_purged asks for one explicitly."""
    monkeypatch.setattr("alternance.core.ratelimit.PURGE_EVERY", 10**9)


def test_counts_within_a_window_then_refuses_until_it_ends():
    verdicts = [hit("t:a", limit=3, window=60, now=1_000_040.0) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert verdicts[-1].retry_after == 40 and verdicts[-1].count == 4
    assert not peek("t:a", limit=3, window=60, now=1_000_050.0).allowed
    assert hit("t:a", limit=3, window=60, now=1_000_100.0).allowed  # next window
    assert hit("t:b", limit=3, window=60, now=1_000_050.0).count == 1  # keys are separate


def test_personal_values_are_hashed():
    key = key_of("jeanne@example.org")
    assert "jeanne" not in key and key == key_of("jeanne@example.org") and key != key_of("paul@example.org")


def test_one_event_is_one_statement_without_redis(django_assert_num_queries, monkeypatch):
    """The database cache would cost six queries an event (and cull counters past 300 entries)."""
    with django_assert_num_queries(1):
        hit("t:one", limit=3, window=60)
    assert peek("t:one", limit=3, window=60).count == 1


def test_expired_counters_are_purged(monkeypatch):
    from alternance.core.models import RateCounter

    hit("t:old", limit=3, window=60, now=1_000_000.0)  # a window that ended long ago
    monkeypatch.setattr("alternance.core.ratelimit.PURGE_EVERY", 1)  # purge on the next event
    hit("t:new", limit=3, window=60)
    assert not RateCounter.objects.filter(key__startswith="rl:t:old").exists()
    assert RateCounter.objects.filter(key__startswith="rl:t:new").exists()


def test_redis_counts_the_same_way(settings):
    """With REDIS_URL the counters are cache keys shared by the workers (skipped where no Redis runs)."""
    import socket

    from django.core.cache import caches

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        pytest.skip("pas de serveur Redis sur 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/9"}
    }
    caches["default"].clear()
    verdicts = [hit("t:redis", limit=2, window=60, now=2_000_040.0) for _ in range(3)]
    assert [v.allowed for v in verdicts] == [True, True, False] and verdicts[-1].count == 3
    assert peek("t:redis", limit=2, window=60, now=2_000_041.0).count == 3
    caches["default"].clear()


def test_counters_do_not_wait_for_the_write_ahead_log_on_postgresql():
    """Each counted request commits an upsert: in a logged table it waited for a WAL flush (migration 0002)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED tables are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'core_ratecounter'")
        assert cursor.fetchone()[0] == "u"


@pytest.fixture
def batched(monkeypatch):
    from alternance.core import ratelimit

    ratelimit.forget_local()
    yield ratelimit
    ratelimit.forget_local()


def test_batched_counts_reach_the_shared_store_every_flush_events(batched, django_assert_num_queries, monkeypatch):
    """A search is counted in the worker and added to the shared store every FLUSH_EVENTS events: one
    statement for FLUSH_EVENTS searches, while the limit is far."""
    monkeypatch.setattr(batched, "FLUSH_SECONDS", 3600.0)
    n = batched.FLUSH_EVENTS
    with django_assert_num_queries(1):
        verdicts = [batched.hit_batched("t:batch", limit=1000, window=60, now=3_000_010.0) for _ in range(n)]
    assert [v.count for v in verdicts] == list(range(1, n + 1)) and all(v.allowed for v in verdicts)
    assert peek("t:batch", limit=1000, window=60, now=3_000_011.0).count == n


def test_batched_counts_are_flushed_after_flush_seconds(batched, monkeypatch):
    monkeypatch.setattr(batched, "FLUSH_SECONDS", 0.0)  # every event is older than the last flush
    batched.hit_batched("t:late", limit=1000, window=60, now=3_000_010.0)
    assert peek("t:late", limit=1000, window=60, now=3_000_011.0).count == 1


def test_batched_counts_are_exact_from_half_the_limit(batched, monkeypatch):
    """Near the limit every event goes to the store: the limit refuses at the same event as hit()."""
    monkeypatch.setattr(batched, "FLUSH_SECONDS", 3600.0)
    verdicts = [batched.hit_batched("t:near", limit=6, window=60, now=3_000_010.0) for _ in range(8)]
    assert [v.allowed for v in verdicts] == [True] * 6 + [False, False]
    assert peek("t:near", limit=6, window=60, now=3_000_011.0).count == 8


def test_batched_counts_see_the_other_workers(batched, monkeypatch):
    """Another worker's events reach the shared store; this worker adds them to its own at its next flush,
    and refuses once the total passes the limit (overshoot at most FLUSH_EVENTS - 1 per worker)."""
    monkeypatch.setattr(batched, "FLUSH_SECONDS", 3600.0)
    for _ in range(30):  # another worker, counted exactly
        hit("t:shared", limit=40, window=60, now=3_000_010.0)
    verdicts = [batched.hit_batched("t:shared", limit=40, window=60, now=3_000_010.0) for _ in range(15)]
    allowed = sum(v.allowed for v in verdicts)
    assert 10 <= allowed <= 10 + batched.FLUSH_EVENTS - 1
    assert not verdicts[-1].allowed and verdicts[-1].count >= 41


def test_searches_are_counted_in_batches_other_scopes_at_once(batched, django_assert_num_queries, monkeypatch):
    from alternance.core.ratelimit import hit_scope

    monkeypatch.setattr(batched, "FLUSH_SECONDS", 3600.0)
    with django_assert_num_queries(0):
        hit_scope("search", "client")
    with django_assert_num_queries(1):
        hit_scope("forms", "client")
