"""LHEO upload API (API key of scope lheo) and the publication status endpoint."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alternance.accounts.models import ApiKey, Scope
from alternance.trainings.models import ImportReport, Training
from tests.trainings.lheo_feeds import SAMPLE, current, feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(db):
    return ApiKey.issue("carif-test", [Scope.LHEO])[1]


def upload(client, content: bytes, token: str | None, source: str = "api"):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(
        "/api/v1/imports/lheo",
        {"file": SimpleUploadedFile("flux.xml", content, content_type="application/xml"), "source": source},
        headers=headers,
    )


@pytest.mark.parametrize("token_value", [None, "", "jeton-inconnu"])
def test_upload_needs_a_valid_token(client, token_value):
    response = upload(client, SAMPLE.read_bytes(), token_value)
    assert response.status_code == 401
    body = response.json()
    assert (
        body["code"] == "unauthorized"
        and body["field"] == "Authorization"
        and "Bearer" in body["message"]
        or ("clé" in body["message"])
    )
    assert not ImportReport.objects.exists()


def test_a_revoked_token_is_refused(client, token):
    ApiKey.objects.get().revoke()
    assert upload(client, SAMPLE.read_bytes(), token).status_code == 401


def test_a_key_without_the_lheo_scope_is_forbidden(client, db):
    secret = ApiKey.issue("partenaire", [Scope.APPLICATIONS])[1]
    response = upload(client, SAMPLE.read_bytes(), secret)
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not ImportReport.objects.exists()


def test_upload_imports_and_returns_the_report(client, token, reference_data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, feed(current("API1")).encode(), token)
    assert response.status_code == 202, response.content
    accepted = response.json()
    assert accepted["state"] == "en_attente" and accepted["url"] == f"/api/v1/imports/{accepted['id']}"
    report = client.get(accepted["url"], headers={"Authorization": f"Bearer {token}"}).json()
    assert report["state"] == "termine" and report["counts"]["crees"] == 1 and report["lheo_version"] == "2.2"
    assert ImportReport.objects.get(pk=report["id"]).uploaded_by == "clé carif-test"
    training = Training.objects.get(source="api")
    status = client.get(f"/api/v1/trainings/{training.pk}/status", headers={"Authorization": f"Bearer {token}"}).json()
    assert status["status"] == "publiee" and [h["rule"] for h in status["history"]] == [
        "import",
        "complete",
        "complete",
    ]
    again = client.get(f"/api/v1/imports/{report['id']}", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 200 and again.json()["id"] == report["id"]
    assert client.get(f"/api/v1/imports/{report['id']}").status_code == 401


def test_a_malformed_upload_is_reported_failed_with_the_line(
    client, token, reference_data, django_capture_on_commit_callbacks
):
    text = feed(current("API2"))
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, text[: len(text) // 2].encode(), token)
    assert response.status_code == 202
    report = client.get(response.json()["url"], headers={"Authorization": f"Bearer {token}"}).json()
    assert report["state"] == "echec" and report["fatal_line"] and report["fatal_error"]
    assert not Training.objects.filter(source="api").exists()
    assert ImportReport.objects.get().state == ImportReport.State.FAILED


def test_unknown_training_and_report_are_404(client, token):
    assert client.get("/api/v1/trainings/999999/status").json()["code"] == "not_found"
    response = client.get("/api/v1/imports/999999", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404 and response.json()["field"] == "report_id"
