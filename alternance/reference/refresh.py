"""The monthly refresh of the referentials by the background worker (Django tasks, django-tasks-db).

`schedule()` makes sure one refresh is planned (the 1st of next month, 03:00, Paris time) and enqueues it
with `run_after`; the task runs `load_reference` with its usual safeguards (a file that would remove more
than a tenth of a table's codes is refused, vanished codes are deactivated, never deleted), keeps what it
printed in a `ReferenceRefresh`, then plans the next one. Staff read them on /donnees/referentiels/.
"""

import datetime as dt
import logging
from io import StringIO
from zoneinfo import ZoneInfo

from django.core.management import CommandError, call_command
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from alternance.reference.models import ReferenceRefresh

PARIS = ZoneInfo("Europe/Paris")
logger = logging.getLogger(__name__)


def next_run(now: dt.datetime) -> dt.datetime:
    """The 1st of the month after `now`, at 03:00 Paris time."""
    local = now.astimezone(PARIS)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return dt.datetime(year, month, 1, 3, 0, tzinfo=PARIS)


def schedule(now: dt.datetime | None = None) -> ReferenceRefresh:
    """The planned refresh, created and enqueued when none is (idempotent: `make run` calls it at each start)."""
    now = now or timezone.now()
    planned = ReferenceRefresh.objects.filter(state=ReferenceRefresh.State.SCHEDULED, scheduled_for__gt=now).first()
    if planned is not None:
        return planned
    refresh = ReferenceRefresh.objects.create(scheduled_for=next_run(now))
    transaction.on_commit(lambda: refresh_referentials.using(run_after=refresh.scheduled_for).enqueue(refresh.pk))
    return refresh


def run(refresh: ReferenceRefresh) -> ReferenceRefresh:
    """Load the referentials now and record the outcome on `refresh`."""
    ReferenceRefresh.objects.filter(pk=refresh.pk).update(
        state=ReferenceRefresh.State.RUNNING, started_at=timezone.now()
    )
    out = StringIO()
    try:
        call_command("load_reference", stdout=out, stderr=out)
        state = ReferenceRefresh.State.DONE
    except CommandError as error:
        out.write(f"\n{error}\n")
        state = ReferenceRefresh.State.FAILED
    except Exception as error:  # noqa: BLE001 — any crash is recorded, never left « en cours »
        logger.exception("Rafraîchissement des référentiels %s en échec", refresh.pk)
        out.write(f"\nErreur inattendue : {type(error).__name__} : {error}\n")
        state = ReferenceRefresh.State.FAILED
    ReferenceRefresh.objects.filter(pk=refresh.pk).update(
        state=state, finished_at=timezone.now(), output=out.getvalue()
    )
    refresh.refresh_from_db()
    return refresh


@task()
def refresh_referentials(refresh_id: int) -> str:
    refresh = ReferenceRefresh.objects.filter(pk=refresh_id, state=ReferenceRefresh.State.SCHEDULED).first()
    if refresh is None:  # already run or removed: nothing to do
        return "rien à faire"
    try:
        return run(refresh).state
    finally:
        schedule()  # the monthly chain goes on whatever happened
