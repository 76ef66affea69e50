"""Background tasks of the catalogue (Django tasks; manage.py db_worker runs them)."""

from django.tasks import task


@task()
def run_lheo_import(report_id: int, path: str) -> str:
    """Import an uploaded LHEO file recorded by services.queue_lheo_import; returns the report's state."""
    from alternance.trainings.services import run_queued_import

    report = run_queued_import(report_id, path)
    return report.state if report is not None else "rien à faire"
