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


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_a_key_cannot_feed_nor_read_another_keys_source(client, reference_data, django_capture_on_commit_callbacks):
    """Issue 15 audit: key B uploaded a one-course feed with source=carif-a, closing carif-a's courses
    « absent_du_flux », then read carif-a's report. A source belongs to the key that first fed it."""
    secret_a = ApiKey.issue("carif-a", [Scope.LHEO])[1]
    secret_b = ApiKey.issue("carif-b", [Scope.LHEO])[1]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = upload(client, feed(current("A1"), current("A2")).encode(), secret_a, source="carif-a").json()
    assert Training.objects.filter(source="carif-a", status="publiee").count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, feed(current("B1")).encode(), secret_b, source="carif-a")
    assert response.status_code == 403, response.content
    body = response.json()
    assert body["code"] == "source_forbidden" and body["field"] == "source" and "autre clé" in body["message"]
    assert (
        ImportReport.objects.count() == 1 and Training.objects.filter(source="carif-a", status="publiee").count() == 2
    )
    assert client.get(accepted["url"], headers=bearer(secret_b)).status_code == 404
    assert client.get(accepted["url"], headers=bearer(secret_a)).status_code == 200
    # History of carif-a's courses: for carif-a's key; key B gets the public view, without history.
    training = Training.objects.filter(source="carif-a").first()
    own = client.get(f"/api/v1/trainings/{training.pk}/status", headers=bearer(secret_a)).json()
    other = client.get(f"/api/v1/trainings/{training.pk}/status", headers=bearer(secret_b)).json()
    assert own["history"] and other["history"] == [] and other["status"] == "publiee"
    # A course without a public page of another source is not found for key B.
    Training.objects.filter(pk=training.pk).update(status="brouillon")
    hidden = client.get(f"/api/v1/trainings/{training.pk}/status", headers=bearer(secret_b))
    assert hidden.status_code == 404
    assert client.get(f"/api/v1/trainings/{training.pk}/status", headers=bearer(secret_a)).status_code == 200
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/imports/lheo"]["post"]
    assert "403" in operation["responses"]


def test_keys_of_one_organisation_share_its_sources(client, reference_data, django_capture_on_commit_callbacks):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    old = ApiKey.issue("cfa-ancienne", [Scope.LHEO], organisation=organisation)
    new_secret = ApiKey.issue("cfa-nouvelle", [Scope.LHEO], organisation=organisation)[1]
    with django_capture_on_commit_callbacks(execute=True):
        accepted = upload(client, feed(current("O1")).encode(), old[1], source="cfa-flux").json()
    old[0].revoke()
    assert client.get(accepted["url"], headers=bearer(new_secret)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, feed(current("O1")).encode(), new_secret, source="cfa-flux").status_code == 202


def test_a_source_imported_by_the_team_is_given_by_the_team(client, reference_data, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    ImportReport.objects.create(source="carif-c", filename="flux.xml", uploaded_by="equipe")
    first = ApiKey.issue("curieux", [Scope.LHEO])[1]
    refused = upload(client, feed(current("C1")).encode(), first, source="carif-c")
    assert refused.status_code == 403 and "l'équipe" in refused.json()["message"]
    out = StringIO()
    call_command("create_api_token", "carif-c", "--source", "carif-c", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, feed(current("C1")).encode(), secret, source="carif-c").status_code == 202
    assert upload(client, feed(current("C1")).encode(), first, source="carif-c").status_code == 403


def test_the_team_gives_a_source_to_an_existing_key(client, django_capture_on_commit_callbacks):
    """manage.py give_lheo_source: a renewed or second key of a Carif-Oref takes over its feed without a new key."""
    from io import StringIO

    from django.core.management import CommandError, call_command

    owner = ApiKey.issue("carif-d", [Scope.LHEO])[1]
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, feed(current("D1")).encode(), owner, source="carif-d").status_code == 202
    other_key, other = ApiKey.issue("carif-d-2", [Scope.LHEO])
    assert upload(client, feed(current("D1")).encode(), other, source="carif-d").status_code == 403
    out = StringIO()
    call_command("give_lheo_source", "carif-d", str(other_key.pk), stdout=out)
    assert f"n° {other_key.pk}" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        assert upload(client, feed(current("D1")).encode(), other, source="carif-d").status_code == 202
    assert upload(client, feed(current("D1")).encode(), owner, source="carif-d").status_code == 403
    reader = ApiKey.issue("lecteur", [Scope.APPLICATIONS])[0]
    with pytest.raises(CommandError, match="portée lheo"):
        call_command("give_lheo_source", "carif-d", "lecteur", stdout=StringIO())
    reader.revoke()
    with pytest.raises(CommandError, match="Aucune clé active"):
        call_command("give_lheo_source", "carif-d", "lecteur", stdout=StringIO())
