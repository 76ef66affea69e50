"""Background tasks of the catalogue (Django tasks; manage.py db_worker runs them)."""

from django.tasks import task

from alternance.core.daily import run_then_plan, schedule_daily

CLEAN_HOUR, CLEAN_MINUTE = 4, 30  # Paris time: the LHEO runs killed during the day are undone overnight


@task()
def run_lheo_import(report_id: int, path: str) -> str:
    """Import an uploaded LHEO file recorded by services.queue_lheo_import; returns the report's state."""
    from alternance.trainings.services import run_queued_import

    report = run_queued_import(report_id, path)
    return report.state if report is not None else "rien à faire"


def clean_imports() -> dict:
    """Mark dead runs « interrompu », undo what failed or dead runs wrote, delete the files they left."""
    from alternance.trainings.services import delete_uploads, mark_interrupted_imports, undo_interrupted_imports

    marked = mark_interrupted_imports()
    undone = undo_interrupted_imports()
    return {"marked": marked, "undone": undone, "files": delete_uploads()}


@task()
def clean_lheo_imports(reschedule: bool = False) -> dict:
    """The daily run of ``manage.py clean_lheo_imports``; with ``reschedule``, plans tomorrow's run (core.daily)."""
    return run_then_plan(clean_imports, reschedule, schedule)


def schedule(now=None):
    """Plan the daily cleaning (idempotent); the time planned, or None when one already waits."""
    return schedule_daily(clean_lheo_imports, hour=CLEAN_HOUR, minute=CLEAN_MINUTE, now=now)
