"""LHEO reading whatever the file holds: junk outside formations freed and counted (peak memory measured in
a child process), size limits, DOCTYPE entities refused with a French message (no traceback)."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from alternance.accounts.models import ApiKey, Scope
from alternance.trainings import lheo
from alternance.trainings.models import ImportReport
from tests.trainings.lheo_feeds import current, feed, formation

ROOT = Path(__file__).resolve().parents[2]
JUNK = 300_000


def junk_feed(path: Path, junk: int) -> Path:
    """A valid one-formation feed followed, after </offres>, by `junk` empty elements in one container."""
    text = feed(formation("JUNK1"))
    end = text.rindex("</lheo>")
    with path.open("w", encoding="utf-8") as out:
        out.write(text[:end])
        if junk:
            out.write("<poubelle>")
            for _ in range(junk // 10_000):
                out.write("<x/>" * 10_000)
            out.write("</poubelle>")
        out.write(text[end:])
    return path


PEAK_SCRIPT = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, {root!r})
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings_test"
    import django
    django.setup()
    from alternance.trainings import lheo

    feed = lheo.Feed()
    records = sum(1 for _ in lheo.read(sys.argv[1], feed))
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    print(records, feed.ignored, peak // 1024)
    """
)


def parse_in_child(path: Path) -> tuple[int, int, int]:
    """(records, ignored elements, peak RSS in MB) of lheo.read in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_SCRIPT.format(root=str(ROOT)), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    records, ignored, peak = map(int, result.stdout.split()[-3:])
    return records, ignored, peak


def test_junk_outside_formations_is_freed_and_counted(tmp_path):
    clean_records, clean_ignored, clean_peak = parse_in_child(junk_feed(tmp_path / "propre.xml", 0))
    records, ignored, peak = parse_in_child(junk_feed(tmp_path / "poubelle.xml", JUNK))
    assert (records, clean_records, clean_ignored) == (2, 2, 0)  # the version, then one record
    assert ignored >= JUNK  # every <x/> (and their container, once closed and followed by more)
    # Kept in memory, 300,000 elements weigh about 60 MB: the peak must not move by a third of that.
    assert peak - clean_peak < 20, (clean_peak, peak)
    assert peak < 300


def test_too_many_elements_outside_formations_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(lheo, "MAX_IGNORED_ELEMENTS", 50_000)
    with pytest.raises(lheo.FeedError, match="éléments hors des <formation>"):
        list(lheo.read(junk_feed(tmp_path / "poubelle.xml", 100_000)))


def test_an_oversized_formation_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(lheo, "MAX_FORMATION_BYTES", 100_000)
    big = formation("GROS1").replace(
        "</formation>", "<extras>" + "<extra info='x'>y</extra>" * 20_000 + "</extras></formation>"
    )
    path = tmp_path / "gros.xml"
    path.write_text(feed(big), encoding="utf-8")
    with pytest.raises(lheo.FeedError, match="GROS1"):
        list(lheo.read(path))


@override_settings(LHEO_MAX_BYTES=200_000)
def test_an_oversized_file_is_refused(tmp_path):
    path = junk_feed(tmp_path / "gros.xml", 100_000)
    with pytest.raises(lheo.FeedError, match="taille maximale"):
        list(lheo.read(path))


ENTITY_FEED = (
    feed(current("ENT1"))
    .replace("<lheo ", '<!DOCTYPE lheo [<!ENTITY nom "Boulangerie">]>\n<lheo ', 1)
    .replace("<intitule-formation>", "<intitule-formation>&nom; ", 1)
)


def test_a_doctype_with_an_internal_entity_is_refused_in_french():
    with pytest.raises(lheo.FeedError, match="entités XML dans un DOCTYPE"):
        list(lheo.read(_bytes(ENTITY_FEED)))


def _bytes(text: str):
    import io

    return io.BytesIO(text.encode())


@pytest.mark.django_db
def test_the_api_answers_a_doctype_entity_with_a_400(client, reference_data):
    secret = ApiKey.issue("carif", [Scope.LHEO])[1]
    response = client.post(
        "/api/v1/imports/lheo",
        {"file": SimpleUploadedFile("flux.xml", ENTITY_FEED.encode(), content_type="application/xml")},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400, response.content
    assert "DOCTYPE" in response.json()["message"] and "Traceback" not in response.content.decode()
    assert not ImportReport.objects.exists()  # refused before anything is queued
