"""The referentials an LHEO import checks its records against, read once per run and held in memory."""

import hashlib
from typing import NamedTuple

from django.db import connection
from django.db.models import Count, Max

from alternance.core.text import normalize
from alternance.reference.models import Certification, Commune, Diploma, RomeOccupation
from alternance.trainings import lheo


class Code(NamedTuple):
    """A certification (RNCP) or a diploma (CFD) as an import reads it: its code and its level."""

    pk: str
    level: int | None


def _rows(sql: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def _table(model, *columns: str) -> str:
    """SELECT columns FROM the model's table ORDER BY them (columns are model fields' column names)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    return f"SELECT {names} FROM {quote(model._meta.db_table)} ORDER BY {names}"


class Referentials:
    """In-memory lookups for one import run (a national feed touches each code many times): each table is read
    once, in one query, without model instances."""

    def __init__(self):
        certification_rows = _rows(_table(Certification, "rncp", "level"))
        diploma_rows = _rows(_table(Diploma, "cfd", "level"))
        rome_rows = _rows(_table(RomeOccupation, "code"))
        # Certification -> ROME links are many (300,000) and never updated in place (added or deleted, with ids
        # that are never reused): their count and largest id say whether they changed.
        links = Certification.romes.through.objects.aggregate(count=Count("id"), last=Max("id"))
        certification_romes = [(links["count"], links["last"])]
        diploma_certifications = _rows(_table(Diploma.certifications.through, "diploma_id", "certification_id"))
        commune_rows = _rows(_table(Commune, "insee", "lat", "lon", "postcodes", "search_name", "departement_code"))
        # Everything a record's course is derived from besides the record: a formation whose bytes and this
        # digest are unchanged makes the same course again (Training.feed_hash).
        digest = hashlib.sha256()
        for rows in (
            certification_rows,
            diploma_rows,
            rome_rows,
            certification_romes,
            diploma_certifications,
            commune_rows,
        ):
            digest.update(repr(rows).encode())
            digest.update(b"|")
        self.fingerprint = digest.digest()

        self.certifications = {code: Code(code, level) for code, level in certification_rows}
        self.diplomas = {code: Code(code, level) for code, level in diploma_rows}
        self.certification_count, self.diploma_count = len(self.certifications), len(self.diplomas)
        self.romes = {code for (code,) in rome_rows}
        self.certification_romes: dict[str, list[str]] = {}  # read per certification, when a record needs it
        cfds: dict[str, list[str]] = {}
        for cfd, certification in diploma_certifications:
            cfds.setdefault(certification, []).append(cfd)
        self.certification_diploma = {code: found[0] if len(found) == 1 else None for code, found in cfds.items()}
        self.communes: dict[str, tuple] = {}
        self.by_postcode_name: dict[tuple[str, str], str] = {}
        self.by_postcode: dict[str, list[str]] = {}
        self.by_departement_name: dict[tuple[str, str], str | None] = {}
        for insee, lat, lon, postcodes, search_name, departement in commune_rows:
            self.communes[insee] = (lat, lon)
            key = (departement, search_name)
            self.by_departement_name[key] = None if key in self.by_departement_name else insee
            for postcode in postcodes.split():
                self.by_postcode_name[(postcode, search_name)] = insee
                self.by_postcode.setdefault(postcode, []).append(insee)

    def certification(self, code: str) -> Code | None:
        return self.certifications.get(code)

    def diploma(self, code: str) -> Code | None:
        return self.diplomas.get(code)

    def romes_of(self, certification: Code) -> list[str]:
        if certification.pk not in self.certification_romes:
            self.certification_romes[certification.pk] = list(
                RomeOccupation.objects.filter(certifications=certification.pk).values_list("code", flat=True)
            )
        return self.certification_romes[certification.pk]

    def diploma_of(self, certification: Code) -> str | None:
        """The CFD of a certification when exactly one diploma carries it (kit apprentissage)."""
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
