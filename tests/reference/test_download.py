"""Referentials from a mirror or a publisher over HTTP, served on the loopback address (no test reaches the internet).

A full load from the mirror gives the same rows as from the folder; an interrupted download, a truncated file,
a wrong checksum and a 404 leave the database unchanged with a clear message; a second run with unchanged
sources downloads nothing new (conditional requests) and changes nothing.
"""

import hashlib
import re
import shutil
import zipfile
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from alternance.reference import download, publishers
from alternance.reference.models import ReferenceLoad, SmicRate
from alternance.reference.services import load_reference, row_counts
from alternance.reference.sources import DATASETS, all_datasets, all_publishers, resolve_sources
from tests.reference.mirror import MirrorServer

pytestmark = pytest.mark.django_db

SMIC = "smic/smic_history_fr.csv"
LAST_SMIC = date(2026, 6, 1)  # last revaluation of the real file


@pytest.fixture(autouse=True)
def cache(settings, tmp_path):
    settings.REFERENTIAL_CACHE_DIR = tmp_path / "cache"
    return settings.REFERENTIAL_CACHE_DIR


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """No test reaches the internet: a download from any other host than the loopback address fails the test."""
    real_fetch = download.fetch

    def fetch(url, *args, **kwargs):
        assert url.startswith("http://127.0.0.1:"), f"téléchargement hors de la boucle locale : {url}"
        return real_fetch(url, *args, **kwargs)

    monkeypatch.setattr(download, "fetch", fetch)


@pytest.fixture
def only_our_publishers(monkeypatch):
    """The test's publishers table, without the plugged datasets (the CFA file's public copy is on the internet)."""

    def use(table):
        monkeypatch.setattr("alternance.reference.sources.PUBLISHERS", table)
        monkeypatch.setattr("alternance.reference.sources._PLUGGED", {})

    return use


@pytest.fixture
def mirror_root(tmp_path, data_dir):
    """A mirror holding only the SMIC file, its last revaluation's legal text edited (so a load would change it)."""
    root = tmp_path / "mirror"
    (root / "smic").mkdir(parents=True)
    text = (data_dir / SMIC).read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[-1] = lines[-1].replace("Arrêté du 22 mai 2026", "Arrêté du 22 mai 2026 (copie du miroir)")
    (root / SMIC).write_text("".join(lines), encoding="utf-8")
    return root


@pytest.fixture
def empty_folder(tmp_path):
    """A data folder holding nothing: every dataset comes from elsewhere (mirror, publisher, public copy)."""
    folder = tmp_path / "vide"
    folder.mkdir()
    return folder


@pytest.fixture
def resolve_from_empty(empty_folder):
    """resolve_sources from the empty folder without the registry packages: (sources, notes)."""

    def resolve(**options):
        notes: list[str] = []
        return resolve_sources(empty_folder, use_registry=False, notes=notes, **options), notes

    return resolve


def run(tmp_path, url, **options) -> str:
    empty = tmp_path / "vide"
    empty.mkdir(exist_ok=True)
    out = StringIO()
    call_command("load_reference", source=str(empty), source_url=url, no_registry=True, stdout=out, **options)
    return out.getvalue()


def legal_text() -> str:
    return SmicRate.objects.get(pk=LAST_SMIC).legal_text


def test_a_full_load_from_the_mirror_gives_the_same_rows_as_from_the_folder(reference_data, resolve_from_empty):
    before = row_counts()
    with MirrorServer(reference_data) as mirror:
        sources, notes = resolve_from_empty(source_url=mirror.url)
        assert set(sources) == {dataset.name for dataset in all_datasets()}
        assert all(source.origin.startswith(f"miroir {mirror.url}/") for source in sources.values())
        report = load_reference(sources, force=True)
    assert report.changed == 0 and row_counts() == before
    assert (
        "sha256" in report.sources["smic"] and mirror.url in ReferenceLoad.objects.latest("pk").sources["used"]["smic"]
    )
    assert len(notes) == len(all_datasets()) and all("téléchargé" in note for note in notes)


def test_the_mirror_loads_then_a_second_run_downloads_nothing_and_changes_nothing(
    reference_data, tmp_path, mirror_root
):
    with MirrorServer(mirror_root) as mirror:
        first = run(tmp_path, mirror.url)
        assert "(copie du miroir)" in legal_text() and "téléchargé" in first
        second = run(tmp_path, mirror.url)
        assert mirror.statuses(SMIC) == [200, 304]
    assert "inchangé, rien téléchargé" in second and "Aucun changement" in second


def test_a_truncated_download_changes_nothing_and_the_next_run_resumes(reference_data, tmp_path, mirror_root, cache):
    with MirrorServer(mirror_root) as mirror:
        mirror.truncate.add(SMIC)
        with pytest.raises(CommandError, match="interrompu|incomplet") as error:
            run(tmp_path, mirror.url)
        assert "Aucune modification" in str(error.value)
        assert "(copie du miroir)" not in legal_text()
        assert not (cache / "miroir" / SMIC).exists() and (cache / "miroir" / (SMIC + ".part")).exists()
        mirror.truncate.clear()
        run(tmp_path, mirror.url)
        assert mirror.statuses(SMIC) == [200, 206]  # the second request asked for the rest only
    assert "(copie du miroir)" in legal_text()
    assert (cache / "miroir" / SMIC).read_bytes() == (mirror_root / SMIC).read_bytes()


def test_an_interrupted_connection_changes_nothing(reference_data, tmp_path, mirror_root):
    with MirrorServer(mirror_root) as mirror:
        url = mirror.url
    with pytest.raises(CommandError, match="injoignable"):
        run(tmp_path, url)  # the server is gone: connection refused
    assert "(copie du miroir)" not in legal_text()


def test_a_wrong_checksum_is_refused(reference_data, tmp_path, mirror_root, cache):
    (mirror_root / "SHA256SUMS").write_text(f"{'0' * 64}  {SMIC}\n")
    with MirrorServer(mirror_root) as mirror, pytest.raises(CommandError, match="somme de contrôle"):
        run(tmp_path, mirror.url)
    assert "(copie du miroir)" not in legal_text()
    assert not (cache / "miroir" / (SMIC + ".part")).exists()


def test_the_right_checksum_is_accepted(reference_data, tmp_path, mirror_root):
    digest = hashlib.sha256((mirror_root / SMIC).read_bytes()).hexdigest()
    (mirror_root / "SHA256SUMS").write_text(f"{digest}  {SMIC}\n")
    with MirrorServer(mirror_root) as mirror:
        run(tmp_path, mirror.url)
    assert "(copie du miroir)" in legal_text()


def test_a_404_changes_nothing_and_says_so(reference_data, tmp_path, mirror_root):
    with MirrorServer(mirror_root) as mirror:
        mirror.missing.add(SMIC)
        output = run(tmp_path, mirror.url)
    assert "historique du SMIC : absent du miroir (404)" in output
    assert "(copie du miroir)" not in legal_text()


def test_a_web_page_instead_of_the_file_is_refused(tmp_path):
    page = tmp_path / "page.csv.part"
    page.write_text("<!DOCTYPE html><html><body>Maintenance</body></html>")
    with pytest.raises(download.DownloadError, match="page web"):
        download.check_format(page, "csv")


def test_a_publisher_zip_is_downloaded_and_its_member_extracted(
    reference_data, tmp_path, only_our_publishers, resolve_from_empty
):
    """The publishers' table drives the download; a ZIP member is extracted; an unreachable one falls back."""
    site = tmp_path / "editeur"
    site.mkdir()
    with zipfile.ZipFile(site / "RefRomeCsv.zip", "w") as archive:
        archive.write(
            reference_data / "rome/unix_referentiel_appellation_v460_utf8.csv",
            "unix_referentiel_appellation_v460_utf8.csv",
        )
    shutil.copyfile(reference_data / SMIC, site / "smic.csv")
    with MirrorServer(site) as server:
        table = {
            "rome_appellations": publishers.Publisher(
                "rome_appellations",
                "France Travail",
                "LO",
                "page",
                f"{server.url}/RefRomeCsv.zip",
                "zip",
                "*appellation*utf8.csv",
            ),
            "smic": publishers.Publisher("smic", "Éditeur absent", "LO", "page", f"{server.url}/absent.csv"),
        }
        only_our_publishers(table)
        sources, notes = resolve_from_empty(downloads=True)
    assert set(sources) == {"rome_appellations"}
    extracted = sources["rome_appellations"].path
    assert extracted.read_bytes() == (reference_data / "rome/unix_referentiel_appellation_v460_utf8.csv").read_bytes()
    assert any("pas de téléchargement chez Éditeur absent" in note and "404" in note for note in notes)


def test_every_publisher_entry_documents_its_source():
    names = {dataset.name for dataset in all_datasets()}
    assert set(all_publishers()) == names
    for entry in all_publishers().values():
        assert entry.publisher and entry.licence and entry.page.startswith("https://")
        assert not entry.url or entry.seen_in or entry.checked  # an address says where it was read


def test_reference_lists_only_its_own_publishers_and_a_plugged_dataset_brings_its_own():
    """reference never names a higher app's dataset: the CFA file's publisher comes with organisations' plug."""
    assert set(publishers.PUBLISHERS) == {dataset.name for dataset in DATASETS}
    assert "cfa" not in publishers.PUBLISHERS
    cfa = all_publishers()["cfa"]
    assert cfa.dataset == "cfa" and "DEPP" in cfa.publisher


def test_a_fresh_install_that_reaches_the_internet_can_get_every_dataset():
    """No data folder, no mirror: each dataset has a download address or a registry package (issue 16)."""
    from alternance.reference import registry

    downloadable = {name for name, entry in all_publishers().items() if entry.url or entry.copies}
    packaged = set(registry.find_sources())
    assert {dataset.name for dataset in all_datasets()} - downloadable - packaged == set()
    for name, entry in all_publishers().items():
        assert entry.url or entry.copies or entry.note, f"{name} : ni adresse ni explication"


def test_each_public_copy_is_pinned_and_holds_the_data_folder_file(data_dir):
    """A copy is pinned to a full commit and to the SHA-256 of the data folder's file: a download that differs
    is refused, and the copy gives the rows the folder gives."""
    paths = {dataset.name: dataset.path for dataset in all_datasets()}
    for name, entry in all_publishers().items():
        for copy in entry.copies:
            assert re.fullmatch(r"https://raw\.githubusercontent\.com/[\w.-]+/[\w.-]+/[0-9a-f]{40}/\S+", copy.url)
            assert copy.seen_in and re.fullmatch(r"[0-9a-f]{64}", copy.sha256)
            digest = hashlib.sha256((data_dir / paths[name]).read_bytes()).hexdigest()
            assert copy.sha256 == digest, name


def test_a_public_copy_is_tried_after_the_publisher_and_its_checksum_is_kept(
    reference_data, only_our_publishers, mirror_root, resolve_from_empty
):
    with MirrorServer(mirror_root) as server:
        good = hashlib.sha256((mirror_root / SMIC).read_bytes()).hexdigest()
        copy = publishers.Copy(f"{server.url}/{SMIC}", good, "dépôt de test @ 0123456789ab")
        table = {
            "smic": publishers.Publisher(
                "smic", "Éditeur absent", "LO", "page", f"{server.url}/absent.csv", copies=(copy,)
            ),
            "kit": publishers.Publisher(
                "kit", "Éditeur", "LO", "page", copies=(publishers.Copy(copy.url, "0" * 64, "dépôt faux"),)
            ),
        }
        only_our_publishers(table)
        sources, notes = resolve_from_empty(downloads=True)
    assert set(sources) == {"smic"}
    assert sources["smic"].path.read_bytes() == (mirror_root / SMIC).read_bytes()
    assert "copie publique (dépôt de test" in sources["smic"].origin
    assert any("Éditeur absent" in note and "404" in note for note in notes)
    assert any(note.startswith("kit apprentissage") and "somme de contrôle" in note for note in notes)


def test_a_publisher_file_the_loader_cannot_read_falls_back_to_the_next_address(
    reference_data, only_our_publishers, mirror_root, settings, empty_folder
):
    """The publisher's address answers a file in another format: nothing is written from it, the pinned copy is
    loaded instead and the report says why."""
    settings.ALTERNANCE_DOWNLOADS = True  # only the loopback server below is reached
    (mirror_root / "nouveau-format.csv").write_text("annee;taux\n2026;12,02\n", encoding="utf-8")
    with MirrorServer(mirror_root) as server:
        good = hashlib.sha256((mirror_root / SMIC).read_bytes()).hexdigest()
        table = {
            "smic": publishers.Publisher(
                "smic",
                "Éditeur",
                "LO",
                "page",
                f"{server.url}/nouveau-format.csv",
                copies=(publishers.Copy(f"{server.url}/{SMIC}", good, "dépôt de test @ 0123456789ab"),),
            )
        }
        only_our_publishers(table)
        out = StringIO()
        call_command("load_reference", source=str(empty_folder), no_registry=True, stdout=out)
    output = out.getvalue()
    assert "(copie du miroir)" in legal_text()
    assert f"{server.url}/nouveau-format.csv illisible" in output and "source suivante" in output
    assert "copie publique (dépôt de test" in output
