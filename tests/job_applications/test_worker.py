"""The production path of e-mails: django-tasks-db stores the task after commit, `manage.py db_worker`
runs it and the message leaves (here into Django's test outbox)."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from alternance.job_applications.models import EmailLog
from tests.e2e.conftest import e2e_db

from .helpers import apply

pytestmark = [e2e_db]


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_db_worker_sends_the_queued_emails(reference_data, database_tasks, ja_offer):
    apply(ja_offer, answers=["Oui."])
    assert mail.outbox == []  # queued, not sent: the web request does not wait for the mail server
    assert DBTaskResult.objects.count() == 2
    assert set(EmailLog.objects.values_list("status", flat=True)) == {"en_attente"}
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert sorted(m.to[0] for m in mail.outbox) == ["ines.martin@example.org", "recrutement@example.org"]
    assert set(EmailLog.objects.values_list("status", flat=True)) == {"envoye"}
