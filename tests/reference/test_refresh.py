"""The monthly refresh: planned once, run by the worker with load_reference's safeguards, shown to staff."""

import datetime as dt
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from alternance.reference import refresh
from alternance.reference.models import ReferenceRefresh

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS), dt.datetime(2027, 1, 1, 3, 0, tzinfo=PARIS)),
        (dt.datetime(2027, 1, 31, 23, 59, tzinfo=PARIS), dt.datetime(2027, 2, 1, 3, 0, tzinfo=PARIS)),
        # 23:30 UTC on 30 April is already 1 May in Paris: the next run is 1 June.
        (dt.datetime(2027, 4, 30, 23, 30, tzinfo=dt.UTC), dt.datetime(2027, 6, 1, 3, 0, tzinfo=PARIS)),
    ],
)
def test_next_run_is_the_first_of_next_month_at_three(now, expected):
    assert refresh.next_run(now) == expected


def test_schedule_plans_one_refresh_and_enqueues_it_after_commit(django_capture_on_commit_callbacks):
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
    with mock.patch.object(refresh, "refresh_referentials") as task:
        with django_capture_on_commit_callbacks(execute=True):
            first = refresh.schedule(now)
            again = refresh.schedule(now)
    assert first == again and ReferenceRefresh.objects.count() == 1
    task.using.assert_called_once_with(run_after=dt.datetime(2027, 1, 1, 3, 0, tzinfo=PARIS))
    task.using.return_value.enqueue.assert_called_once_with(first.pk)


def test_the_task_loads_records_the_report_and_plans_the_next(reference_data, settings):
    settings.ALTERNANCE_DATA_DIR = str(reference_data)
    planned = ReferenceRefresh.objects.create(scheduled_for=dt.datetime(2026, 12, 1, 3, 0, tzinfo=PARIS))
    with mock.patch.object(refresh, "schedule") as schedule:
        state = refresh.refresh_referentials.call(planned.pk)
    planned.refresh_from_db()
    assert state == planned.state == ReferenceRefresh.State.DONE
    assert "Sources utilisées" in planned.output and planned.finished_at is not None
    schedule.assert_called_once()
    assert refresh.refresh_referentials.call(planned.pk) == "rien à faire"  # never run twice


def test_a_refused_load_is_recorded_as_failed(reference_data, settings, tmp_path):
    settings.ALTERNANCE_DATA_DIR = str(tmp_path / "absent")
    planned = ReferenceRefresh.objects.create(scheduled_for=dt.datetime(2026, 12, 1, 3, 0, tzinfo=PARIS))
    refresh.run(planned)
    assert planned.state == ReferenceRefresh.State.FAILED and "n'existe pas" in planned.output


def test_an_unexpected_error_is_recorded_as_failed_and_the_next_refresh_is_still_planned():
    """A crash (a network or database error load_reference does not turn into a CommandError) must neither leave
    the refresh « en cours » for ever nor stop the monthly chain."""
    planned = ReferenceRefresh.objects.create(scheduled_for=dt.datetime(2026, 12, 1, 3, 0, tzinfo=PARIS))
    with (
        mock.patch.object(refresh, "call_command", side_effect=OSError("disque plein")),
        mock.patch.object(refresh, "schedule") as schedule,
    ):
        state = refresh.refresh_referentials.call(planned.pk)
    planned.refresh_from_db()
    assert state == planned.state == ReferenceRefresh.State.FAILED
    assert "disque plein" in planned.output and planned.finished_at is not None
    schedule.assert_called_once()


def test_staff_see_the_refreshes_and_the_sources(client, admin_user, reference_data):
    ReferenceRefresh.objects.create(
        scheduled_for=dt.datetime(2026, 12, 1, 3, 0, tzinfo=PARIS), state="terminee", output="Rapport : 3 changements"
    )
    call_command("load_reference", source=str(reference_data), verbosity=0)
    assert client.get("/donnees/referentiels/").status_code == 302  # staff only
    client.force_login(admin_user)
    page = client.get("/donnees/referentiels/").content.decode()
    assert "Rapport : 3 changements" in page and "historique du SMIC" in page
    assert "api.emploi-store.fr" in page and "non vérifiée d'ici" in page


def test_the_command_plans_the_refresh(capsys):
    call_command("schedule_reference_refresh")
    assert ReferenceRefresh.objects.filter(state="prevue").count() == 1
    assert "Prochaine mise à jour des référentiels" in capsys.readouterr().out
