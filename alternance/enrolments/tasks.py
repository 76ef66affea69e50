"""Background tasks of enrolments (Django tasks; manage.py db_worker runs them): the indicators' refresh,
and the scheduled purge of the personal data of learners who left long ago."""

from django.core.cache import cache
from django.tasks import task


@task()
def refresh_indicators(demo: bool = False) -> str:
    """Compute the public indicators and keep them as the last computed version (indicators.latest)."""
    from alternance.enrolments import indicators

    # Data arriving while this runs enqueues the next refresh.
    cache.delete(indicators.QUEUED_KEY.format(demo=demo))
    result = indicators.refresh(demo=demo)
    return f"{result.total.value} apprenants au {result.day.isoformat()}"


@task()
def purge_enrolments(reschedule: bool = True) -> str:
    """Delete the enrolments whose course ended more than RETENTION_YEARS ago, then plan the next purge."""
    from alternance.enrolments import services

    deleted = services.purge_old_enrolments()
    if reschedule:
        services.schedule_purge()
    return f"Inscriptions supprimées\u00a0: {deleted}"
