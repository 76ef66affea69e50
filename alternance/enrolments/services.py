"""Writes of enrolments: ingest one batch of records for one organisation.

Each record is validated on its own (validation.validate). The batch's valid records are then written in ONE
transaction, in bulk: an upsert of the enrolments keyed by (organisation, school_year, learner_id), their
contracts replaced, and one history row per new content. A record whose content is unchanged is accepted
and writes nothing (idempotent re-send); a record with a new content bumps the version.
"""

import dataclasses
import datetime as dt
import json

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from alternance.core.bulk import gc_paused
from alternance.enrolments import indicators, validation
from alternance.enrolments.models import Enrolment, EnrolmentContract, EnrolmentVersion
from alternance.organisations.models import Organisation, TrainingSite
from alternance.reference.cache import cached
from alternance.reference.models import Certification, Commune, Diploma

MAX_RECORDS = 2000
WRITE_ATTEMPTS = 3

# Columns an upsert rewrites (everything the sender controls, plus what is derived from it).
DATA_FIELDS = [
    "version",
    "content_hash",
    "last_name",
    "first_name",
    "birth_date",
    "email",
    "phone",
    "postcode",
    "commune_insee",
    "nir_present",
    "uai_responsable",
    "siret_responsable",
    "uai_formateur",
    "siret_formateur",
    "cfd",
    "rncp",
    "level",
    "course_start",
    "course_end",
    "registered_on",
    "dropped_out_on",
    "outcome",
    "rqth",
    "departement_code",
    "region_code",
    "source",
    "is_demo",
    "updated_at",
]


# --- the referentials, read once per process and per reference load ---------------------------------------


def _build_reference_codes() -> dict:
    communes, postcodes = {}, {}
    for insee, dep, region, codes in Commune.objects.values_list(
        "insee", "departement_code", "region_code", "postcodes"
    ):
        communes[insee] = (dep, region)
        for code in codes.split():
            postcodes.setdefault(code, insee)
    return {
        "cfd": dict(Diploma.objects.values_list("cfd", "level")),
        "rncp": dict(Certification.objects.values_list("rncp", "level")),
        "communes": communes,
        "postcodes": postcodes,
    }


def _reference_codes() -> dict:
    """Known CFD/RNCP with their levels, communes and postcodes: built once per process, rebuilt after a new
    ReferenceLoad (alternance.reference.cache)."""
    return cached("enrolments.reference_codes", _build_reference_codes)


def referential_for(organisation: Organisation, today: dt.date | None = None) -> validation.Referential:
    codes = _reference_codes()
    communes = codes["communes"]
    places: dict[str, tuple] = {}
    allowed = set()
    own = communes.get(organisation.commune_id or "", ("", ""))
    for uai in {organisation.uai, organisation.probable_uai} - {""}:
        allowed.add(uai)
        places[uai] = own
    for uai, insee in (
        TrainingSite.objects.filter(organisation=organisation).exclude(uai="").values_list("uai", "commune_id")
    ):
        allowed.add(uai)
        places.setdefault(uai, communes.get(insee or "", own))
    return validation.Referential(
        cfd_levels=codes["cfd"],
        rncp_levels=codes["rncp"],
        communes=communes,
        postcodes=codes["postcodes"],
        allowed_uais=frozenset(allowed),
        uai_places=places,
        today=today or timezone.localdate(),
    )


# --- one batch ---------------------------------------------------------------------------------------------


@dataclasses.dataclass
class RecordResult:
    index: int
    status: str  # accepted | rejected
    errors: list[dict]
    change: str = ""  # created | updated | unchanged (accepted records)


@dataclasses.dataclass
class BatchResult:
    records: list[RecordResult]

    @property
    def accepted(self) -> int:
        return sum(r.status == "accepted" for r in self.records)

    @property
    def rejected(self) -> int:
        return sum(r.status == "rejected" for r in self.records)

    def count(self, change: str) -> int:
        return sum(r.change == change for r in self.records)


class BatchTooLarge(ValueError):
    pass


def validate_batch(organisation: Organisation, records: list, today: dt.date | None = None):
    """Validate each record on its own: [(index, normalised record or None, errors)]."""
    ref = referential_for(organisation, today)
    checked = []
    for index, raw in enumerate(records):
        verdict = validation.validate(raw, ref)
        checked.append((index, verdict.record, verdict.errors))
    return checked


def ingest(
    organisation: Organisation,
    records: list,
    *,
    source: str = Enrolment.Source.API,
    is_demo: bool = False,
    today: dt.date | None = None,
) -> BatchResult:
    """Validate every record, then store the valid ones, all of them or none, in one transaction."""
    if len(records) > MAX_RECORDS:
        raise BatchTooLarge(f"{len(records)} enregistrements : {MAX_RECORDS} au plus par envoi.")
    with gc_paused():
        return _ingest(organisation, records, source, is_demo, today)


def _ingest(organisation, records: list, source: str, is_demo: bool, today: dt.date | None) -> BatchResult:
    checked = validate_batch(organisation, records, today)
    results = [RecordResult(i, "rejected" if errors else "accepted", errors) for i, _, errors in checked]
    # Same learner twice in one batch: the last one is the newest version.
    latest: dict[tuple, tuple[int, dict]] = {}
    for index, record, _errors in checked:
        if record is not None:
            latest[(record["school_year"], record["learner_id"])] = (index, _hashed(record))
    for attempt in range(WRITE_ATTEMPTS):
        try:
            if latest:
                _write(organisation, latest, results, source, is_demo)
            break
        except IntegrityError:
            # Another batch with the same new learners committed first (a client re-sending while its
            # first call still runs): the whole transaction rolled back; read again and write what is new.
            if attempt == WRITE_ATTEMPTS - 1:
                raise
            for result in results:
                result.change = ""
    if any(r.change in ("created", "updated") for r in results):
        # The indicators are recomputed in the background once the batch is committed (never in a request).
        transaction.on_commit(lambda: indicators.request_refresh(demo=is_demo), robust=True)
    return BatchResult(results)


def _hashed(record: dict) -> dict:
    """The record with its canonical JSON (kept as the history row's data: made once) and its hash."""
    payload = validation.canonical_json(record)
    record["_hash"] = validation.fingerprint(record, payload)
    record["_json"] = payload
    return record


def _write(organisation, latest: dict, results: list[RecordResult], source: str, is_demo: bool) -> None:
    now = timezone.now()
    with transaction.atomic():
        existing = _existing(organisation, latest.keys())
        rows, versions, replaced = [], [], []
        for key, (index, record) in latest.items():
            before = existing.get(key)
            if before is not None and before[1] == record["_hash"]:
                results[index].change = "unchanged"
                continue
            results[index].change = "updated" if before else "created"
            version = before[2] + 1 if before else 1
            if before:
                replaced.append(before[0])
            # The record is this batch's own (validated) dict: completed in place, not copied.
            record.update(version=version, content_hash=record["_hash"], source=source, is_demo=is_demo, updated_at=now)
            rows.append(record)
            versions.append((record, version))
        for index, _record in latest.values():
            if not results[index].change:
                results[index].change = "unchanged"
        if not rows:
            return
        if connection.vendor == "postgresql":
            _write_postgres(organisation, rows, versions, replaced, source, now)
        else:
            _write_orm(organisation, rows, versions, replaced, source, now)


def _contract_rows(record: dict):
    return [
        (c["employer_siret"], c["start_date"], c["end_date"], c["break_date"], c["break_reason"])
        for c in record["contracts"]
    ]


def _write_orm(organisation, rows, versions, replaced, source, now) -> None:
    """Any database: Django's bulk upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING)."""
    rows = [
        Enrolment(
            organisation=organisation,
            learner_id=row["learner_id"],
            school_year=row["school_year"],
            content_hash=row["_hash"],
            received_at=now,
            **{f: row[f] for f in DATA_FIELDS if f != "content_hash"},
        )
        for row in rows
    ]
    Enrolment.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["organisation", "school_year", "learner_id"],
        update_fields=DATA_FIELDS,
    )
    ids = _ids(organisation, rows)
    if replaced:
        EnrolmentContract.objects.filter(enrolment_id__in=replaced).delete()
    contracts, history = [], []
    for row, (record, version) in zip(rows, versions, strict=True):
        enrolment_id = ids[(row.school_year, row.learner_id)]
        contracts += [
            EnrolmentContract(
                enrolment_id=enrolment_id,
                employer_siret=siret,
                start_date=start,
                end_date=end,
                break_date=broken,
                break_reason=reason,
            )
            for siret, start, end, broken, reason in _contract_rows(record)
        ]
        history.append(
            EnrolmentVersion(
                enrolment_id=enrolment_id,
                version=version,
                content_hash=record["_hash"],
                data=json.loads(record["_json"]),
                source=source,
                received_at=now,
            )
        )
    EnrolmentContract.objects.bulk_create(contracts, batch_size=1000)
    EnrolmentVersion.objects.bulk_create(history, batch_size=1000)


_COLUMNS = ["organisation_id", "learner_id", "school_year", "received_at", *DATA_FIELDS]


def _write_postgres(organisation, rows, versions, replaced, source, now) -> None:
    """PostgreSQL: the new enrolments COPYed straight into their table (ids drawn from its sequence first), the
    changed ones COPYed into a temporary table then upserted from it, then COPY of the contracts and the history
    (several times faster than multi-row INSERTs). A learner that another batch has just stored breaks the
    unique key: IntegrityError, and `ingest` writes again."""
    table = Enrolment._meta.db_table
    columns = ", ".join(_COLUMNS)
    fixed = [organisation.pk]
    created = [row for row in rows if row["version"] == 1]  # absent from the table when it was read (locked)
    changed = [row for row in rows if row["version"] != 1]

    def values(row):
        return [row["learner_id"], row["school_year"], now] + [row[c] for c in DATA_FIELDS]

    ids = {}
    with connection.cursor() as wrapper, connection.wrap_database_errors:
        cursor = wrapper.cursor
        if created:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(created)]
            )
            drawn = cursor.fetchall()
            with cursor.copy(f"COPY {table} (id, {columns}) FROM STDIN") as copy:
                for (pk,), row in zip(drawn, created, strict=True):
                    copy.write_row([pk, *fixed, *values(row)])
                    ids[row["school_year"], row["learner_id"]] = pk
        if changed:
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in DATA_FIELDS)
            cursor.execute(
                f"CREATE TEMP TABLE enrolment_in ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"
            )
            with cursor.copy(f"COPY enrolment_in ({columns}) FROM STDIN") as copy:
                for row in changed:
                    copy.write_row([*fixed, *values(row)])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM enrolment_in "
                f"ON CONFLICT (organisation_id, school_year, learner_id) DO UPDATE SET {updates} "
                "RETURNING id, school_year, learner_id"
            )
            ids.update(((year, learner), pk) for pk, year, learner in cursor.fetchall())
            cursor.execute("DROP TABLE enrolment_in")
        if replaced:
            cursor.execute(f"DELETE FROM {EnrolmentContract._meta.db_table} WHERE enrolment_id = ANY(%s)", [replaced])
        with cursor.copy(
            f"COPY {EnrolmentContract._meta.db_table} "
            "(enrolment_id, employer_siret, start_date, end_date, break_date, break_reason) FROM STDIN"
        ) as copy:
            for row, (record, _version) in zip(rows, versions, strict=True):
                enrolment_id = ids[row["school_year"], row["learner_id"]]
                for contract in _contract_rows(record):
                    copy.write_row((enrolment_id, *contract))
        with cursor.copy(
            f"COPY {EnrolmentVersion._meta.db_table} "
            "(enrolment_id, version, content_hash, data, source, received_at) FROM STDIN"
        ) as copy:
            for row, (record, version) in zip(rows, versions, strict=True):
                copy.write_row(
                    (ids[row["school_year"], row["learner_id"]], version, record["_hash"], record["_json"], source, now)
                )


def _existing(organisation, keys) -> dict[tuple, tuple[int, str, int]]:
    """(school_year, learner_id) -> (id, content_hash, version) of the stored enrolments, rows locked."""
    if connection.vendor == "postgresql":
        keys = list(keys)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, school_year, learner_id, content_hash, version FROM {Enrolment._meta.db_table} "
                "WHERE organisation_id = %s AND (school_year, learner_id) IN "
                "(SELECT * FROM unnest(%s::text[], %s::text[])) FOR UPDATE",
                [organisation.pk, [k[0] for k in keys], [k[1] for k in keys]],
            )
            return {(year, learner): (pk, h, v) for pk, year, learner, h, v in cursor.fetchall()}
    by_year: dict[str, list[str]] = {}
    for year, learner in keys:
        by_year.setdefault(year, []).append(learner)
    condition = Q()
    for year, learners in by_year.items():
        condition |= Q(school_year=year, learner_id__in=learners)
    qs = Enrolment.objects.filter(condition, organisation=organisation).select_for_update()
    return {
        (year, learner): (pk, content_hash, version)
        for pk, year, learner, content_hash, version in qs.values_list(
            "pk", "school_year", "learner_id", "content_hash", "version"
        )
    }


def _ids(organisation, rows: list[Enrolment]) -> dict[tuple, int]:
    """Primary keys of upserted rows: returned by the insert where the database can, else read back."""
    if all(row.pk for row in rows):
        return {(row.school_year, row.learner_id): row.pk for row in rows}
    stored = _existing(organisation, [(row.school_year, row.learner_id) for row in rows])
    return {key: value[0] for key, value in stored.items()}


# --- files uploaded by staff: parsed, previewed, then confirmed -------------------------------------------


def _staging_dir():
    from django.conf import settings

    path = settings.BASE_DIR / "var" / "enrolment-uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


STAGING_HOURS = 24


def stage_upload(organisation: Organisation, records: list[dict], filename: str) -> str:
    """Keep parsed records (the NIR already reduced to its presence) server-side; return their token."""
    import json
    import secrets

    directory = _staging_dir()
    cutoff = timezone.now().timestamp() - STAGING_HOURS * 3600
    for old in directory.glob("*.json"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    payload = {"organisation": organisation.pk, "filename": filename, "records": records}
    (directory / f"{token}.json").write_text(json.dumps(payload, default=str), encoding="utf-8")
    return token


def staged(token: str) -> dict | None:
    import json

    if not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _staging_dir() / f"{token}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def confirm_upload(token: str, organisation: Organisation) -> BatchResult | None:
    """Store the valid records of a staged file (in batches of MAX_RECORDS), then forget the file."""
    payload = staged(token)
    if payload is None or payload["organisation"] != organisation.pk:
        return None
    records, results = payload["records"], []
    for start in range(0, len(records), MAX_RECORDS):
        part = ingest(organisation, records[start : start + MAX_RECORDS], source=Enrolment.Source.UPLOAD)
        results += [dataclasses.replace(r, index=r.index + start) for r in part.records]
    (_staging_dir() / f"{token}.json").unlink(missing_ok=True)
    return BatchResult(results)


# --- the scheduled purge of personal data ---------------------------------------------------------------------

RETENTION_YEARS = 3


def retention_cutoff(today: dt.date, years: int = RETENTION_YEARS) -> dt.date:
    """Courses ended before this date are purged: RETENTION_YEARS years before `today` (29 February -> 28)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def purge_old_enrolments(today: dt.date | None = None, years: int = RETENTION_YEARS) -> int:
    """Delete the enrolments (with their contracts and history) of learners whose course ended more than
    `years` years ago; returns how many enrolments were deleted.

    3 years: RGPD art. 5.1 e) (kept no longer than their purpose needs). The indicators look back 12 months
    (plus 90 days after a course's end), and a learner's contract may be disputed up to 2 years after the facts
    (Code du travail L1471-1), so 3 years after the end of the course covers both; no text fixes this duration
    for the tableau de bord de l'apprentissage: a choice of the project, to confirm with its DPO.
    """
    cutoff = retention_cutoff(today or timezone.localdate(), years)
    with transaction.atomic():
        old = Enrolment.objects.filter(course_end__lt=cutoff)
        ids = list(old.values_list("pk", flat=True))
        for start in range(0, len(ids), 5000):
            chunk = ids[start : start + 5000]
            EnrolmentVersion.objects.filter(enrolment_id__in=chunk).delete()
            EnrolmentContract.objects.filter(enrolment_id__in=chunk).delete()
            Enrolment.objects.filter(pk__in=chunk).delete()
    return len(ids)
