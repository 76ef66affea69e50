"""Background tasks of enrolments (Django tasks; manage.py db_worker runs them): the indicators' refresh,
and the scheduled purge of the personal data of learners who left long ago."""

from django.core.cache import cache
from django.tasks import task

from alternance.core.daily import run_then_plan, schedule_daily

PURGE_HOUR = 4  # Paris time


@task()
def refresh_indicators(demo: bool = False) -> str:
    """Compute the public indicators and keep them as the last computed version (indicators.latest)."""
    from alternance.enrolments import indicators

    # Data arriving while this runs enqueues the next refresh.
    cache.delete(indicators.QUEUED_KEY.format(demo=demo))
    result = indicators.refresh(demo=demo)
    return f"{result.total.value} apprenants au {result.day.isoformat()}"


@task()
def purge_enrolments(reschedule: bool = False) -> str:
    """The daily purge of ``manage.py purge_enrolments``: delete the enrolments whose course ended more than
    RETENTION_YEARS ago; with ``reschedule``, plan the next run (core.daily)."""
    from alternance.enrolments import services

    deleted = run_then_plan(services.purge_old_enrolments, reschedule, schedule)
    return f"Inscriptions supprimées\u00a0: {deleted}"


def schedule(now=None):
    """Plan the daily purge (idempotent); the time planned, or None when one already waits."""
    return schedule_daily(purge_enrolments, hour=PURGE_HOUR, now=now)
