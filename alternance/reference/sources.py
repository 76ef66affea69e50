"""Where the referential files come from: --source, ALTERNANCE_DATA_DIR, ../shared/data, or registry packages.

Each dataset is looked up on its own: a folder may hold only some files, the others then come from the
packages of `alternance.reference.registry` when they are installed, or are reported missing.

Higher apps plug their own official files into `load_reference` with `register_dataset` (from their
AppConfig.ready()): reference reads, fingerprints, writes and counts them with its own, in the same
transaction, without naming those apps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from alternance.reference.sync import TableCount


@dataclass(frozen=True)
class Dataset:
    name: str
    path: str  # relative to the data folder
    label: str  # French, for the report
    missing: str  # French: what the platform does without it


DATASETS = [
    Dataset(
        "rome_fiches",
        "rome/cr_gd_dp_v4_utf8.csv",
        "fiches ROME 4.0",
        "absentes — aucun métier n'est proposé",
    ),
    Dataset(
        "rome_appellations",
        "rome/unix_referentiel_appellation_v460_utf8.csv",
        "appellations ROME 4.0",
        "absentes (fichier ROME 4.0 introuvable) — la recherche de métier se fait sur les fiches seules",
    ),
    Dataset("naf", "naf/naf_rev2_sous_classes.csv", "NAF rév. 2", "absente — les secteurs d'activité sont inconnus"),
    Dataset(
        "communes",
        "communes/communes_fr.csv",
        "communes",
        "absentes — la recherche par lieu est impossible",
    ),
    Dataset(
        "rome_naf_hirings",
        "rome_naf/rome_v3_naf_hirings.csv",
        "embauches ROME × NAF (La Bonne Boite)",
        "absentes — les métiers d'une entreprise viennent de la seule table division NAF → ROME",
    ),
    Dataset(
        "naf_division_rome",
        "rome_naf/secteurs_naf_rome.json",
        "secteurs NAF → ROME (France Travail)",
        "absents — aucun métier n'est suggéré à partir du secteur d'une entreprise",
    ),
    Dataset(
        "bcn",
        "diplomes/n_formation_diplome.csv",
        "diplômes (BCN)",
        "absents — seuls les diplômes du kit apprentissage sont connus",
    ),
    Dataset(
        "rncp_info",
        "diplomes/rncp_info.v1.4.csv",
        "fiches RNCP",
        "absentes — seules les certifications du kit apprentissage sont connues",
    ),
    Dataset(
        "kit",
        "diplomes/Kit_apprentissage_20231218.csv",
        "kit apprentissage CFD ↔ RNCP",
        "absent — diplômes et certifications ne sont pas reliés",
    ),
    Dataset(
        "rncp_rome",
        "diplomes/rncp_rome.v1.4.csv",
        "RNCP → ROME",
        "absent — les certifications ne sont reliées à aucun métier",
    ),
    Dataset(
        "smic",
        "smic/smic_history_fr.csv",
        "historique du SMIC",
        "absent — la rémunération minimale ne peut pas être calculée",
    ),
]


@dataclass(frozen=True)
class PluggedDataset:
    """A dataset a higher app loads with the referentials (the CFA file for `organisations`).

    `parse(path)` is pure and raises LoaderError on a bad line; `sync(records)` writes inside
    load_reference's transaction, after the reference tables, and returns its TableCount; `count()` is
    the number of rows it owns (a load is skipped only when it is unchanged); the files of `code` enter
    the fingerprint, so that a new reader reloads.
    """

    dataset: Dataset
    table: str  # its name in the report, e.g. "Organisation (CFA)"
    parse: Callable[[Path], Any]
    sync: Callable[[Any], TableCount]
    count: Callable[[], int]
    code: tuple[str, ...] = ()


_PLUGGED: dict[str, PluggedDataset] = {}


def register_dataset(plugged: PluggedDataset) -> None:
    """Add a higher app's dataset to load_reference (idempotent: registered by name)."""
    if any(dataset.name == plugged.dataset.name for dataset in DATASETS):
        raise ValueError(f"dataset {plugged.dataset.name!r} already belongs to reference")
    _PLUGGED[plugged.dataset.name] = plugged


def plugged_datasets() -> list[PluggedDataset]:
    """The registered datasets, in registration order (the order of INSTALLED_APPS)."""
    return list(_PLUGGED.values())


def all_datasets() -> list[Dataset]:
    """Reference's datasets, then the plugged ones: the order of the load report."""
    return DATASETS + [plugged.dataset for plugged in _PLUGGED.values()]


def dataset(name: str) -> Dataset:
    return next(dataset for dataset in all_datasets() if dataset.name == name)


@dataclass(frozen=True)
class Source:
    """One file to read for a dataset; `kind` is "files" (the official file) or "registry" (a package)."""

    dataset: str
    path: Path
    kind: str = "files"
    origin: str = ""

    def describe(self) -> str:
        return f"{self.path} ({self.origin})" if self.origin else str(self.path)


class SourceError(Exception):
    pass


def default_data_dir() -> tuple[Path | None, str]:
    """The data folder and how it was chosen: ALTERNANCE_DATA_DIR, else ../shared/data when it exists."""
    configured = getattr(settings, "ALTERNANCE_DATA_DIR", "")
    if configured:
        return Path(configured), "ALTERNANCE_DATA_DIR"
    sibling = Path(settings.BASE_DIR).parent / "shared" / "data"
    if sibling.is_dir():
        return sibling, "../shared/data"
    return None, ""


def resolve_sources(source: str | Path | None = None, *, use_registry: bool = True) -> dict[str, Source]:
    """The file to read for each dataset; datasets found nowhere are absent from the result."""
    if source:
        folder, how = Path(source), "--source"
    else:
        folder, how = default_data_dir()
    if folder is not None and not folder.is_dir():
        raise SourceError(f"Le dossier des référentiels « {folder} » ({how}) n'existe pas : vérifiez le chemin.")
    found: dict[str, Source] = {}
    for dataset_ in all_datasets():
        if folder is not None and (folder / dataset_.path).is_file():
            found[dataset_.name] = Source(dataset_.name, folder / dataset_.path, "files", how)
    if use_registry:
        from alternance.reference import registry

        for name, found_source in registry.find_sources().items():
            found.setdefault(name, found_source)
    return found
