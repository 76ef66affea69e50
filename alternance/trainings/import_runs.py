"""LHEO import runs as background tasks: uploads stored on disk, queued reports, the detection of runs whose
process died or that outlived their time (« interrompu »), and the deletion of the files they left."""

import datetime as dt
import os
import shutil
import socket
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alternance.trainings.lheo_shared import SPOOL_PREFIX
from alternance.trainings.models import ImportReport


def display_name(name: str) -> str:
    """The file's own name, or the URL it came from: never a folder of the server."""
    name = str(name)
    if "://" in name:
        return name[:500]
    return (Path(name).name or "flux")[:500]


def current_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def store_upload(chunks) -> Path:
    """Write an uploaded file (an iterable of byte chunks) to LHEO_UPLOAD_DIR, never whole in memory."""
    folder = Path(settings.LHEO_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.xml"
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


def queue_lheo_import(
    path: Path, *, source: str, filename: str, uploaded_by: str = "", api_key_id: int | None = None
) -> ImportReport:
    """Record an « en attente » report for a file already on disk and run its import in the background
    (trainings.tasks.run_lheo_import, enqueued once the report is committed). The file is deleted after."""
    from alternance.trainings.tasks import run_lheo_import

    report = ImportReport.objects.create(
        source=source,
        filename=display_name(filename),
        uploaded_by=uploaded_by,
        api_key_id=api_key_id,
        state=ImportReport.State.PENDING,
        upload=Path(path).name if Path(path).resolve().parent == Path(settings.LHEO_UPLOAD_DIR).resolve() else "",
    )
    transaction.on_commit(lambda: run_lheo_import.enqueue(report.pk, str(path)))
    return report


def _process_is_gone(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only the age tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def mark_interrupted_imports(now=None) -> int:
    """Mark « interrompu » the runs whose process died (same machine) or that outlived IMPORT_MAX_SECONDS
    (« en cours » or still « en attente »): a kill, a timeout or a crash never leaves a report « en cours »."""
    now = now or timezone.now()
    oldest = now - dt.timedelta(seconds=settings.LHEO_IMPORT_MAX_SECONDS)
    open_states = [ImportReport.State.RUNNING, ImportReport.State.PENDING]
    stale = []
    for pk, state, worker, started_at in ImportReport.objects.filter(state__in=open_states).values_list(
        "pk", "state", "worker", "started_at"
    ):
        if started_at < oldest or (state == ImportReport.State.RUNNING and worker and _process_is_gone(worker)):
            stale.append(pk)
    if stale:
        ImportReport.objects.filter(pk__in=stale, state__in=open_states).update(
            state=ImportReport.State.INTERRUPTED,
            finished_at=now,
            fatal_error="L'import s'est arrêté avant la fin (processus interrompu ou délai dépassé) : rien n'a "
            "été importé. Déposez le fichier à nouveau.",
        )
    return len(stale)


def delete_uploads(now=None) -> int:
    """Delete the uploaded files left in LHEO_UPLOAD_DIR by ended runs (a killed worker never reaches the
    deletion that ends a run), the files of no run (an upload whose report was never recorded) once older than
    LHEO_IMPORT_MAX_SECONDS, and the reading folders a killed import left; the files of runs « en attente » or
    « en cours » stay. Returns the number of files and folders deleted. Call mark_interrupted_imports() first:
    a run past its time is no longer open."""
    folder = Path(settings.LHEO_UPLOAD_DIR)
    open_states = [ImportReport.State.RUNNING, ImportReport.State.PENDING]
    ended = ImportReport.objects.exclude(upload="").exclude(state__in=open_states)
    deleted = 0
    for pk, name in ended.values_list("pk", "upload"):
        path = folder / Path(name).name
        if path.is_file():
            path.unlink(missing_ok=True)
            deleted += 1
        ImportReport.objects.filter(pk=pk).update(upload="")
    oldest = (now or timezone.now()).timestamp() - settings.LHEO_IMPORT_MAX_SECONDS
    deleted += _delete_stale_spools(oldest)
    if not folder.is_dir():
        return deleted
    kept = set(ImportReport.objects.filter(state__in=open_states).exclude(upload="").values_list("upload", flat=True))
    for path in folder.glob("*.xml"):
        try:
            if path.name not in kept and path.is_file() and path.stat().st_mtime < oldest:
                path.unlink(missing_ok=True)
                deleted += 1
        except OSError:  # deleted meanwhile by its run
            continue
    return deleted


def _delete_stale_spools(oldest: float) -> int:
    """Delete the reading folders (lheo_shared.SPOOL_PREFIX, in the temporary directory) that a killed import
    left behind: those where nothing was written since `oldest` (a running import writes its spools all along)."""
    deleted = 0
    for spool in Path(tempfile.gettempdir()).glob(f"{SPOOL_PREFIX}*"):
        try:
            latest = max([spool.stat().st_mtime, *(path.stat().st_mtime for path in spool.iterdir())])
        except OSError:  # deleted meanwhile by its run, or not a folder
            continue
        if latest < oldest:
            shutil.rmtree(spool, ignore_errors=True)
            deleted += 1
    return deleted
