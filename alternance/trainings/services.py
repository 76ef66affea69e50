"""Writes of the training catalogue: LHEO import, publication statuses and their history."""

import datetime as dt
import hashlib
import json
import logging
import os
import pickle
import socket
import tempfile
import uuid
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from alternance.core.text import normalize
from alternance.organisations import services as organisations
from alternance.organisations.models import Organisation, OrganisationFact, TrainingSite
from alternance.reference.models import Certification, Commune, Diploma, RomeOccupation
from alternance.trainings import lheo, register, rules, workflow
from alternance.trainings.counts import ImportCounts
from alternance.trainings.models import ImportReport, ImportUndo, StatusChange, Training, TrainingRome, TrainingSession

logger = logging.getLogger(__name__)
MAX_REPORTED_ERRORS = 10_000
BATCH_SIZE = 500


# --- Publication status -------------------------------------------------------------------------------


def change_status(training: Training, target: str, *, rule: str, reason: str = "", actor=None) -> list[StatusChange]:
    """Move a training to target through the transition table, one history row per step."""
    steps = workflow.path(training.status, target)
    changes = []
    now = timezone.now()
    for transition, reached in steps:
        changes.append(
            StatusChange(
                training=training,
                from_status=training.status,
                to_status=reached,
                rule=rule,
                reason=reason or transition.value,
                actor=actor,
            )
        )
        training.status = reached
    if changes:
        StatusChange.objects.bulk_create(changes)
        training.status_rule, training.status_changed_at = rule, now
        Training.objects.filter(pk=training.pk).update(status=training.status, status_rule=rule, status_changed_at=now)
    return changes


def training_facts(training: Training, *, in_feed: bool = True, today: dt.date | None = None) -> dict:
    """The facts the publication rules read (see trainings.rules)."""
    today = today or timezone.localdate()
    certification = training.certification
    expired = bool(
        certification
        and ((certification.expires_on and certification.expires_on < today) or not certification.is_active)
    )
    return {
        "in_feed": in_feed,
        "rncp_known": certification is not None,
        "rncp_expired": expired,
        "apprenticeship": certification.apprenticeship if certification else None,
        "has_certification": bool(certification or training.diploma_id or training.rncp_code or training.cfd_code),
        "sessions_over": bool(training.end_date and training.end_date < today),
        "has_place": training.commune_id is not None or training.lat is not None,
        "organisation_verdict": training.organisation.quality_verdict,
    }


def apply_rules(training: Training, *, in_feed: bool = True, actor=None) -> rules.Rule:
    """Set the status the first matching rule asks for, recording the rule in the history."""
    rule = rules.decide(training_facts(training, in_feed=in_feed))
    if rule.status != training.status:
        change_status(training, rule.status, rule=rule.code, reason=rule.reason, actor=actor)
    return rule


def apply_rules_bulk(trainings, *, in_feed: bool = True) -> dict[str, int]:
    """apply_rules for many trainings: one history insert and one update per (status, rule); counts per rule."""
    now = timezone.now()
    changes: list[StatusChange] = []
    groups: dict[tuple[str, str], list[int]] = {}
    counts: dict[str, int] = {}
    for training in trainings:
        rule = rules.decide(training_facts(training, in_feed=in_feed))
        counts[rule.code] = counts.get(rule.code, 0) + 1
        if rule.status == training.status:
            continue
        status = training.status
        for _transition, reached in workflow.path(status, rule.status):
            changes.append(
                StatusChange(
                    training=training, from_status=status, to_status=reached, rule=rule.code, reason=rule.reason
                )
            )
            status = reached
        groups.setdefault((rule.status, rule.code), []).append(training.pk)
    StatusChange.objects.bulk_create(changes, batch_size=1000)
    for (status, code), ids in groups.items():
        Training.objects.filter(pk__in=ids).update(status=status, status_rule=code, status_changed_at=now)
    return counts


def apply_rules_to_all(queryset=None) -> dict[str, int]:
    """Re-evaluate the rules on imported trainings (after the rules table changed); counts per rule."""
    counts: dict[str, int] = {}
    qs = (queryset if queryset is not None else Training.objects.exclude(last_import=None)).select_related(
        "certification", "organisation"
    )
    ids = list(qs.exclude(status_rule__in=[rules.ABSENT_FROM_FEED, rules.MANUAL]).values_list("pk", flat=True))
    for start in range(0, len(ids), 1000):
        chunk = qs.filter(pk__in=ids[start : start + 1000])
        for code, count in apply_rules_bulk(chunk).items():
            counts[code] = counts.get(code, 0) + count
    return counts


def decide_manually(training: Training, target: str, *, actor, reason: str) -> list[StatusChange]:
    """A staff decision (publish, reject...) recorded with the rule « manuel »."""
    return change_status(training, target, rule=rules.MANUAL, reason=reason, actor=actor)


# --- LHEO import ---------------------------------------------------------------------------------------


class _Referentials:
    """In-memory lookups for one import run (a national feed touches each code many times)."""

    def __init__(self):
        self.certifications: dict[str, Certification] = {}
        self.diplomas: dict[str, Diploma] = {}
        self.certifications_loaded = self.diplomas_loaded = False
        self.certification_count = Certification.objects.count()
        self.diploma_count = Diploma.objects.count()
        self.romes = set(RomeOccupation.objects.values_list("code", flat=True))
        self.communes: dict[str, tuple] = {}
        self.by_postcode_name: dict[tuple[str, str], str] = {}
        self.by_postcode: dict[str, list[str]] = {}
        self.by_departement_name: dict[tuple[str, str], str | None] = {}
        for insee, lat, lon, postcodes, search_name, departement in Commune.objects.values_list(
            "insee", "lat", "lon", "postcodes", "search_name", "departement_code"
        ):
            self.communes[insee] = (lat, lon)
            key = (departement, search_name)
            self.by_departement_name[key] = None if key in self.by_departement_name else insee
            for postcode in postcodes.split():
                self.by_postcode_name[(postcode, search_name)] = insee
                self.by_postcode.setdefault(postcode, []).append(insee)
        self.certification_romes: dict[str, list[str]] = {}
        self.certification_diploma: dict[str, str | None] = {}

    def certification(self, code: str) -> Certification | None:
        if not self.certifications_loaded:  # the whole referential once: a national feed cites thousands
            self.certifications_loaded = True
            self.certifications.update(Certification.objects.in_bulk())
        return self.certifications.get(code)

    def diploma(self, code: str) -> Diploma | None:
        if not self.diplomas_loaded:
            self.diplomas_loaded = True
            self.diplomas.update(Diploma.objects.in_bulk())
        return self.diplomas.get(code)

    def romes_of(self, certification: Certification) -> list[str]:
        if certification.pk not in self.certification_romes:
            self.certification_romes[certification.pk] = list(certification.romes.values_list("code", flat=True))
        return self.certification_romes[certification.pk]

    def diploma_of(self, certification: Certification) -> str | None:
        """The CFD of a certification when exactly one diploma carries it (kit apprentissage)."""
        if not self.certification_diploma:
            cfds: dict[str, list[str]] = {}
            for cfd, code in Diploma.certifications.through.objects.values_list("diploma_id", "certification_id"):
                cfds.setdefault(code, []).append(cfd)
            self.certification_diploma = {code: found[0] if len(found) == 1 else None for code, found in cfds.items()}
            self.certification_diploma[""] = None  # loaded, even when no diploma carries a certification
        return self.certification_diploma.get(certification.pk)

    def locate(self, place: lheo.Place | None) -> tuple[str | None, float | None, float | None, bool]:
        """(INSEE code, lat, lon, geocoded_by_commune): the feed's coordinates, else the commune's centroid."""
        if place is None:
            return None, None, None, False
        insee = place.insee if place.insee in self.communes else None
        if insee is None and place.postcode:
            insee = self.by_postcode_name.get((place.postcode, normalize(place.city)))
            if insee is None and len(self.by_postcode.get(place.postcode, [])) == 1:
                insee = self.by_postcode[place.postcode][0]
            if insee is None and place.city:  # CEDEX postcodes: the name within the département
                departement = place.postcode[:3] if place.postcode.startswith("97") else place.postcode[:2]
                if departement == "20":
                    departement = "2A" if place.postcode < "20200" else "2B"
                insee = self.by_departement_name.get((departement, normalize(place.city)))
        if place.lat is not None and place.lon is not None:
            return insee, place.lat, place.lon, False
        if insee:
            lat, lon = self.communes[insee]
            return insee, lat, lon, lat is not None
        return None, None, None, False


def _url(value: str) -> str:
    if value and "://" not in value:
        value = "https://" + value
    return value[:500]


def _months(start: dt.date | None, end: dt.date | None) -> int | None:
    if not start or not end:
        return None
    return max(1, round((end - start).days / 30.44))


class LheoImport:
    """One run of an LHEO import, writing an ImportReport."""

    def __init__(self, *, source: str, filename: str, uploaded_by: str = "", close_missing: bool = True):
        self.source, self.filename, self.uploaded_by, self.close_missing = source, filename, uploaded_by, close_missing
        self.fact_source = f"lheo:{source}"[:64]
        self.counts = ImportCounts()
        self.errors: list[dict] = []
        self.warnings: list[str] = []
        self.seen: set[str] = set()
        self.touched_orgs: set[int] = set()
        self.changed_trainings: list[int] = []
        self.organisations: dict[tuple[str, str], Organisation] = {}
        self.facts: set[tuple] = set()
        self.sites: dict[tuple[int, str], tuple] = {}
        self.sites_loaded: set[int] = set()
        self.pending: list[tuple[Training, list, list[str]]] = []
        self.pending_sites: list[TrainingSite] = []
        self.pending_facts: list[tuple] = []

    def run(self, stream, report: ImportReport | None = None) -> ImportReport:
        """Three steps (ARCHITECTURE.md, Catalogue import): read and check the whole file writing nothing, then
        write in short transactions with an undo journal, then close and publish; a failure plays the journal
        back, so the catalogue is as before."""
        if report is None:
            report = ImportReport(source=self.source, filename=self.filename, uploaded_by=self.uploaded_by)
        report.state, report.worker = ImportReport.State.RUNNING, current_worker()
        report.save()  # « en cours », committed before the import writes anything
        self.report = report
        try:
            mark_interrupted_imports()
            undo_interrupted_imports()  # what a dead run of any source left is undone before reading
            self.refs = _Referentials()
            self.existing = {
                row[0]: row[1:]
                for row in Training.objects.from_source(self.source).values_list(
                    "external_id", "pk", "content_hash", "status_rule", "organisation_id", "trainer_id"
                )
            }
            self.history_mark = StatusChange.objects.aggregate(mark=Max("id"))["mark"] or 0
            self.journaled: set[int] = set()
            if not self.refs.certification_count:
                self.warnings.append("Le référentiel RNCP n'est pas chargé : les codes RNCP ne sont pas vérifiés.")
            with tempfile.TemporaryFile() as spool:
                # 1. Read and check the whole file, writing nothing: a malformed file stops here.
                feed = lheo.Feed()
                for item in lheo.read(stream, feed):
                    if isinstance(item, str):
                        report.lheo_version = item
                        continue
                    self.counts.read += 1
                    if isinstance(item, lheo.Rejected):
                        self._reject(item.identifier, item.line, item.reason)
                    else:
                        prepared = self._prepare(item)
                        if prepared is not None:
                            pickle.dump(prepared, spool, protocol=pickle.HIGHEST_PROTOCOL)
                if feed.ignored:
                    self.counts.ignored_outside_formations = feed.ignored
                    self.warnings.append(
                        f"{feed.ignored} élément(s) hors des <formation> ignoré(s) : ils ne font pas partie du "
                        "standard LHEO à cet endroit."
                    )
                # 2. Write what changed, BATCH_SIZE records per short transaction, each with its undo journal.
                spool.seek(0)
                batch = []
                for prepared in _unspool(spool):
                    batch.append(prepared)
                    if len(batch) >= BATCH_SIZE:
                        self._write_batch(batch)
                        batch = []
                self._write_batch(batch)
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

    def _reject(self, identifier: str, line: int, reason: str) -> None:
        self.counts.rejected += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append({"id": identifier, "line": line, "reason": reason})

    # -- one record --

    def _check(self, record: lheo.Record) -> tuple[list[str], Certification | None, Diploma | None]:
        errors = list(record.errors)
        if record.responsible is None:
            errors.append("L'organisme responsable est absent.")
        certification = diploma = None
        if record.rncp:
            certification = self.refs.certification(record.rncp)
            if certification is None and self.refs.certification_count:
                errors.append(f"Le code RNCP « {record.rncp} » n'existe pas au Répertoire national (RNCP).")
        if record.cfd:
            diploma = self.refs.diploma(record.cfd)
            if diploma is None and self.refs.diploma_count:
                errors.append(f"Le code diplôme « {record.cfd} » n'existe pas dans la Base centrale des nomenclatures.")
        if record.external_id in self.seen:
            errors.append(f"L'action « {record.external_id} » apparaît deux fois dans le flux.")
        return errors, certification, diploma

    def _organisation(self, organism: lheo.Organism, nature_hint: str) -> Organisation:
        key = (organism.siret, organism.uai)
        organisation = self.organisations.get(key)
        if organisation is None:
            insee, lat, lon, _ = self.refs.locate(organism.place)
            place = organism.place or lheo.Place()
            organisation = organisations.find_or_create(
                siret=organism.siret,
                uai=organism.uai,
                name=organism.name or organism.siret,
                source=self.fact_source,
                defaults={
                    "address": place.address,
                    "postcode": place.postcode,
                    "city": place.city,
                    "commune_id": insee,
                    "lat": lat,
                    "lon": lon,
                },
            )
            self.organisations[key] = organisation
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
                new[fact] = OrganisationFact(
                    organisation_id=fact[0], field=fact[1], value=fact[2], source=fact[3], observed_on=today
                )
            elif known[fact][1] < today:
                older.append(known[fact][0])
        OrganisationFact.objects.bulk_create(new.values())
        OrganisationFact.objects.filter(pk__in=older).update(observed_on=today)
        self.pending_facts = []

    def _site(self, organisation: Organisation, place: lheo.Place | None, locate):
        """The training site of this place: its id when known and unchanged, else a site written with the batch."""
        if place is None or not (place.address or place.city or place.insee):
            return None
        insee, lat, lon, _ = locate
        key = place.key or normalize(f"{place.address} {place.postcode} {place.city}")[:255]
        if organisation.pk not in self.sites_loaded:  # one query per organisation for its known sites
            self.sites_loaded.add(organisation.pk)
            for row in TrainingSite.objects.filter(organisation=organisation).values_list(
                "key", "pk", "name", "address", "commune_id", "lat", "lon"
            ):
                self.sites[(organisation.pk, row[0])] = row[1:]
        cache_key = (organisation.pk, key)
        known = self.sites.get(cache_key)
        wanted = (place.name, place.address, insee, lat, lon)
        if known is not None and known[1:] == wanted:
            return known[0]  # an id, or a site waiting in the batch
        site = TrainingSite(
            pk=known[0] if known is not None and isinstance(known[0], int) else None,
            organisation=organisation,
            key=key,
            name=place.name,
            address=place.address,
            postcode=place.postcode,
            city=place.city,
            commune_id=insee,
            lat=lat,
            lon=lon,
            siret=place.siret,
            uai=place.uai,
            source=self.fact_source,
        )
        if site.pk is not None:  # a known place that changed
            site.save()
            self.sites[cache_key] = (site.pk, *wanted)
            return site.pk
        self.pending_sites.append(site)
        self.sites[cache_key] = (site, *wanted)  # plain tuples: a national feed has ~100,000 places
        return site

    def _prepare(self, record: lheo.Record):
        """Check one record and compute what it would write (reads only); None when rejected or unchanged."""
        errors, certification, diploma = self._check(record)
        if errors:
            self._reject(record.external_id, record.line, " ; ".join(errors))
            return None
        self.seen.add(record.external_id)
        if diploma is None and certification is not None:
            cfd = self.refs.diploma_of(certification)
            diploma = self.refs.diploma(cfd) if cfd else None
        romes = [code for code in record.romes if code in self.refs.romes]
        unknown_romes = [code for code in record.romes if code not in self.refs.romes]
        if unknown_romes and self.refs.romes:
            self.warnings.append(f"{record.external_id} : codes ROME inconnus ignorés : {', '.join(unknown_romes)}.")
        if not romes and certification is not None:
            romes = self.refs.romes_of(certification)
        level = (certification.level if certification else None) or (diploma.level if diploma else None) or record.level
        located = self.refs.locate(record.place or (record.trainer or record.responsible).place)
        insee, lat, lon, geocoded = located
        starts = [s.start for s in record.sessions if s.start]
        ends = [s.end for s in record.sessions if s.end]
        start, end = (min(starts) if starts else None), (max(ends) if ends else None)
        place = record.place or lheo.Place()
        values = {
            "title": record.title,
            "description": record.description,
            "certification_id": certification.pk if certification else None,
            "diploma_id": diploma.pk if diploma else None,
            "rncp_code": record.rncp,
            "cfd_code": record.cfd or (diploma.pk if diploma else ""),
            "level": level,
            "formacodes": " ".join(record.formacodes)[:255],
            "commune_id": insee,
            "address": place.address,
            "postcode": place.postcode,
            "city": place.city,
            "lat": lat,
            "lon": lon,
            "geocoded_by_commune": geocoded,
            "start_date": start,
            "end_date": end,
            "duration_months": _months(start, end),
            "url": _url(record.url),
        }
        digest_input = {
            **values,
            "romes": sorted(romes),
            "sessions": [asdict(s) for s in record.sessions],
            "responsible": asdict(record.responsible),
            "trainer": asdict(record.trainer) if record.trainer else None,
            "place": asdict(place),
        }
        digest = hashlib.sha256(json.dumps(digest_input, sort_keys=True, default=str).encode()).hexdigest()
        known = self.existing.get(record.external_id)
        if known is not None:
            pk, known_digest, known_rule, organisation_id, trainer_id = known
            if known_digest == digest and known_rule != rules.ABSENT_FROM_FEED:
                self.counts.unchanged += 1
                self.touched_orgs.add(organisation_id)
                if trainer_id:
                    self.touched_orgs.add(trainer_id)
                return None
        return record, values, digest, romes, located

    def _write_batch(self, batch: list) -> None:
        """Write a batch of prepared records in one short transaction, with the undo journal of its courses."""
        if not batch:
            return
        with transaction.atomic():
            known = [
                self.existing[record.external_id][0] for record, *_ in batch if record.external_id in self.existing
            ]
            trainings = Training.objects.in_bulk(known)
            self._journal_full(list(trainings))
            updated = []
            for record, values, digest, romes, located in batch:
                training = self._write(record, values, digest, romes, located, trainings)
                if training is not None:
                    updated.append((training, record.sessions, romes))
            self._flush()
            self._flush_facts()
            if updated:
                Training.objects.bulk_update([t for t, _, _ in updated], UPDATED_FIELDS)
                ids = [t.pk for t, _, _ in updated]
                TrainingSession.objects.filter(training_id__in=ids).delete()
                TrainingRome.objects.filter(training_id__in=ids).delete()
                TrainingSession.objects.bulk_create(
                    [
                        TrainingSession(training=t, external_id=s.external_id, start_date=s.start, end_date=s.end)
                        for t, sessions, _ in updated
                        for s in sessions
                    ]
                )
                TrainingRome.objects.bulk_create(
                    [TrainingRome(training=t, rome_id=code) for t, _, romes in updated for code in dict.fromkeys(romes)]
                )
                self.changed_trainings += ids

    def _write(self, record, values, digest, romes, located, trainings) -> Training | None:
        """Write one prepared record: a new course waits in the batch; a known one is returned to be updated."""
        known = self.existing.get(record.external_id)
        training = trainings[known[0]] if known is not None else None
        responsible = self._organisation(record.responsible, "responsable")
        trainer = self._organisation(record.trainer, "formateur") if record.trainer else responsible
        site = self._site(trainer, record.place, located)
        if isinstance(site, TrainingSite) and training is not None:
            self._flush_sites()
        values.update(
            organisation=responsible,
            trainer=trainer,
            site_id=site if isinstance(site, int) or site is None else None,
            content_hash=digest,
            last_import=self.report,
        )
        if training is None:  # new courses are written in batches (bulk inserts)
            training = Training(
                source=self.source, external_id=record.external_id, status=Training.Status.TO_CHECK, **values
            )
            if isinstance(site, TrainingSite):
                training.site = site  # saved with the batch, before the course
            self.pending.append((training, record.sessions, romes))
            self.counts.created += 1
            return None
        for key, value in values.items():
            setattr(training, key, value)
        if isinstance(site, TrainingSite):
            training.site = site
        training.updated_at = timezone.now()  # bulk_update leaves auto_now alone
        self.counts.updated += 1
        return training

    def _journal_full(self, ids: list[int]) -> None:
        """Journal what these courses are now (fields, sessions, ROMEs) before the batch rewrites them."""
        ids = [pk for pk in ids if pk not in self.journaled]
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
            row.update(history_mark=self.history_mark, sessions=sessions.get(pk, []), romes=romes.get(pk, []))
            entries.append(ImportUndo(report=self.report, training_id=pk, before=row))
        ImportUndo.objects.bulk_create(entries)
        self.journaled.update(ids)

    def _journal_status(self, trainings: list[Training]) -> None:
        """Journal the publication status of courses the run did not rewrite, before the rules move them."""
        entries = [
            ImportUndo(
                report=self.report,
                training_id=t.pk,
                before={
                    "status": t.status,
                    "status_rule": t.status_rule,
                    "status_changed_at": t.status_changed_at,
                    "history_mark": self.history_mark,
                },
            )
            for t in trainings
            if t.pk not in self.journaled
        ]
        ImportUndo.objects.bulk_create(entries)
        self.journaled.update(e.training_id for e in entries)

    def _flush_sites(self) -> None:
        if self.pending_sites:
            TrainingSite.objects.bulk_create(self.pending_sites)
            for site in self.pending_sites:
                self.sites[(site.organisation_id, site.key)] = (
                    site.pk,
                    *self.sites[(site.organisation_id, site.key)][1:],
                )
            self.pending_sites = []

    def _flush(self) -> None:
        """Insert the pending new courses with their sites, sessions, ROMEs and first history row."""
        self._flush_sites()
        if not self.pending:
            return
        trainings = Training.objects.bulk_create([t for t, _, _ in self.pending])
        sessions, links, history = [], [], []
        for training, (_, record_sessions, romes) in zip(trainings, self.pending, strict=True):
            sessions += [
                TrainingSession(training=training, external_id=s.external_id, start_date=s.start, end_date=s.end)
                for s in record_sessions
            ]
            links += [TrainingRome(training=training, rome_id=code) for code in dict.fromkeys(romes)]
            history.append(
                StatusChange(
                    training=training,
                    from_status="",
                    to_status=training.status,
                    rule=rules.IMPORTED,
                    reason="Importée du flux.",
                )
            )
            self.changed_trainings.append(training.pk)
        ImportUndo.objects.bulk_create(
            [ImportUndo(report=self.report, training_id=t.pk, before=None) for t in trainings]
        )
        self.journaled.update(t.pk for t in trainings)
        TrainingSession.objects.bulk_create(sessions)
        TrainingRome.objects.bulk_create(links)
        StatusChange.objects.bulk_create(history)
        self.pending = []

    def _close_missing(self) -> None:
        open_rows = Training.objects.from_source(self.source).exclude(status=Training.Status.CLOSED)
        missing = [pk for pk, external_id in open_rows.values_list("pk", "external_id") if external_id not in self.seen]
        for start in range(0, len(missing), BATCH_SIZE):
            with transaction.atomic():
                chunk = list(
                    Training.objects.filter(pk__in=missing[start : start + BATCH_SIZE]).select_related(
                        "certification", "organisation"
                    )
                )
                self._journal_status(chunk)
                apply_rules_bulk(chunk, in_feed=False)
            self.touched_orgs.update(t.organisation_id for t in chunk)
            self.counts.closed += len(chunk)

    def _apply_rules(self) -> None:
        for start in range(0, len(self.changed_trainings), BATCH_SIZE):
            chunk = self.changed_trainings[start : start + BATCH_SIZE]
            with transaction.atomic():  # journaled when written (step 2)
                apply_rules_bulk(Training.objects.filter(pk__in=chunk).select_related("certification", "organisation"))


UPDATED_FIELDS = [
    "title", "description", "certification", "diploma", "rncp_code", "cfd_code", "level", "formacodes", "commune",
    "address", "postcode", "city", "lat", "lon", "geocoded_by_commune", "start_date", "end_date",
    "duration_months", "url", "organisation", "trainer", "site", "content_hash", "last_import", "updated_at",
]  # fmt: skip


def _unspool(spool):
    """The prepared records pickled by step 1, one at a time."""
    while True:
        try:
            yield pickle.load(spool)
        except EOFError:
            return


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
    """Drop the journal of a run that ended well (in short deletes)."""
    while ids := list(ImportUndo.objects.filter(report_id=report_id).values_list("pk", flat=True)[:5000]):
        ImportUndo.objects.filter(pk__in=ids).delete()


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


def _display_name(name: str) -> str:
    """The file's own name, or the URL it came from: never a folder of the server."""
    name = str(name)
    if "://" in name:
        return name[:500]
    return (Path(name).name or "flux")[:500]


def import_lheo(path_or_stream, *, source: str = "lheo", filename: str = "", uploaded_by: str = "") -> ImportReport:
    """Import an LHEO feed (path or binary stream) now; see LheoImport. Returns the saved ImportReport."""
    name = filename or str(
        path_or_stream if not hasattr(path_or_stream, "read") else getattr(path_or_stream, "name", "flux")
    )
    return LheoImport(source=source, filename=_display_name(name), uploaded_by=uploaded_by).run(path_or_stream)


# --- LHEO imports as background tasks -----------------------------------------------------------------


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
        filename=_display_name(filename),
        uploaded_by=uploaded_by,
        api_key_id=api_key_id,
        state=ImportReport.State.PENDING,
    )
    transaction.on_commit(lambda: run_lheo_import.enqueue(report.pk, str(path)))
    return report


def run_queued_import(report_id: int, path: str) -> ImportReport | None:
    """The background part of queue_lheo_import (called by the task)."""
    report = ImportReport.objects.filter(pk=report_id, state=ImportReport.State.PENDING).first()
    try:
        if report is None:
            return None
        return LheoImport(source=report.source, filename=report.filename, uploaded_by=report.uploaded_by).run(
            path, report=report
        )
    finally:
        Path(path).unlink(missing_ok=True)


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
