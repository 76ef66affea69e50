"""Daily jobs run by the worker without cron (core.daily): the purges of contracts, personal data and old
enrolments, the offers' expiry and the reminders plan themselves once (idempotent), the worker runs a due one,
and each run plans the next."""

import datetime as dt
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from alternance.accounts import tasks as account_tasks
from alternance.contracts import tasks as contract_tasks
from alternance.contracts.models import RETENTION_DAYS, Contract
from alternance.contracts.services import create_contract
from alternance.core.daily import PARIS, next_daily_run
from alternance.enrolments import tasks as enrolment_tasks
from alternance.job_applications import tasks as application_tasks
from alternance.offers import tasks as offer_tasks
from alternance.reference.models import Diploma
from alternance.trainings import tasks as training_tasks
from tests.contracts.contract_data import BAKER_CFD, full_contract
from tests.contracts.smic import ensure_smic_rates
from tests.e2e.conftest import e2e_db

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)  # 11:00 in Paris

# (command, task, the hour:minute it runs, Paris time)
JOBS = [
    ("purge_contracts", contract_tasks.purge_expired_contracts, (3, 0)),
    ("send_reminders", account_tasks.send_daily_reminders, (6, 15)),
    ("purge_personal_data", application_tasks.purge_personal_data, (3, 0)),
    ("purge_enrolments", enrolment_tasks.purge_enrolments, (4, 0)),
    ("expire_offers", offer_tasks.expire_offers, (0, 5)),
    ("clean_lheo_imports", training_tasks.clean_lheo_imports, (4, 30)),
]


@pytest.mark.parametrize(
    "now,hour,expected",
    [
        (NOW, 3, dt.datetime(2026, 12, 2, 3, 0, tzinfo=PARIS)),  # past today's 03:00: tomorrow
        (NOW, 23, dt.datetime(2026, 12, 1, 23, 0, tzinfo=PARIS)),  # still ahead today
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), 3, dt.datetime(2027, 1, 1, 3, 0, tzinfo=PARIS)),  # new year
        (dt.datetime(2026, 3, 28, 12, 0, tzinfo=dt.UTC), 3, dt.datetime(2026, 3, 29, 3, 0, tzinfo=PARIS)),  # DST
    ],
)
def test_next_daily_run_is_the_next_such_time_in_paris(now, hour, expected):
    assert next_daily_run(now, hour) == expected


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db
@pytest.mark.parametrize("command,task,at", JOBS)
def test_schedule_is_idempotent(command, task, at, database_tasks, django_capture_on_commit_callbacks):
    outputs = []
    for _ in range(2):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(command, "--schedule", stdout=out)
        outputs.append(out.getvalue())
    planned = DBTaskResult.objects.get(task_path=task.module_path)  # one, not two
    assert planned.status == "READY" and planned.args_kwargs["kwargs"] == {"reschedule": True}
    local = planned.run_after.astimezone(PARIS)
    assert (local.hour, local.minute) == at and planned.run_after > timezone.now()
    assert "planifiée le" in outputs[0] and "déjà planifiée" in outputs[1]


@pytest.mark.django_db
def test_without_a_database_queue_nothing_is_planned(django_capture_on_commit_callbacks):
    """The immediate backend (tests) cannot wait until tomorrow: scheduling does not run the job now."""
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_contracts", "--schedule", stdout=out)
    assert "déjà planifiée" in out.getvalue()


@e2e_db  # transactional, like tests/job_applications/test_worker.py: the worker closes its connection (PostgreSQL)
def test_the_worker_runs_the_due_purge_and_plans_the_next(database_tasks, django_capture_on_commit_callbacks):
    ensure_smic_rates()
    Diploma.objects.get_or_create(cfd=BAKER_CFD, defaults={"title": "BOULANGER (CAP)", "level": 3})
    old, recent = create_contract(full_contract()), create_contract(full_contract())
    Contract.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=RETENTION_DAYS + 1))
    with django_capture_on_commit_callbacks(execute=True):
        contract_tasks.schedule()
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(minutes=1))  # tomorrow has come
    with django_capture_on_commit_callbacks(execute=True):  # the run plans the next one on commit
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert list(Contract.objects.values_list("pk", flat=True)) == [recent.pk]
    runs = DBTaskResult.objects.filter(task_path=contract_tasks.purge_expired_contracts.module_path)
    assert sorted(runs.values_list("status", flat=True)) == ["READY", "SUCCESSFUL"]
    assert runs.get(status="READY").run_after > timezone.now()  # the next one, tomorrow


@pytest.mark.django_db
@pytest.mark.parametrize(
    "task,keys",
    [
        (
            account_tasks.send_daily_reminders,
            {"recruiter_reminders", "cfa_reminders", "candidate_notices", "offer_expiry_reminders"},
        ),
        (application_tasks.purge_personal_data, {"applications", "appointments"}),
    ],
)
def test_the_application_tasks_run_their_job(task, keys):
    assert keys <= set(task.enqueue().return_value)
