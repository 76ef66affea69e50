"""The shared rate-limit counter: a fixed window per key, Retry-After until the window ends."""

import pytest

from alternance.core.ratelimit import hit, key_of, peek

pytestmark = pytest.mark.django_db


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
