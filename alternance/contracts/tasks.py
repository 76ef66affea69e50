"""Background tasks of the contracts domain (Django's tasks framework, settings.TASKS)."""

from django.tasks import task

from alternance.contracts.services import purge_expired
from alternance.core.daily import run_then_plan, schedule_daily

PURGE_HOUR = 3  # Paris time


@task()
def purge_expired_contracts(reschedule: bool = False) -> dict:
    """The daily purge of ``manage.py purge_contracts``; with ``reschedule``, plans tomorrow's run (core.daily)."""
    contracts, drafts = run_then_plan(purge_expired, reschedule, schedule)
    return {"contracts": contracts, "drafts": drafts}


def schedule(now=None):
    """Plan the daily purge (idempotent); the time planned, or None when one already waits."""
    return schedule_daily(purge_expired_contracts, hour=PURGE_HOUR, now=now)
