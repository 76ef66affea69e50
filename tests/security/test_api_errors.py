"""The API answers every error in its one shape (500 included, without traceback), bounds its inputs,
documents every status, and shows unpublished trainings only to the team and keys of scope lheo."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from alternance.accounts.models import ApiKey, Scope
from alternance.trainings.models import Training
from alternance.trainings.services import change_status, give_source
from config.api import api
from tests.factories import TrainingFactory

pytestmark = pytest.mark.django_db


def assert_error_shape(response, status: int):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {"code", "message", "field"} <= set(body)
    return body


def test_organisations_with_a_thousand_words_is_a_4xx_in_the_shape(client):
    words = " ".join(f"mot{i}" for i in range(1000))
    body = assert_error_shape(client.get("/api/v1/organisations", {"q": words}), 422)
    assert body["field"] == "q"


def test_organisations_with_eleven_short_words_is_a_400(client):
    body = assert_error_shape(client.get("/api/v1/organisations", {"q": " ".join("abcdefghijk")}), 400)
    assert body["field"] == "q" and "10 mots" in body["message"]


def test_organisations_with_a_huge_page_is_a_4xx_in_the_shape(client):
    body = assert_error_shape(client.get("/api/v1/organisations", {"page": "9" * 30}), 422)
    assert body["field"] == "page"


def test_huge_identifiers_in_paths_are_4xx(client):
    assert_error_shape(client.get(f"/api/v1/organisations/{'9' * 30}"), 422)
    assert_error_shape(client.get(f"/api/v1/trainings/{2**63}/status"), 422)


PERSONAL = "secret de test : jeanne.martin@example.org"


def test_an_unexpected_error_is_a_500_in_the_shape_without_traceback(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError(PERSONAL)

    monkeypatch.setattr("alternance.api.organisations.siret_errors", broken)
    with caplog.at_level(logging.ERROR, logger="alternance.api"):
        response = client.get("/api/v1/checks/siret/73282932000074")
    body = assert_error_shape(response, 500)
    assert body["code"] == "server_error"
    assert "Traceback" not in response.content.decode() and "secret" not in response.content.decode()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged and "checks/siret" in logged
    assert "jeanne.martin" not in logged and "73282932000074" not in logged


def test_openapi_lists_the_error_statuses_of_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "ErrorOut" in schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "422", "500"} <= codes, (method, path, codes)
            if "{" in path:
                assert "404" in codes, (method, path)
            if operation.get("security"):
                assert {"401", "403", "429"} <= codes, (method, path)
    upload = schema["paths"]["/api/v1/imports/lheo"]["post"]["responses"]
    assert upload["429"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorOut"


@pytest.fixture
def unpublished():
    training = TrainingFactory(status=Training.Status.PUBLISHED)
    change_status(training, Training.Status.TO_CHECK, rule="manuel", reason="Vérification")
    return training


def test_training_status_hides_unpublished_trainings_from_the_public(client, unpublished):
    body = assert_error_shape(client.get(f"/api/v1/trainings/{unpublished.pk}/status"), 404)
    assert body["code"] == "not_found"


def test_training_status_shows_no_history_to_the_public(client, unpublished):
    change_status(unpublished, Training.Status.PUBLISHED, rule="manuel", reason="Vérifiée")
    body = client.get(f"/api/v1/trainings/{unpublished.pk}/status").json()
    assert body["status"] == Training.Status.PUBLISHED and body["history"] == []


def test_training_status_shows_everything_to_the_sources_keys_and_the_team(client, unpublished):
    """A key of scope lheo sees the history of its own sources' courses only (issue 15); the team, everything."""
    key, secret = ApiKey.issue("carif", [Scope.LHEO])
    stranger = ApiKey.issue("carif-b", [Scope.LHEO])[1]
    Training.objects.filter(pk=unpublished.pk).update(source="carif")
    give_source("carif", api_key_id=key.pk, organisation_id=None)
    response = client.get(f"/api/v1/trainings/{unpublished.pk}/status", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200 and response.json()["history"]
    hidden = client.get(f"/api/v1/trainings/{unpublished.pk}/status", headers={"Authorization": f"Bearer {stranger}"})
    assert assert_error_shape(hidden, 404)["code"] == "not_found"
    other = ApiKey.issue("partenaire", [Scope.APPLICATIONS])[1]
    assert_error_shape(
        client.get(f"/api/v1/trainings/{unpublished.pk}/status", headers={"Authorization": f"Bearer {other}"}), 403
    )
    staff = get_user_model().objects.create_user("equipe", "e@example.org", "x", is_staff=True)
    client.force_login(staff)
    assert client.get(f"/api/v1/trainings/{unpublished.pk}/status").json()["history"]


@override_settings(DEBUG=False)
def test_api_error_handler_is_installed_on_the_instance():
    assert Exception in api._exception_handlers


@pytest.mark.parametrize(
    "path, scope",
    [("/api/v1/imports/lheo", Scope.LHEO), ("/api/v1/applications", Scope.APPLICATIONS)],
)
def test_a_multipart_body_without_boundary_is_a_400_in_the_shape(client, path, scope):
    """Found by schemathesis with a key (issue 15): « Content-Type: multipart/form-data » with no boundary was a 500."""
    secret = ApiKey.issue("partenaire", [scope])[1]
    response = client.generic(
        "POST", path, b"--x--", content_type="multipart/form-data", headers={"Authorization": f"Bearer {secret}"}
    )
    body = assert_error_shape(response, 400)
    assert body["code"] == "invalid" and "multipart" in body["message"]


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_past_django_limits_is_a_documented_413_in_the_shape(client):
    secret = ApiKey.issue("partenaire", [Scope.APPLICATIONS])[1]
    response = client.post(
        "/api/v1/appointments",
        {"message": "x" * 2000},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert assert_error_shape(response, 413)["code"] == "too_large"
    schema = client.get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert "413" in operation["responses"], (method, path)


def test_enrolments_with_a_huge_page_is_a_4xx_in_the_shape(client):
    from alternance.organisations.models import Organisation
    from tests.factories import OrganisationFactory

    organisation = Organisation.objects.filter(uai="0010826T").first() or OrganisationFactory(
        uai="0010826T", siret="85052026300011"
    )
    secret = ApiKey.issue("cfa", [Scope.ENROLMENTS], organisation=organisation)[1]
    response = client.get("/api/v1/enrolments", {"page": "9" * 30}, headers={"Authorization": f"Bearer {secret}"})
    assert_error_shape(response, 422)
