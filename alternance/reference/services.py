"""Loading of the official referentials into the database (one transaction for the whole load)."""

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from alternance.reference import loaders, registry, sync
from alternance.reference.models import (
    Appellation,
    Certification,
    Commune,
    Diploma,
    NafCode,
    NafDivisionRome,
    ReferenceLoad,
    RomeNafWeight,
    RomeOccupation,
    SmicRate,
)
from alternance.reference.sources import Source, all_datasets, dataset, plugged_datasets
from alternance.reference.sync import TableCount, sync_by_pk, sync_links


@dataclass
class LoadReport:
    """What a load read, what it could not find and what it changed, table by table."""

    tables: dict[str, TableCount] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False  # same sources and row counts as the last load: nothing was compared

    @property
    def changed(self) -> int:
        return sum(count.changed for count in self.tables.values())


@dataclass
class Parsed:
    fiches: dict | None = None
    appellations: dict | None = None
    naf: dict | None = None
    communes: dict | None = None
    weights: dict | None = None
    division_romes: dict | None = None
    diplomas: dict | None = None
    certifications: dict | None = None
    diploma_links: set | None = None
    certification_romes: set | None = None
    smic: dict | None = None
    plugged: dict = field(default_factory=dict)  # dataset name -> records of a plugged dataset (sources.py)
    complete: set = field(default_factory=set)  # datasets read in full: vanished rows may be deactivated


def _read(source: Source | None, parser, *args):
    if source is None:
        return None
    if source.kind == "registry":
        return registry.read(source, *args)
    return parser(source.path, *args)


def parse_sources(sources: dict[str, Source], report: LoadReport) -> Parsed:
    """Read every available file (no database write); raises LoaderError on the first bad line."""
    s = sources.get
    p = Parsed()
    p.fiches = _read(s("rome_fiches"), loaders.parse_rome_fiches)
    if p.fiches is not None:
        rome_codes = set(p.fiches)
    else:
        rome_codes = set(RomeOccupation.objects.active().values_list("pk", flat=True))
    p.appellations = _read(s("rome_appellations"), loaders.parse_appellations, rome_codes)
    if p.appellations is not None:
        bridge = loaders.v3_to_v4_counts(p.appellations)
    else:
        rows = Appellation.objects.active().values("rome_id", "rome_v3_parent")
        bridge = loaders.v3_to_v4_counts(dict(enumerate(rows)))
    p.naf = _read(s("naf"), loaders.parse_naf)
    naf_codes = set(p.naf) if p.naf is not None else set(NafCode.objects.active().values_list("pk", flat=True))
    p.communes = _read(s("communes"), loaders.parse_communes)

    hirings = _read(s("rome_naf_hirings"), loaders.parse_naf_hirings)
    if hirings is not None:
        unknown = [row for row in hirings if row[1] not in naf_codes]
        if unknown:
            report.notes.append(f"embauches ROME × NAF : {len(unknown)} ligne(s) au code NAF inconnu ignorée(s)")
        usable = [(v3, naf, n) for v3, naf, n, _ in hirings if naf in naf_codes]
        weights = loaders.bridge_naf_hirings(usable, bridge)
        p.weights = {key: {"hirings": n} for key, n in weights.items() if key[0] in rome_codes}
        if not bridge:
            report.notes.append("embauches ROME × NAF : sans appellations, le pont ROME v3 → 4.0 est impossible")

    divisions = _read(s("naf_division_rome"), loaders.parse_naf_division_rome)
    if divisions is not None:
        p.division_romes = {key: value for key, value in divisions.items() if key[1] in rome_codes}
        if len(p.division_romes) < len(divisions):
            ignored = len(divisions) - len(p.division_romes)
            report.notes.append(f"secteurs NAF → ROME : {ignored} couple(s) au code ROME inconnu ignoré(s)")

    bcn = _read(s("bcn"), loaders.parse_bcn_diplomas)
    rncp = _read(s("rncp_info"), loaders.parse_rncp_info)
    kit = _read(s("kit"), loaders.parse_kit)
    if bcn is not None or rncp is not None or kit is not None:
        p.diplomas, p.certifications, links = loaders.merge_diplomas(bcn or {}, rncp or {}, kit or [])
        if kit is not None:
            p.diploma_links = links
        if bcn is not None and kit is not None:
            p.complete.add("diplomas")
        if rncp is not None and kit is not None:
            p.complete.add("certifications")
    rncp_romes = _read(s("rncp_rome"), loaders.parse_rncp_rome)
    if rncp_romes is not None and bridge:
        known = (
            set(p.certifications)
            if p.certifications is not None
            else set(Certification.objects.values_list("pk", flat=True))
        )
        pairs, unmapped = loaders.bridge_rncp_romes(rncp_romes, bridge)
        p.certification_romes = {pair for pair in pairs if pair[0] in known and pair[1] in rome_codes}
        if unmapped:
            report.notes.append(
                f"RNCP → ROME : {unmapped} ligne(s) sans fiche ROME 4.0 correspondante (codes de domaine) ignorée(s)"
            )
    p.smic = _read(s("smic"), loaders.parse_smic)
    for plugged in plugged_datasets():
        records = _read(s(plugged.dataset.name), plugged.parse)
        if records is not None:
            p.plugged[plugged.dataset.name] = records
    return p


MASS_REMOVAL_RATIO = 10  # percent of a table's active codes
MASS_REMOVAL_MIN = 50


def removal_guard(source: Source | None, allow: bool):
    """Refuse to deactivate more than 10 % (and more than 50) of a table's codes: the file is likely truncated."""

    def check(vanished: int, active: int) -> None:
        if allow or source is None or vanished <= max(MASS_REMOVAL_MIN, active * MASS_REMOVAL_RATIO // 100):
            return
        line = None
        if source.kind == "files" and source.path.suffix == ".csv":
            line = source.path.read_bytes().rstrip(b"\r\n").count(b"\n") + 1
        raise loaders.LoaderError(
            source.path,
            line,
            f"le fichier semble tronqué : {vanished} codes actifs sur {active} "
            "disparaîtraient. Vérifiez le fichier, ou relancez avec --allow-removals si ces retraits sont voulus",
        )

    return check


def fingerprint(sources: dict[str, Source]) -> str:
    """SHA-256 of the source files, where they come from, and the code that reads them."""
    digest = hashlib.sha256()
    code = [module.__file__ for module in (loaders, registry, sync)]
    code += [path for plugged in plugged_datasets() for path in plugged.code]
    for path in code:
        digest.update(Path(path).read_bytes())
    digest.update(Path(__file__).read_bytes())
    for name in sorted(sources):
        source = sources[name]
        digest.update(f"{name}|{source.kind}|{source.origin}|{source.path}|".encode())
        digest.update(hashlib.sha256(Path(source.path).read_bytes()).digest())
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    """Rows per table, as named in the report."""
    counts = {
        "RomeOccupation": RomeOccupation.objects.count(),
        "NafCode": NafCode.objects.count(),
        "Commune": Commune.objects.count(),
        "Appellation": Appellation.objects.count(),
        "RomeNafWeight": RomeNafWeight.objects.count(),
        "NafDivisionRome": NafDivisionRome.objects.count(),
        "Certification": Certification.objects.count(),
        "Diploma": Diploma.objects.count(),
        "Diploma.certifications": Diploma.certifications.through.objects.count(),
        "Certification.romes": Certification.romes.through.objects.count(),
        "SmicRate": SmicRate.objects.count(),
    }
    counts.update((plugged.table, plugged.count()) for plugged in plugged_datasets())
    return counts


def _unchanged_since_last_load(print_: str, report: LoadReport) -> bool:
    """True when the last load read the very same sources and every table still has its row count."""
    last = ReferenceLoad.objects.order_by("-pk").first()
    if last is None or last.sources.get("fingerprint") != print_:
        return False
    rows = row_counts()
    if last.sources.get("rows") != rows:
        return False
    report.skipped = True
    report.tables = {name: TableCount(unchanged=rows[name]) for name in last.counts if name in rows}
    return True


def load_reference(sources: dict[str, Source], *, allow_removals: bool = False, force: bool = False) -> LoadReport:
    """Bring the reference tables, then the plugged datasets (the CFA), in line with the sources, in one transaction.

    Idempotent: rows are compared in memory and only differences are written. A code that vanished from
    a source read in full is marked inactive, never deleted; derived link tables are rewritten exactly.
    A source that would deactivate more than a tenth of its table fails (see `removal_guard`).
    When the sources (and the loading code) are byte for byte those of the last load and no table
    lost or gained rows since, nothing is compared (a second run takes a fraction of a second) unless
    `force` is true.
    """
    started = time.perf_counter()
    report = LoadReport()
    for dataset_ in all_datasets():
        if dataset_.name in sources:
            report.sources[dataset_.name] = sources[dataset_.name].describe()
        else:
            report.missing[dataset_.name] = f"{dataset_.label} : {dataset_.missing}"
    print_ = fingerprint(sources)
    if not force and _unchanged_since_last_load(print_, report):
        report.seconds = round(time.perf_counter() - started, 2)
        ReferenceLoad.objects.create(
            sources={**_sources_json(report), "fingerprint": print_, "rows": row_counts(), "skipped": True},
            counts={name: count.as_dict() for name, count in report.tables.items()},
        )
        return report
    p = parse_sources(sources, report)
    if p.fiches is not None and "rome_appellations" in report.missing:
        fiches = f"{len(p.fiches):,}".replace(",", "\u202f")
        report.missing["rome_appellations"] = report.missing["rome_appellations"].replace(
            "les fiches seules", f"les {fiches} fiches"
        )
    tables = report.tables

    def guard(name):
        return removal_guard(sources.get(name), allow_removals)

    with transaction.atomic():
        if p.fiches is not None:
            tables["RomeOccupation"] = sync_by_pk(RomeOccupation, p.fiches, guard=guard("rome_fiches"))
        if p.naf is not None:
            tables["NafCode"] = sync_by_pk(NafCode, p.naf, guard=guard("naf"))
        if p.communes is not None:
            tables["Commune"] = sync_by_pk(Commune, p.communes, guard=guard("communes"))
        if p.appellations is not None:
            tables["Appellation"] = sync_by_pk(Appellation, p.appellations, guard=guard("rome_appellations"))
        if p.weights is not None:
            tables["RomeNafWeight"] = sync_links(RomeNafWeight, ("rome_id", "naf_id"), p.weights)
        if p.division_romes is not None:
            tables["NafDivisionRome"] = sync_links(NafDivisionRome, ("division_code", "rome_id"), p.division_romes)
        if p.certifications is not None:
            tables["Certification"] = sync_by_pk(
                Certification,
                p.certifications,
                deactivate="certifications" in p.complete,
                guard=guard("rncp_info"),
            )
        if p.diplomas is not None:
            tables["Diploma"] = sync_by_pk(Diploma, p.diplomas, deactivate="diplomas" in p.complete, guard=guard("bcn"))
        if p.diploma_links is not None:
            links = {pair: {} for pair in p.diploma_links if pair[1] in p.certifications}
            tables["Diploma.certifications"] = sync_links(
                Diploma.certifications.through, ("diploma_id", "certification_id"), links
            )
        if p.certification_romes is not None:
            tables["Certification.romes"] = sync_links(
                Certification.romes.through,
                ("certification_id", "romeoccupation_id"),
                {pair: {} for pair in p.certification_romes},
            )
        if p.smic is not None:
            tables["SmicRate"] = sync_by_pk(SmicRate, p.smic, deactivate=False)
        for plugged in plugged_datasets():  # after the reference tables they may point to
            if plugged.dataset.name in p.plugged:
                tables[plugged.table] = plugged.sync(p.plugged[plugged.dataset.name])
        report.seconds = round(time.perf_counter() - started, 2)
        ReferenceLoad.objects.create(
            sources={**_sources_json(report), "fingerprint": print_, "rows": row_counts()},
            counts={name: count.as_dict() for name, count in tables.items()},
        )
    return report


def _sources_json(report: LoadReport) -> dict:
    return {"used": report.sources, "missing": report.missing, "notes": report.notes}


def dataset_label(name: str) -> str:
    return dataset(name).label
