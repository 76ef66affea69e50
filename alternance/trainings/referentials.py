"""The referentials an LHEO import checks its records against, held in memory for one run."""

import hashlib

from alternance.core.text import normalize
from alternance.reference.models import Certification, Commune, Diploma, RomeOccupation
from alternance.trainings import lheo


class Referentials:
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
        self.commune_rows = list(
            Commune.objects.order_by("insee").values_list(
                "insee", "lat", "lon", "postcodes", "search_name", "departement_code"
            )
        )
        for insee, lat, lon, postcodes, search_name, departement in self.commune_rows:
            self.communes[insee] = (lat, lon)
            key = (departement, search_name)
            self.by_departement_name[key] = None if key in self.by_departement_name else insee
            for postcode in postcodes.split():
                self.by_postcode_name[(postcode, search_name)] = insee
                self.by_postcode.setdefault(postcode, []).append(insee)
        self.certification_romes: dict[str, list[str]] = {}
        self.certification_diploma: dict[str, str | None] = {}
        self._fingerprint: bytes | None = None

    def fingerprint(self) -> bytes:
        """A digest of everything a record's course is derived from besides the record: codes, levels, links,
        communes. A formation whose bytes and this digest are unchanged makes the same course again."""
        if self._fingerprint is None:
            digest = hashlib.sha256()
            digest.update(repr(self.commune_rows).encode())
            for rows in (
                Certification.objects.order_by("pk").values_list("pk", "level"),
                Diploma.objects.order_by("pk").values_list("pk", "level"),
                RomeOccupation.objects.order_by("pk").values_list("pk"),
                Certification.romes.through.objects.order_by("pk").values_list("certification_id", "romeoccupation_id"),
                Diploma.certifications.through.objects.order_by("pk").values_list("diploma_id", "certification_id"),
            ):
                for row in rows.iterator(chunk_size=5000):
                    digest.update(repr(row).encode())
                digest.update(b"|")
            self._fingerprint = digest.digest()
        return self._fingerprint

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
