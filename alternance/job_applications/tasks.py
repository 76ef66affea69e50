"""Background tasks (Django's tasks framework; django-tasks-db in production, ImmediateBackend in tests)."""

import datetime as dt

from django.tasks import default_task_backend, task
from django.utils import timezone

from alternance.core.daily import run_then_plan, schedule_daily

from . import emails
from .models import Application, AppointmentRequest, EmailLog


@task()
def send_email(log_id: int) -> str:
    """Send one logged e-mail. A failure is recorded on the log (error kept, no content) and retried
    (emails.MAX_ATTEMPTS attempts); the e-mail of a request deleted meanwhile is not sent."""
    log = EmailLog.objects.filter(pk=log_id).first()
    if log is None or log.status == EmailLog.Status.SENT:
        return "absent"
    model = AppointmentRequest if log.kind in emails.APPOINTMENT_KINDS else Application
    obj = model.objects.filter(public_id=log.object_id).first()
    if obj is None:
        EmailLog.objects.filter(pk=log.pk).update(status=EmailLog.Status.OBSOLETE)
        return "obsolete"
    log.attempts += 1
    try:
        emails.build(log.kind, obj, log.to).send()
    except Exception as exc:  # noqa: BLE001 — any failure of the mail server is retried, then abandoned
        log.last_error = f"{type(exc).__name__}: {exc}"[:500]
        retry = log.attempts < emails.MAX_ATTEMPTS
        log.status = EmailLog.Status.FAILED if retry else EmailLog.Status.ABANDONED
        log.save(update_fields=["attempts", "last_error", "status"])
        if retry:
            delay = emails.RETRY_DELAYS_MINUTES[min(log.attempts - 1, len(emails.RETRY_DELAYS_MINUTES) - 1)]
            if default_task_backend.supports_defer:
                send_email.using(run_after=timezone.now() + dt.timedelta(minutes=delay)).enqueue(log.pk)
            else:
                send_email.enqueue(log.pk)
        return log.status
    log.status = EmailLog.Status.SENT
    log.sent_at = timezone.now()
    log.save(update_fields=["attempts", "status", "sent_at"])
    return log.status


# Daily jobs (core.daily): each runs its command's work, then plans tomorrow's run when asked to. The daily
# reminders also warn offers' members before expiry, so their task is in accounts (which knows memberships).
PURGE_HOUR = 3


@task()
def purge_personal_data(reschedule: bool = False) -> dict:
    """The work of ``manage.py purge_personal_data`` (applications, CVs, appointments 2 years after activity)."""
    from .services import purge_expired

    return run_then_plan(purge_expired, reschedule, schedule_purge)


def schedule_purge(now=None):
    return schedule_daily(purge_personal_data, hour=PURGE_HOUR, now=now)
