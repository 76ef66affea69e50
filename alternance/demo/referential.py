"""The reference rows the demonstration generators draw from (alternance.demo.synthetic), as arrays.

Built from the database (`Referential.from_db`), from the official files without a database
(`Referential.from_files`), or by hand in tests.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Referential:
    """The reference rows the generators draw from, as arrays (build it with from_db, or by hand in tests)."""

    # Communes where companies are placed (arrondissements instead of Paris, Lyon and Marseille as a whole).
    commune_insee: np.ndarray
    commune_population: np.ndarray
    commune_lat: np.ndarray
    commune_lon: np.ndarray
    commune_name: np.ndarray
    # NAF sous-classes that hire, with their label and total hirings.
    naf_code: np.ndarray
    naf_label: np.ndarray
    naf_hirings: np.ndarray
    # naf code -> (rome codes, hirings) ; rome code -> (appellation OGR codes, labels, weights).
    naf_romes: dict[str, tuple[np.ndarray, np.ndarray]]
    rome_appellations: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]
    # CFA: id, commune insee, lat, lon.
    org_id: np.ndarray = field(default_factory=lambda: np.array([], dtype=np.int64))
    org_commune: np.ndarray = field(default_factory=lambda: np.array([], dtype=object))
    org_lat: np.ndarray = field(default_factory=lambda: np.array([]))
    org_lon: np.ndarray = field(default_factory=lambda: np.array([]))
    # Diplomas: cfd, title, level, rncp, ROME codes (tuple), draw weight.
    diplomas: list[tuple[str, str, int, str, tuple[str, ...], float]] = field(default_factory=list)
    # Parent commune insee -> arrondissement insee codes (Paris, Lyon, Marseille).
    arrondissements: dict[str, list[str]] = field(default_factory=dict)
    # Every commune's centre (also parents of arrondissements), for hotspots.
    centres: dict[str, tuple[float, float]] = field(default_factory=dict)
    # ROME code -> fiche label (offer title when the ROME has no appellation).
    rome_labels: dict[str, str] = field(default_factory=dict)
    # Where the NAF x ROME weights come from: sectors.HIRINGS (real hirings) or sectors.DIVISIONS (approximation).
    sector_source: str = "hirings"
    _titles: list[str] = field(default_factory=list, repr=False)

    @classmethod
    def from_db(cls, max_romes_per_training: int = 12) -> Referential:
        """Read the referentials loaded by load_reference (read only)."""
        from django.db.models import F

        from alternance.organisations.models import Organisation
        from alternance.reference import sectors
        from alternance.reference.models import Appellation, Certification, Commune, Diploma, NafCode, RomeOccupation

        rows = list(
            Commune.objects.filter(is_active=True, lat__isnull=False, lon__isnull=False)
            .order_by("insee")
            .values_list("insee", "kind", "population", "lat", "lon", "name")
        )
        pairs, sector_source = sectors.rome_naf_weights()
        weights = sorted((naf, rome, n) for (rome, naf), n in pairs.items() if n > 0)
        labels = dict(NafCode.objects.filter(is_active=True).values_list("code", "label"))

        apps: dict[str, list[tuple[int, str, float]]] = defaultdict(list)
        for ogr, label, rome, principal, rare in (
            Appellation.objects.filter(is_active=True)
            .order_by("ogr_code")
            .values_list("ogr_code", "label", "rome_id", "is_principal", "rarely_used")
        ):
            apps[rome].append((ogr, label, 0.2 if rare else (4.0 if principal else 1.0)))

        orgs = list(
            Organisation.objects.filter(commune__isnull=False, lat__isnull=False, lon__isnull=False)
            .order_by("id")
            .values_list("id", "commune_id", "lat", "lon")
        )

        rome_hirings: dict[str, int] = defaultdict(int)
        for _, rome, hirings in weights:
            rome_hirings[rome] += hirings
        cert_romes: dict[str, list[str]] = defaultdict(list)
        for rncp, rome in Certification.romes.through.objects.values_list("certification_id", "romeoccupation_id"):
            cert_romes[rncp].append(rome)
        diplomas = []
        seen = set()
        for cfd, title, level, rncp, apprenticeship in (
            Diploma.objects.filter(is_active=True, level__gte=3, level__lte=7, certifications__isnull=False)
            .order_by("cfd", F("certifications__apprenticeship").desc(nulls_last=True), "-certifications__rncp")
            .values_list("cfd", "title", "level", "certifications__rncp", "certifications__apprenticeship")
        ):
            if cfd in seen:
                continue
            seen.add(cfd)
            romes = sorted(cert_romes.get(rncp, ()), key=lambda r: (-rome_hirings.get(r, 0), r))
            romes = tuple(sorted(romes[:max_romes_per_training]))
            demand = sum(rome_hirings.get(r, 0) for r in romes) / max(len(romes), 1)
            weight = (math.sqrt(1 + demand) if romes else 1.0) * (3.0 if apprenticeship else 0.2)
            diplomas.append((cfd, title, level, rncp, romes, weight))

        ref = cls._build(rows, weights, labels, apps, orgs, diplomas)
        ref.rome_labels = dict(RomeOccupation.objects.active().values_list("code", "label"))
        ref.sector_source = sector_source or sectors.HIRINGS
        return ref

    def gaps(self) -> list[str]:
        """What this referential lacks and what the generated data does instead (French, one line each)."""
        from alternance.reference import sectors

        notes = []
        if self.sector_source == sectors.DIVISIONS:
            notes.append(
                "secteurs : les embauches ROME × NAF (La Bonne Boite) ne sont pas chargées ; chaque métier est "
                "rattaché aux sous-classes NAF des divisions qui le citent (table France Travail), "
                "sans nombre d'embauches"
            )
        if not self.rome_appellations:
            notes.append(
                "intitulés d'offres : les appellations ROME ne sont pas chargées ; "
                "chaque offre porte le libellé de sa fiche ROME"
            )
        if not len(self.org_id):
            notes.append(
                "formations : aucune, les CFA réels (fichier organismes) ne sont pas chargés"
                + ("" if self.diplomas else ", ni les diplômes (BCN, RNCP, kit apprentissage)")
            )
        elif not self.diplomas:
            notes.append(
                "formations : aucune, les diplômes reliés à une certification (BCN, RNCP, kit apprentissage) "
                "ne sont pas chargés"
            )
        return notes

    @classmethod
    def from_files(cls, data_dir) -> Referential:
        """Read the official files directly (no database), with the parsers of load_reference: communes, NAF,
        ROME, appellations and hirings; no CFA nor diploma, so generate_trainings gives nothing from it."""
        from pathlib import Path

        from alternance.reference import loaders

        data = Path(data_dir)
        fiches = loaders.parse_rome_fiches(data / "rome" / "cr_gd_dp_v4_utf8.csv")
        appellations = loaders.parse_appellations(
            data / "rome" / "unix_referentiel_appellation_v460_utf8.csv", set(fiches)
        )
        nafs = loaders.parse_naf(data / "naf" / "naf_rev2_sous_classes.csv")
        hirings = loaders.parse_naf_hirings(data / "rome_naf" / "rome_v3_naf_hirings.csv")
        bridged = loaders.bridge_naf_hirings(
            [(v3, naf, n) for v3, naf, n, _ in hirings if naf in nafs], loaders.v3_to_v4_counts(appellations)
        )
        weights = sorted((naf, rome, n) for (rome, naf), n in bridged.items() if n > 0 and rome in fiches)
        communes = loaders.parse_communes(data / "communes" / "communes_fr.csv")
        rows = [
            (insee, c["kind"], c["population"], c["lat"], c["lon"], c["name"])
            for insee, c in sorted(communes.items())
            if c["lat"] is not None and c["lon"] is not None
        ]
        apps = defaultdict(list)
        for ogr, a in sorted(appellations.items()):
            apps[a["rome_id"]].append(
                (ogr, a["label"], 0.2 if a["rarely_used"] else (4.0 if a["is_principal"] else 1.0))
            )
        labels = {code: n["label"] for code, n in nafs.items()}
        ref = cls._build(rows, weights, labels, apps, [], [])
        ref.rome_labels = {code: fiche["label"] for code, fiche in fiches.items()}
        return ref

    @classmethod
    def _build(cls, rows, weights, labels, apps, orgs, diplomas) -> Referential:
        """rows: communes (insee, kind, population, lat, lon, name) ordered by insee; weights: (naf, rome,
        hirings) ordered; labels: NAF labels; apps: rome -> [(ogr, label, weight)]."""
        arrondissements: dict[str, list[str]] = defaultdict(list)
        centres = {r[0]: (r[3], r[4]) for r in rows}
        by_name = {r[5]: r[0] for r in rows if r[1] != "ARM"}
        for r in rows:
            if r[1] == "ARM":
                parent = by_name.get(re.sub(r"\s+\d+(er|e)\s+arrondissement$", "", r[5], flags=re.I).strip())
                if parent:
                    arrondissements[parent].append(r[0])
        placed = [r for r in rows if r[2] > 0 and r[0] not in arrondissements]

        per_naf: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for naf, rome, hirings in weights:
            per_naf[naf].append((rome, hirings))
        naf_codes = sorted(code for code in per_naf if code in labels)
        return cls(
            commune_insee=np.array([r[0] for r in placed], dtype=object),
            commune_population=np.array([r[2] for r in placed], dtype=np.float64),
            commune_lat=np.array([r[3] for r in placed]),
            commune_lon=np.array([r[4] for r in placed]),
            commune_name=np.array([r[5] for r in placed], dtype=object),
            naf_code=np.array(naf_codes, dtype=object),
            naf_label=np.array([labels[c] for c in naf_codes], dtype=object),
            naf_hirings=np.array([sum(h for _, h in per_naf[c]) for c in naf_codes], dtype=np.float64),
            naf_romes={
                c: (np.array([r for r, _ in per_naf[c]], dtype=object), np.array([h for _, h in per_naf[c]], float))
                for c in naf_codes
            },
            rome_appellations={
                rome: (
                    np.array([a[0] for a in items], dtype=np.int64),
                    np.array([a[1] for a in items], dtype=object),
                    np.array([a[2] for a in items], dtype=np.float64),
                )
                for rome, items in apps.items()
            },
            org_id=np.array([o[0] for o in orgs], dtype=np.int64),
            org_commune=np.array([o[1] for o in orgs], dtype=object),
            org_lat=np.array([o[2] for o in orgs]),
            org_lon=np.array([o[3] for o in orgs]),
            diplomas=diplomas,
            arrondissements=dict(arrondissements),
            centres=centres,
        )
