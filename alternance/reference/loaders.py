"""Readers of the official referential files (ROME 4.0, NAF rev.2, communes, BCN, RNCP, SMIC).

Every parser is pure (no database): it reads one file and returns plain dictionaries keyed by the
table's natural key, with values named like the model fields. A malformed or truncated file raises
`LoaderError` naming the file, the line and the reason; the writing is done by
`alternance.reference.services.load_reference` in one transaction.
"""

import csv
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from alternance.core.text import normalize

ROME_CODE = re.compile(r"^[A-N]\d{4}$")
NAF_CODE = re.compile(r"^\d{2}\.\d{2}[A-Z]$")
NAF_COMPACT = re.compile(r"^(\d{2})(\d{2}[A-Z])$")
INSEE_CODE = re.compile(r"^[0-9][0-9AB]\d{3}$")
POSTCODE = re.compile(r"^\d{5}$")
CFD_CODE = re.compile(r"^[0-9A-Z]{8}$")
RNCP_CODE = re.compile(r"^RNCP\d{1,8}$")


class LoaderError(Exception):
    """A referential file that cannot be read: names the file, the line (1 = header) and the reason."""

    def __init__(self, file, line: int | None, reason: str):
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}, ligne {line}" if line else self.file
        super().__init__(f"{where} : {reason}")


class Row:
    """One CSV record with typed accessors that raise `LoaderError` on a bad value."""

    __slots__ = ("path", "line", "data")

    def __init__(self, path, line: int, data: dict[str, str]):
        self.path = path
        self.line = line
        self.data = data

    def error(self, reason: str) -> LoaderError:
        return LoaderError(self.path, self.line, reason)

    def text(self, column: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = " ".join(self.data[column].split())
        if required and not value:
            raise self.error(f"la colonne « {column} » est vide")
        if max_length and len(value) > max_length:
            raise self.error(f"la colonne « {column} » dépasse {max_length} caractères")
        return value

    def code(self, column: str, pattern: re.Pattern, *, required: bool = True) -> str:
        value = self.data[column].strip()
        if not value and not required:
            return ""
        if not pattern.match(value):
            raise self.error(f"code « {value} » invalide dans la colonne « {column} »")
        return value

    def integer(self, column: str, *, default: int | None = None) -> int | None:
        value = self.data[column].strip()
        if not value:
            if default is None:
                raise self.error(f"la colonne « {column} » est vide")
            return default
        try:
            return int(value)
        except ValueError:
            raise self.error(f"nombre entier attendu dans la colonne « {column} », lu « {value} »") from None

    def decimal(self, column: str, *, required: bool = True) -> Decimal | None:
        value = self.data[column].strip().replace(",", ".")
        if not value:
            if required:
                raise self.error(f"la colonne « {column} » est vide")
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            raise self.error(f"nombre attendu dans la colonne « {column} », lu « {value} »") from None

    def coordinate(self, column: str, low: float, high: float) -> float | None:
        value = self.data[column].strip()
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            raise self.error(f"coordonnée attendue dans la colonne « {column} », lu « {value} »") from None
        if not low <= number <= high:
            raise self.error(f"coordonnée hors limites dans la colonne « {column} » : {value}")
        return number

    def date(self, column: str, fmt: str) -> date | None:
        value = self.data[column].strip()
        if not value:
            return None
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            raise self.error(f"date attendue ({fmt}) dans la colonne « {column} », lu « {value} »") from None


def read_text(path: Path, encoding: str) -> str:
    """The whole file decoded; a byte that is not valid in `encoding` is reported with its line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise LoaderError(path, None, f"fichier illisible ({error.strerror})") from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LoaderError(path, line, f"caractère invalide pour l'encodage {encoding}") from None
    return text.removeprefix("\ufeff")


def read_csv(path: Path, *, columns: Iterable[str], encoding: str = "utf-8", delimiter: str = ",") -> Iterator[Row]:
    """The records of a CSV file as `Row`s; checks the header and that every record has all its fields."""
    text = read_text(path, encoding)
    if not text.strip():
        raise LoaderError(path, 1, "fichier vide")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1  # the line where the current record begins (a quoted field may span several lines)
    try:
        header = [name.strip() for name in next(reader)]
        missing = [name for name in columns if name not in header]
        if missing:
            raise LoaderError(path, 1, "colonne(s) absente(s) de l'en-tête : " + ", ".join(missing))
        width = len(header)
        while True:
            start = reader.line_num + 1
            record = next(reader, None)
            if record is None:
                return
            if not record or record == [""]:
                continue
            if len(record) != width:
                raise LoaderError(
                    path, start, f"ligne tronquée ou mal formée : {len(record)} champ(s) au lieu de {width}"
                )
            yield Row(path, start, dict(zip(header, record, strict=True)))
    except csv.Error as error:
        raise LoaderError(path, start, f"CSV mal formé ({error})") from None


def read_json(path: Path):
    text = read_text(path, "utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise LoaderError(path, error.lineno, f"JSON mal formé ({error.msg})") from None


def _unique(records: dict, key, row: Row, seen_lines: dict) -> None:
    if key in records:
        raise row.error(f"code « {key} » en double (déjà présent ligne {seen_lines[key]})")
    seen_lines[key] = row.line


# --- ROME 4.0 -------------------------------------------------------------------------------------------------


def parse_rome_fiches(path: Path) -> dict[str, dict]:
    """cr_gd_dp_v4_utf8.csv: ROME 4.0 fiches with grand domaine and domaine professionnel (France Travail)."""
    records, lines = {}, {}
    columns = ["code_rome", "libelle_rome", "code_grand_domaine", "libelle_grand_domaine"]
    columns += ["code_domaine_professionel", "libelle_domaine_professionel"]
    for row in read_csv(path, columns=columns):
        code = row.code("code_rome", ROME_CODE)
        _unique(records, code, row, lines)
        records[code] = {
            "label": row.text("libelle_rome", max_length=255),
            "grand_domain_code": row.text("code_grand_domaine", max_length=1),
            "grand_domain_label": row.text("libelle_grand_domaine", max_length=255),
            "domain_code": row.text("code_domaine_professionel", max_length=3),
            "domain_label": row.text("libelle_domaine_professionel", max_length=255),
        }
    return records


def parse_appellations(path: Path, rome_codes: set[str]) -> dict[int, dict]:
    """unix_referentiel_appellation_v460_utf8.csv: 13,120 appellations (OGR code), ROME 4.0 and v3 parent."""
    records, lines = {}, {}
    columns = ["code_ogr", "libelle_appellation_long", "libelle_appellation_court", "code_rome"]
    columns += ["classification", "code_rome_parent", "peu_usite"]
    for row in read_csv(path, columns=columns):
        ogr = row.integer("code_ogr")
        _unique(records, ogr, row, lines)
        rome = row.code("code_rome", ROME_CODE)
        if rome not in rome_codes:
            raise row.error(f"code ROME « {rome} » absent du fichier des fiches ROME")
        classification = row.text("classification")
        if classification not in ("PRINCIPALE", "SYNONYME"):
            raise row.error(f"classification « {classification} » inconnue (PRINCIPALE ou SYNONYME attendu)")
        records[ogr] = {
            "label": row.text("libelle_appellation_long", max_length=255),
            "short_label": row.text("libelle_appellation_court", max_length=255),
            "rome_id": rome,
            "is_principal": classification == "PRINCIPALE",
            "rome_v3_parent": row.code("code_rome_parent", ROME_CODE),
            "rarely_used": row.text("peu_usite", required=False) == "O",
        }
    return records


def v3_to_v4_counts(appellations: dict[int, dict]) -> dict[str, Counter]:
    """For each ROME v3 fiche, the number of ROME 4.0 appellations of each v4 fiche that descend from it."""
    bridge: dict[str, Counter] = defaultdict(Counter)
    for record in appellations.values():
        bridge[record["rome_v3_parent"]][record["rome_id"]] += 1
    return dict(bridge)


def split_hirings(hirings: int, shares: Counter) -> dict[str, int]:
    """Split `hirings` of one ROME v3 fiche across its ROME 4.0 fiches, in proportion to their appellations.

    Rule: a v3 fiche whose appellations now belong to several v4 fiches gives each v4 fiche
    hirings x (its appellations descending from the v3 fiche) / (all appellations descending from it).
    Shares are rounded with the largest-remainder method (ties go to the smaller code), so the parts add
    up exactly to `hirings`; a v4 fiche whose rounded share is 0 gets no row.
    """
    total = sum(shares.values())
    if total == 0 or hirings <= 0:
        return {}
    exact = {code: Decimal(hirings) * count / total for code, count in shares.items()}
    parts = {code: int(value) for code, value in exact.items()}
    left = hirings - sum(parts.values())
    for code in sorted(exact, key=lambda c: (-(exact[c] - parts[c]), c))[:left]:
        parts[code] += 1
    return {code: part for code, part in parts.items() if part > 0}


def bridge_naf_hirings(rows: Iterable[tuple[str, str, int]], bridge: dict[str, Counter]) -> dict[tuple, int]:
    """(ROME v3, NAF, hirings) rows -> {(ROME 4.0, NAF): hirings}, summing what several v3 fiches give."""
    weights: dict[tuple, int] = defaultdict(int)
    for v3, naf, hirings in rows:
        for v4, part in split_hirings(hirings, bridge.get(v3, Counter())).items():
            weights[(v4, naf)] += part
    return dict(weights)


def parse_naf_hirings(path: Path) -> list[tuple[str, str, int, int]]:
    """rome_v3_naf_hirings.csv (La Bonne Boite): (ROME v3, NAF "01.11Z", hirings, line) rows."""
    rows = []
    for row in read_csv(path, columns=["rome_id", "naf_id", "hirings"]):
        v3 = row.code("rome_id", ROME_CODE)
        match = NAF_COMPACT.match(row.data["naf_id"].strip())
        if not match:
            raise row.error(f"code NAF « {row.data['naf_id']} » invalide (attendu comme « 0111Z »)")
        hirings = row.integer("hirings")
        if hirings < 0:
            raise row.error("nombre d'embauches négatif")
        rows.append((v3, f"{match[1]}.{match[2]}", hirings, row.line))
    return rows


def parse_naf_division_rome(path: Path) -> dict[tuple[str, str], dict]:
    """secteurs_naf_rome.json (France Travail): {division: {libelle, codes_rome: [{code}]}} -> pairs.

    Key "0" (« Transverse aux secteurs ») is not a NAF division and is skipped.
    """
    data = read_json(path)
    if not isinstance(data, dict):
        raise LoaderError(path, 1, "objet JSON {division: {libelle, codes_rome}} attendu")
    records = {}
    for key, sector in data.items():
        if not isinstance(sector, dict) or not isinstance(sector.get("codes_rome"), list):
            raise LoaderError(path, None, f"secteur « {key} » sans liste « codes_rome »")
        if not key.isdigit() or int(key) == 0:
            continue
        division = f"{int(key):02d}"
        label = " ".join(str(sector.get("libelle", "")).split())[:255]
        for entry in sector["codes_rome"]:
            code = entry.get("code", "") if isinstance(entry, dict) else str(entry)
            if not ROME_CODE.match(code):
                raise LoaderError(path, None, f"code ROME « {code} » invalide dans le secteur « {key} »")
            records[(division, code)] = {"division_label": label}
    return records


# --- NAF rev.2 -------------------------------------------------------------------------------------------------


def parse_naf(path: Path) -> dict[str, dict]:
    """naf_rev2_sous_classes.csv: the 732 NAF rev.2 sous-classes with their hierarchy (INSEE)."""
    records, lines = {}, {}
    pairs = [
        ("class", "classe", 5),
        ("group", "groupe", 4),
        ("division", "division", 2),
        ("section", "section", 1),
    ]
    columns = ["code", "libelle"] + [name for _, base, _ in pairs for name in (base, f"libelle_{base}")]
    for row in read_csv(path, columns=columns):
        code = row.code("code", NAF_CODE)
        _unique(records, code, row, lines)
        record = {"label": row.text("libelle", max_length=255)}
        for field, base, size in pairs:
            record[f"{field}_code"] = row.text(base, max_length=size)
            record[f"{field}_label"] = row.text(f"libelle_{base}", max_length=255)
        if not code.startswith(record["class_code"]) or record["division_code"] != code[:2]:
            raise row.error(f"hiérarchie incohérente pour le code « {code} »")
        records[code] = record
    return records


# --- Communes --------------------------------------------------------------------------------------------------


def _postcodes(row: Row, column: str) -> list[str]:
    codes = row.data.get(column, "").split()
    for code in codes:
        if not POSTCODE.match(code):
            raise row.error(f"code postal « {code} » invalide dans la colonne « {column} »")
    return codes


def parse_communes(path: Path) -> dict[str, dict]:
    """communes_fr.csv: communes and PLM arrondissements (INSEE COG).

    The 2026 découpage columns (population_2026_decoupage, codes_postaux_decoupage) win when filled;
    coordinates are the centroid, or the town hall when the centroid is missing.
    """
    records, lines = {}, {}
    columns = ["code_insee", "type", "nom", "code_departement", "nom_departement", "code_region", "nom_region"]
    columns += ["population_municipale", "codes_postaux", "lat_centroide", "lon_centroide"]
    for row in read_csv(path, columns=columns):
        insee = row.code("code_insee", INSEE_CODE)
        _unique(records, insee, row, lines)
        name = row.text("nom", max_length=255)
        population = row.integer("population_municipale", default=0)
        if row.data.get("population_2026_decoupage", "").strip():
            population = row.integer("population_2026_decoupage")
        postcodes = _postcodes(row, "codes_postaux_decoupage") or _postcodes(row, "codes_postaux")
        lat = row.coordinate("lat_centroide", -90, 90)
        lon = row.coordinate("lon_centroide", -180, 180)
        if (lat is None or lon is None) and "lat_mairie" in row.data:
            lat, lon = row.coordinate("lat_mairie", -90, 90), row.coordinate("lon_mairie", -180, 180)
        records[insee] = {
            "kind": row.text("type", max_length=8),
            "name": name,
            "departement_code": row.text("code_departement", max_length=3),
            "departement_name": row.text("nom_departement", max_length=255),
            "region_code": row.text("code_region", max_length=3),
            "region_name": row.text("nom_region", max_length=255),
            "population": population,
            "postcodes": " ".join(dict.fromkeys(postcodes))[:255],
            "lat": lat,
            "lon": lon,
            "search_name": normalize(name)[:255],
        }
    return records


# --- Diplomas and certifications ------------------------------------------------------------------------------

# BCN NIVEAU_FORMATION_DIPLOME first digit -> level of the cadre national des certifications (décret 2019-14).
BCN_LEVELS = {"5": 3, "4": 4, "3": 5, "2": 6, "1": 7}


def cfd_level(code: str) -> int | None:
    """Level (3 to 7) from the first digit of a BCN level or CFD code: 5->3, 4->4, 3->5, 2->6, 1->7 (décret 2019-14)."""
    return BCN_LEVELS.get(code[:1])


def rncp_level(value: str) -> int | None:
    """« niveau4 » or « Niveau 4 » -> 4 (cadre national des certifications professionnelles, décret 2019-14)."""
    match = re.search(r"(\d)", value or "")
    if match and 1 <= int(match[1]) <= 8:
        return int(match[1])
    return None


def parse_bcn_diplomas(path: Path) -> dict[str, dict]:
    """n_formation_diplome.csv (Base centrale des nomenclatures, cp1252, ';'): diplomas by CFD."""
    records, lines = {}, {}
    columns = ["FORMATION_DIPLOME", "NIVEAU_FORMATION_DIPLOME", "LIBELLE_COURT", "LIBELLE_LONG_200"]
    columns += ["DATE_OUVERTURE", "DATE_FERMETURE"]
    for row in read_csv(path, columns=columns, encoding="cp1252", delimiter=";"):
        cfd = row.code("FORMATION_DIPLOME", CFD_CODE)
        _unique(records, cfd, row, lines)
        records[cfd] = {
            "title": row.text("LIBELLE_LONG_200", max_length=255),
            "short_title": row.text("LIBELLE_COURT", required=False, max_length=64),
            "level": cfd_level(row.text("NIVEAU_FORMATION_DIPLOME")),
            "opened_on": row.date("DATE_OUVERTURE", "%d/%m/%Y"),
            "closed_on": row.date("DATE_FERMETURE", "%d/%m/%Y"),
        }
    return records


def parse_rncp_info(path: Path) -> dict[str, dict]:
    """rncp_info.v1.4.csv (France compétences, 2021, cp1252, ';'): RNCP fiches.

    A fiche replaced by several new ones is repeated once per NouvelleFiche: the first row is kept.
    Dates are US-style « 8/31/16 » (month/day/two-digit year, all after 2000).
    """
    records = {}
    columns = ["CodeRNCP", "intituleDiplome", "date_fin_validite_enregistrement", "ActiveInactive"]
    columns += ["NiveauEurope", "TypeCertif"]
    for row in read_csv(path, columns=columns, encoding="cp1252", delimiter=";"):
        code = row.code("CodeRNCP", RNCP_CODE)
        if code in records:
            continue
        state = row.text("ActiveInactive")
        if state not in ("ACTIVE", "INACTIVE"):
            raise row.error(f"état « {state} » inconnu (ACTIVE ou INACTIVE attendu)")
        records[code] = {
            "title": row.text("intituleDiplome"),
            "level": rncp_level(row.data["NiveauEurope"]),
            "certification_type": row.text("TypeCertif", required=False, max_length=255),
            "expires_on": row.date("date_fin_validite_enregistrement", "%m/%d/%y"),
            "is_active": state == "ACTIVE",
        }
    return records


KIT_COLUMNS = {
    "cfd": "Code_Diplome",
    "title": "Intitulé diplôme (DEPP)",
    "rncp": "Code_RNCP",
    "level": "Niveau fiche RNCP",
    "type": "Abrégé de diplôme (RNCP)",
    "apprenticeship": "Accès à l'apprentissage de la fiche RNCP (oui/non)",
    "expires_on": "Date d'échéance de la fiche RNCP",
    "state": "Fiche ACTIVE/INACTIVE",
}


@dataclass(frozen=True)
class KitRow:
    cfd: str
    title: str
    rncp: str  # "" when the kit says NR (non renseigné)
    level: int | None
    certification_type: str
    apprenticeship: bool | None
    expires_on: date | None
    is_active: bool | None


def parse_kit(path: Path) -> list[KitRow]:
    """Kit_apprentissage (France compétences, UTF-8 with BOM, ';'): CFD <-> RNCP with apprenticeship access."""
    rows = []
    for row in read_csv(path, columns=KIT_COLUMNS.values(), delimiter=";"):
        c = KIT_COLUMNS
        rncp = row.data[c["rncp"]].strip()
        rncp = "" if rncp == "NR" else row.code(c["rncp"], RNCP_CODE)
        access = row.data[c["apprenticeship"]].strip().lower()
        state = row.data[c["state"]].strip().upper()
        rows.append(
            KitRow(
                cfd=row.code(c["cfd"], CFD_CODE),
                title=row.text(c["title"], max_length=255),
                rncp=rncp,
                level=rncp_level(row.data[c["level"]]),
                certification_type=row.text(c["type"], required=False, max_length=255),
                apprenticeship={"oui": True, "non": False}.get(access),
                expires_on=row.date(c["expires_on"], "%d/%m/%Y"),
                is_active={"ACTIVE": True, "INACTIVE": False}.get(state),
            )
        )
    return rows


def merge_diplomas(
    bcn: dict[str, dict], rncp: dict[str, dict], kit: list[KitRow]
) -> tuple[dict[str, dict], dict[str, dict], set[tuple[str, str]]]:
    """Diplomas, certifications and their links from the BCN, the RNCP and the apprenticeship kit.

    The kit (2023) is newer than the RNCP extract (2021): it wins for level, apprenticeship access,
    expiry and the active flag; titles come from the BCN and the RNCP, else from the kit's DEPP title.
    A diploma's level comes from its CFD (BCN), else from the level of its RNCP fiche in the kit.
    Diplomas and certifications that only appear in the kit are created.
    """
    diplomas = {cfd: dict(record) for cfd, record in bcn.items()}
    certifications = {code: {**record, "apprenticeship": None} for code, record in rncp.items()}
    links = set()
    for row in kit:
        if row.cfd not in diplomas:
            diplomas[row.cfd] = {
                "title": row.title,
                "short_title": "",
                "level": cfd_level(row.cfd) or row.level,
                "opened_on": None,
                "closed_on": None,
            }
        elif diplomas[row.cfd]["level"] is None and row.level is not None:
            diplomas[row.cfd]["level"] = row.level  # the BCN level says nothing (e.g. 0xx, 9xx): the RNCP level
        if not row.rncp:
            continue
        links.add((row.cfd, row.rncp))
        cert = certifications.setdefault(
            row.rncp,
            {
                "title": row.title,
                "level": None,
                "certification_type": "",
                "expires_on": None,
                "is_active": True,
                "apprenticeship": None,
            },
        )
        if row.level is not None:
            cert["level"] = row.level
        if row.apprenticeship is not None:
            cert["apprenticeship"] = row.apprenticeship
        if row.expires_on is not None:
            cert["expires_on"] = row.expires_on
        if row.is_active is not None:
            cert["is_active"] = row.is_active
        if row.certification_type and not cert["certification_type"]:
            cert["certification_type"] = row.certification_type
    return diplomas, certifications, links


def parse_rncp_rome(path: Path) -> list[tuple[str, str]]:
    """rncp_rome.v1.4.csv (France compétences, cp1252, ';'): (RNCP, ROME v3 code as written) pairs."""
    pairs = []
    for row in read_csv(path, columns=["CodeRNCP", "Rome"], encoding="cp1252", delimiter=";"):
        pairs.append((row.code("CodeRNCP", RNCP_CODE), row.text("Rome")))
    return pairs


def bridge_rncp_romes(pairs: Iterable[tuple[str, str]], bridge: dict[str, Counter]) -> tuple[set[tuple], int]:
    """(RNCP, ROME v3) -> {(RNCP, ROME 4.0)}: every v4 fiche holding an appellation whose v3 parent is the code.

    Returns the pairs and the number of source pairs that map to no v4 fiche (e.g. domain codes « H12 »).
    """
    result, unmapped = set(), 0
    for rncp, v3 in pairs:
        targets = bridge.get(v3)
        if not targets:
            unmapped += 1
            continue
        result.update((rncp, v4) for v4 in targets)
    return result, unmapped


# --- SMIC ------------------------------------------------------------------------------------------------------

CENT = Decimal("0.01")


def monthly_smic(hourly: Decimal, monthly_hours: Decimal) -> Decimal:
    """Monthly SMIC = hourly x weekly hours x 52 / 12, half-up to the cent (mensualisation, Code du travail L3242-1).

    `monthly_hours` (151.67, 169 or 173.33) is the rounded weekly duration x 52 / 12 (35, 39 or 40 h).
    """
    weekly = (monthly_hours * 12 / 52).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return (hourly * weekly * 52 / 12).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_smic(path: Path) -> dict[date, dict]:
    """smic_history_fr.csv: SMIC revaluations (Code du travail L3231-2 and following).

    Old rows have no monthly amount: it is computed by `monthly_smic`, the rule every official amount follows.
    """
    records, lines = {}, {}
    columns = ["date_effet", "smic_horaire_brut_eur", "heures_mensuelles", "smic_mensuel_brut_eur", "texte"]
    for row in read_csv(path, columns=columns):
        effective = row.date("date_effet", "%Y-%m-%d")
        if effective is None:
            raise row.error("la colonne « date_effet » est vide")
        _unique(records, effective, row, lines)
        hourly = row.decimal("smic_horaire_brut_eur")
        hours = row.decimal("heures_mensuelles")
        monthly = row.decimal("smic_mensuel_brut_eur", required=False)
        if monthly is None:
            monthly = monthly_smic(hourly, hours)
        records[effective] = {
            "hourly_gross": hourly,
            "monthly_hours": hours,
            "monthly_gross": monthly,
            "legal_text": row.text("texte", required=False)[:255],
        }
    return records


def excel_serial_date(value: str) -> date | None:
    """An Excel serial day number (days since 1899-12-30), as the UAI extract writes its dates."""
    value = (value or "").strip()
    if not value.isdigit():
        return None
    return date(1899, 12, 30) + timedelta(days=int(value))
