"""manage.py clean_lheo_imports deletes the files that killed or failed runs left in LHEO_UPLOAD_DIR, and the
worker runs it daily (core.daily)."""

import io
import os
import socket
import subprocess
import sys
import tempfile
import time

import pytest
from django.core.management import call_command

from alternance.trainings.lheo_shared import SPOOL_PREFIX
from alternance.trainings.models import ImportReport
from alternance.trainings.services import queue_lheo_import, store_upload

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def folder(tmp_path, settings, monkeypatch):
    settings.LHEO_UPLOAD_DIR = tmp_path / "uploads"
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # the reading folders (lheo_shared.SPOOL_PREFIX)
    settings.LHEO_IMPORT_MAX_SECONDS = 3600
    return settings.LHEO_UPLOAD_DIR


def queued(django_capture_on_commit_callbacks, state=ImportReport.State.PENDING, worker=""):
    """A queued upload whose task never ran (the worker was killed before or during the import)."""
    path = store_upload([b"<lheo/>"])
    with django_capture_on_commit_callbacks(execute=False):
        report = queue_lheo_import(path, source="carif", filename="flux.xml")
    ImportReport.objects.filter(pk=report.pk).update(state=state, worker=worker)
    report.refresh_from_db()
    return report, path


def test_the_files_of_killed_and_failed_runs_are_deleted(folder, django_capture_on_commit_callbacks):
    """Issue 15 audit: after a kill, the uploaded file stayed in LHEO_UPLOAD_DIR."""
    killed, killed_path = queued(
        django_capture_on_commit_callbacks, ImportReport.State.RUNNING, f"{socket.gethostname()}:{_dead_pid()}"
    )
    failed, failed_path = queued(django_capture_on_commit_callbacks, ImportReport.State.FAILED)
    waiting, waiting_path = queued(django_capture_on_commit_callbacks)
    running, running_path = queued(
        django_capture_on_commit_callbacks, ImportReport.State.RUNNING, f"{socket.gethostname()}:{os.getpid()}"
    )
    assert killed.upload == killed_path.name
    stray_old = folder / "perdu.xml"
    stray_old.write_bytes(b"<lheo/>")
    os.utime(stray_old, (time.time() - 7200, time.time() - 7200))
    stray_new = folder / "recent.xml"
    stray_new.write_bytes(b"<lheo/>")
    out = io.StringIO()
    call_command("clean_lheo_imports", stdout=out)
    assert "3 fichier(s) supprimé(s)" in out.getvalue() and "1 import(s) marqué(s) interrompu(s)" in out.getvalue()
    assert not killed_path.exists() and not failed_path.exists() and not stray_old.exists()
    assert waiting_path.exists() and running_path.exists() and stray_new.exists()  # open runs, a fresh upload
    killed.refresh_from_db()
    assert killed.state == ImportReport.State.INTERRUPTED and killed.upload == ""
    assert ImportReport.objects.get(pk=waiting.pk).upload == waiting_path.name


def test_a_run_past_its_time_loses_its_file(folder, django_capture_on_commit_callbacks, settings):
    report, path = queued(django_capture_on_commit_callbacks)
    settings.LHEO_IMPORT_MAX_SECONDS = 0
    time.sleep(0.01)
    call_command("clean_lheo_imports", stdout=io.StringIO())
    assert ImportReport.objects.get(pk=report.pk).state == ImportReport.State.INTERRUPTED and not path.exists()


def test_the_reading_folder_of_a_killed_import_is_deleted(folder):
    """The shared read spools formations under the temporary directory; a kill -9 leaves the folder behind."""
    old = time.time() - 7200
    left = tempfile.mkdtemp(prefix=SPOOL_PREFIX)
    spool = os.path.join(left, "lecteur-0")
    with open(spool, "wb") as stream:
        stream.write(b"x" * 10)
    for path in (spool, left):
        os.utime(path, (old, old))
    busy = tempfile.mkdtemp(prefix=SPOOL_PREFIX)  # an import reading now: its spool is written all along
    os.utime(busy, (old, old))
    with open(os.path.join(busy, "lecteur-0"), "wb") as stream:
        stream.write(b"x")
    other = tempfile.mkdtemp(prefix="autre-")
    os.utime(other, (old, old))
    out = io.StringIO()
    call_command("clean_lheo_imports", stdout=out)
    assert "1 fichier(s) supprimé(s)" in out.getvalue()
    assert not os.path.exists(left) and os.path.exists(busy) and os.path.exists(other)
