"""The checks of an LHEO import's records against the referentials and the courses already imported (reads
only): what each record would write, or why it is rejected, or that it is unchanged."""

import datetime as dt
import hashlib
from typing import NamedTuple

from alternance.trainings import lheo, rules
from alternance.trainings.models import Training
from alternance.trainings.referentials import Code, Referentials

# Part of every formation's digest (Training.feed_hash): change it when the way a record becomes a course
# changes, and the next run reads every formation again.
RECORD_LOGIC = b"lheo-records-3"


def _url(value: str) -> str:
    if value and "://" not in value:
        value = "https://" + value
    return value[:500]


def _months(start: dt.date | None, end: dt.date | None) -> int | None:
    if not start or not end:
        return None
    return max(1, round((end - start).days / 30.44))


def _organism(organism: lheo.Organism | None) -> tuple | None:
    """An organism as nested plain tuples (its place too): their repr is exact and fast (the content's digest)."""
    if organism is None:
        return None
    place = organism.place
    return (*organism[:4], None if place is None else tuple(place), organism.uai_from_mail)


class Written(NamedTuple):
    """What step 2 writes of a record (spooled as it is: plain tuples, pickled fast)."""

    external_id: str
    responsible: lheo.Organism
    trainer: lheo.Organism | None
    place: lheo.Place | None
    sessions: list[lheo.Session]


class RecordChecker:
    """Step 1 of a run (see lheo_import.LheoImport): each record checked and turned into the values of its
    course; a formation whose bytes are those of known courses is skipped before it is validated and read."""

    def __init__(self, *, source: str):
        self.source = source
        self.fact_source = f"lheo:{source}"[:64]
        self.warnings: list[str] = []
        self.seen: set[str] = set()
        self.rehash: list[tuple[int, str]] = []  # (course id, new feed_hash) of courses unchanged by content

    def load(self) -> None:
        self.refs = Referentials()
        # external_id -> (pk, content_hash, status_rule, organisation_id, trainer_id, feed_hash)
        self.existing = {
            row[0]: row[1:]
            for row in Training.objects.from_source(self.source).values_list(
                "external_id", "pk", "content_hash", "status_rule", "organisation_id", "trainer_id", "feed_hash"
            )
        }
        self.by_feed_hash: dict[str, list[str]] = {}
        for external_id, known in self.existing.items():
            if known[5]:
                self.by_feed_hash.setdefault(known[5], []).append(external_id)
        self.salt = RECORD_LOGIC + lheo.schema_digest() + self.refs.fingerprint
        if not self.refs.certification_count:
            self.warnings.append("Le référentiel RNCP n'est pas chargé : les codes RNCP ne sont pas vérifiés.")

    def is_unchanged(self, feed_hash: str, actions: int) -> bool:
        """True when this formation's digest is that of as many known courses as it has actions, none seen yet in
        this feed and none closed for leaving it: the formation makes the same courses again."""
        known = self.by_feed_hash.get(feed_hash)
        return (
            known is not None
            and len(known) == actions
            and not any(external_id in self.seen for external_id in known)
            and all(self.existing[external_id][2] != rules.ABSENT_FROM_FEED for external_id in known)
        )

    def skippable(self) -> dict[str, list[str]]:
        """The digests a formation may be skipped by (see is_unchanged), with their courses' external ids: what
        the reader processes of lheo_shared.read_shared are given (they test the rest)."""
        return {
            feed_hash: external_ids
            for feed_hash, external_ids in self.by_feed_hash.items()
            if all(self.existing[external_id][2] != rules.ABSENT_FROM_FEED for external_id in external_ids)
        }

    def check(self, record: lheo.Record) -> tuple[list[str], Code | None, Code | None]:
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

    def prepare(self, record: lheo.Record):
        """Check one record and compute what it would write (reads only); None when rejected or unchanged."""
        errors, certification, diploma = self.check(record)
        if errors:
            self.reject(record.external_id, record.line, " ; ".join(errors))
            return None
        self.seen.add(record.external_id)
        if diploma is None and certification is not None:
            cfd = self.refs.diploma_of(certification)
            diploma = self.refs.diploma(cfd) if cfd else None
        romes = [code for code in record.romes if code in self.refs.romes]
        unknown_romes = [code for code in record.romes if code not in self.refs.romes]
        warned = bool(unknown_romes and self.refs.romes)
        if warned:
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
        # The content's digest: the values, ROMEs, sessions, organisms and place, as plain tuples (exact reprs).
        sessions = [tuple(s) for s in record.sessions]
        responsible, trainer = _organism(record.responsible), _organism(record.trainer)
        content = (sorted(values.items()), sorted(romes), sessions, responsible, trainer, tuple(place))
        digest = hashlib.sha256(repr(content).encode()).hexdigest()
        # A record that warned is read again next time (its warning is said again): no feed_hash.
        feed_hash = "" if warned else record.feed_hash
        known = self.existing.get(record.external_id)
        if known is not None:
            pk, known_digest, known_rule = known[:3]
            if known_digest == digest and known_rule != rules.ABSENT_FROM_FEED:
                self.count_unchanged(known)
                if known[5] != feed_hash:
                    self.rehash.append((pk, feed_hash))
                return None
        values["feed_hash"] = feed_hash
        # What step 2 needs of the record: plain tuples, spooled to disk (pickled fast) until it writes.
        written = Written(record.external_id, record.responsible, record.trainer, record.place, record.sessions)
        return written, values, digest, romes, located

    def reject(self, identifier: str, line: int, reason: str) -> None:
        raise NotImplementedError

    def count_unchanged(self, known: tuple) -> None:
        raise NotImplementedError
