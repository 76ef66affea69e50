"""The indicators are computed by a background task and served from the last computed version; the personal
data of learners who left long ago are purged on schedule."""

import datetime as dt
from io import StringIO

from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from alternance.enrolments import indicators, services
from alternance.enrolments.models import Enrolment, EnrolmentContract, EnrolmentVersion, IndicatorSnapshot
from alternance.enrolments.services import ingest
from tests.enrolments.records import employer_siret, record


def test_latest_computes_in_the_background_task_and_says_when(cfa):
    ingest(cfa, [record() for _ in range(4)])
    assert not IndicatorSnapshot.objects.exists()
    result = indicators.latest()  # tests run tasks at once (ImmediateBackend): the task has stored it
    snapshot = IndicatorSnapshot.objects.get(demo=False)
    assert result.total.value == 4 and result.computed_at == snapshot.computed_at
    assert snapshot.data["total"]["value"] == 4


def test_the_last_version_is_served_while_a_refresh_waits(cfa):
    ingest(cfa, [record() for _ in range(4)])
    first = indicators.latest()
    ingest(cfa, [record() for _ in range(3)])
    cache.set(indicators.QUEUED_KEY.format(demo=False), 1, 60)  # a refresh already waits for the worker
    try:
        stale = indicators.latest()
    finally:
        cache.delete(indicators.QUEUED_KEY.format(demo=False))
    assert stale.total.value == 4 and stale.computed_at == first.computed_at
    assert indicators.latest().total.value == 7  # nothing queued any more: refreshed


def test_an_ingestion_enqueues_the_refresh_once_committed(cfa, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ingest(cfa, [record() for _ in range(5)])
    assert len(callbacks) == 1
    assert IndicatorSnapshot.objects.get(demo=False).data["total"]["value"] == 5
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ingest(cfa, [record(learner_id="X1", school_year="2024-2025", birth_date="2030-01-01")])  # rejected
    assert callbacks == []


def test_the_dashboard_and_the_api_say_when_the_figures_were_computed(client, cfa):
    ingest(cfa, [record() for _ in range(5)])
    html = client.get("/tableau-de-bord/").content.decode()
    computed = timezone.localtime(IndicatorSnapshot.objects.get(demo=False).computed_at)
    assert "Chiffres calculés le " in html and computed.strftime("%H:%M") in html
    body = client.get("/api/v1/indicators/enrolments").json()
    assert body["computed_at"] is not None and body["total"]["value"] == 5


def test_purge_deletes_learners_whose_course_ended_more_than_three_years_ago(cfa):
    today = timezone.localdate()
    old_end = services.retention_cutoff(today) - dt.timedelta(days=1)
    recent_end = services.retention_cutoff(today) + dt.timedelta(days=1)
    old = record(
        school_year=f"{old_end.year - 2}-{old_end.year - 1}",
        birth_date=f"{old_end.year - 20}-01-01",
        course_start=f"{old_end.year - 2}-09-01",
        registered_on=f"{old_end.year - 2}-07-01",
        course_end=old_end.isoformat(),
        contracts=[],
    )
    kept = record(
        school_year=f"{recent_end.year - 2}-{recent_end.year - 1}",
        birth_date=f"{recent_end.year - 20}-01-01",
        course_start=f"{recent_end.year - 2}-09-01",
        registered_on=f"{recent_end.year - 2}-07-01",
        course_end=recent_end.isoformat(),
        contracts=[{"employer_siret": employer_siret(), "start_date": f"{recent_end.year - 2}-09-01"}],
    )
    result = ingest(cfa, [old, kept])
    assert result.accepted == 2, result.records
    out = StringIO()
    call_command("purge_enrolments", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Inscriptions à supprimer\u00a0: 1 ") and Enrolment.objects.count() == 2
    call_command("purge_enrolments", stdout=StringIO())
    assert list(Enrolment.objects.values_list("learner_id", flat=True)) == [kept["learner_id"]]
    remaining = Enrolment.objects.get()
    assert EnrolmentVersion.objects.exclude(enrolment=remaining).count() == 0
    assert EnrolmentContract.objects.exclude(enrolment=remaining).count() == 0
    assert EnrolmentVersion.objects.filter(enrolment=remaining).count() == 1


def test_the_purge_task_runs_the_purge(cfa):
    from alternance.enrolments.tasks import purge_enrolments

    ingest(cfa, [record()])
    Enrolment.objects.update(course_end=dt.date(2000, 6, 30))
    result = purge_enrolments.enqueue(reschedule=False)
    assert result.return_value == "Inscriptions supprimées\u00a0: 1" and not Enrolment.objects.exists()


def test_the_retention_cutoff_is_three_years_back_and_29_february_becomes_28():
    assert services.retention_cutoff(dt.date(2028, 2, 29)) == dt.date(2025, 2, 28)
    assert services.retention_cutoff(dt.date(2027, 3, 1)) == dt.date(2024, 3, 1)


def test_before_the_first_computation_the_page_and_the_api_say_it_is_coming(client, cfa):
    ingest(cfa, [record() for _ in range(3)])
    cache.set(indicators.QUEUED_KEY.format(demo=False), 1, 60)  # queued for a worker that has not run yet
    try:
        html = client.get("/tableau-de-bord/").content.decode()
        api = client.get("/api/v1/indicators/enrolments")
        csv = client.get("/tableau-de-bord/indicateurs.csv")
    finally:
        cache.delete(indicators.QUEUED_KEY.format(demo=False))
    assert "en cours de calcul" in html and "<table" not in html
    assert api.status_code == 503 and api.json()["code"] == "indicators_pending"
    assert csv.status_code == 503 and csv["Retry-After"] == "120"
    assert not IndicatorSnapshot.objects.exists()
