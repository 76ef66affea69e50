"""One run of an LHEO import (ARCHITECTURE.md, Catalogue import): read and check the whole feed writing nothing,
write what changed in short transactions with an undo journal, then close what left the feed and publish by the
rules. A failure plays the journal back: as seen from outside, a run is all or nothing."""

import contextlib
import itertools
import logging
import pickle
import tempfile
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from alternance.core.bulk import insert_rows, update_rows
from alternance.core.text import normalize
from alternance.organisations import services as organisations
from alternance.organisations.models import Organisation, OrganisationFact, TrainingSite
from alternance.trainings import lheo, lheo_shared, register, rules
from alternance.trainings.counts import ImportCounts
from alternance.trainings.import_journal import (
    forget_journal,
    journal_created,
    journal_full,
    journal_status,
    undo_import,
    undo_interrupted_imports,
)
from alternance.trainings.import_runs import current_worker, display_name, mark_interrupted_imports
from alternance.trainings.lheo_records import RecordChecker
from alternance.trainings.models import ImportReport, StatusChange, Training, TrainingRome, TrainingSession
from alternance.trainings.status import HISTORY_FIELDS, apply_rules_bulk

logger = logging.getLogger(__name__)
MAX_REPORTED_ERRORS = 10_000
BATCH_SIZE = 1000  # records written per short transaction

UPDATED_FIELDS = [
    "title", "description", "certification_id", "diploma_id", "rncp_code", "cfd_code", "level", "formacodes",
    "commune_id", "address", "postcode", "city", "lat", "lon", "geocoded_by_commune", "start_date", "end_date",
    "duration_months", "url", "organisation_id", "trainer_id", "site_id", "content_hash", "feed_hash",
    "last_import_id", "updated_at",
]  # fmt: skip
TRAINING_FIELDS = [f.attname for f in Training._meta.concrete_fields if not f.primary_key]
SITE_FIELDS = [
    "organisation_id", "key", "name", "address", "postcode", "city", "commune_id", "lat", "lon", "siret", "uai",
    "source",
]  # fmt: skip
FACT_FIELDS = ("organisation_id", "field", "value", "source", "observed_on")


class _Site:
    """A training site written by the run: its id (None until inserted) and its values in SITE_FIELDS order (no
    model instance: a national feed has ~100,000 places)."""

    __slots__ = ("pk", "row")

    def __init__(self, pk: int | None, row: list):
        self.pk, self.row = pk, row


class LheoImport(RecordChecker):
    """One run of an LHEO import, writing an ImportReport (the records' checks: lheo_records.RecordChecker)."""

    def __init__(self, *, source: str, filename: str, uploaded_by: str = "", close_missing: bool = True):
        super().__init__(source=source)
        self.filename, self.uploaded_by, self.close_missing = filename, uploaded_by, close_missing
        self.counts = ImportCounts()
        self.errors: list[dict] = []
        self.touched_orgs: set[int] = set()
        self.changed_trainings: list[int] = []
        self.organisations: dict[tuple[str, str], Organisation] = {}
        self.facts: set[tuple] = set()
        self.sites: dict[tuple[int, str], tuple] = {}
        self.sites_loaded: set[int] = set()
        self.pending: list[list] = []  # [values, sessions, ROME codes, new site or None]
        self.pending_sites: list[_Site] = []
        self.changed_sites: dict[int, _Site] = {}
        self.pending_facts: list[tuple] = []

    def run(self, stream, report: ImportReport | None = None) -> ImportReport:
        """Three steps (ARCHITECTURE.md, Catalogue import): read and check the whole file writing nothing (read
        in parallel: writing once the file's structure has passed), then write in short transactions with an
        undo journal, then close and publish; a failure plays the journal back, so the catalogue is as before."""
        if report is None:
            report = ImportReport(source=self.source, filename=self.filename, uploaded_by=self.uploaded_by)
        report.state, report.worker = ImportReport.State.RUNNING, current_worker()
        report.save()  # « en cours », committed before the import writes anything
        self.report = report
        try:
            mark_interrupted_imports()
            undo_interrupted_imports()  # what a dead run of any source left is undone before reading
            self.load()
            self.history_mark = StatusChange.objects.aggregate(mark=Max("id"))["mark"] or 0
            self.journaled: set[int] = set()
            with tempfile.TemporaryFile() as spool, contextlib.ExitStack() as stack:
                # 1. Read and check the whole file; a malformed file stops here, before anything is written.
                feed = lheo.Feed()
                parts = lheo_shared.reader_processes(stream)
                check = None
                if parts > 1:  # a large file, several cores: the formations are validated and read in parallel
                    items, check = self._read_shared(stream, feed, parts, stack)
                    parts = 1 if items is None else parts
                if parts == 1:
                    items = lheo.read(stream, feed, unchanged=self.is_unchanged, salt=self.salt)
                spooled = written = offset = 0
                direct = None  # once the spool is written out (read in parallel): the batch being gathered
                for item in items:
                    if isinstance(item, lheo.Record):
                        self.counts.read += 1
                        prepared = self.prepare(item)
                        if prepared is None:
                            continue
                        if direct is not None:
                            direct.append(prepared)
                            if len(direct) >= BATCH_SIZE:
                                self._write_batch(direct)
                                direct = []
                            continue
                        pickle.dump(prepared, spool, protocol=pickle.HIGHEST_PROTOCOL)
                        spooled += 1
                        # Read in parallel: once the whole file's structure has passed (a tenth of the reading),
                        # nothing can refuse it any more: the spool is written out, then each batch as it comes,
                        # while the readers go on.
                        if check is not None and spooled - written >= BATCH_SIZE and check.passed():
                            offset = self._write_spooled(spool, offset)
                            written, direct = spooled, []
                    elif isinstance(item, lheo.Unchanged):
                        self.counts.read += item.actions
                        self.skip_unchanged(item.feed_hash)
                    elif isinstance(item, lheo.Rejected):
                        self.counts.read += 1
                        self.reject(item.identifier, item.line, item.reason)
                    else:
                        report.lheo_version = item
                if feed.ignored:
                    self.counts.ignored_outside_formations = feed.ignored
                    self.warnings.append(
                        f"{feed.ignored} élément(s) hors des <formation> ignoré(s) : ils ne font pas partie du "
                        "standard LHEO à cet endroit."
                    )
                # 2. Write what changed, BATCH_SIZE records per short transaction, each with its undo journal.
                self._write_spooled(spool, offset)
                self._write_batch(direct or [])
            self._write_feed_hashes()
            # 3. Close what left the feed, derive the register facts, publish by the rules (short transactions).
            if self.close_missing:
                self._close_missing()
            register.refresh_register(self.touched_orgs)  # derived facts, recomputed by every run: autocommit
            self._apply_rules()
        except Exception as error:
            if isinstance(error, lheo.FeedError):
                message, line = error.message, error.line
            else:  # a crash: the journal is played back, the report says so (without the details)
                logger.error("Import LHEO n° %s : %s", report.pk, type(error).__name__)
                message, line = "Erreur interne pendant l'import : rien n'a été importé. Réessayez plus tard.", None
            report.state = ImportReport.State.FAILED
            report.fatal_error, report.fatal_line = message, line
            report.counts = ImportCounts(read=self.counts.read).as_json()
            report.errors, report.warnings = self.errors[:MAX_REPORTED_ERRORS], self.warnings
            report.finished_at = timezone.now()
            report.save()  # « échoué » first: a kill during the undo leaves a run that the next one undoes
            try:
                undo_import(report.pk)
            except Exception as undo_error:  # left in the journal: the next run (or clean_lheo_imports) undoes it
                logger.error("Import LHEO n° %s : annulation inachevée (%s)", report.pk, type(undo_error).__name__)
            if isinstance(error, OSError):  # the file cannot be opened: the caller says so
                raise
            return report
        report.state = ImportReport.State.SUCCEEDED  # the commit point of the run
        report.counts = self.counts.as_json()
        report.errors, report.warnings = self.errors[:MAX_REPORTED_ERRORS], self.warnings
        report.finished_at = timezone.now()
        report.save()
        forget_journal(report.pk)
        return report

    def _read_shared(self, path, feed: lheo.Feed, parts: int, stack: contextlib.ExitStack):
        """(items, structure check): a lheo_shared.SharedRead started (closed with the run), or (None, None) when its
        processes cannot start or die before reading (no process allowed, resources): the file is then read in this
        process."""
        try:
            shared = lheo_shared.SharedRead(path, feed, known=self.skippable(), salt=self.salt, parts=parts)
        except (OSError, RuntimeError) as error:
            logger.warning("Import LHEO n° %s : lecture dans le processus (%s)", self.report.pk, error)
            return None, None
        stack.callback(shared.close)
        items = iter(shared)
        try:
            version = next(items)
        except (OSError, RuntimeError) as error:
            logger.warning("Import LHEO n° %s : lecture dans le processus (%s)", self.report.pk, error)
            shared.close()
            return None, None
        return itertools.chain([version], items), shared.check

    def _write_spooled(self, spool, offset: int) -> int:
        """Write the prepared records spooled from `offset` on, BATCH_SIZE per short transaction; returns the
        offset reached (the spool's end, where step 1 goes on appending)."""
        end = spool.tell()
        spool.seek(offset)
        batch = []
        for prepared in _unspool(spool):
            batch.append(prepared)
            if len(batch) >= BATCH_SIZE:
                self._write_batch(batch)
                batch = []
        self._write_batch(batch)
        spool.seek(end)
        return end

    def reject(self, identifier: str, line: int, reason: str) -> None:
        self.counts.rejected += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"id": identifier, "line": line, "reason": reason})

    def skip_unchanged(self, feed_hash: str) -> None:
        """A formation whose bytes are those of known courses: they are seen, unchanged."""
        for external_id in self.by_feed_hash[feed_hash]:
            self.seen.add(external_id)
            self.count_unchanged(self.existing[external_id])

    def count_unchanged(self, known: tuple) -> None:
        self.counts.unchanged += 1
        self.touched_orgs.add(known[3])
        if known[4]:
            self.touched_orgs.add(known[4])

    # -- step 2: the writes --

    def _organisation(self, organism: lheo.Organism, nature_hint: str) -> Organisation:
        organisation = self.organisations[(organism.siret, organism.uai)]  # found by _find_organisations
        self.touched_orgs.add(organisation.pk)
        for field, value, source in (
            (OrganisationFact.Field.SIRET, organism.siret, self.fact_source),
            (OrganisationFact.Field.UAI, organism.uai, self.fact_source),
            (OrganisationFact.Field.UAI, organism.uai_from_mail, f"{self.fact_source}:courriel"[:64]),
            (OrganisationFact.Field.NAME, organism.name, self.fact_source),
            (OrganisationFact.Field.NATURE, nature_hint, self.fact_source),
        ):
            if value and (organisation.pk, field, value, source) not in self.facts:
                self.facts.add((organisation.pk, field, value, source))
                self.pending_facts.append((organisation.pk, field, str(value)[:255], source))
        return organisation

    def _find_organisations(self, organisms: list[lheo.Organism]) -> None:
        """The organisations of these organisms not met yet in the run: found or created all at once."""
        wanted: dict[tuple[str, str], lheo.Organism] = {}
        for organism in organisms:
            key = (organism.siret, organism.uai)
            if key not in self.organisations and key not in wanted:
                wanted[key] = organism
        items = []
        for organism in wanted.values():
            insee, lat, lon, _ = self.refs.locate(organism.place)
            place = organism.place or lheo.Place()
            items.append(
                {
                    "siret": organism.siret,
                    "uai": organism.uai,
                    "name": organism.name or organism.siret,
                    "defaults": {
                        "address": place.address,
                        "postcode": place.postcode,
                        "city": place.city,
                        "commune_id": insee,
                        "lat": lat,
                        "lon": lon,
                    },
                }
            )
        found = organisations.find_or_create_many(items, source=self.fact_source) if items else []
        self.organisations.update(zip(wanted, found, strict=True))

    def _flush_facts(self) -> None:
        """organisations.record_fact for the batch's new facts: one read, one insert, one update."""
        if not self.pending_facts:
            return
        today = timezone.localdate()
        known = {
            row[1:5]: (row[0], row[5])
            for row in OrganisationFact.objects.filter(
                organisation_id__in={fact[0] for fact in self.pending_facts}
            ).values_list("pk", "organisation_id", "field", "value", "source", "observed_on")
        }
        new, older = {}, []
        for fact in self.pending_facts:
            if fact not in known:
                new[fact] = (*fact, today)
            elif known[fact][1] < today:
                older.append(known[fact][0])
        insert_rows(OrganisationFact, FACT_FIELDS, new.values())
        if older:
            OrganisationFact.objects.filter(pk__in=older).update(observed_on=today)
        self.pending_facts = []

    def _load_sites(self, organisation_ids: set[int]) -> None:
        """The known training sites of these organisations, one query for a batch."""
        wanted = organisation_ids - self.sites_loaded
        if not wanted:
            return
        self.sites_loaded |= wanted
        for organisation_id, key, *row in TrainingSite.objects.filter(organisation_id__in=wanted).values_list(
            "organisation_id", "key", "pk", "name", "address", "commune_id", "lat", "lon"
        ):
            self.sites[(organisation_id, key)] = tuple(row)

    def _site(self, organisation: Organisation, place: lheo.Place | None, locate):
        """The training site of this place: its id when known and unchanged, else a site written with the batch."""
        if place is None or not (place.address or place.city or place.insee):
            return None
        insee, lat, lon, _ = locate
        key = place.key or normalize(f"{place.address} {place.postcode} {place.city}")[:255]
        cache_key = (organisation.pk, key)
        known = self.sites.get(cache_key)
        wanted = (place.name, place.address, insee, lat, lon)
        if known is not None and known[1:] == wanted:
            return known[0]  # an id, or a site waiting in the batch
        site = _Site(
            known[0] if known is not None and isinstance(known[0], int) else None,
            [organisation.pk, key, place.name, place.address, place.postcode, place.city, insee, lat, lon]
            + [place.siret, place.uai, self.fact_source],
        )
        if site.pk is not None:  # a known place that changed: rewritten with the batch (the last values win)
            self.changed_sites[site.pk] = site
            self.sites[cache_key] = (site.pk, *wanted)
            return site.pk
        if known is not None:  # a place waiting in the batch, changed: the last values win
            self.pending_sites[self.pending_sites.index(known[0])] = site
            for pending in self.pending:
                if pending[3] is known[0]:
                    pending[3] = site
        else:
            self.pending_sites.append(site)
        self.sites[cache_key] = (site, *wanted)  # plain tuples: a national feed has ~100,000 places
        return site

    def _write_batch(self, batch: list) -> None:
        """Write a batch of prepared records in one short transaction, with the undo journal of its courses."""
        if not batch:
            return
        with transaction.atomic():
            known = [
                self.existing[record.external_id][0] for record, *_ in batch if record.external_id in self.existing
            ]
            trainings = Training.objects.in_bulk(known) if known else {}
            journal_full(self.report, self.history_mark, list(trainings), self.journaled)
            self._find_organisations(
                [o for record, *_ in batch for o in (record.responsible, record.trainer) if o is not None]
            )
            owners = []
            for record, *_ in batch:  # the organisations first, in reading order (their facts too)
                responsible = self._organisation(record.responsible, "responsable")
                trainer = self._organisation(record.trainer, "formateur") if record.trainer else responsible
                owners.append((responsible, trainer))
            self._load_sites({trainer.pk for _, trainer in owners})
            updated = []
            for (record, values, digest, romes, located), (responsible, trainer) in zip(batch, owners, strict=True):
                training = self._write(record, values, digest, romes, located, trainings, responsible, trainer)
                if training is not None:
                    updated.append((training, record.sessions, romes))
            self._flush()
            self._flush_facts()
            if updated:
                update_rows(
                    Training,
                    UPDATED_FIELDS,
                    ([getattr(t, f) for f in UPDATED_FIELDS] + [t.pk] for t, _, _ in updated),
                )
                ids = [t.pk for t, _, _ in updated]
                TrainingSession.objects.filter(training_id__in=ids).delete()
                TrainingRome.objects.filter(training_id__in=ids).delete()
                self._insert_children([(t.pk, sessions, romes) for t, sessions, romes in updated])
                self.changed_trainings += ids

    def _write(self, record, values, digest, romes, located, trainings, responsible, trainer) -> Training | None:
        """Write one prepared record: a new course waits in the batch; a known one is returned to be updated."""
        known = self.existing.get(record.external_id)
        training = trainings[known[0]] if known is not None else None
        site = self._site(trainer, record.place, located)
        if isinstance(site, _Site) and training is not None:
            self._flush_sites()  # its id, now
        values.update(
            organisation_id=responsible.pk,
            trainer_id=trainer.pk,
            site_id=site if isinstance(site, int) or site is None else None,
            content_hash=digest,
            last_import_id=self.report.pk,
        )
        if training is None:  # new courses are written in batches (bulk inserts)
            values["external_id"] = record.external_id
            self.pending.append([values, record.sessions, romes, site if isinstance(site, _Site) else None])
            self.counts.created += 1
            return None
        for key, value in values.items():
            setattr(training, key, value)
        if isinstance(site, _Site):
            training.site_id = site.pk
        training.updated_at = timezone.now()  # bulk_update leaves auto_now alone
        self.counts.updated += 1
        return training

    def _flush_sites(self) -> None:
        if self.changed_sites:
            update_rows(TrainingSite, SITE_FIELDS, ([*s.row, s.pk] for s in self.changed_sites.values()))
            self.changed_sites = {}
        if not self.pending_sites:
            return
        mark = _last_id(TrainingSite)
        insert_rows(TrainingSite, SITE_FIELDS, (s.row for s in self.pending_sites))
        # The new rows' ids: above the mark (another writer's rows there have other keys: the pair is unique).
        pending = {(s.row[0], s.row[1]): s for s in self.pending_sites}
        for organisation_id, key, pk in TrainingSite.objects.filter(pk__gt=mark).values_list(
            "organisation_id", "key", "pk"
        ):
            site = pending.get((organisation_id, key))
            if site is not None:
                site.pk = pk
                self.sites[(organisation_id, key)] = (pk, *self.sites[(organisation_id, key)][1:])
        self.pending_sites = []

    def _flush(self) -> None:
        """Insert the pending new courses with their sites, sessions, ROMEs, first history row and journal."""
        self._flush_sites()
        if not self.pending:
            return
        now = timezone.now()
        defaults = {f.attname: f.get_default() for f in Training._meta.concrete_fields if not f.primary_key}
        defaults.update(
            created_at=now,
            updated_at=now,
            status=Training.Status.TO_CHECK,
            source=self.source,
            is_demo=False,
            status_rule="",
            status_changed_at=None,
        )
        rows = []
        for values, _, _, site in self.pending:
            if site is not None:
                values["site_id"] = site.pk
            row = {**defaults, **values}
            rows.append([row[f] for f in TRAINING_FIELDS])
        mark = _last_id(Training)
        insert_rows(Training, TRAINING_FIELDS, rows)
        external_ids = [row[TRAINING_FIELDS.index("external_id")] for row in rows]
        ids = dict(
            Training.objects.filter(pk__gt=mark, source=self.source, last_import=self.report).values_list(
                "external_id", "pk"
            )
        )
        created = [ids[external_id] for external_id in external_ids]
        journal_created(self.report, created)
        self.journaled.update(created)
        self._insert_children(
            [(pk, sessions, romes) for pk, (_, sessions, romes, _) in zip(created, self.pending, strict=True)]
        )
        insert_rows(
            StatusChange,
            HISTORY_FIELDS,
            ((pk, "", Training.Status.TO_CHECK, rules.IMPORTED, "Importée du flux.", None, now) for pk in created),
        )
        self.changed_trainings += created
        self.pending = []

    @staticmethod
    def _insert_children(courses: list[tuple[int, list, list[str]]]) -> None:
        """The sessions and ROMEs of (course id, sessions, ROME codes)."""
        insert_rows(
            TrainingSession,
            ("training_id", "external_id", "start_date", "end_date"),
            ((pk, s.external_id, s.start, s.end) for pk, sessions, _ in courses for s in sessions),
        )
        insert_rows(
            TrainingRome,
            ("training_id", "rome_id"),
            ((pk, code) for pk, _, romes in courses for code in dict.fromkeys(romes)),
        )

    def _write_feed_hashes(self) -> None:
        """Courses found unchanged by their content whose formation's bytes changed (or were never hashed): their
        new digest, so that the next run skips them. A cache, not catalogue data: no journal."""
        for start in range(0, len(self.rehash), 5000):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {Training._meta.db_table} SET feed_hash = %s WHERE id = %s",
                    [(feed_hash, pk) for pk, feed_hash in self.rehash[start : start + 5000]],
                )

    # -- step 3: closing and publishing --

    def _close_missing(self) -> None:
        open_rows = Training.objects.from_source(self.source).exclude(status=Training.Status.CLOSED)
        missing = [pk for pk, external_id in open_rows.values_list("pk", "external_id") if external_id not in self.seen]
        for start in range(0, len(missing), BATCH_SIZE):
            with transaction.atomic():
                rows = list(
                    Training.objects.filter(pk__in=missing[start : start + BATCH_SIZE]).values_list(
                        "pk", "status", "status_rule", "status_changed_at", "organisation_id"
                    )
                )
                journal_status(self.report, self.history_mark, [row[:4] for row in rows], self.journaled)
                apply_rules_bulk([row[0] for row in rows], in_feed=False)
            self.touched_orgs.update(row[4] for row in rows)
            self.counts.closed += len(rows)

    def _apply_rules(self) -> None:
        for start in range(0, len(self.changed_trainings), BATCH_SIZE):
            with transaction.atomic():  # journaled when written (step 2)
                apply_rules_bulk(self.changed_trainings[start : start + BATCH_SIZE])


def _last_id(model) -> int:
    return model.objects.aggregate(last=Max("pk"))["last"] or 0


def _unspool(spool):
    """The prepared records pickled by step 1, one at a time."""
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


def import_lheo(path_or_stream, *, source: str = "lheo", filename: str = "", uploaded_by: str = "") -> ImportReport:
    """Import an LHEO feed (path or binary stream) now; see LheoImport. Returns the saved ImportReport."""
    name = filename or str(
        path_or_stream if not hasattr(path_or_stream, "read") else getattr(path_or_stream, "name", "flux")
    )
    return LheoImport(source=source, filename=display_name(name), uploaded_by=uploaded_by).run(path_or_stream)


def run_queued_import(report_id: int, path: str) -> ImportReport | None:
    """The background part of import_runs.queue_lheo_import (called by the task)."""
    report = ImportReport.objects.filter(pk=report_id, state=ImportReport.State.PENDING).first()
    try:
        if report is None:
            return None
        return LheoImport(source=report.source, filename=report.filename, uploaded_by=report.uploaded_by).run(
            path, report=report
        )
    finally:
        Path(path).unlink(missing_ok=True)
