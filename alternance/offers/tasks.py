"""Background tasks of offers (Django's tasks framework; ImmediateBackend in tests)."""

from django.tasks import task

from alternance.core.daily import run_then_plan, schedule_daily
from alternance.offers.services import expire_overdue

EXPIRY_HOUR = 0  # Paris time, minute 5: the offers whose expiry date has passed leave the search overnight
EXPIRY_MINUTE = 5


@task()
def expire_offers(reschedule: bool = False) -> int:
    """The daily run of ``manage.py expire_offers``; with ``reschedule``, plans tomorrow's run (core.daily)."""
    return run_then_plan(expire_overdue, reschedule, schedule)


def schedule(now=None):
    """Plan the daily expiry (idempotent); the time planned, or None when one already waits."""
    return schedule_daily(expire_offers, hour=EXPIRY_HOUR, minute=EXPIRY_MINUTE, now=now)
