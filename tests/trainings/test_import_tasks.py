"""LHEO uploads as background tasks: 202 and the report's URL, states, reports readable by the keys of
their source only, no server paths, size limit, interrupted runs detected."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from alternance.accounts.models import ApiKey, Scope
from alternance.trainings.models import ImportReport
from alternance.trainings.services import import_lheo, mark_interrupted_imports
from tests.trainings.lheo_feeds import current, feed

pytestmark = pytest.mark.django_db


def key(name: str) -> str:
    return ApiKey.issue(name, [Scope.LHEO])[1]


def upload(client, secret: str, content: bytes, source: str = "carif-a"):
    return client.post(
        "/api/v1/imports/lheo",
        {"file": SimpleUploadedFile("flux.xml", content, content_type="application/xml"), "source": source},
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_upload_is_queued_then_run_in_the_background(
    client, reference_data, tmp_path, django_capture_on_commit_callbacks
):
    secret = key("carif-a")
    with override_settings(LHEO_UPLOAD_DIR=tmp_path), django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, secret, feed(current("BG1")).encode())
    assert response.status_code == 202
    report = ImportReport.objects.get(pk=response.json()["id"])
    assert report.state == ImportReport.State.PENDING and len(list(tmp_path.iterdir())) == 1
    for callback in callbacks:  # the commit: the task runs (ImmediateBackend in tests)
        callback()
    report.refresh_from_db()
    assert report.state == ImportReport.State.SUCCEEDED and report.counts["crees"] == 1
    assert list(tmp_path.iterdir()) == []  # the uploaded file is deleted once imported


def test_a_report_is_readable_only_by_keys_owning_its_source(
    client, reference_data, django_capture_on_commit_callbacks
):
    """A source belongs to the key that first fed it (issue 15: any key could feed and read another's source)."""
    owner, other_key, stranger = key("carif-a"), key("carif-a-bis"), key("carif-b")
    with django_capture_on_commit_callbacks(execute=True):
        url = upload(client, owner, feed(current("BG2")).encode(), source="carif-a").json()["url"]
        taken = upload(client, other_key, feed(current("BG3")).encode(), source="carif-a")
        upload(client, stranger, feed(current("BG4")).encode(), source="carif-b")
    assert taken.status_code == 403 and taken.json()["field"] == "source"
    assert client.get(url, headers={"Authorization": f"Bearer {owner}"}).status_code == 200
    for secret in (other_key, stranger):
        response = client.get(url, headers={"Authorization": f"Bearer {secret}"})
        assert response.status_code == 404 and response.json()["field"] == "report_id"


def test_reports_carry_no_server_path(client, reference_data, tmp_path):
    path = tmp_path / "dossier-secret" / "flux.xml"
    path.parent.mkdir()
    path.write_text(feed(current("BG5")), encoding="utf-8")
    report = import_lheo(str(path), source="carif-a")
    assert report.filename == "flux.xml" and "dossier-secret" not in report.filename


@override_settings(LHEO_MAX_BYTES=1000)
def test_an_upload_too_large_is_a_413(client):
    response = upload(client, key("carif-a"), b"<lheo>" + b" " * 2000 + b"</lheo>")
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert not ImportReport.objects.exists()


def test_a_run_whose_process_died_is_marked_interrupted():
    dead = ImportReport.objects.create(
        source="carif-a", filename="flux.xml", state=ImportReport.State.RUNNING, worker=f"{_host()}:{_dead_pid()}"
    )
    alive = ImportReport.objects.create(
        source="carif-a", filename="flux.xml", state=ImportReport.State.RUNNING, worker=f"{_host()}:{_own_pid()}"
    )
    assert mark_interrupted_imports() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == ImportReport.State.INTERRUPTED and "rien n'a été importé" in dead.fatal_error
    assert alive.state == ImportReport.State.RUNNING


@override_settings(LHEO_IMPORT_MAX_SECONDS=3600)
def test_a_run_older_than_the_limit_is_marked_interrupted():
    old = ImportReport.objects.create(source="carif-a", filename="flux.xml", state=ImportReport.State.RUNNING)
    ImportReport.objects.filter(pk=old.pk).update(started_at=timezone.now() - dt.timedelta(hours=2))
    assert mark_interrupted_imports() == 1
    old.refresh_from_db()
    assert old.state == ImportReport.State.INTERRUPTED


def _host() -> str:
    import socket

    return socket.gethostname()


def _own_pid() -> int:
    import os

    return os.getpid()


def _dead_pid() -> int:
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid
