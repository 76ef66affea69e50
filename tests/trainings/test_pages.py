"""Staff pages: LHEO import reports and upload, publication status with manual decisions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alternance.trainings.models import ImportReport, Training
from alternance.trainings.services import import_lheo
from tests.factories import TrainingFactory
from tests.trainings.lheo_feeds import SAMPLE, feed, formation, replace

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("admin-imports", password="x", is_staff=True))
    return client


def test_pages_are_for_staff_only(client):
    for url in ("/imports/", "/imports/1/", "/formations/1/statut/"):
        assert client.get(url).status_code == 302


def test_upload_then_report_with_rejections(staff_client, reference_data, django_capture_on_commit_callbacks):
    text = feed(
        formation("OK"), replace(formation("KO"), "<SIRET>19290076900014</SIRET>", "<SIRET>19290076900015</SIRET>")
    )
    with django_capture_on_commit_callbacks(execute=True):  # the import runs as a task once committed
        response = staff_client.post(
            "/imports/", {"file": SimpleUploadedFile("flux.xml", text.encode()), "source": "page"}
        )
    report = ImportReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{report.pk}/"
    page = staff_client.get(response["Location"]).content.decode()
    assert "KO/KO" in page and "clé de contrôle" in page and "1 créées" in page.replace("\u202f", " ")
    listing = staff_client.get("/imports/").content.decode()
    assert "page" in listing and f"/imports/{report.pk}/" in listing


def test_failed_import_shows_the_line(staff_client, tmp_path):
    path = tmp_path / "t.xml"
    path.write_text(SAMPLE.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    report = import_lheo(path, source="t")
    page = staff_client.get(f"/imports/{report.pk}/").content.decode()
    assert f"ligne {report.fatal_line}" in page and "Rien n'a été importé" in page


def test_manual_decision_is_recorded(staff_client):
    training = TrainingFactory()
    response = staff_client.post(
        f"/formations/{training.pk}/statut/", {"status": "rejetee", "reason": "Formation hors apprentissage"}
    )
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.status == Training.Status.REJECTED and training.status_rule == "manuel"
    change = training.status_history.get()
    assert change.actor.username == "admin-imports" and change.reason == "Formation hors apprentissage"
    page = staff_client.get(f"/formations/{training.pk}/statut/").content.decode()
    assert "admin-imports" in page and "Formation hors apprentissage" in page
