"""Rate limits (settings.RATE_LIMITS, shared cache): API keys guessed, searches, admin sign-ins."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings

from alternance.accounts.models import ApiKey, Scope
from alternance.core import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@override_settings(RATE_LIMITS={"api_key_failures": (3, 600)})
def test_guessed_api_keys_are_refused_with_429_and_retry_after(client):
    secret = ApiKey.issue("carif", [Scope.LHEO])[1]
    for i in range(3):
        response = client.get("/api/v1/imports/1", headers={"Authorization": f"Bearer devine-{i}"})
        assert response.status_code == 401
    response = client.get("/api/v1/imports/1", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 429  # even the right key: the address is blocked for the window
    body = response.json()
    assert body["code"] == "rate_limited" and body["field"] == "Authorization"
    assert 1 <= int(response["Retry-After"]) <= 600
    other = client.get("/api/v1/imports/1", headers={"Authorization": f"Bearer {secret}"}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 404  # another address is not blocked


@override_settings(RATE_LIMITS={"search": (2, 60)})
def test_search_api_is_rate_limited(client):
    for _ in range(2):
        assert client.get("/api/v1/organisations", {"q": "lycée"}).status_code == 200
    response = client.get("/api/v1/organisations", {"q": "lycée"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and int(response["Retry-After"]) >= 1


@pytest.mark.parametrize("path", ["/api/v1/places/suggest", "/api/v1/occupations/suggest"])
def test_suggestions_are_rate_limited_in_batches_and_documented(client, settings, path):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "suggest": (2, 60)}
    for _ in range(2):
        assert client.get(path, {"q": "ly"}).status_code == 200
    response = client.get(path, {"q": "ly"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and int(response["Retry-After"]) >= 1
    assert "suggest" in ratelimit.BATCHED_SCOPES  # one call per keystroke: no database round trip each
    operation = client.get("/api/v1/openapi.json").json()["paths"][path]["get"]
    assert "429" in operation["responses"]


@override_settings(RATE_LIMITS={"login_failures": (3, 900)})
def test_admin_sign_in_locks_out_after_failures_with_a_french_message(client):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "le-bon-mot-de-passe")
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "admin", "password": "mauvais"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "admin", "password": "le-bon-mot-de-passe"})
    assert response.status_code == 429
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session  # the right password did not sign in
    # Same user name from another address: still locked (the count is also per user name).
    again = client.post(
        "/admin/login/", {"username": "admin", "password": "le-bon-mot-de-passe"}, REMOTE_ADDR="203.0.113.5"
    )
    assert again.status_code == 429


@override_settings(RATE_LIMITS={"login_failures": (3, 900)})
def test_a_successful_sign_in_is_not_counted(client):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "le-bon-mot-de-passe")
    for _ in range(4):
        client.logout()
        response = client.post("/admin/login/", {"username": "admin", "password": "le-bon-mot-de-passe"})
        assert response.status_code == 302
