"""The undo journal of LHEO imports (ImportUndo): written with each short transaction of a run, played back
when the run fails or its process dies, dropped when it ends well."""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max, Min

from alternance.core.bulk import insert_rows
from alternance.trainings.models import ImportReport, ImportUndo, StatusChange, Training, TrainingRome, TrainingSession

BATCH_SIZE = 500  # journal entries played back per transaction


def journal_created(report: ImportReport, ids: list[int]) -> None:
    """The run created these courses: undoing it deletes them (with their sessions, ROMEs and history)."""
    insert_rows(ImportUndo, ("report_id", "training_id", "before"), ((report.pk, pk, None) for pk in ids))


def journal_full(report: ImportReport, history_mark: int, ids: list[int], journaled: set[int]) -> None:
    """Journal what these courses are now (fields, sessions, ROMEs) before the batch rewrites them."""
    ids = [pk for pk in ids if pk not in journaled]
    if not ids:
        return
    sessions: dict[int, list] = {}
    for training_id, *row in TrainingSession.objects.filter(training_id__in=ids).values_list(
        "training_id", "id", "external_id", "start_date", "end_date"
    ):
        sessions.setdefault(training_id, []).append(row)
    romes: dict[int, list] = {}
    for training_id, *row in TrainingRome.objects.filter(training_id__in=ids).values_list(
        "training_id", "id", "rome_id"
    ):
        romes.setdefault(training_id, []).append(row)
    fields = [f.attname for f in Training._meta.concrete_fields if not f.primary_key]
    entries = []
    for row in Training.objects.filter(pk__in=ids).values("pk", *fields):
        pk = row.pop("pk")
        row.update(history_mark=history_mark, sessions=sessions.get(pk, []), romes=romes.get(pk, []))
        entries.append(ImportUndo(report=report, training_id=pk, before=row))
    ImportUndo.objects.bulk_create(entries)
    journaled.update(ids)


def journal_status(report: ImportReport, history_mark: int, rows: list[tuple], journaled: set[int]) -> None:
    """Journal the publication status of courses the run did not rewrite, before the rules move them; rows:
    (pk, status, status_rule, status_changed_at)."""
    entries = [
        ImportUndo(
            report=report,
            training_id=pk,
            before={
                "status": status,
                "status_rule": rule,
                "status_changed_at": changed_at,
                "history_mark": history_mark,
            },
        )
        for pk, status, rule, changed_at in rows
        if pk not in journaled
    ]
    ImportUndo.objects.bulk_create(entries)
    journaled.update(e.training_id for e in entries)


def _restore(training_id: int, before: dict) -> None:
    before = dict(before)
    mark = before.pop("history_mark")
    sessions, romes = before.pop("sessions", None), before.pop("romes", None)
    fields = {name: Training._meta.get_field(name).to_python(value) for name, value in before.items()}
    Training.objects.filter(pk=training_id).update(**fields)
    StatusChange.objects.filter(training_id=training_id, id__gt=mark).delete()
    if sessions is not None:
        TrainingSession.objects.filter(training_id=training_id).delete()
        TrainingSession.objects.bulk_create(
            [
                TrainingSession(
                    id=pk,
                    training_id=training_id,
                    external_id=external_id,
                    start_date=dt.date.fromisoformat(start) if start else None,
                    end_date=dt.date.fromisoformat(end) if end else None,
                )
                for pk, external_id, start, end in sessions
            ]
        )
    if romes is not None:
        TrainingRome.objects.filter(training_id=training_id).delete()
        TrainingRome.objects.bulk_create(
            [TrainingRome(id=pk, training_id=training_id, rome_id=code) for pk, code in romes]
        )


def undo_import(report_id: int) -> int:
    """Play a run's undo journal back, newest first, BATCH_SIZE entries per short transaction: the courses it
    created are deleted, the others get back their fields, sessions, ROMEs, status and history. Returns the
    number of entries played."""
    done = 0
    while True:
        with transaction.atomic():
            entries = list(ImportUndo.objects.filter(report_id=report_id).order_by("-id")[:BATCH_SIZE])
            if not entries:
                return done
            Training.objects.filter(pk__in=[e.training_id for e in entries if e.before is None]).delete()
            for entry in entries:
                if entry.before is not None:
                    _restore(entry.training_id, entry.before)
            ImportUndo.objects.filter(pk__in=[e.pk for e in entries]).delete()
        done += len(entries)


def forget_journal(report_id: int) -> None:
    """Drop the journal of a run that ended well (in short deletes: 5,000 ids at a time)."""
    bounds = ImportUndo.objects.filter(report_id=report_id).aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return
    table = connection.ops.quote_name(ImportUndo._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(bounds["low"], bounds["high"] + 1, 5000):
            cursor.execute(
                f"DELETE FROM {table} WHERE report_id = %s AND id >= %s AND id < %s", [report_id, start, start + 5000]
            )


def undo_interrupted_imports() -> int:
    """Undo the runs that failed or died (« échoué », « interrompu ») with a journal left, and drop the journal of
    runs that ended well; returns the number of runs undone. Run at the start of every import (and by
    manage.py clean_lheo_imports)."""
    undone = 0
    report_ids = set(ImportUndo.objects.order_by().values_list("report_id", flat=True).distinct())
    for report_id, state in ImportReport.objects.filter(pk__in=report_ids).values_list("pk", "state"):
        if state == ImportReport.State.SUCCEEDED:
            forget_journal(report_id)
        elif state in (ImportReport.State.FAILED, ImportReport.State.INTERRUPTED):
            undo_import(report_id)
            undone += 1
    return undone
