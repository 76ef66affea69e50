"""Daily jobs run by the background worker (Django tasks, django-tasks-db; `manage.py db_worker`, started by
`make run`): a job is a task that does its work then plans its next run, so that no cron line is needed; its
command (a `DailyJobCommand`) runs the job by hand, or plans it with `--schedule`.

    @task()
    def purge_expired_contracts(reschedule: bool = False) -> dict:
        return run_then_plan(purge_expired, reschedule, schedule)   # schedule(): schedule_daily(..., hour=3)

`schedule_daily` is idempotent: a run already waiting in the database queue is kept (`make run` calls it at
each start through the commands' `--schedule`). The immediate backend of the tests cannot wait: nothing is planned.
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def next_daily_run(now: dt.datetime, hour: int, minute: int = 0) -> dt.datetime:
    """The next `hour:minute`, Paris time, strictly after `now` (today's when still ahead, else tomorrow's)."""
    local = now.astimezone(PARIS)
    when = dt.datetime(local.year, local.month, local.day, hour, minute, tzinfo=PARIS)
    if when <= local:
        day = local.date() + dt.timedelta(days=1)
        when = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)
    return when


def is_waiting(task) -> bool:
    """A run of `task` waits in the database queue (django-tasks-db)."""
    backend = task.get_backend()
    if not type(backend).__module__.startswith("django_tasks_db"):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists()


def schedule_daily(task, *, hour: int, minute: int = 0, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next daily run of `task` (called with reschedule=True) unless one is already waiting; the
    time planned, or None when nothing was enqueued (one waits, or the backend cannot defer)."""
    if not task.get_backend().supports_defer or is_waiting(task):
        return None
    when = next_daily_run(now or timezone.now(), hour, minute)
    transaction.on_commit(lambda: task.using(run_after=when).enqueue(reschedule=True), robust=True)
    return when


SCHEDULE_HELP = "planifier l'exécution quotidienne par le travailleur de tâches (manage.py db_worker)"


def scheduled_message(what: str, when: dt.datetime | None) -> str:
    """What a command's --schedule prints, in French: the time planned, or that a run already waits."""
    if when is None:
        return f"{what}\u00a0: déjà planifiée (ou file de tâches immédiate), rien à ajouter."
    local = when.astimezone(PARIS)
    return (
        f"{what}\u00a0: planifiée le {local:%d/%m/%Y} à {local:%H:%M} "
        "(manage.py db_worker l'exécutera, puis chaque jour)."
    )


def run_then_plan(job: Callable, reschedule: bool, plan: Callable) -> object:
    """The body of a daily task: do the job; then, when asked (the scheduled runs), plan the next run, even
    when the job failed (a failure must not end the series)."""
    try:
        return job()
    finally:
        if reschedule:
            plan()


class DailyJobCommand(BaseCommand):
    """A command whose job the worker also runs daily: ``--schedule`` plans that instead of running the job."""

    schedule_label = ""  # French, what is planned: « La purge quotidienne des contrats sans compte »

    def plan(self) -> dt.datetime | None:
        raise NotImplementedError

    def run(self, **options) -> None:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help=SCHEDULE_HELP)

    def handle(self, *args, schedule=False, **options):
        if schedule:
            self.stdout.write(scheduled_message(self.schedule_label, self.plan()))
            return
        self.run(**options)
