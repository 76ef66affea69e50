"""Open-data exports of the catalogue: published trainings and the organisations register.

Each dataset has one documented schema (DATASETS) that drives the CSV header, the JSON Lines keys and the
Parquet schema, and the documentation page. Demonstration rows (is_demo) never leave: the exports hold only
real trainings, and the organisations' counts count only those. Files are written to a temporary name then renamed, so a
reader never sees a half-written file.
"""

import csv
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import Count

from alternance.organisations.models import Organisation
from alternance.trainings.models import Training

FORMATS = ("csv", "jsonl", "parquet")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/jsonl; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}
BATCH = 5000


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # string, integer, number, boolean, date, datetime, list
    description: str
    get: Callable

    @property
    def arrow_type(self) -> pa.DataType:
        return {
            "string": pa.string(),
            "integer": pa.int64(),
            "number": pa.float64(),
            "boolean": pa.bool_(),
            "date": pa.date32(),
            "datetime": pa.timestamp("s", tz="UTC"),
            "list": pa.list_(pa.string()),
        }[self.type]


def _iso(value):
    return value.isoformat() if value else None


def _utc(value: dt.datetime | None):
    return value.astimezone(dt.UTC).replace(microsecond=0) if value else None


TRAINING_COLUMNS = (
    Column("id", "integer", "Identifiant de la formation sur la plateforme", lambda t: t.pk),
    Column("intitule", "string", "Intitulé de la formation", lambda t: t.title),
    Column("organisme_id", "integer", "Identifiant de l'organisme responsable", lambda t: t.organisation_id),
    Column("organisme_siret", "string", "SIRET de l'organisme responsable", lambda t: t.organisation.siret or None),
    Column("organisme_uai", "string", "UAI de l'organisme responsable", lambda t: t.organisation.uai or None),
    Column("organisme_nom", "string", "Nom de l'organisme responsable", lambda t: t.organisation.name),
    Column(
        "formateur_siret",
        "string",
        "SIRET de l'organisme formateur",
        lambda t: (t.trainer.siret or None) if t.trainer_id else None,
    ),
    Column(
        "formateur_uai",
        "string",
        "UAI de l'organisme formateur",
        lambda t: (t.trainer.uai or None) if t.trainer_id else None,
    ),
    Column(
        "code_rncp",
        "string",
        "Fiche du Répertoire national des certifications professionnelles",
        lambda t: t.certification_id or t.rncp_code or None,
    ),
    Column(
        "code_cfd",
        "string",
        "Code formation diplôme (Base centrale des nomenclatures)",
        lambda t: t.diploma_id or t.cfd_code or None,
    ),
    Column("niveau", "integer", "Niveau du cadre national des certifications (3 à 8)", lambda t: t.level),
    Column("codes_rome", "list", "Métiers ROME 4.0 préparés", lambda t: sorted(r.rome_id for r in t.romes.all())),
    Column("formacodes", "list", "Codes Formacode du domaine de formation", lambda t: t.formacodes.split()),
    Column("commune_insee", "string", "Code INSEE de la commune du lieu de formation", lambda t: t.commune_id),
    Column(
        "commune_nom", "string", "Nom de la commune", lambda t: t.commune.name if t.commune_id else (t.city or None)
    ),
    Column("code_postal", "string", "Code postal du lieu de formation", lambda t: t.postcode or None),
    Column("adresse", "string", "Adresse du lieu de formation", lambda t: t.address or None),
    Column("latitude", "number", "Latitude WGS 84", lambda t: t.lat),
    Column("longitude", "number", "Longitude WGS 84", lambda t: t.lon),
    Column(
        "geocode_par_commune",
        "boolean",
        "Coordonnées du centre de la commune (le flux n'en donnait pas)",
        lambda t: t.geocoded_by_commune,
    ),
    Column("date_debut", "date", "Début de la première session", lambda t: t.start_date),
    Column("date_fin", "date", "Fin de la dernière session", lambda t: t.end_date),
    Column("duree_mois", "integer", "Durée en mois", lambda t: t.duration_months),
    Column("url", "string", "Page de la formation chez l'organisme", lambda t: t.url or None),
    Column("source", "string", "Flux d'origine", lambda t: t.source),
    Column(
        "identifiant_source",
        "string",
        "Identifiant LHEO formation/action dans le flux d'origine",
        lambda t: t.external_id or None,
    ),
    Column("mise_a_jour", "datetime", "Dernière modification (UTC)", lambda t: _utc(t.updated_at)),
)

ORGANISATION_COLUMNS = (
    Column("id", "integer", "Identifiant de l'organisme sur la plateforme", lambda o: o.pk),
    Column("siret", "string", "SIRET (14 chiffres)", lambda o: o.siret or None),
    Column("uai", "string", "UAI retenu (7 chiffres et une lettre)", lambda o: o.uai or None),
    Column("uai_probable", "string", "UAI confirmé par le plus de sources", lambda o: o.probable_uai or None),
    Column("conflit_uai", "boolean", "Les sources donnent des UAI différents pour ce SIRET", lambda o: o.uai_conflict),
    Column("nom", "string", "Nom de l'organisme", lambda o: o.name),
    Column("adresse", "string", "Adresse", lambda o: o.address or None),
    Column("code_postal", "string", "Code postal", lambda o: o.postcode or None),
    Column("ville", "string", "Ville", lambda o: o.city or None),
    Column("commune_insee", "string", "Code INSEE de la commune", lambda o: o.commune_id),
    Column("latitude", "number", "Latitude WGS 84", lambda o: o.lat),
    Column("longitude", "number", "Longitude WGS 84", lambda o: o.lon),
    Column("nature", "string", "responsable, formateur, responsable_formateur ou inconnue", lambda o: o.nature),
    Column("qualiopi", "boolean", "Certifié Qualiopi (vide : inconnu)", lambda o: o.qualiopi),
    Column("verdict_qualite", "string", "fiable, a_verifier ou non_fiable", lambda o: o.quality_verdict),
    Column("problemes_qualite", "list", "Codes des problèmes de qualité relevés", lambda o: list(o.quality_issues)),
    Column("formations_publiees", "integer", "Nombre de formations publiées", lambda o: o.published_count),
    Column("mise_a_jour", "datetime", "Dernière modification (UTC)", lambda o: _utc(o.updated_at)),
)


def _trainings() -> Iterator[Training]:
    qs = (
        Training.objects.visible()
        .real()
        .select_related("organisation", "trainer", "commune")
        .prefetch_related("romes")
        .order_by("pk")
    )
    return qs.iterator(chunk_size=BATCH)


def _organisations() -> Iterator[Organisation]:
    published = dict(
        Training.objects.visible()
        .real()
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
        .order_by()
    )
    for organisation in Organisation.objects.order_by("pk").iterator(chunk_size=BATCH):
        organisation.published_count = published.get(organisation.pk, 0)
        yield organisation


DATASETS = {
    "formations": {
        "title": "Formations en apprentissage publiées",
        "columns": TRAINING_COLUMNS,
        "rows": _trainings,
    },
    "organismes": {
        "title": "Registre des organismes de formation",
        "columns": ORGANISATION_COLUMNS,
        "rows": _organisations,
    },
}


def output_dir() -> Path:
    return Path(getattr(settings, "OPEN_DATA_DIR", "") or Path(settings.BASE_DIR) / "var" / "open-data")


def schema_document() -> dict:
    """The documented schema of every dataset (Table Schema style)."""
    return {
        name: {
            "title": dataset["title"],
            "formats": list(FORMATS),
            "fields": [{"name": c.name, "type": c.type, "description": c.description} for c in dataset["columns"]],
        }
        for name, dataset in DATASETS.items()
    }


def _csv_value(column: Column, value):
    if value is None:
        return ""
    if column.type == "list":
        return " ".join(value)
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type in ("date", "datetime"):
        return value.isoformat()
    return value


def _json_value(column: Column, value):
    return _iso(value) if column.type in ("date", "datetime") else value


def _replace(tmp: Path, final: Path) -> None:
    os.replace(tmp, final)


def export(name: str, folder: Path | None = None) -> dict[str, int]:
    """Write one dataset in every format; returns {format: rows}."""
    dataset = DATASETS[name]
    columns = dataset["columns"]
    folder = folder or output_dir()
    folder.mkdir(parents=True, exist_ok=True)
    paths = {fmt: folder / f"{name}.{fmt}" for fmt in FORMATS}
    tmp = {fmt: path.with_suffix(path.suffix + ".tmp") for fmt, path in paths.items()}
    arrow_schema = pa.schema([pa.field(c.name, c.arrow_type) for c in columns])
    rows = 0
    with (
        open(tmp["csv"], "w", encoding="utf-8", newline="") as csv_file,
        open(tmp["jsonl"], "w", encoding="utf-8") as jsonl_file,
        pq.ParquetWriter(tmp["parquet"], arrow_schema, compression="zstd") as parquet,
    ):
        writer = csv.writer(csv_file)
        writer.writerow([c.name for c in columns])
        batch: dict[str, list] = {c.name: [] for c in columns}
        for obj in dataset["rows"]():
            values = [c.get(obj) for c in columns]
            writer.writerow([_csv_value(c, v) for c, v in zip(columns, values, strict=True)])
            jsonl_file.write(
                json.dumps(
                    {c.name: _json_value(c, v) for c, v in zip(columns, values, strict=True)}, ensure_ascii=False
                )
                + "\n"
            )
            for c, v in zip(columns, values, strict=True):
                batch[c.name].append(v)
            rows += 1
            if rows % BATCH == 0:
                parquet.write_table(pa.table(batch, schema=arrow_schema))
                batch = {c.name: [] for c in columns}
        if any(batch.values()) or rows == 0:
            parquet.write_table(pa.table(batch, schema=arrow_schema))
    for fmt in FORMATS:
        _replace(tmp[fmt], paths[fmt])
    return {fmt: rows for fmt in FORMATS}


def export_all(folder: Path | None = None) -> dict[str, int]:
    """Regenerate every dataset and the schema document; returns rows per dataset."""
    folder = folder or output_dir()
    counts = {name: export(name, folder)["csv"] for name in DATASETS}
    schema_path = folder / "schema.json"
    tmp = schema_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(schema_document(), ensure_ascii=False, indent=2), encoding="utf-8")
    _replace(tmp, schema_path)
    return counts


def published_file(filename: str, folder: Path | None = None) -> Path | None:
    """The path of a published open-data file (datasets and schema.json), or None."""
    allowed = {f"{name}.{fmt}" for name in DATASETS for fmt in FORMATS} | {"schema.json"}
    if filename not in allowed:
        return None
    path = (folder or output_dir()) / filename
    return path if path.is_file() else None


def etag(path: Path) -> str:
    """A strong validator from the file's content (computed once per size and modification time)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _ETAGS:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _ETAGS[key] = f'"{digest.hexdigest()[:32]}"'
    return _ETAGS[key]


_ETAGS: dict[tuple, str] = {}
